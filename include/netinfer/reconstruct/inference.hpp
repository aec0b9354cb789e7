// Applying a trained model to every sample of a spike file (`reconstruct
// infer`): each generator's samples are split over the ranks; the mean output
// and per-sample loss and correct pairs are reduced so every rank holds them.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/reconstruct/model.hpp"
#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct {

struct Prediction {
  Eigen::MatrixXd mean_output;         // n x n, mean over the generator's samples
  std::vector<double> sample_loss;     // loss (3.1) per sample, simulation-major
  std::vector<double> sample_correct;  // off-diagonal pairs right at threshold 0.5
};

std::vector<Prediction> infer(const Model& model, const std::vector<GeneratorData>& data,
                              int windows, const std::string& data_path, MPI_Comm comm);

// /reconstruct/predictions/gNNNN/{mean_output, sample_loss, sample_correct}
// with the generator's attributes, and b, windows, model kind at the top.
void write_predictions(h5::File& file, const Model& model, const std::vector<GeneratorData>& data,
                       const std::vector<Prediction>& predictions, int windows);

}  // namespace netinfer::reconstruct
