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
  // The reading layout: a 1 x P grid, rank p holding dataset rows
  // [p * share, (p + 1) * share), i.e. matrix columns, as one block.
  const Grid line(grid.comm(), GridShape{1, grid.size()});
  const int share = std::max(1, (a + grid.size() - 1) / grid.size());
  BlockCyclic<T> pieces(line, b, a, std::max(1, b), share);
  // As many collective reads on every rank: ranks with less to read read
  // nothing at the end.
  const int rows_per_read =
      static_cast<int>(std::max<std::size_t>(1, max_read_bytes / (sizeof(T) * std::max(1, b))));
  int reads = (pieces.local_cols() + rows_per_read - 1) / rows_per_read;
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &reads, 1, MPI_INT, MPI_MAX, grid.comm()));
  const std::uint64_t first = static_cast<std::uint64_t>(line.col()) * share;
  for (int r = 0; r < reads; ++r) {
    const int begin = std::min(pieces.local_cols(), r * rows_per_read),
              end = std::min(pieces.local_cols(), begin + rows_per_read);
    file.read_block<T>(dataset, {first + begin, 0},
                       {static_cast<std::uint64_t>(end - begin), static_cast<std::uint64_t>(b)},
                       pieces.data() + static_cast<std::size_t>(begin) * b);
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
