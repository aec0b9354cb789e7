// The whole-network forward and backward pass over the layer kernels, for one
// batch held as a neuron_count x batch matrix (global neuron order down the
// rows, one image per column). One Engine per thread: it owns scratch space.
#pragma once

#include <cstdint>
#include <vector>

#include "layers.hpp"
#include "netinfer/net/architecture.hpp"

namespace netinfer::net::detail {

// Every layer's weight and bias inside one flat parameter vector (weight
// column-major out x fan_in, then bias), for optimisers and reductions.
struct ParameterLayout {
  explicit ParameterLayout(const Architecture& arch);
  std::vector<std::int64_t> weight_offset, bias_offset;  // per layer; -1 without parameters
  std::vector<int> rows, cols;                           // weight shape per layer
  std::int64_t size = 0;
  bool has_parameters(int layer) const { return weight_offset[layer] >= 0; }
};

// Per-layer pointers to weights and biases (null for INPUT and pooling).
template <typename T>
struct ParameterPointers {
  std::vector<T*> weight, bias;
};

template <typename T>
ParameterPointers<T> pointers(const ParameterLayout& layout, T* flat) {
  ParameterPointers<T> p;
  for (std::size_t l = 0; l < layout.weight_offset.size(); ++l) {
    const bool has = layout.weight_offset[l] >= 0;
    p.weight.push_back(has ? flat + layout.weight_offset[l] : nullptr);
    p.bias.push_back(has ? flat + layout.bias_offset[l] : nullptr);
  }
  return p;
}

Geometry geometry(const Architecture& arch, int layer);

template <typename T>
class Engine {
 public:
  explicit Engine(const Architecture& arch);
  // The values one engine's workspace holds after forward() of `batch` images.
  static std::uint64_t forward_values(const Architecture& arch, Eigen::Index batch);

  // Fills every layer after INPUT; the INPUT rows of `acts` hold the images.
  void forward(const ParameterPointers<const T>& params, Out<T> acts);

  // Writes scale * d(sum of cross-entropies)/d(parameters) to `gradient` for
  // the batch whose forward pass is `acts` (the last layer must be softmax);
  // returns the summed cross-entropy -log p(label) over the batch. Must
  // follow forward() of the same batch: it reuses the im2col patches.
  double backward(const ParameterPointers<const T>& params, const In<T>& acts, const int* labels,
                  T scale, const ParameterPointers<T>& gradient);

 private:
  const Architecture& arch_;
  std::vector<Geometry> geometry_;
  std::vector<ConvWorkspace<T>> ws_;  // per layer, so sizes stay put between batches
  Mat<T> delta_;                      // dL/d(neuron), then dL/dz, for every neuron of the batch
};

}  // namespace netinfer::net::detail
