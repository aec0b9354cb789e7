// Y = A X for a symmetric block-cyclic A of which only the upper triangle is
// stored (as PDSYRK leaves it) and a tall, thin X replicated on every rank:
// the product an iterative eigensolver needs. Each rank multiplies its own
// nb x nb blocks of the upper triangle twice (A_IJ X_J towards Y_I and
// A_IJ^T X_I towards Y_J, diagonal blocks once through ?SYMM), so A is read
// once per product. Y's row i is a sum of one term per column block, each
// from a BLAS call of the block's shape (the same on every grid); the terms
// are added exactly (pre-rounded on a grid of powers of two fixed by a bound
// on them, in three pieces) within and across ranks, so Y is bit-identical on
// every rank, process grid and rank count, and accurate to the last bit of a
// double sum of the terms.
#pragma once

#include <Eigen/Dense>

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::dist {

// The largest |a_ij| of A's upper triangle (infinite if it holds a NaN or an
// infinity), on every rank. Collective.
template <typename T>
double upper_max_abs(const BlockCyclic<T>& a);

// A must be square with square blocks (mb == nb); X is A.rows() x b; `bound`
// is at least every |a_ij| of the upper triangle (upper_max_abs(a)): results
// stay accurate with a bound up to ~2^40 times too large, and a smaller one
// breaks the exactness. Float matrices multiply a float copy of X
// (single-precision products, double sums). Collective over A's grid.
template <typename T>
Eigen::MatrixXd symmetric_product(const BlockCyclic<T>& a, const Eigen::MatrixXd& x, double bound);

}  // namespace netinfer::dist
