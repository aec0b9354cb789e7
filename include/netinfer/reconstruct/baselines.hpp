// Reconstruction without training, from the spike trains of the first `steps`
// steps of every simulation of one generator. Each returns an n x n score
// matrix, (i, j) scoring an edge j -> i; neurons that never change get 0.
#pragma once

#include <Eigen/Core>

#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct {

// |corr(S_i(t), S_j(t))| over all simulations and steps (symmetric).
Eigen::MatrixXd pearson_scores(const GeneratorData& data, int steps);

// corr(S_i(t + 1), S_j(t)) over all simulations and steps t + 1 < steps.
Eigen::MatrixXd lagged_scores(const GeneratorData& data, int steps);

// Partial correlation -P_ij / sqrt(P_ii P_jj), P the inverse of the (slightly
// shrunk, see baselines.cpp) correlation matrix: the method that won the
// ChaLearn connectomics challenge.
Eigen::MatrixXd partial_correlation_scores(const GeneratorData& data, int steps);

}  // namespace netinfer::reconstruct
