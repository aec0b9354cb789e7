// Y = A X for a symmetric block-cyclic A of which only the upper triangle is
// stored (as PDSYRK leaves it) and a tall, thin X replicated on every rank:
// the product an iterative eigensolver needs. Each rank multiplies its own
// blocks of the upper triangle twice (A_IJ X_J into Y_I and A_IJ^T X_I into
// Y_J, diagonal blocks once through ?SYMM), so A is read once per product at
// GEMM speed; the partial sums are then reduced and broadcast from rank 0,
// so every rank holds bit-identical Y.
#pragma once

#include <Eigen/Dense>

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::dist {

// A must be square with square blocks (mb == nb); X is A.rows() x b. Float
// matrices multiply a float copy of X (single-precision products, double
// results). Collective over A's grid.
template <typename T>
Eigen::MatrixXd symmetric_product(const BlockCyclic<T>& a, const Eigen::MatrixXd& x);

}  // namespace netinfer::dist
