// Moving a distributed matrix between layouts (grids and block sizes) with
// ScaLAPACK's p?gemr2d, e.g. from the one-dimensional layout data are read in
// to the square-ish block-cyclic layout the solvers want.
#pragma once

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::dist {

// Copies `from` into `to`. Both must have the same shape and live on grids
// over the same communicator (every rank calls).
template <typename T>
void redistribute(const BlockCyclic<T>& from, BlockCyclic<T>& to);

}  // namespace netinfer::dist
