#include "netinfer/dist/read_matrix.hpp"

#include <algorithm>

#include "netinfer/core/error.hpp"
#include "netinfer/dist/redistribute.hpp"

namespace netinfer::dist {

template <typename T>
BlockCyclic<T> read_column_major(const h5::File& file, const std::string& dataset, const Grid& grid,
                                 int mb, int nb) {
  const h5::Dims dims = file.dims(dataset);
  NI_REQUIRE(dims.size() == 2, file.path(), ":", dataset, ": expected a 2-D dataset, found ",
             dims.size(), " dimensions");
  NI_REQUIRE(dims[0] < (1u << 31) && dims[1] < (1u << 31), file.path(), ":", dataset,
             ": too large for ScaLAPACK's 32-bit indices");
  const int a = static_cast<int>(dims[0]), b = static_cast<int>(dims[1]);
  // The reading layout: a 1 x P grid, rank p holding dataset rows
  // [p * share, (p + 1) * share), i.e. matrix columns, as one block.
  const Grid line(grid.comm(), GridShape{1, grid.size()});
  const int share = std::max(1, (a + grid.size() - 1) / grid.size());
  BlockCyclic<T> pieces(line, b, a, std::max(1, b), share);
  const std::uint64_t first = static_cast<std::uint64_t>(line.col()) * share;
  file.read_block<T>(
      dataset, {first, 0},
      {static_cast<std::uint64_t>(pieces.local_cols()), static_cast<std::uint64_t>(b)},
      pieces.data());
  BlockCyclic<T> out(grid, b, a, mb, nb);
  redistribute(pieces, out);
  return out;
}

template BlockCyclic<double> read_column_major(const h5::File&, const std::string&, const Grid&,
                                               int, int);
template BlockCyclic<float> read_column_major(const h5::File&, const std::string&, const Grid&, int,
                                              int);

}  // namespace netinfer::dist
