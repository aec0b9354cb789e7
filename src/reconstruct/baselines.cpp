#include "netinfer/reconstruct/baselines.hpp"

#include <Eigen/Cholesky>

#include "netinfer/core/error.hpp"

namespace netinfer::reconstruct {

namespace {

// Shrinkage towards the identity before inverting the correlation matrix, so
// that neurons with identical or constant trains do not make it singular.
constexpr double kShrinkage = 1e-3;

// Observations of the n neurons, one row per (simulation, step) with
// first <= step < last.
Eigen::MatrixXd observations(const GeneratorData& data, int first, int last) {
  NI_REQUIRE(last <= data.steps, data.group, ": needs ", last, " steps, the file has ", data.steps);
  const int per = last - first;
  Eigen::MatrixXd x(data.simulations * per, data.n);
  for (std::int64_t s = 0; s < data.simulations; ++s)
    for (int i = 0; i < data.n; ++i)
      for (int t = first; t < last; ++t) x(s * per + t - first, i) = data.spike(s, i, t);
  return x;
}

// Columns centred and scaled to unit norm; constant columns become zero.
Eigen::MatrixXd standardise(Eigen::MatrixXd x) {
  x.rowwise() -= x.colwise().mean();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double norm = x.col(j).norm();
    x.col(j) = norm > 1e-12 ? (x.col(j) / norm).eval() : Eigen::VectorXd::Zero(x.rows());
  }
  return x;
}

// corr(a_i, b_j) for all i, j: one GEMM of the standardised observations.
Eigen::MatrixXd correlation(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return standardise(a).transpose() * standardise(b);
}

}  // namespace

Eigen::MatrixXd pearson_scores(const GeneratorData& data, int steps) {
  const Eigen::MatrixXd x = observations(data, 0, steps);
  return correlation(x, x).cwiseAbs();
}

Eigen::MatrixXd lagged_scores(const GeneratorData& data, int steps) {
  NI_REQUIRE(steps >= 2, "lagged correlation needs at least 2 steps");
  return correlation(observations(data, 1, steps), observations(data, 0, steps - 1));
}

Eigen::MatrixXd partial_correlation_scores(const GeneratorData& data, int steps) {
  const Eigen::MatrixXd x = observations(data, 0, steps);
  Eigen::MatrixXd c = correlation(x, x);
  // A constant neuron has a zero row; give it unit variance so it stays isolated.
  for (Eigen::Index i = 0; i < c.rows(); ++i) c(i, i) = 1.0;
  c = (1 - kShrinkage) * c + kShrinkage * Eigen::MatrixXd::Identity(c.rows(), c.cols());
  const Eigen::MatrixXd p = c.ldlt().solve(Eigen::MatrixXd::Identity(c.rows(), c.cols()));
  const Eigen::VectorXd d = p.diagonal().cwiseSqrt().cwiseInverse();
  Eigen::MatrixXd partial = -(d.asDiagonal() * p * d.asDiagonal());
  partial.diagonal().setZero();
  return partial;
}

}  // namespace netinfer::reconstruct
