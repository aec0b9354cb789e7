// Scoring reconstructions (`reconstruct evaluate`): the model's predictions
// against each generator's adjacency, beside the baselines computed from the
// same steps of the same simulations.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct {

struct MethodScore {
  std::string method;  // model, then the baselines (baselines.hpp)
  double auroc = 0, auprc = 0;
  double seconds = 0;  // computing the scores (0 for the model: see infer)
};

struct GeneratorResult {
  std::string spec;
  int n = 0;
  std::int64_t edges = 0, samples = 0;
  double spike_rate = 0;
  double mean_activity = 0;  // fraction of spikes in the evaluated steps
  double loss = 0;           // mean loss (3.1) over samples
  double exact = 0;          // fraction of samples with every off-diagonal pair right
  double pair_accuracy = 0;  // mean fraction of off-diagonal pairs right per sample
  Eigen::MatrixXd mean_output;
  std::vector<MethodScore> methods;
};

// Reads the predictions written by write_predictions() for `data` (the same
// spike file) and scores them and the baselines, computed over the ranks of
// comm (collective; the same results on every rank at any rank count).
std::vector<GeneratorResult> evaluate(const h5::File& predictions,
                                      const std::vector<GeneratorData>& data,
                                      MPI_Comm comm = MPI_COMM_SELF);

// /reconstruct/results/gNNNN: attributes per generator and method, mean_output.
void write_results(h5::File& file, const std::vector<GeneratorResult>& results);

}  // namespace netinfer::reconstruct
