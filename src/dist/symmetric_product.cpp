#include "netinfer/dist/symmetric_product.hpp"

#include <algorithm>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

namespace {

// Rows per GEMM chunk: a chunk of a 64-column panel (64 KiB in double) stays
// in cache between the two products that read it (128 beat 256..2048 rows in
// a scratch benchmark; docs/performance.md, "Distributed products").
constexpr int kChunkRows = 128;

}  // namespace

template <typename T>
Eigen::MatrixXd symmetric_product(const BlockCyclic<T>& a, const Eigen::MatrixXd& x) {
  using Local = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  NI_REQUIRE(a.rows() == a.cols() && a.mb() == a.nb(),
             "symmetric_product: needs a square matrix in square blocks");
  NI_REQUIRE(x.rows() == a.rows(), "symmetric_product: X has ", x.rows(), " rows, A has ",
             a.rows());
  const int b = static_cast<int>(x.cols()), lr = a.local_rows(), lc = a.local_cols(), nb = a.nb();
  const Axis &ra = a.row_axis(), &ca = a.col_axis();
  // X's rows in the order of this rank's local rows and local columns.
  Local xr(lr, b), xc(lc, b), yr = Local::Zero(lr, b), yc = Local::Zero(lc, b);
  for (int i = 0; i < lr; ++i) xr.row(i) = x.row(ra.global(i)).template cast<T>();
  for (int j = 0; j < lc; ++j) xc.row(j) = x.row(ca.global(j)).template cast<T>();
  const T one = 1;
  if (b > 0) {
    for (int c0 = 0; c0 < lc; c0 += nb) {
      const int width = std::min(nb, lc - c0), block = ca.global(c0) / nb;
      const int upper = ra.local_below(block * nb);  // rows of blocks I < J
      for (int r0 = 0; r0 < upper; r0 += kChunkRows) {
        const int h = std::min(kChunkRows, upper - r0);
        const T* panel = &a.local(r0, c0);
        la::gemm('N', 'N', h, b, width, one, panel, a.lld(), &xc(c0, 0), lc, one, &yr(r0, 0), lr);
        la::gemm('T', 'N', width, b, h, one, panel, a.lld(), &xr(r0, 0), lr, one, &yc(c0, 0), lc);
      }
      if (ra.owner(block * nb) == ra.me) {  // the diagonal block A_JJ is ours
        la::symm('U', width, b, one, &a.local(upper, c0), a.lld(), &xc(c0, 0), lc, one,
                 &yr(upper, 0), lr);
      }
    }
  }
  Eigen::MatrixXd mine = Eigen::MatrixXd::Zero(x.rows(), b), y(x.rows(), b);
  for (int i = 0; i < lr; ++i) mine.row(ra.global(i)) += yr.row(i).template cast<double>();
  for (int j = 0; j < lc; ++j) mine.row(ca.global(j)) += yc.row(j).template cast<double>();
  // Reduce then broadcast (not Allreduce) so that every rank gets the same bits
  // and replicated computations on Y never diverge between ranks.
  const MPI_Comm comm = a.grid().comm();
  const int count = static_cast<int>(mine.size());
  NI_MPI(MPI_Reduce(mine.data(), y.data(), count, MPI_DOUBLE, MPI_SUM, 0, comm));
  NI_MPI(MPI_Bcast(y.data(), count, MPI_DOUBLE, 0, comm));
  return y;
}

template Eigen::MatrixXd symmetric_product(const BlockCyclic<double>&, const Eigen::MatrixXd&);
template Eigen::MatrixXd symmetric_product(const BlockCyclic<float>&, const Eigen::MatrixXd&);

}  // namespace netinfer::dist
