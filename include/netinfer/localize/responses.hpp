// The response stage (Dyer & Griffin 2022, §4.2): drive a network with an
// image set and record every neuron's response vector. MPI ranks shard the
// images of a set in chunks of kMomentChunk dealt round-robin (rank r takes
// chunks r, r + P, ...); each rank generates its own images, runs the forward
// pass and keeps its rows of the images x neurons response matrix, which is
// exactly ScaLAPACK's block-cyclic layout on a P x 1 grid with kMomentChunk
// row blocks: the correlation stage takes the shards from memory by one
// redistribution (response_columns), never through a file. Moments are
// reduced across ranks in global chunk order, so they are bitwise identical at
// any rank count.
//
// HDF5 layout of a responses file (`netinfer respond`, `localize
// --keep-responses`); this file is its only writer and reader:
//   /network                    attributes architecture, neuron_count, layer_names
//   /network/locations          int32 [neurons, 4]: layer, family, x, y (0-based)
//   /network/recorded           int64 [recorded]: the rows' neurons, ascending
//                               (absent: every neuron; net/recording.hpp),
//                               attribute key
//   /responses/<SET>/matrix     double [rows, images]: one response vector per
//                               recorded neuron
//   /responses/<SET>/mean, std, skewness, kurtosis, activation_rate   double [rows]
//   /responses/<SET>/silent     uint8 [rows]: 1 if every response is identical (std 0)
//   /responses/<SET>/silent_per_layer                  int64 [layers]
//   attributes of /responses/<SET>: spec, images, seed, data_dir
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/block_cyclic.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/features.hpp"
#include "netinfer/localize/matrix.hpp"
#include "netinfer/net/network.hpp"
#include "netinfer/net/recording.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::localize {

// Images per chunk: the unit of the forward pass, of the moment sums and of
// the dealing of images to ranks. GEMM rounding depends on how images are
// grouped, so the grouping must not depend on the rank count.
constexpr std::int64_t kMomentChunk = 256;

// This rank's rows of a set's response matrix: its chunks r, r + P, ... of
// images, as a neurons x (its images) row-major matrix (byte for byte the
// column-major images x neurons block-cyclic local matrix).
struct ResponseShard {
  std::string spec;
  std::int64_t total_images = 0;
  int rank = 0, ranks = 1;  // the dealing: chunk c belongs to rank c % ranks
  RowMatrix matrix;

  std::int64_t chunks() const { return (total_images + kMomentChunk - 1) / kMomentChunk; }
  // The global index of this rank's local image j.
  std::int64_t global_image(std::int64_t j) const {
    return ((j / kMomentChunk) * ranks + rank) * kMomentChunk + j % kMomentChunk;
  }
};

// Per-neuron statistics of the response vectors over all images of the set.
// std is the population standard deviation; skewness and kurtosis are the
// standardised third and fourth central moments (kurtosis not in excess form);
// all four are 0 for silent neurons beyond the mean. The activation rate
// (Dyer & Griffin §6.3, Hypothesis 1) is the fraction of images to which the
// response is non-zero.
struct Moments {
  std::int64_t images = 0;  // the set's size
  net::Vector mean, std, skewness, kurtosis;
  std::vector<double> activation_rate;
  std::vector<std::uint8_t> silent;  // 1 where every response is identical
  std::vector<std::int64_t> silent_per_layer;
};

// Images per forward call: a chunk, or less for a network whose activations
// of a whole chunk would pass kForwardBytes (a power of two, so chunks split
// evenly; it depends on the network only, never on the rank count).
constexpr std::uint64_t kForwardBytes = std::uint64_t{512} << 20;
std::int64_t forward_images(const net::Architecture& arch);

// Runs the forward pass over this rank's chunks of `set`, keeping the rows of
// the recorded neurons only (the shard is recorded x images), printing
// progress on rank 0.
ResponseShard compute_responses(const net::Network& network, const stimuli::ImageSet& set,
                                const net::Recording& recording, MPI_Comm comm);

// Moments of every recorded neuron across all ranks' shards (collective).
Moments reduce_moments(const ResponseShard& shard, const net::Recording& recording, MPI_Comm comm);

// The response matrix as images x neurons (one column per neuron) on `grid`
// in mb x nb blocks, as the correlation stage takes it: the shards move by
// one redistribution. The shard is consumed (its memory is released before
// the target is filled where the precision allows). Collective.
template <typename T>
dist::BlockCyclic<T> response_columns(ResponseShard shard, const dist::Grid& grid, int mb, int nb);

// The moments as the feature builder takes them (eigenvectors left empty).
SetFeatures features_of(const Moments& moments);

// Writes /network (once per file); read_network gives its architecture back
// (fails clearly on a file without it). /responses/<set> without the matrix
// (write_moments) or with it (write_responses). Collective on a parallel file.
void write_network(h5::File& file, const net::Architecture& arch);
net::Architecture read_network(const h5::File& file);
// /network/recorded: the recorded neurons of a file's rows, when not every
// neuron is (read_recording gives every neuron when it is absent).
void write_recording(h5::File& file, const net::Recording& recording);
net::Recording read_recording(const h5::File& file, const net::Architecture& arch);
void write_moments(h5::File& file, const std::string& set, const Moments& moments,
                   const stimuli::ImageSetOptions& options);
void write_responses(h5::File& file, const ResponseShard& shard, const Moments& moments,
                     const stimuli::ImageSetOptions& options);

// Reading a responses file: its image sets (fails clearly on a file that is
// not one), one set's moments (activation rates empty in files written before
// they were stored), its matrix's shape, and the matrix as images x
// neurons on `grid` (checked against /network). Collective on a parallel file.
std::vector<std::string> response_sets(const h5::File& file);
Moments read_moments(const h5::File& file, const std::string& set);
struct ResponseDims {
  std::int64_t neurons = 0, images = 0;
};
ResponseDims response_dims(const h5::File& file, const std::string& set);
template <typename T>
dist::BlockCyclic<T> read_response_columns(const h5::File& file, const std::string& set,
                                           const dist::Grid& grid, int mb, int nb);

// The whole stage: builds every set first (so a bad name fails before any
// work), then per set computes, reduces and writes the responses, printing
// silent-neuron counts per layer on rank 0. Collective over `comm`.
void respond_sets(const net::Network& network, const net::Recording& recording,
                  const std::vector<std::string>& sets, const stimuli::ImageSetOptions& options,
                  h5::File& file, MPI_Comm comm);

// "silent neurons per layer: CONVRAMP1 0 ... (total s of n)" for the log.
std::string silent_summary(const Moments& moments, const net::Architecture& arch);

}  // namespace netinfer::localize
