// Every eigensolver on one matrix like the ones netinfer solves (|corr| of
// rectified responses): the top eigenpairs of lanczos, elpa2, elpa1 and
// scalapack against a dense Eigen solve, and the dense solvers against ELPA
// 2-stage (the README's "ELPA 1-stage and ScaLAPACK agree with ELPA 2-stage
// to 2e-15 (eigenvalues) and 5e-15 (eigenvectors)", measured at n 4,000 and
// 8,000 by spectral_bench; checked here at n 256).
//
// Tolerances. A backward-stable dense solver returns the exact eigenpairs of
// A + E with |E| <= c n eps |A|; then (Weyl) |lambda_i' - lambda_i| <= |E| and
// (Davis-Kahan) eigenvector i moves by at most |E| / gap_i, gap_i the distance
// of lambda_i to the rest of the spectrum. With c = 1 (n = 256: 5.7e-14 |A|)
// these are the dense solvers' bounds. Lanczos stops at a residual
// |A x - theta x| <= r = 1e-10 |A|, which bounds its eigenvector error by
// r / gap_i and its eigenvalue error by r^2 / gap_i, plus the rounding of its
// products (again n eps |A|). The reference is Eigen's solver in long double.
// Measured at 1, 2 and 4 ranks (error / bound, worst pair): elpa2, elpa1 and
// scalapack at most 6.6e-3 (eigenvalues) and 5.9e-3 (eigenvectors); lanczos
// 0.46 and 0.041. Dense solvers against ELPA 2-stage: at most 1.0e-15
// (eigenvalues, relative) and 1.8e-15 (eigenvectors).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "netinfer/core/random.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

namespace {

constexpr int kNeurons = 256, kImages = 800, kTop = 16;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// |corr| of rectified responses: neuron j sees a window of five pixels of a
// 64-pixel random image through its own filter, like a first conv layer.
Eigen::MatrixXd abs_correlation() {
  Eigen::MatrixXd z(kImages, kNeurons);
  std::vector<std::array<double, 5>> filter(kNeurons);
  for (int j = 0; j < kNeurons; ++j) {
    Stream s(2, purpose_id("solvers-agree.filter"), j);
    for (double& w : filter[j]) w = s.normal();
  }
  for (int i = 0; i < kImages; ++i) {
    Stream s(2, purpose_id("solvers-agree.image"), i);
    std::array<double, 64> pixel;
    for (double& p : pixel) p = s.normal();
    for (int j = 0; j < kNeurons; ++j) {
      double drive = 0;
      for (int d = 0; d < 5; ++d) drive += filter[j][d] * pixel[(j % 60) + d];
      z(i, j) = std::max(0.0, drive);
    }
  }
  const Eigen::RowVectorXd mean = z.colwise().mean();
  z.rowwise() -= mean;
  for (int j = 0; j < kNeurons; ++j) z.col(j) /= z.col(j).norm();
  return (z.transpose() * z).cwiseAbs();
}

template <typename T>
dist::BlockCyclic<T> distribute(const dist::Grid& grid, const Eigen::MatrixXd& dense, int nb) {
  dist::BlockCyclic<T> a(grid, dense.rows(), dense.cols(), nb, nb);
  for (int j = 0; j < a.local_cols(); ++j)
    for (int i = 0; i < a.local_rows(); ++i)
      a.local(i, j) = static_cast<T>(dense(a.row_axis().global(i), a.col_axis().global(j)));
  return a;
}

struct Dense {
  Eigen::VectorXd values;   // top kTop, descending
  Eigen::MatrixXd vectors;  // sign rule applied
  Eigen::VectorXd gap;      // distance of each to the rest of the spectrum
  double norm = 0;          // |A|_2
};

// The reference: Eigen's dense solver in long double (x87 extended, 64-bit
// significand), so its own error (~ n 1e-19 |A|) is far below the bounds.
Dense dense_solve(const Eigen::MatrixXd& a) {
  using Extended = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  Eigen::SelfAdjointEigenSolver<Extended> eig(a.cast<long double>());
  const Eigen::VectorXd all = eig.eigenvalues().cast<double>();  // ascending
  const int n = static_cast<int>(a.rows());
  Dense d{Eigen::VectorXd(kTop), Eigen::MatrixXd(n, kTop), Eigen::VectorXd(kTop),
          all.cwiseAbs().maxCoeff()};
  for (int i = 0; i < kTop; ++i) {
    const int at = n - 1 - i;
    d.values[i] = static_cast<double>(eig.eigenvalues()[at]);
    d.vectors.col(i) = eig.eigenvectors().col(at).cast<double>();
    d.gap[i] = std::min(at + 1 < n ? all[at + 1] - all[at] : INFINITY, all[at] - all[at - 1]);
  }
  apply_sign_rule(d.vectors);
  return d;
}

// Measured figures go to the test's XML record (--gtest_output=xml).
void record(const std::string& key, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2e", value);
  ::testing::Test::RecordProperty(key, text);
}

Eigenpairs solve(const dist::Grid& grid, const Eigen::MatrixXd& a, Solver s) {
  dist::BlockCyclic<double> m = distribute<double>(grid, a, 16);
  EigenOptions o;
  o.solver = s;
  o.k = kTop;
  return top_eigenpairs(m, o);
}

}  // namespace

TEST(SolversAgree, EverySolverWithinItsErrorBoundOfADenseSolve) {
  const dist::Grid grid(MPI_COMM_WORLD);
  const Eigen::MatrixXd a = abs_correlation();
  const Dense want = dense_solve(a);
  // The top of the spectrum is separated, so the eigenvectors are determined.
  ASSERT_GT(want.gap.minCoeff(), 1e-3 * want.norm);
  const double backward = kNeurons * kEps * want.norm;  // |E| of a dense solver
  const double lanczos_residual = 1e-10 * want.norm;
  for (Solver s : {Solver::lanczos, Solver::elpa2, Solver::elpa1, Solver::scalapack}) {
    const Eigenpairs got = solve(grid, a, s);
    ASSERT_EQ(got.values.size(), kTop);
    const double r = s == Solver::lanczos ? lanczos_residual : backward;
    double value_ratio = 0, vector_ratio = 0;  // error / bound, the worst pair
    for (int i = 0; i < kTop; ++i) {
      const double value_bound = s == Solver::lanczos ? backward + r * r / want.gap[i] : r;
      const double value_error = std::abs(got.values[i] - want.values[i]);
      const double vector_error = (got.vectors.col(i) - want.vectors.col(i)).norm();
      EXPECT_LE(value_error, value_bound) << solver_name(s) << " eigenvalue " << i;
      EXPECT_LE(vector_error, backward / want.gap[i] + r / want.gap[i])
          << solver_name(s) << " eigenvector " << i;
      value_ratio = std::max(value_ratio, value_error / value_bound);
      vector_ratio =
          std::max(vector_ratio, vector_error / (backward / want.gap[i] + r / want.gap[i]));
    }
    record(solver_name(s) + "_value_error_over_bound", value_ratio);
    record(solver_name(s) + "_vector_error_over_bound", vector_ratio);
  }
}

// The README's figures for the dense solvers: ELPA 1-stage and ScaLAPACK
// against ELPA 2-stage, relative eigenvalue difference <= 2e-15 and largest
// eigenvector entry difference <= 5e-15 (after the sign rule).
TEST(SolversAgree, DenseSolversAgreeWithElpaTwoStageAsTheReadmeSays) {
  const dist::Grid grid(MPI_COMM_WORLD);
  const Eigen::MatrixXd a = abs_correlation();
  const Eigenpairs elpa2 = solve(grid, a, Solver::elpa2);
  for (Solver s : {Solver::elpa1, Solver::scalapack}) {
    const Eigenpairs got = solve(grid, a, s);
    const double dv =
        ((got.values - elpa2.values).array().abs() / elpa2.values.array().abs()).maxCoeff();
    const double dx = (got.vectors - elpa2.vectors).cwiseAbs().maxCoeff();
    EXPECT_LE(dv, 2e-15) << solver_name(s);
    EXPECT_LE(dx, 5e-15) << solver_name(s);
    record(solver_name(s) + "_vs_elpa2_values", dv);
    record(solver_name(s) + "_vs_elpa2_vectors", dx);
  }
}

}  // namespace netinfer::spectral
