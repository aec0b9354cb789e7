// Neural network: one hidden layer of ramp (ReLU) units and a softmax output,
// trained on standardised features by Adam (Kingma & Ba 2015) on shuffled
// minibatches, as scikit-learn's MLPClassifier: Glorot-uniform weights and
// biases, the same stopping rule, L2 on the weights only.
#include <cmath>

#include "classifier_methods.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::localize {

namespace {

using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using MatrixMap = Eigen::Map<RowMatrix>;

// Offsets of W1, b1, W2, b2 in the packed parameter vector.
struct Layout {
  Eigen::Index f, h, k, w1, b1, w2, b2, size;
  Layout(Eigen::Index features, Eigen::Index hidden, Eigen::Index classes)
      : f(features), h(hidden), k(classes) {
    w1 = 0;
    b1 = w1 + f * h;
    w2 = b1 + h;
    b2 = w2 + h * k;
    size = b2 + k;
  }
};

// One forward and backward pass; buffers are kept between minibatches.
class Pass {
 public:
  // Mean cross-entropy + l2/2 |W|^2 of the rows of x with labels y (in
  // [0, k)), and its gradient when `gradient` is not null.
  double objective(const double* theta, const Layout& at, const RowMatrix& x, const int* y,
                   double l2, double* gradient) {
    const Eigen::Index n = x.rows();
    const ConstMatrixMap w1(theta + at.w1, at.f, at.h), w2(theta + at.w2, at.h, at.k);
    const Eigen::Map<const Eigen::RowVectorXd> b1(theta + at.b1, at.h), b2(theta + at.b2, at.k);
    z1_.noalias() = x * w1;
    z1_.rowwise() += b1;
    a_ = z1_.cwiseMax(0.0);
    p_.noalias() = a_ * w2;
    p_.rowwise() += b2;
    double loss = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      auto row = p_.row(i);
      const double max = row.maxCoeff(), logit = row(y[i]);
      row.array() = (row.array() - max).exp();
      const double z = row.sum();
      loss += max + std::log(z) - logit;
      row /= z;
    }
    loss = loss / double(n) + 0.5 * l2 * (w1.squaredNorm() + w2.squaredNorm());
    if (!gradient) return loss;

    for (Eigen::Index i = 0; i < n; ++i) p_(i, y[i]) -= 1;
    p_ /= double(n);  // dLoss/dz2
    MatrixMap gw1(gradient + at.w1, at.f, at.h), gw2(gradient + at.w2, at.h, at.k);
    gw2.noalias() = a_.transpose() * p_;
    gw2 += l2 * w2;
    Eigen::Map<Eigen::RowVectorXd>(gradient + at.b2, at.k) = p_.colwise().sum();
    g1_.noalias() = p_ * w2.transpose();  // dLoss/da, then dLoss/dz1
    g1_.array() *= (z1_.array() > 0).cast<double>();
    // (g1' x)' rather than x' g1: Eigen then packs the narrow x, not g1.
    gw1.transpose().noalias() = g1_.transpose() * x;
    gw1 += l2 * w1;
    Eigen::Map<Eigen::RowVectorXd>(gradient + at.b1, at.h) = g1_.colwise().sum();
    return loss;
  }

 private:
  RowMatrix z1_, a_, p_, g1_;
};

}  // namespace

Eigen::Index mlp_parameter_count(int features, int hidden, int classes) {
  return Layout(features, hidden, classes).size;
}

double mlp_objective(const Eigen::VectorXd& parameters, int hidden, int classes, const RowMatrix& x,
                     const std::vector<int>& y, double l2, Eigen::VectorXd* gradient) {
  const Layout at(x.cols(), hidden, classes);
  NI_REQUIRE(parameters.size() == at.size && Eigen::Index(y.size()) == x.rows() && x.rows() > 0,
             "MLP objective: ", parameters.size(), " parameters and ", y.size(),
             " labels do not fit ", x.rows(), " rows of ", x.cols(), " features, ", hidden,
             " hidden units, ", classes, " classes");
  detail::check_labels(y, classes, "MLP objective:");
  if (gradient) gradient->resize(at.size);
  return Pass().objective(parameters.data(), at, x, y.data(), l2,
                          gradient ? gradient->data() : nullptr);
}

namespace detail {

RowMatrix mlp_fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train, int classes,
                          const RowMatrix& x_test, const ClassifierOptions& options) {
  constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;  // Adam
  constexpr double kTolerance = 1e-4;                              // stopping rule
  constexpr int kPatience = 10;
  const Eigen::Index n = x_train.rows();
  const Layout at(x_train.cols(), options.hidden, classes);

  Eigen::VectorXd theta(at.size);
  {
    Stream s(options.seed, purpose_id("mlp-init"), 0);
    const double bound1 = std::sqrt(6.0 / double(at.f + at.h));
    const double bound2 = std::sqrt(6.0 / double(at.h + at.k));
    for (Eigen::Index i = 0; i < at.size; ++i) {
      theta(i) = (2 * s.uniform() - 1) * (i < at.w2 ? bound1 : bound2);
    }
  }

  Eigen::VectorXd m = Eigen::VectorXd::Zero(at.size), v = m, g = m;
  Pass pass;
  std::vector<Eigen::Index> order(n);
  for (Eigen::Index i = 0; i < n; ++i) order[i] = i;
  const Eigen::Index batch = std::min<Eigen::Index>(options.batch, n);
  RowMatrix xb;
  std::vector<int> yb;
  double best_loss = INFINITY;
  int stale = 0;
  long t = 0;
  for (int epoch = 0; epoch < options.epochs && stale <= kPatience; ++epoch) {
    Stream s(options.seed, purpose_id("mlp-epoch"), epoch);
    for (Eigen::Index i = n - 1; i > 0; --i) std::swap(order[i], order[s.below(i + 1)]);
    double epoch_loss = 0;
    for (Eigen::Index begin = 0; begin < n; begin += batch) {
      const Eigen::Index size = std::min(batch, n - begin);
      xb.resize(size, at.f);
      yb.resize(size);
      for (Eigen::Index r = 0; r < size; ++r) {
        xb.row(r) = x_train.row(order[begin + r]);
        yb[r] = y_train[order[begin + r]];
      }
      epoch_loss +=
          pass.objective(theta.data(), at, xb, yb.data(), options.nn_l2, g.data()) * double(size);
      ++t;
      m = kBeta1 * m + (1 - kBeta1) * g;
      v = kBeta2 * v + (1 - kBeta2) * g.cwiseAbs2();
      const double lr = options.learning_rate * std::sqrt(1 - std::pow(kBeta2, double(t))) /
                        (1 - std::pow(kBeta1, double(t)));
      theta.array() -= lr * m.array() / (v.array().sqrt() + kEpsilon);
    }
    epoch_loss /= double(n);
    stale = epoch_loss > best_loss - kTolerance ? stale + 1 : 0;
    best_loss = std::min(best_loss, epoch_loss);
  }

  const ConstMatrixMap w1(theta.data() + at.w1, at.f, at.h);
  const ConstMatrixMap w2(theta.data() + at.w2, at.h, at.k);
  RowMatrix hidden = x_test * w1;
  hidden.rowwise() += theta.segment(at.b1, at.h).transpose();
  RowMatrix logits = hidden.cwiseMax(0.0) * w2;
  logits.rowwise() += theta.segment(at.b2, at.k).transpose();
  softmax_rows(logits);
  return logits;
}

}  // namespace detail

}  // namespace netinfer::localize
