#include "netinfer/dist/symmetric_product.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

namespace {

// Each term is split into kFolds pieces on a grid of powers of two that
// depends only on the bound (Demmel & Nguyen's pre-rounding): piece f of every
// term is a multiple of one quantum and the sum of all of them stays below
// 2^53 quanta, so the pieces add up exactly in any order. Three folds keep
// about 3 (52 - log2(4 terms)) bits below the bound: more than a double
// holds, for any bound up to ~2^40 times the true size of the terms.
constexpr int kFolds = 3;
using Sigmas = std::array<double, kFolds>;

// Sigma of each fold for `terms` terms of magnitude at most `bound`: sigma_0
// >= 4 terms bound, and each next fold starts at half the previous quantum
// (2^-53 sigma, the largest residual), times 4 terms.
Sigmas sigmas(double bound, int terms) {
  const int room = static_cast<int>(std::ceil(std::log2(terms))) + 2;
  int e = (bound > 0 ? std::ilogb(bound) + 1 : 0) + room;
  NI_REQUIRE(e < std::numeric_limits<double>::max_exponent, "symmetric_product: bound ", bound,
             " too large");
  Sigmas s;
  for (int f = 0; f < kFolds; ++f, e += room - 53) s[f] = std::ldexp(1.0, e);
  return s;
}

// acc_f(i, c) += piece f of t(i, c), for h rows of t (column-major, leading
// dimension ldt) into rows [0, h) of the fold accumulators (leading dimension
// lda). The piece (s + x) - s is x rounded to a multiple of s's quantum; x -
// piece is exact. (No -ffast-math here: it would fold (s + x) - s to x.)
template <typename T>
void add_exact(const T* t, int ldt, int h, int b, const std::vector<Sigmas>& sigma, double* acc,
               std::size_t fold_stride, int lda) {
  for (int c = 0; c < b; ++c) {
    const Sigmas& s = sigma[c];
    double* __restrict a0 = acc + static_cast<std::size_t>(c) * lda;
    double* __restrict a1 = a0 + fold_stride;
    double* __restrict a2 = a1 + fold_stride;
    const T* __restrict col = t + static_cast<std::size_t>(c) * ldt;
    for (int i = 0; i < h; ++i) {
      double x = col[i];
      const double q0 = (s[0] + x) - s[0];
      x -= q0;
      const double q1 = (s[1] + x) - s[1];
      x -= q1;
      const double q2 = (s[2] + x) - s[2];
      a0[i] += q0;
      a1[i] += q1;
      a2[i] += q2;
    }
  }
}
static_assert(kFolds == 3, "add_exact writes three folds");

}  // namespace

template <typename T>
double upper_max_abs(const BlockCyclic<T>& a) {
  const Axis &ra = a.row_axis(), &ca = a.col_axis();
  double largest = 0;
  for (int j = 0; j < a.local_cols(); ++j) {
    const int rows = ra.local_below(ca.global(j) + 1);  // rows i <= j
    for (int i = 0; i < rows; ++i) {
      const double v = std::abs(static_cast<double>(a.local(i, j)));
      // A NaN makes the bound infinite, as an infinity does.
      if (!(v <= largest)) largest = std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
    }
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &largest, 1, MPI_DOUBLE, MPI_MAX, a.grid().comm()));
  return largest;
}

template <typename T>
Eigen::MatrixXd symmetric_product(const BlockCyclic<T>& a, const Eigen::MatrixXd& x, double bound) {
  using Local = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  NI_REQUIRE(a.rows() == a.cols() && a.mb() == a.nb(),
             "symmetric_product: needs a square matrix in square blocks");
  NI_REQUIRE(x.rows() == a.rows(), "symmetric_product: X has ", x.rows(), " rows, A has ",
             a.rows());
  NI_REQUIRE(std::isfinite(bound) && bound >= 0, "symmetric_product: the matrix bound ", bound,
             " is not a finite number (a NaN or infinity in the matrix?)");
  const int n = a.rows(), b = static_cast<int>(x.cols()), lr = a.local_rows(), lc = a.local_cols(),
            nb = a.nb();
  const Axis &ra = a.row_axis(), &ca = a.col_axis();
  // Y_I = sum over column blocks J of A_IJ X_J: one term per block, each from
  // one GEMM of the block's shape (the same on every grid), added exactly.
  // |term| <= bound ||X_c||_1, and twice that covers the GEMM's rounding.
  const int blocks = (n + nb - 1) / nb;
  std::vector<Sigmas> sigma(b);
  for (int c = 0; c < b; ++c) sigma[c] = sigmas(2 * bound * x.col(c).lpNorm<1>(), blocks);
  // X's rows in the order of this rank's local rows and local columns.
  Local xr(lr, b), xc(lc, b), term(nb, b);
  for (int i = 0; i < lr; ++i) xr.row(i) = x.row(ra.global(i)).template cast<T>();
  for (int j = 0; j < lc; ++j) xc.row(j) = x.row(ca.global(j)).template cast<T>();
  // Fold accumulators of the local rows' sums (A_IJ X_J) and the local
  // columns' sums (A_IJ^T X_I, I < J): kFolds matrices each.
  const std::size_t row_stride = static_cast<std::size_t>(lr) * b,
                    col_stride = static_cast<std::size_t>(lc) * b;
  std::vector<double> yr(kFolds * row_stride, 0.0), yc(kFolds * col_stride, 0.0);
  const T one = 1, zero = 0;
  if (b > 0) {
    la::with_serial_blas([&](int) {
      for (int c0 = 0; c0 < lc; c0 += nb) {
        const int width = std::min(nb, lc - c0), block = ca.global(c0) / nb;
        const int upper = ra.local_below(block * nb);  // rows of blocks I < J
        for (int r0 = 0; r0 < upper; r0 += nb) {
          const T* tile = &a.local(r0, c0);
          la::gemm('N', 'N', nb, b, width, one, tile, a.lld(), &xc(c0, 0), lc, zero, term.data(),
                   nb);
          add_exact(term.data(), nb, nb, b, sigma, &yr[r0], row_stride, lr);
          la::gemm('T', 'N', width, b, nb, one, tile, a.lld(), &xr(r0, 0), lr, zero, term.data(),
                   nb);
          add_exact(term.data(), nb, width, b, sigma, &yc[c0], col_stride, lc);
        }
        if (ra.owner(block * nb) == ra.me) {  // the diagonal block A_JJ is ours
          la::symm('U', width, b, one, &a.local(upper, c0), a.lld(), &xc(c0, 0), lc, zero,
                   term.data(), nb);
          add_exact(term.data(), nb, width, b, sigma, &yr[upper], row_stride, lr);
        }
      }
    });
  }
  // The folds by global row (a row's two local sums add exactly), summed over
  // the grid: exact, so every rank gets the same bits in any reduction order.
  std::vector<double> folds(kFolds * static_cast<std::size_t>(n) * b, 0.0);
  const std::size_t stride = static_cast<std::size_t>(n) * b;
  for (int f = 0; f < kFolds; ++f) {
    for (int c = 0; c < b; ++c) {
      double* out = &folds[f * stride + static_cast<std::size_t>(c) * n];
      for (int i = 0; i < lr; ++i) out[ra.global(i)] += yr[f * row_stride + c * lr + i];
      for (int j = 0; j < lc; ++j) out[ca.global(j)] += yc[f * col_stride + c * lc + j];
    }
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, folds.data(), static_cast<int>(folds.size()), MPI_DOUBLE,
                       MPI_SUM, a.grid().comm()));
  Eigen::MatrixXd y(n, b);
  for (std::size_t e = 0; e < stride; ++e) {
    y.data()[e] = (folds[e] + folds[stride + e]) + folds[2 * stride + e];
  }
  return y;
}

template double upper_max_abs(const BlockCyclic<double>&);
template double upper_max_abs(const BlockCyclic<float>&);
template Eigen::MatrixXd symmetric_product(const BlockCyclic<double>&, const Eigen::MatrixXd&,
                                           double);
template Eigen::MatrixXd symmetric_product(const BlockCyclic<float>&, const Eigen::MatrixXd&,
                                           double);

}  // namespace netinfer::dist
