// The spectral stage as a library call: the distributed responses of one
// image set in, the top-k eigenpairs of its transformed correlation matrix
// out. It knows no file layout: the pipeline (pipeline/spectrum.hpp) brings
// the responses from the forward pass or from a responses file.
//
// Memory per rank (P ranks, s = 4 or 8 bytes, n neurons, m images):
//   laying out    (n m / P) s for the rank's dealt or read rows + (n m / P) s
//                 block-cyclic; from the forward pass first (n m / P)(8 + s) while
//                 the double rows are copied
//   correlation   (n m / P) s + (n^2 / P) s + 512 (2 n + 2 n / sqrt(P)) s buffers
//   solving       lanczos:   (n^2 / P) s + 8 n (2 max_basis + 3 keep + block)
//                            bytes of replicated vectors (lanczos_shape)
//                 scalapack: 2 (n^2 / P) s (P?SYEVX wants n x n eigenvectors)
//                            + ~(k + 5) n s workspace
//                 elpa:      2 (n^2 / P) 8 (-A in full and n x n eigenvectors,
//                            in double whatever the precision)
// The peak of these is checked against the node's available memory before
// anything large is allocated (dist::require_memory). For LeNet (n = 19,694,
// m = 10,000) at 2 ranks in double: 1.6 GB laying out, 2.3 GB correlating,
// 1.6 GB solving with lanczos, 3.1 GB with ELPA.
#pragma once

#include <mpi.h>

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/dist/block_cyclic.hpp"
#include "netinfer/dist/grid.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/spectral/correlation.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace netinfer::spectral {

enum class Precision { double_precision, single_precision };
Precision parse_precision(const std::string& name);  // "double" or "single"
std::string precision_name(Precision p);

struct SpectralOptions {
  int k = 16;
  Solver solver = Solver::lanczos;
  Transform transform = Transform::abs;
  Precision precision = Precision::double_precision;
  int block = 64;  // ScaLAPACK block size (block x block)
  Silent silent = Silent::zero;
  std::uint64_t seed = 0;  // perturbation noise and the lanczos start block
  double tolerance = 0;    // lanczos relative residual; 0: 1e-10 (double), 1e-5 (single)
  int lanczos_block = 0;   // 0: min(k, 8)
};

struct Spectrum {
  std::string set;
  std::int64_t neurons = 0, images = 0, silent = 0;
  Eigen::VectorXd eigenvalues;   // k, descending
  Eigen::MatrixXd eigenvectors;  // neurons x k, on every rank
  int products = 0, restarts = 0;
  double residual = 0;
  double read_seconds = 0, correlation_seconds = 0, solver_seconds = 0;
  std::uint64_t peak_bytes = 0;  // predicted peak memory of one rank
};

// Predicted bytes per rank of the stage's two phases (the formula above),
// each with the replicated result: the correlation (the response rows read,
// Z, C and the product's buffers) and the eigensolver (C and its workspace).
struct PhaseBytes {
  std::uint64_t correlation = 0, eigensolver = 0;
};
PhaseBytes phase_bytes_per_rank(std::int64_t neurons, std::int64_t images,
                                const SpectralOptions& options, int ranks);

// Predicted peak bytes per rank: the larger phase.
std::uint64_t peak_bytes_per_rank(std::int64_t neurons, std::int64_t images,
                                  const SpectralOptions& options, int ranks);

// Refuses (one clear line) a request the set cannot meet: k outside
// 1..neurons or beyond what the solver delivers (limits.hpp), fewer than 2
// images, a bad block size. check_request also refuses (collectively) a peak
// memory that does not fit the node; call it before the responses are laid out.
void validate_request(const std::string& set, std::int64_t neurons, std::int64_t images,
                      const SpectralOptions& options);
void check_request(const std::string& set, std::int64_t neurons, std::int64_t images,
                   const SpectralOptions& options, MPI_Comm comm);

// The spectrum of one image set's responses: `responses` is the images x
// neurons matrix on its grid (localize::response_columns from the forward
// pass in memory, or localize::read_response_columns from a file), best in
// kImageBlock x options.block blocks; it is consumed. read_seconds is left
// to the caller (the time to lay the responses out). Collective over the
// grid's communicator; every rank returns the eigenvectors.
template <typename T>
Spectrum compute_spectrum(dist::BlockCyclic<T> responses, const std::string& set,
                          const SpectralOptions& options);

// Writes /spectral/<set>/eigenvalues [k] and /spectral/<set>/eigenvectors
// [neurons, k] with attributes naming how they were computed. `out` is
// opened on the same communicator; every rank calls.
void write_spectrum(h5::File& out, const Spectrum& spectrum, const SpectralOptions& options);
// Reads /spectral/<set> back (eigenpairs, neurons, images); fails clearly
// when the group is missing or its shapes disagree.
Spectrum read_spectrum(const h5::File& file, const std::string& set);

}  // namespace netinfer::spectral
