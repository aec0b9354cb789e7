// Training by mini-batch gradient descent on the mean cross-entropy of a
// softmax output layer: SGD with momentum or Adam, float32 internally (the
// trained weights are stored back in double).
//
// Parallelism: data-parallel over fixed micro-batches of 32 images. Each
// mini-batch is cut into the same micro-batches whatever the thread or rank
// count; OpenMP threads and MPI ranks share them out, and their gradients are
// summed in micro-batch order (within a process) and then by MPI_Allreduce.
// So one process gives bit-identical weights for any --threads, and several
// ranks agree with one rank up to the rounding of the Allreduce sum. Threads
// are the cheaper way to use a node's cores (no gradient copies); ranks let a
// job span nodes.
#pragma once

#include <mpi.h>

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <vector>

#include "netinfer/net/network.hpp"

namespace netinfer::net {

// One image per column (CHW, float) and its class label 0..classes-1.
struct LabelledImages {
  Eigen::MatrixXf images;
  std::vector<int> labels;
  std::int64_t size() const { return static_cast<std::int64_t>(labels.size()); }
};

enum class Optimizer { Sgd, Adam };

struct TrainOptions {
  int epochs = 10;
  int batch = 64;  // images per mini-batch (per optimiser step)
  Optimizer optimizer = Optimizer::Adam;
  double learning_rate = 1e-3;
  double momentum = 0.9;   // SGD's momentum; Adam's beta1 (beta2 = 0.999, eps = 1e-8)
  std::uint64_t seed = 1;  // initialisation and the shuffle order of every epoch
  int threads = 0;         // OpenMP threads per process; 0: OpenMP's default
};

struct EpochReport {
  int epoch = 0;                 // 1-based
  double loss = 0;               // mean training cross-entropy over the epoch
  double test_accuracy = 0;      // fraction of test images classified correctly
  double images_per_second = 0;  // training images (all ranks together) per second
  double seconds = 0;            // wall-clock seconds of the epoch's training steps
};

// Initialises `network` from options.seed and trains it (an empty test set
// gives test accuracy 0); calls on_epoch
// (on every rank) after each epoch. Collective over `comm`: every rank passes
// the same data and options and ends with the same weights.
std::vector<EpochReport> train(Network& network, const LabelledImages& train_set,
                               const LabelledImages& test_set, const TrainOptions& options,
                               const std::function<void(const EpochReport&)>& on_epoch = {},
                               MPI_Comm comm = MPI_COMM_SELF);

// Fraction of `set` whose most probable output is the label (double precision).
double accuracy(const Network& network, const LabelledImages& set);

// The mean cross-entropy of a batch (images: input size x batch) and its
// gradient with respect to every parameter, in double precision.
struct LossGradient {
  double loss = 0;
  std::vector<LayerParameters> gradient;  // per layer, shaped like Network::parameters
};
LossGradient loss_gradient(const Network& network, const Matrix& images,
                           const std::vector<int>& labels);

}  // namespace netinfer::net
