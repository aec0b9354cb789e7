// Logistic regression: a multinomial softmax model on standardised features,
// mean cross-entropy plus an L2 penalty on the weights (not the biases, as
// scikit-learn's LogisticRegression), minimised by L-BFGS (Nocedal & Wright,
// Algorithm 7.4/7.5) with a backtracking Armijo line search. The objective is
// convex, so the result is the optimum up to the tolerance whatever the start.
#include <cmath>
#include <deque>

#include "classifier_methods.hpp"
#include "netinfer/core/error.hpp"

namespace netinfer::localize {

double softmax_objective(const RowMatrix& weights, const RowMatrix& x, const std::vector<int>& y,
                         double l2, RowMatrix* gradient) {
  const Eigen::Index n = x.rows(), features = x.cols(), k = weights.cols();
  NI_REQUIRE(weights.rows() == features + 1 && Eigen::Index(y.size()) == n && n > 0,
             "softmax objective: weights ", weights.rows(), "x", k, " do not fit ", n, " rows of ",
             features, " features with ", y.size(), " labels");
  detail::check_labels(y, int(k), "softmax objective:");
  const auto w = weights.topRows(features);
  RowMatrix p = x * w;
  p.rowwise() += weights.row(features);
  double loss = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    auto row = p.row(i);
    const double max = row.maxCoeff(), logit = row(y[i]);
    row.array() = (row.array() - max).exp();
    const double z = row.sum();
    loss += max + std::log(z) - logit;
    row /= z;
  }
  loss = loss / double(n) + 0.5 * l2 * w.squaredNorm();
  if (gradient) {
    for (Eigen::Index i = 0; i < n; ++i) p(i, y[i]) -= 1;  // p becomes dLoss/dlogits * n
    gradient->resize(features + 1, k);
    gradient->topRows(features).noalias() = x.transpose() * p / double(n);
    gradient->topRows(features) += l2 * w;
    gradient->row(features) = p.colwise().sum() / double(n);
  }
  return loss;
}

namespace detail {

RowMatrix logistic_fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train,
                               int classes, const RowMatrix& x_test,
                               const ClassifierOptions& options) {
  constexpr int kMemory = 10;       // L-BFGS correction pairs
  constexpr double kArmijo = 1e-4;  // sufficient-decrease constant
  constexpr int kMaxBacktracks = 60;
  const Eigen::Index features = x_train.cols();
  const double l2 = options.logistic_l2;

  RowMatrix w = RowMatrix::Zero(features + 1, classes), g, trial_w, trial_g;
  double f = softmax_objective(w, x_train, y_train, l2, &g);
  const Eigen::Index size = w.size();
  auto flat = [size](RowMatrix& m) { return Eigen::Map<Eigen::VectorXd>(m.data(), size); };
  std::deque<Eigen::VectorXd> s_hist, y_hist;
  std::deque<double> rho_hist;
  Eigen::VectorXd alpha(kMemory);

  for (int iter = 0; iter < options.logistic_iterations; ++iter) {
    if (g.cwiseAbs().maxCoeff() < options.logistic_tolerance) break;
    // Two-loop recursion: d = -H g with the initial scaling s'y / y'y.
    Eigen::VectorXd d = -flat(g);
    for (int j = int(s_hist.size()) - 1; j >= 0; --j) {
      alpha(j) = rho_hist[j] * s_hist[j].dot(d);
      d -= alpha(j) * y_hist[j];
    }
    if (!s_hist.empty()) d *= s_hist.back().dot(y_hist.back()) / y_hist.back().squaredNorm();
    for (std::size_t j = 0; j < s_hist.size(); ++j) {
      const double beta = rho_hist[j] * y_hist[j].dot(d);
      d += (alpha(j) - beta) * s_hist[j];
    }
    double slope = d.dot(flat(g));
    if (!(slope < 0)) {  // not a descent direction: restart from steepest descent
      s_hist.clear(), y_hist.clear(), rho_hist.clear();
      d = -flat(g);
      slope = -d.squaredNorm();
    }
    // The first step has no curvature information: limit it to unit length.
    double step = s_hist.empty() ? std::min(1.0, 1.0 / d.norm()) : 1.0;
    double trial_f = 0;
    int backtracks = 0;
    for (; backtracks < kMaxBacktracks; ++backtracks, step /= 2) {
      trial_w = w;
      flat(trial_w) += step * d;
      trial_f = softmax_objective(trial_w, x_train, y_train, l2, &trial_g);
      if (trial_f <= f + kArmijo * step * slope) break;
    }
    if (backtracks == kMaxBacktracks) break;  // no decrease left at double precision
    Eigen::VectorXd s = flat(trial_w) - flat(w), yv = flat(trial_g) - flat(g);
    const double sy = s.dot(yv);
    if (sy > 1e-12 * s.norm() * yv.norm()) {
      if (int(s_hist.size()) == kMemory)
        s_hist.pop_front(), y_hist.pop_front(), rho_hist.pop_front();
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(yv));
      rho_hist.push_back(1 / sy);
    }
    w.swap(trial_w);
    g.swap(trial_g);
    f = trial_f;
  }

  RowMatrix logits = x_test * w.topRows(features);
  logits.rowwise() += w.row(features);
  softmax_rows(logits);
  return logits;
}

}  // namespace detail

}  // namespace netinfer::localize
