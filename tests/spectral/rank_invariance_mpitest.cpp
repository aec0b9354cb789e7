// The path from responses to eigenvectors (standardisation, the correlation
// product, Lanczos) gives the same bits whatever the process grid, the rank
// count and OpenBLAS's thread count. Each run of this binary recomputes one
// problem on sub-communicators of 1, 2 and 4 ranks (those that fit: all of
// them at 4 ranks) in every grid shape, and with 1 and 2 OpenBLAS threads
// on one rank; rank 0 compares every result with the 1 x 1 one bit for bit
// and checks it against a dense solve.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "dist/grids.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/lapack.hpp"
#include "netinfer/dist/replicate.hpp"
#include "netinfer/spectral/correlation.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

namespace {

// Neither a multiple of the blocks nor of 4, so every grid gets ragged edges:
// 203 neurons in 16-wide blocks (13 blocks, the last 11 wide) and 300 images in
// blocks of 64 (5 blocks, the last 44 deep).
constexpr int kNeurons = 203, kImages = 300, kImageBlock = 64, kBlock = 16, kPairs = 8;

// Responses [image][neuron]: rectified mixtures of a few shared random inputs
// (a spread spectrum with a few strong pairs), two silent neurons.
Eigen::MatrixXd make_responses() {
  Eigen::MatrixXd inputs(kImages, 12), r(kImages, kNeurons);
  Stream s(3, purpose_id("rank invariance test"), 0);
  for (Eigen::Index i = 0; i < inputs.size(); ++i) inputs.data()[i] = s.normal();
  for (int j = 0; j < kNeurons; ++j) {
    for (int i = 0; i < kImages; ++i) {
      const double drive = inputs(i, j % 12) + 0.3 * inputs(i, (j * 7) % 12) + 0.1 * s.normal();
      r(i, j) = j % 3 ? std::max(0.0, drive) : 10.0 + drive;
    }
  }
  r.col(5).setConstant(0.0);
  r.col(150).setConstant(1.5);
  return r;
}

struct Result {
  bool ran = false;
  std::vector<double> upper;  // the correlation matrix's upper triangle, by columns
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  int products = 0;
};

// Correlation and Lanczos on `shape` with `threads` OpenBLAS threads per
// rank; the result is kept on the grid's ranks.
template <typename T>
Result compute(const Eigen::MatrixXd& r, dist::GridShape shape, int threads) {
  Result out;
  dist::test_support::on_grid(shape, [&](const dist::Grid& grid) {
    const int before = la::blas_threads();
    la::set_blas_threads(threads);
    dist::BlockCyclic<T> z(grid, kImages, kNeurons, kImageBlock, kBlock);
    for (int j = 0; j < z.local_cols(); ++j) {
      for (int i = 0; i < z.local_rows(); ++i) {
        z.local(i, j) = static_cast<T>(r(z.row_axis().global(i), z.col_axis().global(j)));
      }
    }
    Correlation<T> c = correlation(std::move(z), CorrelationOptions{});
    const Eigen::MatrixXd dense = dist::replicate_columns(c.matrix, kNeurons);
    for (int j = 0; j < kNeurons; ++j) {
      for (int i = 0; i <= j; ++i) out.upper.push_back(dense(i, j));
    }
    EigenOptions o;
    o.k = kPairs;
    o.seed = 5;
    const Eigenpairs e = top_eigenpairs(c.matrix, o);
    out.values = e.values;
    out.vectors = e.vectors;
    out.products = e.products;
    out.ran = true;
    la::set_blas_threads(before);
  });
  return out;
}

bool same_bits(const double* a, const double* b, std::size_t count) {
  return std::memcmp(a, b, count * sizeof(double)) == 0;
}

// How many entries differ in their bits, and by how much at most.
std::string difference(const double* a, const double* b, std::size_t count) {
  std::size_t differ = 0;
  double worst = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (std::memcmp(a + i, b + i, sizeof(double)) != 0) ++differ;
    worst = std::max(worst, std::abs(a[i] - b[i]));
  }
  std::ostringstream out;
  out << differ << " of " << count << " differ, by up to " << std::scientific << worst;
  return out.str();
}

template <typename T>
void expect_grid_independent(double value_tolerance) {
  const Eigen::MatrixXd r = make_responses();
  const Result reference = compute<T>(r, {1, 1}, 1);
  if (mpi_rank() == 0) {
    // Against a dense solve of the textbook |corr| (silent neurons 0), so a
    // result that is the same everywhere but wrong fails.
    Eigen::MatrixXd z = r.rowwise() - r.colwise().mean();
    for (int j = 0; j < kNeurons; ++j) {
      const double norm = z.col(j).norm();
      z.col(j) = norm > 0 ? Eigen::VectorXd(z.col(j) / norm) : Eigen::VectorXd::Zero(kImages);
    }
    const Eigen::MatrixXd corr = (z.transpose() * z).cwiseAbs();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(corr);
    for (int i = 0; i < kPairs; ++i) {
      const double want = eig.eigenvalues()[kNeurons - 1 - i];
      EXPECT_NEAR(reference.values[i], want, value_tolerance * want) << "eigenvalue " << i;
    }
  }
  for (const dist::GridShape shape : dist::test_support::grids_that_fit()) {
    // One rank also with two OpenBLAS threads (as a lone process runs).
    for (int threads = 1; threads <= (shape.rows * shape.cols == 1 ? 2 : 1); ++threads) {
      const Result got = compute<T>(r, shape, threads);
      if (mpi_rank() != 0 || (shape.rows * shape.cols == 1 && threads == 1)) continue;
      const std::string what =
          dist::test_support::grid_name(shape) + ", " + std::to_string(threads) + " BLAS thread(s)";
      ASSERT_EQ(got.upper.size(), reference.upper.size());
      EXPECT_TRUE(same_bits(got.upper.data(), reference.upper.data(), got.upper.size()))
          << what << ": correlation matrix: "
          << difference(got.upper.data(), reference.upper.data(), got.upper.size());
      EXPECT_EQ(got.products, reference.products) << what;
      ASSERT_EQ(got.vectors.size(), reference.vectors.size());
      EXPECT_TRUE(same_bits(got.values.data(), reference.values.data(), kPairs))
          << what
          << ": eigenvalues: " << difference(got.values.data(), reference.values.data(), kPairs);
      EXPECT_TRUE(same_bits(got.vectors.data(), reference.vectors.data(), got.vectors.size()))
          << what << ": eigenvectors: "
          << difference(got.vectors.data(), reference.vectors.data(), got.vectors.size());
    }
  }
}

}  // namespace

TEST(RankInvariance, DoublePrecisionIsBitIdenticalOnEveryGrid) {
  expect_grid_independent<double>(1e-10);
}

TEST(RankInvariance, SinglePrecisionIsBitIdenticalOnEveryGrid) {
  expect_grid_independent<float>(1e-4);
}

}  // namespace netinfer::spectral
