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

// One tile of the product: C's block (I, J), I <= J, at local (row, col),
// its first global row and column (neurons) and its shape.
struct Tile {
  int row, col, first_row, first_col, height, width;
};

}  // namespace

template <typename T>
void syrk_upper(const BlockCyclic<T>& z, T alpha, BlockCyclic<T>& c,
                const std::function<void(int)>& done) {
  const Grid& grid = z.grid();
  const int m = z.rows(), n = z.cols(), depth = z.mb(), nb = z.nb();
  NI_REQUIRE(c.rows() == n && c.cols() == n && c.mb() == nb && c.nb() == nb &&
                 c.grid().comm() == grid.comm() && c.grid().rows() == grid.rows(),
             "syrk_upper: C must be ", n, " x ", n, " in ", nb, " x ", nb, " blocks on Z's grid");
  const MPI_Datatype type = std::is_same_v<T, double> ? MPI_DOUBLE : MPI_FLOAT;
  const Axis &zr = z.row_axis(), &cr = c.row_axis(), &cc = c.col_axis();
  const int lr = c.local_rows(), lc = c.local_cols();
  std::fill(c.data(), c.data() + static_cast<std::size_t>(c.lld()) * lc, T(0));

  // Every block of C's upper triangle is a tile updated by one GEMM per block
  // of rows of Z, of the same shape and on the same operands whichever rank
  // holds it: each entry then sees the same operations on every grid (a
  // GEMM's rounding can depend on its m and n, not only on the order in k).
  std::vector<Tile> tiles;
  for (int c0 = 0; c0 < lc; c0 += nb) {
    for (int r0 = 0; r0 < lr && cr.global(r0) <= cc.global(c0); r0 += nb) {
      tiles.push_back(
          {r0, c0, cr.global(r0), cc.global(c0), std::min(nb, lr - r0), std::min(nb, lc - c0)});
    }
  }
  using Buffer = std::vector<T, netinfer::HugePageAllocator<T>>;
  Buffer full(static_cast<std::size_t>(depth) * n), packed;
  la::with_serial_blas([&](int threads) {
    for (int i0 = 0; i0 < m; i0 += depth) {
      const int k = std::min(depth, m - i0), owner = zr.owner(i0);
      // Make rows [i0, i0 + k) of Z whole on every rank: grid column q of the
      // owning grid row broadcasts its columns (k x its local columns).
      for (int q = 0; q < grid.cols(); ++q) {
        const Axis theirs{n, nb, grid.cols(), q};
        const int width = theirs.local_size(), root = owner * grid.cols() + q;
        packed.resize(static_cast<std::size_t>(k) * width);
        if (mpi_rank(grid.comm()) == root) {
          const int first = zr.local(i0);
          for (int j = 0; j < width; ++j) {
            std::memcpy(&packed[static_cast<std::size_t>(j) * k], &z.local(first, j),
                        sizeof(T) * k);
          }
        }
        NI_MPI(MPI_Bcast(packed.data(), k * width, type, root, grid.comm()));
        for (int j = 0; j < width; ++j) {
          std::memcpy(&full[static_cast<std::size_t>(theirs.global(j)) * k],
                      &packed[static_cast<std::size_t>(j) * k], sizeof(T) * k);
        }
      }
      // C_IJ += alpha Z_I^T Z_J, single-threaded GEMMs spread over the threads
      // OpenBLAS would have used (which tile a thread takes changes nothing).
      const T one = 1;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
      for (std::size_t t = 0; t < tiles.size(); ++t) {
        const Tile& tile = tiles[t];
        la::gemm('T', 'N', tile.height, tile.width, k, alpha,
                 &full[static_cast<std::size_t>(tile.first_row) * k], k,
                 &full[static_cast<std::size_t>(tile.first_col) * k], k, one,
                 &c.local(tile.row, tile.col), c.lld());
      }
      if (done) done(i0 + k);
    }
  });
}

template void syrk_upper(const BlockCyclic<double>&, double, BlockCyclic<double>&,
                         const std::function<void(int)>&);
template void syrk_upper(const BlockCyclic<float>&, float, BlockCyclic<float>&,
                         const std::function<void(int)>&);

}  // namespace netinfer::dist
