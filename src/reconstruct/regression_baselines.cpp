// The regression baselines: VAR(1) by ridge least squares and a logistic GLM
// per target neuron. Both regress S(t + 1) on all of S(t) at once, which
// removes the indirect and shared-input correlations that the lagged
// correlation keeps.
#include <Eigen/Cholesky>
#include <cmath>
#include <cstdint>
#include <vector>

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

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The GLM's observations X as a binary pattern: transition r is the list of
// neurons that spiked (in increasing order), and the column means of X.
struct SpikePattern {
  std::vector<std::int64_t> start;  // transition r is active[start[r] .. start[r + 1])
  std::vector<std::int32_t> active;
  Eigen::RowVectorXd mean;
};

SpikePattern spike_pattern(const Eigen::MatrixXd& x) {
  SpikePattern p;
  p.start.reserve(x.rows() + 1);
  p.start.push_back(0);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (x(r, j) != 0) p.active.push_back(static_cast<std::int32_t>(j));
    p.start.push_back(static_cast<std::int64_t>(p.active.size()));
  }
  p.mean = Eigen::RowVectorXd::Ones(x.rows()) * x / static_cast<double>(x.rows());
  return p;
}

// Products with the pattern take the columns of their dense operand in
// blocks of kLanes (its width padded to a multiple), each block held in a
// vector register while a transition's spikes are summed.
constexpr Eigen::Index kLanes = 8;
using Lanes = Eigen::Array<double, kLanes, 1>;

Eigen::Index padded(Eigen::Index width) {
  return (width + kLanes - 1) / kLanes * kLanes;
}

// X V for the columns of V (n x m, m a multiple of kLanes) at once: one pass
// over the spikes instead of one per column. Each entry is summed from 0 in
// the order of the spikes, as a sparse product of one column would.
RowMatrix spike_product(const SpikePattern& x, const RowMatrix& v) {
  const Eigen::Index t = static_cast<Eigen::Index>(x.start.size()) - 1, m = v.cols();
  RowMatrix z(t, m);
  for (Eigen::Index r = 0; r < t; ++r)
    for (Eigen::Index c = 0; c < m; c += kLanes) {
      Lanes sum = Lanes::Zero();
      for (std::int64_t k = x.start[r]; k < x.start[r + 1]; ++k)
        sum += Eigen::Map<const Lanes>(&v(x.active[k], c));
      Eigen::Map<Lanes>(&z(r, c)) = sum;
    }
  return z;
}

// X' D for the columns of D (T x m, m a multiple of kLanes) at once, each entry
// summed over the transitions in order.
RowMatrix spike_transpose_product(const SpikePattern& x, const RowMatrix& d) {
  const Eigen::Index m = d.cols();
  RowMatrix g = RowMatrix::Zero(x.mean.size(), m);
  for (Eigen::Index r = 0; r < d.rows(); ++r)
    for (std::int64_t k = x.start[r]; k < x.start[r + 1]; ++k)
      for (Eigen::Index c = 0; c < m; c += kLanes)
        Eigen::Map<Lanes>(&g(x.active[k], c)) += Eigen::Map<const Lanes>(&d(r, c));
  return g;
}

// The logistic GLM of glm_scores() for the targets y.col(k), one L-BFGS per
// target, driven together so that each round evaluates every unfinished
// target's point with one pass over the spikes for X v and one for X' d.
// The objective of a target is its loss divided by the number of
// observations T (so that gradients are O(1)): mean log loss + |w|^2 / (2 C T).
// Its variables are the n coefficients w, then c' = c + w . mean: the features
// are centred (implicitly, X keeps its sparsity), which leaves the optimal w
// unchanged (the intercept is not penalised) and decouples it from the
// intercept, so L-BFGS needs far fewer steps. Every sum runs in the same
// order whichever other targets share the round, so a target's coefficients
// do not depend on its tile.
Eigen::MatrixXd glm_fit(const SpikePattern& x, const Eigen::MatrixXd& y) {
  const Eigen::Index t = y.rows(), n = x.mean.size(), m = y.cols();
  const double l2 = 1 / (kC * static_cast<double>(t));
  std::vector<Lbfgs> solvers(m, Lbfgs(Eigen::VectorXd::Zero(n + 1), kGlmSolver));
  Eigen::VectorXd z(t), gradient(n + 1);
  for (;;) {
    std::vector<Eigen::Index> live;
    for (Eigen::Index k = 0; k < m; ++k)
      if (!solvers[k].done()) live.push_back(k);
    if (live.empty()) break;
    const Eigen::Index width = static_cast<Eigen::Index>(live.size());
    RowMatrix v = RowMatrix::Zero(n, padded(width));
    for (Eigen::Index c = 0; c < width; ++c) v.col(c) = solvers[live[c]].point().head(n);
    RowMatrix residuals = spike_product(x, v);
    std::vector<double> losses(width), shifts(width);
    for (Eigen::Index c = 0; c < width; ++c) {
      const Eigen::VectorXd& at = solvers[live[c]].point();
      z = residuals.col(c);
      z.array() += at(n) - x.mean.dot(at.head(n));
      double loss = 0;
      for (Eigen::Index r = 0; r < t; ++r) {
        // log(1 + e^z) - y z, and z becomes sigmoid(z) - y, stably for any z.
        const double zr = z(r), e = std::exp(-std::abs(zr)), yr = y(r, live[c]);
        loss += std::max(zr, 0.0) + std::log1p(e) - yr * zr;
        z(r) = (zr >= 0 ? 1 / (1 + e) : e / (1 + e)) - yr;
      }
      losses[c] = loss;
      shifts[c] = z.sum();  // the residual sum, the intercept's gradient times T
      residuals.col(c) = z;
    }
    const RowMatrix products = spike_transpose_product(x, residuals);
    for (Eigen::Index c = 0; c < width; ++c) {
      Lbfgs& solver = solvers[live[c]];
      const Eigen::VectorXd& at = solver.point();
      const Eigen::VectorXd xt_d = products.col(c);
      gradient.head(n) =
          (xt_d - shifts[c] * x.mean.transpose()) / static_cast<double>(t) + l2 * at.head(n);
      gradient(n) = shifts[c] / static_cast<double>(t);
      solver.tell(losses[c] / static_cast<double>(t) + 0.5 * l2 * at.head(n).squaredNorm(),
                  gradient);
    }
  }
  Eigen::MatrixXd w(m, n);
  for (Eigen::Index k = 0; k < m; ++k) w.row(k) = solvers[k].x().head(n).transpose();
  return w;
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
  const SpikePattern x = spike_pattern(observations(data, 0, steps - 1));
  const Eigen::Index n = x.mean.size();
  return fan_out_rows(n, n, comm, [&](Eigen::Index first, Eigen::Index count) {
    // A target that never changes has nothing to explain: score 0.
    std::vector<Eigen::Index> fitted;
    for (Eigen::Index k = 0; k < count; ++k)
      if (y.col(first + k).minCoeff() != y.col(first + k).maxCoeff()) fitted.push_back(k);
    Eigen::MatrixXd targets(y.rows(), static_cast<Eigen::Index>(fitted.size()));
    for (std::size_t c = 0; c < fitted.size(); ++c) targets.col(c) = y.col(first + fitted[c]);
    const Eigen::MatrixXd w = glm_fit(x, targets);
    Eigen::MatrixXd rows = Eigen::MatrixXd::Zero(count, n);
    for (std::size_t c = 0; c < fitted.size(); ++c) rows.row(fitted[c]) = w.row(c);
    return rows;
  });
}

}  // namespace netinfer::reconstruct
