// What the spectral stage can deliver for one image set: how many eigenpairs
// a solver is asked for at most (stage.hpp's check_request refuses more).
#pragma once

#include <cstdint>

#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

// The largest k the solver is asked for on a set of `neurons` x `images`
// responses. Every solver is bounded by the neurons. The correlation of m
// images has rank at most m - 1: past that its eigenpairs (transform cm) are
// zero eigenvalues with arbitrary eigenvectors, and those of the transforms
// lie in a bulk that Lanczos resolves only with many restarts (on a
// 2,630-neuron network with 40 images, abs took 656 products for k = 39 and
// 864 for k = 60; k = 400 on 300 LeNet images did not finish). Lanczos is
// therefore held to m - 1, a rule rather than a proof;
// the dense solvers (ELPA, ScaLAPACK) compute every eigenvalue and are not.
std::int64_t max_k(std::int64_t neurons, std::int64_t images, Solver solver);

}  // namespace netinfer::spectral
