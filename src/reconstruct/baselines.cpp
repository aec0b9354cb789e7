#include "netinfer/reconstruct/baselines.hpp"

#include <Eigen/Cholesky>

#include "baseline_tiles.hpp"
#include "netinfer/core/error.hpp"

namespace netinfer::reconstruct {

using detail::fan_out_rows;
using detail::observations;
using detail::standardise;

namespace {

// Shrinkage towards the identity before inverting the correlation matrix, so
// that neurons with identical or constant trains do not make it singular.
constexpr double kShrinkage = 1e-3;

// corr(a_i, b_j) for all i, j: tiles of rows of one GEMM of the standardised
// observations.
Eigen::MatrixXd correlation(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, MPI_Comm comm) {
  const Eigen::MatrixXd za = standardise(a), zb = standardise(b);
  return fan_out_rows(a.cols(), b.cols(), comm, [&](Eigen::Index first, Eigen::Index count) {
    return Eigen::MatrixXd(za.middleCols(first, count).transpose() * zb);
  });
}

}  // namespace

Eigen::MatrixXd pearson_scores(const GeneratorData& data, int steps, MPI_Comm comm) {
  const Eigen::MatrixXd x = observations(data, 0, steps);
  return correlation(x, x, comm).cwiseAbs();
}

Eigen::MatrixXd lagged_scores(const GeneratorData& data, int steps, MPI_Comm comm) {
  NI_REQUIRE(steps >= 2, "lagged correlation needs at least 2 steps");
  return correlation(observations(data, 1, steps), observations(data, 0, steps - 1), comm);
}

Eigen::MatrixXd partial_correlation_scores(const GeneratorData& data, int steps, MPI_Comm comm) {
  const Eigen::MatrixXd x = observations(data, 0, steps);
  Eigen::MatrixXd c = correlation(x, x, comm);
  const Eigen::Index n = c.rows();
  // A constant neuron has a zero row; give it unit variance so it stays isolated.
  for (Eigen::Index i = 0; i < n; ++i) c(i, i) = 1.0;
  c = (1 - kShrinkage) * c + kShrinkage * Eigen::MatrixXd::Identity(n, n);
  // Every rank factors the same matrix; the columns of the inverse are solved
  // tile by tile (P is symmetric: a tile of columns is a tile of rows).
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(c);
  const Eigen::MatrixXd p = fan_out_rows(n, n, comm, [&](Eigen::Index first, Eigen::Index count) {
    return Eigen::MatrixXd(
        ldlt.solve(Eigen::MatrixXd::Identity(n, n).middleCols(first, count)).transpose());
  });
  const Eigen::VectorXd d = p.diagonal().cwiseSqrt().cwiseInverse();
  Eigen::MatrixXd partial = -(d.asDiagonal() * p * d.asDiagonal());
  partial.diagonal().setZero();
  return partial;
}

const std::vector<Baseline>& baselines() {
  static const std::vector<Baseline> all{{"pearson", pearson_scores},
                                         {"lagged", lagged_scores},
                                         {"partial", partial_correlation_scores},
                                         {"var", var_scores},
                                         {"glm", glm_scores},
                                         {"te", transfer_entropy_scores}};
  return all;
}

}  // namespace netinfer::reconstruct
