// C = alpha Z^T Z for a block-cyclic Z (m x n) into a block-cyclic C (n x n):
// the correlation product. One block of Z's rows (mb of them) at a time is
// made whole on every rank (one broadcast per grid column of its owning grid
// row); each rank then updates its part of C's upper triangle with a few large
// local GEMMs of depth mb, so the product runs near the GEMM rate. PBLAS's
// PDSYRK, also offered (la::psyrk), works in rank-32 updates that stream all of
// C from memory each time and reaches about a third of it here (see
// tests/benchmarks/spectral_bench.cpp).
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
