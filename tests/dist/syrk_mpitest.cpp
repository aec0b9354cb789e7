#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "dist/grids.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/lapack.hpp"
#include "netinfer/dist/replicate.hpp"
#include "netinfer/dist/syrk.hpp"

namespace netinfer::dist {

namespace {
double entry(int i, int j) {
  return std::cos(0.7 * i + 0.31 * j * j) + 0.01 * j;
}
}  // namespace

// C = alpha Z^T Z against naive loops, for row blocks (images) and column
// blocks (neurons) that do not divide the shape, in double and single.
TEST(SyrkUpper, UpperTriangleMatchesNaiveLoops) {
  const Grid grid(MPI_COMM_WORLD);
  const int m = 45, n = 38;
  Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      for (int r = 0; r < m; ++r) expected(i, j) += 0.5 * entry(r, i) * entry(r, j);
    }
  }
  for (int mb : {1, 7, 16, 64}) {
    for (int nb : {1, 5, 16}) {
      BlockCyclic<double> z(grid, m, n, mb, nb), c(grid, n, n, nb, nb);
      BlockCyclic<float> zf(grid, m, n, mb, nb), cf(grid, n, n, nb, nb);
      for (int j = 0; j < z.local_cols(); ++j) {
        for (int i = 0; i < z.local_rows(); ++i) {
          z.local(i, j) = entry(z.row_axis().global(i), z.col_axis().global(j));
          zf.local(i, j) = static_cast<float>(z.local(i, j));
        }
      }
      syrk_upper(z, 0.5, c);
      syrk_upper(zf, 0.5f, cf);
      const Eigen::MatrixXd got = replicate_columns(c, n), gotf = replicate_columns(cf, n);
      double worst = 0, worstf = 0;
      for (int j = 0; j < n; ++j) {
        for (int i = 0; i <= j; ++i) {
          worst = std::max(worst, std::abs(got(i, j) - expected(i, j)));
          worstf = std::max(worstf, std::abs(gotf(i, j) - expected(i, j)));
        }
      }
      EXPECT_LT(worst, 1e-12) << mb << " " << nb;
      EXPECT_LT(worstf, 1e-4) << mb << " " << nb;
    }
  }
  BlockCyclic<double> z(grid, m, n, 4, 4), wrong(grid, n, n, 5, 5);
  EXPECT_THROW(syrk_upper(z, 1.0, wrong), Error);
}

// Every grid and thread count gives C's upper triangle the same bits: each
// nb x nb block is one GEMM per block of rows whichever rank holds it.
template <typename T>
void expect_same_bits_on_every_grid() {
  const int m = 300, n = 203, mb = 64, nb = 16;
  std::vector<T> reference;
  for (const GridShape shape : test_support::grids_that_fit()) {
    for (int threads = 1; threads <= (shape.rows * shape.cols == 1 ? 2 : 1); ++threads) {
      std::vector<T> upper;
      test_support::on_grid(shape, [&](const Grid& grid) {
        const int before = la::blas_threads();
        la::set_blas_threads(threads);
        BlockCyclic<T> z(grid, m, n, mb, nb), c(grid, n, n, nb, nb);
        for (int j = 0; j < z.local_cols(); ++j) {
          for (int i = 0; i < z.local_rows(); ++i) {
            z.local(i, j) = static_cast<T>(entry(z.row_axis().global(i), z.col_axis().global(j)));
          }
        }
        syrk_upper(z, T(1) / m, c);
        la::set_blas_threads(before);
        const Eigen::MatrixXd dense = replicate_columns(c, n);
        for (int j = 0; j < n; ++j) {
          for (int i = 0; i <= j; ++i) upper.push_back(static_cast<T>(dense(i, j)));
        }
      });
      if (mpi_rank() != 0) continue;
      if (reference.empty()) reference = upper;
      ASSERT_EQ(upper.size(), reference.size());
      EXPECT_EQ(std::memcmp(upper.data(), reference.data(), sizeof(T) * upper.size()), 0)
          << test_support::grid_name(shape) << ", " << threads << " BLAS thread(s)";
    }
  }
}

TEST(SyrkUpper, SameBitsOnEveryGridAndThreadCountInDoubleAndSingle) {
  expect_same_bits_on_every_grid<double>();
  expect_same_bits_on_every_grid<float>();
}

}  // namespace netinfer::dist
