#include "netinfer/dist/read_matrix.hpp"

#include <algorithm>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/redistribute.hpp"

namespace netinfer::dist {

template <typename T>
BlockCyclic<T> read_column_major(const h5::File& file, const std::string& dataset, const Grid& grid,
                                 int mb, int nb, std::size_t max_read_bytes) {
  const h5::Dims dims = file.dims(dataset);
  NI_REQUIRE(dims.size() == 2, file.path(), ":", dataset, ": expected a 2-D dataset, found ",
             dims.size(), " dimensions");
  NI_REQUIRE(dims[0] < (1u << 31) && dims[1] < (1u << 31), file.path(), ":", dataset,
             ": too large for ScaLAPACK's 32-bit indices");
  const int a = static_cast<int>(dims[0]), b = static_cast<int>(dims[1]);
  // The reading layout: a 1 x P grid dealing blocks of `width` matrix
  // columns (dataset rows) round-robin, rank p holding blocks p, p + P, ...;
  // each block is one collective read. Blocks are bounded by max_read_bytes
  // (MPI-IO counts are 32-bit) and by redistribute's panel size: p?gemr2d
  // sizes buffers by the source's blocks as well as by what it moves.
  const Grid line(grid.comm(), GridShape{1, grid.size()});
  const std::size_t column_bytes = sizeof(T) * std::max(1, b);
  const std::size_t width_limit =
      std::min(max_read_bytes / column_bytes, static_cast<std::size_t>(kRedistributePanel) /
                                                  static_cast<std::size_t>(std::max(1, b)));
  const int width = static_cast<int>(std::clamp<std::size_t>(width_limit, 1, std::max(1, a)));
  BlockCyclic<T> pieces(line, b, a, std::max(1, b), width);
  // As many collective reads on every rank: ranks with fewer blocks read
  // nothing at the end.
  const int blocks = (a + width - 1) / width;
  const int reads = (blocks + grid.size() - 1) / grid.size();
  for (int r = 0; r < reads; ++r) {
    const int block = r * grid.size() + line.col();
    const int begin = std::min(a, block * width), end = std::min(a, begin + width);
    file.read_block<T>(dataset, {static_cast<std::uint64_t>(begin), 0},
                       {static_cast<std::uint64_t>(end - begin), static_cast<std::uint64_t>(b)},
                       pieces.data() + static_cast<std::size_t>(r) * width * b);
  }
  BlockCyclic<T> out(grid, b, a, mb, nb);
  redistribute(pieces, out);
  return out;
}

template BlockCyclic<double> read_column_major(const h5::File&, const std::string&, const Grid&,
                                               int, int, std::size_t);
template BlockCyclic<float> read_column_major(const h5::File&, const std::string&, const Grid&, int,
                                              int, std::size_t);

}  // namespace netinfer::dist
