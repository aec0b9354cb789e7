// C = alpha Z^T Z for a block-cyclic Z (m x n) into a block-cyclic C (n x n):
// the correlation product. One block of Z's rows (mb of them) at a time is
// made whole on every rank (one broadcast per grid column of its owning grid
// row); each rank then updates every nb x nb block of C's upper triangle it
// holds with one local GEMM of depth mb. The blocks are the tiles of a fixed
// global tiling, each updated by the same GEMM calls on the same operands
// whichever rank holds it, and the GEMMs run single-threaded (spread over the
// threads OpenBLAS was given), so C is bit-identical on every process grid,
// rank count and thread count. PBLAS's PDSYRK, also offered (la::psyrk),
// works in rank-32 updates that stream all of C from memory each time and
// reaches about a third of the GEMM rate here, and is not grid-independent
// (see tests/benchmarks/spectral_bench.cpp, docs/rank_invariance.md).
#pragma once

#include <functional>

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::dist {

// C must be n x n in square blocks of Z's column block size, on Z's grid. On
// return C's upper triangle holds alpha Z^T Z; entries below the diagonal
// are left partly computed and are not part of the result. Collective.
// `done`, if given, is called after each block of rows with the rows done.
template <typename T>
void syrk_upper(const BlockCyclic<T>& z, T alpha, BlockCyclic<T>& c,
                const std::function<void(int)>& done = {});

}  // namespace netinfer::dist
