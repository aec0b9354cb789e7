#include "netinfer/spectral/limits.hpp"

#include <algorithm>

namespace netinfer::spectral {

std::int64_t max_k(std::int64_t neurons, std::int64_t images, Solver solver) {
  return solver == Solver::lanczos ? std::min(neurons, images - 1) : neurons;
}

}  // namespace netinfer::spectral
