// Data-parallel training with Adam (001 §3.2): every step takes the next batch
// of a seeded shuffle of the training examples (a new permutation each epoch,
// from Stream(seed, purpose_id("epoch"), epoch)), each rank computes the
// gradient of its block of the batch, the gradients are summed with
// MPI_Allreduce and every rank applies the same update. The result equals
// one-rank training up to rounding.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <vector>

#include "netinfer/reconstruct/model.hpp"

namespace netinfer::reconstruct {

struct TrainOptions {
  int steps = 20000;
  int batch = 32;
  double learning_rate = 5e-4;
  int validate_every = 1000;  // steps between validation losses (and at the end)
  std::uint64_t seed = 1;
};

struct TrainingLog {
  std::vector<double> loss;  // per step: mean loss (3.1) over the batch
  std::vector<std::int64_t> validation_step;
  std::vector<double> validation_loss;  // mean over the validation examples
  double seconds = 0;
};

TrainingLog train(Model& model, const std::vector<Example>& training,
                  const std::vector<Example>& validation, const TrainOptions& options,
                  MPI_Comm comm);

// Mean loss (3.1) over the examples, each rank evaluating its block. Collective.
double mean_loss(const Model& model, const std::vector<Example>& examples, MPI_Comm comm);

}  // namespace netinfer::reconstruct
