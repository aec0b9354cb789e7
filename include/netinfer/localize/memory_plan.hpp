// The memory a localisation run needs, stage by stage, per rank: printed
// before the run and checked against what the node has, so a run that cannot
// fit stops at once with the figures instead of failing an hour in.
//
//   responses    the rank's shard, neurons x (images / ranks), doubles, plus
//                one chunk's activations and the largest im2col workspace;
//   spectral     spectral::peak_bytes_per_rank (correlation, block-cyclic
//                responses, eigensolver workspace);
//   classifiers  every rank holds the features of all neurons (neurons x F);
//   confidence   rank 0: the confidence tables and, when it fits
//                (store_dense_costs), the dense tests x tests float matrix;
//                otherwise costs are computed on demand;
//   assignment   rank 0: that plus the solver's workspace (O(tests) arrays
//                and each row's block minima, tests^2 / 32 floats).
// Stages run one after another, so the peak is the largest of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

#include "netinfer/net/architecture.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::localize {

struct StageMemory {
  std::string stage;
  std::uint64_t rank0 = 0, other = 0;  // bytes on rank 0 and on every other rank
};

// images: the largest image set; features: the widest feature set's columns;
// tests: test neurons of the split; spectral: false without eigenvectors;
// available: the node's memory (dist::available_bytes), which decides whether
// the cost matrix is stored.
std::vector<StageMemory> memory_plan(const net::Architecture& arch, std::int64_t images,
                                     bool spectral, const spectral::SpectralOptions& options,
                                     std::int64_t features, std::int64_t tests, int ranks,
                                     std::uint64_t available);

// Prints the plan on rank 0 and refuses (collectively, one clear line) a plan
// whose peak does not fit in the memory available on each node.
void check_memory_plan(const std::vector<StageMemory>& plan, MPI_Comm comm);

}  // namespace netinfer::localize
