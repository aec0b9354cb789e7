// Small distributed results made whole on every rank: the first columns of a
// block-cyclic matrix (e.g. k eigenvectors of an n x n matrix) become an
// ordinary Eigen matrix replicated on all ranks of the grid.
#pragma once

#include <Eigen/Dense>

#include "netinfer/dist/block_cyclic.hpp"

namespace netinfer::dist {

// Columns [0, cols) of `a` as a rows() x cols matrix on every rank
// (collective). Each entry has exactly one owner, so the result is exact.
template <typename T>
Eigen::MatrixXd replicate_columns(const BlockCyclic<T>& a, int cols);

}  // namespace netinfer::dist
