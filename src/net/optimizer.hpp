// Parameter updates on a flat float vector: SGD with momentum (PyTorch's
// form: v = momentum*v + g; w -= lr*v) and Adam (Kingma & Ba, with bias
// correction). Elementwise, so the OpenMP split cannot change the result.
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/net/train.hpp"

namespace netinfer::net::detail {

class Optimiser {
 public:
  Optimiser(const TrainOptions& options, std::int64_t size, int threads);
  void step(std::vector<float>& weights, const std::vector<float>& gradient);

 private:
  Optimizer kind_;
  float learning_rate_, beta1_, beta2_ = 0.999f, epsilon_ = 1e-8f;
  int threads_;
  std::int64_t steps_ = 0;
  std::vector<float> first_, second_;  // momentum / Adam's moment estimates
};

}  // namespace netinfer::net::detail
