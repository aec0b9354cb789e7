// Reading a large HDF5 matrix straight into a block-cyclic layout: each rank
// reads contiguous hyperslabs (blocks of the dataset's rows, dealt
// round-robin), and p?gemr2d deals the pieces out block-cyclically. No rank
// ever holds more than its share plus its block-cyclic part.
#pragma once

#include <string>

#include "netinfer/dist/block_cyclic.hpp"
#include "netinfer/io/h5.hpp"

namespace netinfer::dist {

// A row-major dataset of shape [a, b] is, byte for byte, the column-major
// b x a matrix; this returns that b x a matrix distributed on `grid` in
// mb x nb blocks. For a response matrix [neurons, images] the result is
// images x neurons: one column per neuron. `file` must be opened on the
// grid's communicator (collective). float results are converted by HDF5.
// Each rank reads its hyperslab in collective reads of at most
// `max_read_bytes` (MPI-IO counts are 32-bit).
template <typename T>
BlockCyclic<T> read_column_major(const h5::File& file, const std::string& dataset, const Grid& grid,
                                 int mb, int nb,
                                 std::size_t max_read_bytes = std::size_t(256) << 20);

}  // namespace netinfer::dist
