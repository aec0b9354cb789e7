#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "dist/grids.hpp"
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
      const Eigen::MatrixXd y = symmetric_product(a, x, upper_max_abs(a));
      EXPECT_LT((y - expected).cwiseAbs().maxCoeff(), 1e-12 * n) << n << " " << nb;
      BlockCyclic<float> f(grid, n, n, nb, nb);
      fill_upper(f);
      const Eigen::MatrixXd yf = symmetric_product(f, x, upper_max_abs(f));
      EXPECT_LT((yf - expected).cwiseAbs().maxCoeff(), 1e-5 * n) << n << " " << nb;
      // Every rank holds the same bits.
      Eigen::MatrixXd root = y;
      MPI_Bcast(root.data(), static_cast<int>(root.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
      EXPECT_TRUE(root == y);
    }
  }
}

TEST(SymmetricProduct, UpperMaxAbsReadsTheUpperTriangleOnly) {
  const Grid grid(MPI_COMM_WORLD);
  BlockCyclic<double> a(grid, 67, 67, 4, 4);
  fill_upper(a);  // NaN below the diagonal
  double want = 0;
  for (int j = 0; j < 67; ++j) {
    for (int i = 0; i <= j; ++i) want = std::max(want, std::abs(entry(i, j)));
  }
  EXPECT_EQ(upper_max_abs(a), want);
  // A NaN in the upper triangle, on whichever rank holds (3, 60), makes it
  // infinite everywhere, and the product refuses it.
  if (a.row_axis().owner(3) == a.row_axis().me && a.col_axis().owner(60) == a.col_axis().me) {
    a.local(a.row_axis().local(3), a.col_axis().local(60)) = NAN;
  }
  EXPECT_EQ(upper_max_abs(a), std::numeric_limits<double>::infinity());
  EXPECT_THROW(symmetric_product(a, Eigen::MatrixXd::Ones(67, 1), upper_max_abs(a)), Error);
}

// Terms 2^53, 1 and -2^53 in one row: added in any floating-point order they
// give 0 or 2; added exactly, 1.
TEST(SymmetricProduct, AddsTheTermsOfARowExactly) {
  const Grid grid(MPI_COMM_WORLD);
  const double big = std::ldexp(1.0, 53);
  const double upper[3][3] = {{big, 1, -big}, {0, 0, 0}, {0, 0, 0}};
  BlockCyclic<double> a(grid, 3, 3, 1, 1);
  for (int j = 0; j < a.local_cols(); ++j) {
    for (int i = 0; i < a.local_rows(); ++i) {
      a.local(i, j) = upper[a.row_axis().global(i)][a.col_axis().global(j)];
    }
  }
  const Eigen::MatrixXd y = symmetric_product(a, Eigen::MatrixXd::Ones(3, 1), upper_max_abs(a));
  EXPECT_EQ(y(0, 0), 1.0);
  EXPECT_EQ(y(1, 0), 1.0);
  EXPECT_EQ(y(2, 0), -big);
}

template <typename T>
void expect_same_bits_on_every_grid() {
  const int n = 203, nb = 16;
  Eigen::MatrixXd x(n, 8);
  Stream s(2, purpose_id("test"), 0);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = s.normal();
  Eigen::MatrixXd reference;
  for (const GridShape shape : test_support::grids_that_fit()) {
    Eigen::MatrixXd y;
    test_support::on_grid(shape, [&](const Grid& grid) {
      BlockCyclic<T> a(grid, n, n, nb, nb);
      fill_upper(a);
      y = symmetric_product(a, x, upper_max_abs(a));
    });
    if (mpi_rank() != 0) continue;
    if (reference.size() == 0) reference = y;
    EXPECT_EQ(std::memcmp(y.data(), reference.data(), sizeof(double) * y.size()), 0)
        << test_support::grid_name(shape) << ": max difference "
        << (y - reference).cwiseAbs().maxCoeff();
  }
}

TEST(SymmetricProduct, SameBitsOnEveryGridInDoubleAndSingle) {
  expect_same_bits_on_every_grid<double>();
  expect_same_bits_on_every_grid<float>();
}

TEST(SymmetricProduct, RejectsMismatchedShapes) {
  const Grid grid(MPI_COMM_WORLD);
  BlockCyclic<double> rect(grid, 10, 12, 4, 4), square(grid, 10, 10, 4, 4);
  EXPECT_THROW(symmetric_product(rect, Eigen::MatrixXd::Zero(10, 2), 1.0), Error);
  EXPECT_THROW(symmetric_product(square, Eigen::MatrixXd::Zero(9, 2), 1.0), Error);
  EXPECT_THROW(symmetric_product(square, Eigen::MatrixXd::Zero(10, 2), NAN), Error);
}

}  // namespace netinfer::dist
