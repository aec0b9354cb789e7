// The dense matrix type of the localisation stages: row-major, so one neuron's
// features or one test neuron's confidences are contiguous.
#pragma once

#include <Eigen/Dense>

namespace netinfer::localize {
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Assignment costs (-log confidence) are stored in single precision: the
// solver streams the whole ~10k x 10k matrix hundreds of times and is bound by
// memory bandwidth, so half the bytes is faster (docs/performance.md) and
// half the memory.
// The solver's own arithmetic (prices, distances) is double, so its answer is
// the exact optimum for the float-rounded costs (relative rounding <= 2^-24
// per entry; forest probabilities are multiples of 1/trees anyway).
using CostMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}  // namespace netinfer::localize
