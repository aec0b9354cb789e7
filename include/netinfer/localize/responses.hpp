// The response stage (000 §4.2): drive a network with an image set and record
// every neuron's response vector. MPI ranks shard the images of a set (rank r
// takes the r-th contiguous block); each rank generates its own images, runs
// the forward pass and keeps its block of the response matrix. Moments are
// reduced across ranks. Results do not depend on the rank count beyond
// floating-point rounding of the moment sums.
//
// HDF5 layout written by write_responses() (the contract later stages read):
//   /network                    attributes architecture, neuron_count, layer_names
//   /network/locations          int32 [neurons, 4]: layer, family, x, y (0-based)
//   /responses/<SET>/matrix     double [neurons, images]: one response vector per row
//   /responses/<SET>/mean, std, skewness, kurtosis     double [neurons]
//   /responses/<SET>/silent     uint8 [neurons]: 1 if every response is identical (std 0)
//   /responses/<SET>/silent_per_layer                  int64 [layers]
//   attributes of /responses/<SET>: spec, images, seed, data_dir
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/core/mpi.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/matrix.hpp"
#include "netinfer/net/network.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::localize {

// Images are dealt to ranks in whole chunks of kMomentChunk, and moments sum
// per chunk then over chunks in global order: moments are bitwise identical
// at any rank count (ties between neurons survive, so classifiers agree too).
constexpr std::int64_t kMomentChunk = 256;

// This rank's block of a set's response matrix: neurons x its images.
struct ResponseShard {
  std::string spec;
  std::int64_t total_images = 0;
  Range images;  // which images of the set this rank holds
  RowMatrix matrix;
};

// Per-neuron statistics of the response vectors over all images of the set.
// std is the population standard deviation; skewness and kurtosis are the
// standardised third and fourth central moments (kurtosis not in excess form);
// all four are 0 for silent neurons beyond the mean.
struct Moments {
  net::Vector mean, std, skewness, kurtosis;
  std::vector<std::uint8_t> silent;  // 1 where every response is identical
  std::vector<std::int64_t> silent_per_layer;
};

// Runs the forward pass over this rank's shard of `set`, one chunk of images
// at a time, printing progress on rank 0.
ResponseShard compute_responses(const net::Network& network, const stimuli::ImageSet& set,
                                MPI_Comm comm);

// Moments of every neuron across all ranks' shards (collective).
Moments reduce_moments(const ResponseShard& shard, const net::Architecture& arch, MPI_Comm comm);

// Writes /network (once per file) and /responses/<spec> collectively.
void write_network(h5::File& file, const net::Architecture& arch);
void write_responses(h5::File& file, const ResponseShard& shard, const Moments& moments,
                     const stimuli::ImageSetOptions& options);

// The whole stage: builds every set first (so a bad name fails before any
// work), then per set computes, reduces and writes the responses, printing
// silent-neuron counts per layer on rank 0. Collective over `comm`.
void respond_sets(const net::Network& network, const std::vector<std::string>& sets,
                  const stimuli::ImageSetOptions& options, h5::File& file, MPI_Comm comm);

}  // namespace netinfer::localize
