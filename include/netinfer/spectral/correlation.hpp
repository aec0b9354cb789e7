// The response correlation matrix of §4.3 of the localisation paper, held
// block-cyclic from the start: each neuron's response vector is standardised
// with moments summed per block of images and then over the blocks in a fixed
// order, then C = Z^T Z / m is formed in place in C's block-cyclic layout and
// the transform (abs by default) is applied. The product is dist::syrk_upper
// (whole blocks of images broadcast, one local GEMM per block of C: near the
// GEMM rate) or, for comparison, ScaLAPACK's PDSYRK / PSSYRK (about a third
// of the GEMM rate here). With the default product the result has the same
// bits on every process grid, rank count and OpenBLAS thread count (it
// depends on the block sizes, which are options, not on the grid; see
// docs/rank_invariance.md); PDSYRK's does not.
//
// Silent neurons (all responses equal, detected exactly as min == max) get a
// zero standardised vector, so their rows and columns of C are exactly 0,
// the diagonal included, and every eigenvector of a non-zero eigenvalue is 0
// on them (the spectral stage clears the solvers' rounding-level values). The paper instead
// perturbs every response by a uniform value in [-1e-9, 1e-9]; that makes silent neurons'
// correlations random (|c| ~ 0.008 on average) and gives them a diagonal 1.
// Silent::perturb reproduces it, with the noise of (neuron i, image j) drawn
// from the counter-based stream (seed, "spectral.perturbation", i * m + j), so
// it does not depend on the rank count.
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/dist/block_cyclic.hpp"
#include "netinfer/spectral/transform.hpp"

namespace netinfer::spectral {

enum class Silent { zero, perturb };
enum class Product { blocked, pdsyrk };

struct CorrelationOptions {
  Transform transform = Transform::abs;
  Silent silent = Silent::zero;
  std::uint64_t seed = 0;  // of the perturbation (Silent::perturb only)
  Product product = Product::blocked;
  bool progress = false;  // report the product's progress on rank 0
};

// Rows (images) per block of the response layout the product works through:
// the depth of its local GEMMs (see dist::syrk_upper).
constexpr int kImageBlock = 512;

template <typename T>
struct Correlation {
  dist::BlockCyclic<T> matrix;       // neurons x neurons, upper triangle stored
  std::vector<std::uint8_t> silent;  // per neuron (1 = silent), on every rank
};

// The paper's perturbation of response (neuron, image) of a set of `images`.
double perturbation(std::uint64_t seed, std::int64_t neuron, std::int64_t image,
                    std::int64_t images);

// `responses` is the images x neurons matrix (one column per neuron, as
// dist::read_column_major gives it), best in kImageBlock x nb blocks; it is
// consumed. The result is on the same grid in nb x nb blocks. Collective.
template <typename T>
Correlation<T> correlation(dist::BlockCyclic<T> responses, const CorrelationOptions& options);

// Floating-point operations of the correlation product (n^2 m for SYRK's
// triangle, counting a multiply-add as two).
double correlation_flops(std::int64_t neurons, std::int64_t images);

}  // namespace netinfer::spectral
