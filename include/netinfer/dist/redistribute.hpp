// Moving a distributed matrix between layouts (grids and block sizes) with
// ScaLAPACK's p?gemr2d, e.g. from the one-dimensional layout data are read in
// to the square-ish block-cyclic layout the solvers want.
#pragma once

#include <cstdint>

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::dist {

// Copies `from` into `to`. Both must have the same shape and live on grids
// over the same communicator (every rank calls). p?gemr2d sizes its buffers
// in int bytes, so a call that moves 2 GiB or more fails ("xxmr2d: out of
// memory"; LeNet's MIXED set at one rank did): the copy goes in column panels
// of at most `panel_elements` entries, and `from`'s blocks must not be larger
// either (p?gemr2d also sizes buffers by the source's blocks).
inline constexpr std::int64_t kRedistributePanel = std::int64_t{1} << 27;
template <typename T>
void redistribute(const BlockCyclic<T>& from, BlockCyclic<T>& to,
                  std::int64_t panel_elements = kRedistributePanel);

}  // namespace netinfer::dist
