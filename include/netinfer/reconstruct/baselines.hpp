// Reconstruction without training, from the spike trains of the first `steps`
// steps of every simulation of one generator. Each returns an n x n score
// matrix, (i, j) scoring an edge j -> i (higher = more likely); neurons that
// never change get 0. The rows (target neurons) are computed in fixed tiles
// spread over the ranks of `comm` (see baseline_tiles.hpp), so every rank
// gets the same matrix, bit for bit, at any rank count.
#pragma once

#include <mpi.h>

#include <Eigen/Core>
#include <vector>

#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct {

// |corr(S_i(t), S_j(t))| over all simulations and steps (symmetric).
Eigen::MatrixXd pearson_scores(const GeneratorData& data, int steps, MPI_Comm comm = MPI_COMM_SELF);

// corr(S_i(t + 1), S_j(t)) over all simulations and steps t + 1 < steps.
Eigen::MatrixXd lagged_scores(const GeneratorData& data, int steps, MPI_Comm comm = MPI_COMM_SELF);

// Partial correlation -P_ij / sqrt(P_ii P_jj), P the inverse of the (slightly
// shrunk, see baselines.cpp) correlation matrix: the method that won the
// ChaLearn connectomics challenge.
Eigen::MatrixXd partial_correlation_scores(const GeneratorData& data, int steps,
                                           MPI_Comm comm = MPI_COMM_SELF);

// VAR(1): ridge least squares of S(t + 1) on S(t) with an intercept,
// B = argmin |Y - X B|^2 + |B|^2 (centred X, Y; scikit-learn's Ridge with
// alpha = 1); score (i, j) = B(j, i), the effect of a spike of j on i.
Eigen::MatrixXd var_scores(const GeneratorData& data, int steps, MPI_Comm comm = MPI_COMM_SELF);

// Logistic GLM per target neuron i: P(S_i(t + 1) = 1) = sigmoid(w_i . S(t) + c_i),
// fitted by L-BFGS to sum of log losses + |w_i|^2 / 2 (scikit-learn's
// LogisticRegression with C = 1, intercept not penalised); score (i, j) = w_i(j).
Eigen::MatrixXd glm_scores(const GeneratorData& data, int steps, MPI_Comm comm = MPI_COMM_SELF);

// Transfer entropy j -> i (binary states, lag 1, plug-in estimate, bits):
// sum p(x', x, y) log2[p(x' | x, y) / p(x' | x)] with x' = S_i(t + 1),
// x = S_i(t), y = S_j(t).
Eigen::MatrixXd transfer_entropy_scores(const GeneratorData& data, int steps,
                                        MPI_Comm comm = MPI_COMM_SELF);

struct Baseline {
  const char* name;  // the column of the tables
  Eigen::MatrixXd (*scores)(const GeneratorData&, int, MPI_Comm);
};

// Every baseline, in the order of the tables: pearson, lagged, partial, var,
// glm, te.
const std::vector<Baseline>& baselines();

}  // namespace netinfer::reconstruct
