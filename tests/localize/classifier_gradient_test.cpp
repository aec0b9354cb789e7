// The gradient-trained methods against independent computations: objectives
// against plain loops, gradients against central finite differences, and the
// logistic-regression fit against Newton's method with a dense Hessian.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "localize/classifier_problem.hpp"
#include "netinfer/localize/classifier.hpp"

namespace netinfer::localize {

namespace {

using synthetic::synthetic_problem;

// Mean cross-entropy of softmax(logits) by plain loops.
double cross_entropy(const RowMatrix& logits, const std::vector<int>& y) {
  double sum = 0;
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    double z = 0;
    for (Eigen::Index k = 0; k < logits.cols(); ++k) z += std::exp(logits(i, k));
    sum += std::log(z) - logits(i, y[i]);
  }
  return sum / double(logits.rows());
}

// Softmax-regression logits, weights (F + 1) x K with biases last, by loops.
RowMatrix linear_logits(const RowMatrix& w, const RowMatrix& x) {
  RowMatrix out(x.rows(), w.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index k = 0; k < w.cols(); ++k) {
      double s = w(x.cols(), k);
      for (Eigen::Index j = 0; j < x.cols(); ++j) s += x(i, j) * w(j, k);
      out(i, k) = s;
    }
  }
  return out;
}

Eigen::VectorXd random_vector(Eigen::Index n, double scale, std::uint64_t seed) {
  Stream s(seed, purpose_id("gradient-test"), n);
  Eigen::VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = scale * s.normal();
  return v;
}

}  // namespace

TEST(ClassifierGradient, SoftmaxObjectiveAndFiniteDifferences) {
  const auto data = synthetic_problem(40, 4, 3, 0.5, 21);
  const double l2 = 0.3;
  RowMatrix w(5, 3);
  Eigen::Map<Eigen::VectorXd>(w.data(), w.size()) = random_vector(w.size(), 0.7, 1);
  RowMatrix g;
  const double f = softmax_objective(w, data.x, data.y, l2, &g);
  EXPECT_NEAR(
      f, cross_entropy(linear_logits(w, data.x), data.y) + 0.5 * l2 * w.topRows(4).squaredNorm(),
      1e-12);
  const double h = 1e-6;
  for (Eigen::Index j = 0; j < w.rows(); ++j) {
    for (Eigen::Index k = 0; k < w.cols(); ++k) {
      RowMatrix plus = w, minus = w;
      plus(j, k) += h;
      minus(j, k) -= h;
      const double fd = (softmax_objective(plus, data.x, data.y, l2, nullptr) -
                         softmax_objective(minus, data.x, data.y, l2, nullptr)) /
                        (2 * h);
      EXPECT_NEAR(g(j, k), fd, 1e-8) << "weight (" << j << ", " << k << ")";
    }
  }
}

TEST(ClassifierGradient, MlpObjectiveAndFiniteDifferences) {
  const int features = 4, hidden = 6, classes = 3;
  const auto data = synthetic_problem(30, features, classes, 0.5, 22);
  const double l2 = 0.2;
  ASSERT_EQ(mlp_parameter_count(features, hidden, classes), 4 * 6 + 6 + 6 * 3 + 3);
  const Eigen::VectorXd theta =
      random_vector(mlp_parameter_count(features, hidden, classes), 0.8, 2);
  Eigen::VectorXd g;
  const double f = mlp_objective(theta, hidden, classes, data.x, data.y, l2, &g);

  // Forward pass by loops over the documented packing.
  auto w1 = [&](int j, int u) { return theta(j * hidden + u); };
  auto b1 = [&](int u) { return theta(features * hidden + u); };
  auto w2 = [&](int u, int k) { return theta(features * hidden + hidden + u * classes + k); };
  auto b2 = [&](int k) { return theta(features * hidden + hidden + hidden * classes + k); };
  RowMatrix logits(data.x.rows(), classes);
  double weights_sq = 0;
  for (int u = 0; u < hidden; ++u) {
    for (int j = 0; j < features; ++j) weights_sq += w1(j, u) * w1(j, u);
    for (int k = 0; k < classes; ++k) weights_sq += w2(u, k) * w2(u, k);
  }
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    for (int k = 0; k < classes; ++k) {
      double s = b2(k);
      for (int u = 0; u < hidden; ++u) {
        double a = b1(u);
        for (int j = 0; j < features; ++j) a += data.x(i, j) * w1(j, u);
        s += std::max(a, 0.0) * w2(u, k);
      }
      logits(i, k) = s;
    }
  }
  EXPECT_NEAR(f, cross_entropy(logits, data.y) + 0.5 * l2 * weights_sq, 1e-12);

  const double h = 1e-6;
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    Eigen::VectorXd plus = theta, minus = theta;
    plus(i) += h;
    minus(i) -= h;
    const double fd = (mlp_objective(plus, hidden, classes, data.x, data.y, l2, nullptr) -
                       mlp_objective(minus, hidden, classes, data.x, data.y, l2, nullptr)) /
                      (2 * h);
    EXPECT_NEAR(g(i), fd, 1e-7) << "parameter " << i;
  }
}

// The L-BFGS fit reaches the optimum that Newton's method (dense Hessian,
// minimum-norm steps: the biases have a flat direction) finds from zero.
TEST(ClassifierGradient, LogisticRegressionReachesNewtonOptimum) {
  const int features = 3, classes = 4;
  auto train = synthetic_problem(300, features, classes, 0.8, 23);
  auto test = synthetic_problem(50, features, classes, 0.8, 24);
  // Standardise here, so fit_predict's own standardisation is the identity.
  for (int j = 0; j < features; ++j) {
    const double mean = train.x.col(j).mean();
    const double sd = std::sqrt((train.x.col(j).array() - mean).square().mean());
    train.x.col(j) = (train.x.col(j).array() - mean) / sd;
    test.x.col(j) = (test.x.col(j).array() - mean) / sd;
  }
  const double l2 = 0.01;
  const int n = train.x.rows(), size = (features + 1) * classes;
  RowMatrix w = RowMatrix::Zero(features + 1, classes);
  for (int iter = 0; iter < 30; ++iter) {
    const RowMatrix logits = linear_logits(w, train.x);
    Eigen::VectorXd g = Eigen::VectorXd::Zero(size);
    Eigen::MatrixXd hessian = Eigen::MatrixXd::Zero(size, size);
    for (int i = 0; i < n; ++i) {
      Eigen::VectorXd p = logits.row(i).transpose().array().exp();
      p /= p.sum();
      Eigen::VectorXd xt(features + 1);
      xt << train.x.row(i).transpose(), 1.0;
      for (int j = 0; j <= features; ++j) {
        for (int k = 0; k < classes; ++k) {
          g(j * classes + k) += xt(j) * (p(k) - (train.y[i] == k)) / n;
          for (int j2 = 0; j2 <= features; ++j2) {
            for (int k2 = 0; k2 < classes; ++k2) {
              hessian(j * classes + k, j2 * classes + k2) +=
                  xt(j) * xt(j2) * (p(k) * (k == k2) - p(k) * p(k2)) / n;
            }
          }
        }
      }
    }
    for (int i = 0; i < features * classes; ++i) {
      g(i) += l2 * w.data()[i];
      hessian(i, i) += l2;
    }
    const Eigen::VectorXd step = hessian.completeOrthogonalDecomposition().solve(g);
    Eigen::Map<Eigen::VectorXd>(w.data(), size) -= step;
  }
  RowMatrix expected = linear_logits(w, test.x);
  for (Eigen::Index i = 0; i < expected.rows(); ++i) {
    expected.row(i) = expected.row(i).array().exp();
    expected.row(i) /= expected.row(i).sum();
  }

  ClassifierOptions o;
  o.method = Method::LogisticRegression;
  o.logistic_l2 = l2;
  o.logistic_tolerance = 1e-10;
  const RowMatrix p = fit_predict(train.x, train.y, classes, test.x, o);
  EXPECT_LT((p - expected).cwiseAbs().maxCoeff(), 1e-7);
}

// A problem no linear model can learn (the class is the quadrant parity):
// the hidden layer of the MLP is doing its work.
TEST(ClassifierGradient, MlpLearnsWhatLogisticRegressionCannot) {
  auto make = [](int n, std::uint64_t seed) {
    synthetic::Problem p{RowMatrix(n, 2), std::vector<int>(n)};
    Stream s(seed, purpose_id("xor-test"), 0);
    for (int i = 0; i < n; ++i) {
      p.x(i, 0) = 2 * s.uniform() - 1;
      p.x(i, 1) = 2 * s.uniform() - 1;
      p.y[i] = (p.x(i, 0) > 0) != (p.x(i, 1) > 0);
    }
    return p;
  };
  const auto train = make(1000, 1), test = make(400, 2);
  ClassifierOptions o;
  o.method = Method::NeuralNetwork;
  o.hidden = 16;
  o.learning_rate = 1e-2;
  EXPECT_GT(synthetic::accuracy(fit_predict(train.x, train.y, 2, test.x, o), test.y), 0.95);
  o.method = Method::LogisticRegression;
  EXPECT_LT(synthetic::accuracy(fit_predict(train.x, train.y, 2, test.x, o), test.y), 0.7);
}

}  // namespace netinfer::localize
