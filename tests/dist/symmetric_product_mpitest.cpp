#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/symmetric_product.hpp"

namespace netinfer::dist {

namespace {

double entry(int i, int j) {  // symmetric, deterministic
  const int lo = std::min(i, j), hi = std::max(i, j);
  return std::sin(0.37 * lo + 1.3 * hi) + (i == j ? 2.0 : 0.0);
}

// The upper triangle of the symmetric matrix; the strictly lower triangle is
// NaN so that any read of it poisons the product.
template <typename T>
void fill_upper(BlockCyclic<T>& a) {
  for (int j = 0; j < a.local_cols(); ++j) {
    for (int i = 0; i < a.local_rows(); ++i) {
      const int gi = a.row_axis().global(i), gj = a.col_axis().global(j);
      a.local(i, j) =
          gi <= gj ? static_cast<T>(entry(gi, gj)) : std::numeric_limits<T>::quiet_NaN();
    }
  }
}

}  // namespace

TEST(SymmetricProduct, MatchesNaiveLoopsReadingOnlyTheUpperTriangle) {
  const Grid grid(MPI_COMM_WORLD);
  for (int n : {1, 10, 67, 130}) {
    for (int nb : {1, 4, 16, 64}) {
      Eigen::MatrixXd x(n, 3);
      Stream s(1, purpose_id("test"), n);
      for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = s.normal();
      Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(n, 3);
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
          for (int c = 0; c < 3; ++c) expected(i, c) += entry(i, j) * x(j, c);
        }
      }
      BlockCyclic<double> a(grid, n, n, nb, nb);
      fill_upper(a);
      const Eigen::MatrixXd y = symmetric_product(a, x);
      EXPECT_LT((y - expected).cwiseAbs().maxCoeff(), 1e-12 * n) << n << " " << nb;
      BlockCyclic<float> f(grid, n, n, nb, nb);
      fill_upper(f);
      const Eigen::MatrixXd yf = symmetric_product(f, x);
      EXPECT_LT((yf - expected).cwiseAbs().maxCoeff(), 1e-5 * n) << n << " " << nb;
      // Every rank holds the same bits.
      Eigen::MatrixXd root = y;
      MPI_Bcast(root.data(), static_cast<int>(root.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
      EXPECT_TRUE(root == y);
    }
  }
}

TEST(SymmetricProduct, RejectsMismatchedShapes) {
  const Grid grid(MPI_COMM_WORLD);
  BlockCyclic<double> rect(grid, 10, 12, 4, 4), square(grid, 10, 10, 4, 4);
  EXPECT_THROW(symmetric_product(rect, Eigen::MatrixXd::Zero(10, 2)), Error);
  EXPECT_THROW(symmetric_product(square, Eigen::MatrixXd::Zero(9, 2)), Error);
}

}  // namespace netinfer::dist
