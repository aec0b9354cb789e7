// Logistic regression: a multinomial softmax model on standardised features,
// mean cross-entropy plus an L2 penalty on the weights (not the biases, as
// scikit-learn's LogisticRegression), minimised by L-BFGS (Nocedal & Wright,
// Algorithm 7.4/7.5, core/lbfgs.hpp) with a backtracking Armijo line search. The objective is
// convex, so the result is the optimum up to the tolerance whatever the start.
#include <cmath>

#include "classifier_methods.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/lbfgs.hpp"

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
  const Eigen::Index features = x_train.cols();
  Eigen::VectorXd flat = Eigen::VectorXd::Zero((features + 1) * classes);
  RowMatrix w_gradient;
  lbfgs_minimise(
      flat,
      [&](const Eigen::VectorXd& v, Eigen::VectorXd& gradient) {
        const RowMatrix w = Eigen::Map<const RowMatrix>(v.data(), features + 1, classes);
        const double f = softmax_objective(w, x_train, y_train, options.logistic_l2, &w_gradient);
        gradient = Eigen::Map<const Eigen::VectorXd>(w_gradient.data(), w_gradient.size());
        return f;
      },
      {options.logistic_iterations, options.logistic_tolerance});
  const Eigen::Map<const RowMatrix> w(flat.data(), features + 1, classes);
  RowMatrix logits = x_test * w.topRows(features);
  logits.rowwise() += w.row(features);
  softmax_rows(logits);
  return logits;
}

}  // namespace detail

}  // namespace netinfer::localize
