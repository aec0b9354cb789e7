#include "netinfer/spectral/limits.hpp"

#include <algorithm>

#include "netinfer/core/error.hpp"

namespace netinfer::spectral {

std::int64_t max_k(std::int64_t neurons, std::int64_t images, Solver solver) {
  return solver == Solver::lanczos ? std::min(neurons, images - 1) : neurons;
}

void check_set(const h5::File& responses, const std::string& set, const SpectralOptions& options) {
  const std::string matrix = "/responses/" + set + "/matrix";
  NI_REQUIRE(responses.exists(matrix), responses.path(), ": set '", set, "' has no ", matrix);
  const h5::Dims dims = responses.dims(matrix);
  NI_REQUIRE(dims.size() == 2, responses.path(), ":", matrix,
             ": expected [neurons, images], found ", dims.size(), " dimensions");
  const auto neurons = static_cast<std::int64_t>(dims[0]);
  const auto images = static_cast<std::int64_t>(dims[1]);
  NI_REQUIRE(images >= 2, responses.path(), ":", matrix, ": ", images,
             " images; correlations need at least 2");
  NI_REQUIRE(options.k <= neurons, "--k ", options.k, ": must be between 1 and the ", neurons,
             " neurons of set '", set, "'");
  const std::int64_t most = max_k(neurons, images, options.solver);
  NI_REQUIRE(options.k <= most, "--k ", options.k, ": set '", set, "' has ", images,
             " images; --solver ", solver_name(options.solver), " delivers at most ", most,
             " eigenpairs (the correlation of m images has rank m - 1; --solver elpa2 computes "
             "them all)");
}

}  // namespace netinfer::spectral
