// The regression baselines: VAR(1) by ridge least squares and a logistic GLM
// per target neuron. Both regress S(t + 1) on all of S(t) at once, which
// removes the indirect and shared-input correlations that the lagged
// correlation keeps.
#include <Eigen/Cholesky>
#include <Eigen/SparseCore>
#include <cmath>

#include "baseline_tiles.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/lbfgs.hpp"
#include "netinfer/reconstruct/baselines.hpp"

namespace netinfer::reconstruct {

using detail::fan_out_rows;
using detail::observations;

namespace {

constexpr double kRidge = 1.0;  // VAR: scikit-learn's default alpha
constexpr double kC = 1.0;      // GLM: scikit-learn's default inverse penalty
const LbfgsOptions kGlmSolver{500, 1e-5};

Eigen::MatrixXd centred(Eigen::MatrixXd x) {
  x.rowwise() -= x.colwise().mean();
  return x;
}

// The logistic loss of glm_scores() for one target, divided by the number of
// observations T (so that gradients are O(1)): mean log loss + |w|^2 / (2 C T).
// v holds the n coefficients w, then c' = c + w . mean: the features are
// centred (implicitly, X keeps its sparsity), which leaves the optimal w
// unchanged (the intercept is not penalised) and decouples it from the
// intercept, so L-BFGS needs far fewer steps.
double glm_objective(const Eigen::SparseMatrix<double, Eigen::RowMajor>& x,
                     const Eigen::RowVectorXd& mean, const Eigen::VectorXd& y,
                     const Eigen::VectorXd& v, Eigen::VectorXd& gradient) {
  const Eigen::Index t = x.rows(), n = x.cols();
  const double l2 = 1 / (kC * static_cast<double>(t));
  Eigen::VectorXd z = x * v.head(n);
  z.array() += v(n) - mean.dot(v.head(n));
  double loss = 0;
  for (Eigen::Index r = 0; r < t; ++r) {
    // log(1 + e^z) - y z, and z becomes sigmoid(z) - y, stably for any z.
    const double zr = z(r), e = std::exp(-std::abs(zr));
    loss += std::max(zr, 0.0) + std::log1p(e) - y(r) * zr;
    z(r) = (zr >= 0 ? 1 / (1 + e) : e / (1 + e)) - y(r);
  }
  const double residual = z.sum();
  gradient.head(n) =
      (x.transpose() * z - residual * mean.transpose()) / static_cast<double>(t) + l2 * v.head(n);
  gradient(n) = residual / static_cast<double>(t);
  return loss / static_cast<double>(t) + 0.5 * l2 * v.head(n).squaredNorm();
}

}  // namespace

Eigen::MatrixXd var_scores(const GeneratorData& data, int steps, MPI_Comm comm) {
  NI_REQUIRE(steps >= 2, "VAR(1) needs at least 2 steps");
  const Eigen::MatrixXd x = centred(observations(data, 0, steps - 1)),
                        y = centred(observations(data, 1, steps));
  const Eigen::Index n = x.cols();
  // The Gram matrix X'X by tiles, then the same Cholesky factor on every rank.
  Eigen::MatrixXd gram = fan_out_rows(n, n, comm, [&](Eigen::Index first, Eigen::Index count) {
    return Eigen::MatrixXd(x.middleCols(first, count).transpose() * x);
  });
  gram.diagonal().array() += kRidge;
  const Eigen::LLT<Eigen::MatrixXd> llt(gram);
  // Rows of the score are columns of B: target i's coefficients.
  return fan_out_rows(n, n, comm, [&](Eigen::Index first, Eigen::Index count) {
    const Eigen::MatrixXd xty = x.transpose() * y.middleCols(first, count);
    return Eigen::MatrixXd(llt.solve(xty).transpose());
  });
}

Eigen::MatrixXd glm_scores(const GeneratorData& data, int steps, MPI_Comm comm) {
  NI_REQUIRE(steps >= 2, "the logistic GLM needs at least 2 steps");
  const Eigen::MatrixXd y = observations(data, 1, steps);
  const Eigen::SparseMatrix<double, Eigen::RowMajor> x =
      observations(data, 0, steps - 1).sparseView();
  const Eigen::Index n = x.cols();
  const Eigen::RowVectorXd mean =
      Eigen::RowVectorXd::Ones(x.rows()) * x / static_cast<double>(x.rows());
  return fan_out_rows(n, n, comm, [&](Eigen::Index first, Eigen::Index count) {
    Eigen::MatrixXd rows = Eigen::MatrixXd::Zero(count, n);
    for (Eigen::Index k = 0; k < count; ++k) {
      const Eigen::VectorXd target = y.col(first + k);
      // A target that never changes has nothing to explain: score 0.
      if (target.minCoeff() == target.maxCoeff()) continue;
      Eigen::VectorXd v = Eigen::VectorXd::Zero(n + 1);
      lbfgs_minimise(
          v,
          [&](const Eigen::VectorXd& at, Eigen::VectorXd& gradient) {
            return glm_objective(x, mean, target, at, gradient);
          },
          kGlmSolver);
      rows.row(k) = v.head(n).transpose();
    }
    return rows;
  });
}

}  // namespace netinfer::reconstruct
