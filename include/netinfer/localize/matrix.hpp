// The dense matrix type of the localisation stages: row-major, so one neuron's
// features or one test neuron's confidences are contiguous.
#pragma once

#include <Eigen/Dense>

namespace netinfer::localize {
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}  // namespace netinfer::localize
