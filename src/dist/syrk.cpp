#include "netinfer/dist/syrk.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

namespace {

// Local columns of C updated by one GEMM: wide enough for GEMM speed, narrow
// enough that the rectangle above the group's last diagonal wastes little.
constexpr int kGroupColumns = 256;

// Copies the columns of `full` (rows x n, column-major) that `axis` gives
// this process, in local order, into `part` (rows x axis.local_size()).
template <typename Buffer>
void gather_local(const Buffer& full, int rows, const Axis& axis, Buffer& part) {
  for (int l = 0; l < axis.local_size(); l += axis.nb) {
    const int width = std::min(axis.nb, axis.local_size() - l);
    std::memcpy(&part[static_cast<std::size_t>(l) * rows],
                &full[static_cast<std::size_t>(axis.global(l)) * rows],
                sizeof(full[0]) * rows * width);
  }
}

}  // namespace

template <typename T>
void syrk_upper(const BlockCyclic<T>& z, T alpha, BlockCyclic<T>& c,
                const std::function<void(int)>& done) {
  const Grid& grid = z.grid();
  const int m = z.rows(), n = z.cols(), depth = z.mb();
  NI_REQUIRE(c.rows() == n && c.cols() == n && c.mb() == z.nb() && c.nb() == z.nb() &&
                 c.grid().comm() == grid.comm() && c.grid().rows() == grid.rows(),
             "syrk_upper: C must be ", n, " x ", n, " in ", z.nb(), " x ", z.nb(),
             " blocks on Z's grid");
  const MPI_Datatype type = std::is_same_v<T, double> ? MPI_DOUBLE : MPI_FLOAT;
  const Axis &zr = z.row_axis(), &cr = c.row_axis(), &cc = c.col_axis();
  const int lr = c.local_rows(), lc = c.local_cols();
  std::fill(c.data(), c.data() + static_cast<std::size_t>(c.lld()) * lc, T(0));

  using Buffer = std::vector<T, netinfer::HugePageAllocator<T>>;
  Buffer full(static_cast<std::size_t>(depth) * n), packed;
  Buffer rows(static_cast<std::size_t>(depth) * lr), cols(static_cast<std::size_t>(depth) * lc);
  for (int i0 = 0; i0 < m; i0 += depth) {
    const int k = std::min(depth, m - i0), owner = zr.owner(i0);
    // Make rows [i0, i0 + k) of Z whole on every rank: grid column q of the
    // owning grid row broadcasts its columns (k x its local columns).
    for (int q = 0; q < grid.cols(); ++q) {
      const Axis theirs{n, z.nb(), grid.cols(), q};
      const int width = theirs.local_size(), root = owner * grid.cols() + q;
      packed.resize(static_cast<std::size_t>(k) * width);
      if (mpi_rank(grid.comm()) == root) {
        const int first = zr.local(i0);
        for (int j = 0; j < width; ++j) {
          std::memcpy(&packed[static_cast<std::size_t>(j) * k], &z.local(first, j), sizeof(T) * k);
        }
      }
      NI_MPI(MPI_Bcast(packed.data(), k * width, type, root, grid.comm()));
      for (int j = 0; j < width; ++j) {
        std::memcpy(&full[static_cast<std::size_t>(theirs.global(j)) * k],
                    &packed[static_cast<std::size_t>(j) * k], sizeof(T) * k);
      }
    }
    // The neurons of C's local rows and columns, then C_local += alpha R^T Cols
    // over the upper part of each group of local columns.
    gather_local(full, k, cr, rows);
    gather_local(full, k, cc, cols);
    const T one = 1;
    for (int c0 = 0; c0 < lc; c0 += kGroupColumns) {
      const int width = std::min(kGroupColumns, lc - c0);
      const int height = cr.local_below(cc.global(c0 + width - 1) + 1);  // rows up to the diagonal
      if (height == 0) continue;
      la::gemm('T', 'N', height, width, k, alpha, rows.data(), k,
               &cols[static_cast<std::size_t>(c0) * k], k, one, &c.local(0, c0), c.lld());
    }
    if (done) done(i0 + k);
  }
}

template void syrk_upper(const BlockCyclic<double>&, double, BlockCyclic<double>&,
                         const std::function<void(int)>&);
template void syrk_upper(const BlockCyclic<float>&, float, BlockCyclic<float>&,
                         const std::function<void(int)>&);

}  // namespace netinfer::dist
