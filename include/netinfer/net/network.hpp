// A network of a given architecture with its weights: forward pass recording
// every neuron, backward pass, parameter storage.
//
// Parameters: conv layers hold weight[out][in_channels][k][k] and bias[out]
// (PyTorch's layout), linear layers weight[out][in] and bias[out], where `in`
// follows the global neuron order of the previous layer (CHW flatten, as
// PyTorch's flatten).
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/net/architecture.hpp"

namespace netinfer::net {

namespace detail {
struct Program;
}

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
using Vector = Eigen::Matrix<double, Eigen::Dynamic, 1>;

struct LayerParameters {
  Matrix weight;  // conv: out x (in_channels*k*k); linear: out x in
  Vector bias;    // out
};

class Network {
 public:
  explicit Network(Architecture arch);  // parameters zero
  // A general network (Architecture::general) with its forward pass, as the
  // ONNX reader builds it; its parameters live in the program, so
  // parameters(l) are empty and it cannot be trained or saved as HDF5.
  Network(Architecture arch, std::shared_ptr<const detail::Program> program);
  const Architecture& architecture() const { return arch_; }
  std::int64_t parameter_count() const;

  // He-uniform initialisation from a counter-based stream keyed by seed.
  void initialise(std::uint64_t seed);

  // parameters(l) for a layer l with weights (conv or linear); empty otherwise.
  LayerParameters& parameters(int layer) { return params_[layer]; }
  const LayerParameters& parameters(int layer) const { return params_[layer]; }

  // Forward pass of a batch. images: input size x batch (one image per
  // column, CHW). activations: neuron_count x batch, every neuron of every
  // layer (INPUT included) in the global order. Resized as needed. Runs in
  // chunks of 64 images (bounded scratch memory) over the OpenMP threads.
  // An image's column depends on the chunking only by rounding (~1e-14
  // relative: GEMM kernels differ at the edges of register blocks).
  void forward(const Matrix& images, Matrix& activations) const;
  // The same written into a caller's block of neuron_count x images.cols()
  // (e.g. a range of columns of a whole shard's response matrix), saving the
  // copy out of a batch matrix.
  void forward_into(const Matrix& images, Eigen::Ref<Matrix> activations) const;
  // The bytes a forward call of `images` images holds besides its images and
  // activations, at its peak: per OpenMP thread with a chunk, the chunk's
  // scratch (a conv workspace per conv, a general network's pre-activations,
  // sums and padded maps). The forward stage's term of the memory plan.
  std::uint64_t forward_scratch_bytes(std::int64_t images) const;

 private:
  Architecture arch_;
  std::vector<LayerParameters> params_;             // one per layer; empty for INPUT and pooling
  std::shared_ptr<const detail::Program> program_;  // a general network's forward pass
};

// A network in ONNX as torch.onnx.export writes it in eval mode (opsets
// 11-17): see src/net/onnx.cpp for the ops read. Anything else fails with
// one line naming the node, its op and what is unsupported.
Network read_onnx(const std::string& path);

// Weights in HDF5. save_weights writes netinfer's layout (/network/architecture
// attribute, /network/<LAYER>/weight and /bias). load_weights reads that
// layout or a PyTorch-style state_dict (conv1.weight [20,1,5,5], conv1.bias,
// conv2.*, fc1.weight [500,800], fc1.bias, fc2.*); the architecture is taken
// from the file when present, else `fallback`. A path ending in .onnx, or a
// file that is not HDF5, is read by read_onnx. Wrong shapes are reported with
// the dataset name and both shapes. The full layout is documented in
// src/net/weights.cpp. save_weights is serial (one process writes, through
// h5::Output: "<path>.partial" renamed when complete; refuses to replace
// <path> without `force`); load_weights may run on every rank.
void save_weights(const Network& network, const std::string& path, bool force);
// The same layout written into an open file (which may also hold provenance);
// collective when the file is parallel. Fails for a conv stride other than
// the architecture text's implied one (Architecture::to_string has no stride).
void write_weights(const Network& network, h5::File& file);
Network load_weights(const std::string& path, const Architecture& fallback = Architecture::lenet());

}  // namespace netinfer::net
