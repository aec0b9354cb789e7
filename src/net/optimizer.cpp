#include "optimizer.hpp"

#include <cmath>

namespace netinfer::net::detail {

Optimiser::Optimiser(const TrainOptions& options, std::int64_t size, int threads)
    : kind_(options.optimizer),
      learning_rate_(static_cast<float>(options.learning_rate)),
      beta1_(static_cast<float>(options.momentum)),
      threads_(threads),
      first_(size, 0.0f),
      second_(kind_ == Optimizer::Adam ? size : 0, 0.0f) {}

void Optimiser::step(std::vector<float>& weights, const std::vector<float>& gradient) {
  ++steps_;
  const std::int64_t n = static_cast<std::int64_t>(weights.size());
  float* w = weights.data();
  const float* g = gradient.data();
  float* m = first_.data();
  if (kind_ == Optimizer::Sgd) {
    const float lr = learning_rate_, mu = beta1_;
#pragma omp parallel for schedule(static) num_threads(threads_)
    for (std::int64_t i = 0; i < n; ++i) {
      m[i] = mu * m[i] + g[i];
      w[i] -= lr * m[i];
    }
    return;
  }
  float* v = second_.data();
  const float b1 = beta1_, b2 = beta2_, eps = epsilon_;
  // Bias corrections folded into the step size and epsilon.
  const double c1 = 1 - std::pow(double(b1), double(steps_)),
               c2 = 1 - std::pow(double(b2), double(steps_));
  const float step = static_cast<float>(learning_rate_ * std::sqrt(c2) / c1),
              eps_hat = static_cast<float>(eps * std::sqrt(c2));
#pragma omp parallel for schedule(static) num_threads(threads_)
  for (std::int64_t i = 0; i < n; ++i) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    w[i] -= step * m[i] / (std::sqrt(v[i]) + eps_hat);
  }
}

}  // namespace netinfer::net::detail
