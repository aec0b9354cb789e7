// What the spectral stage can deliver for one image set of a responses file,
// checked before any correlation is computed: the set's matrix exists with
// shape [neurons, images] and --k is within reach of the solver.
#pragma once

#include "netinfer/io/h5.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::spectral {

// The largest k the solver can deliver for a set of `neurons` x `images`
// responses. Every solver is bounded by the neurons. The correlation of
// `images` responses has rank at most images - 1; past that its transformed
// versions have a dense bulk of nearly equal eigenvalues that thick-restart
// Lanczos does not resolve in bounded time (k = 400 on 300 images ran for
// more than 400 s), so Lanczos is bounded by images - 1 as well; the dense
// solvers (ELPA, ScaLAPACK) compute every eigenvalue and are not.
std::int64_t max_k(std::int64_t neurons, std::int64_t images, Solver solver);

// Refuses (netinfer::Error, on every rank alike) a set that has no 2-D
// matrix, fewer than 2 images, or fewer pairs than --k asks for.
void check_set(const h5::File& responses, const std::string& set, const SpectralOptions& options);

}  // namespace netinfer::spectral
