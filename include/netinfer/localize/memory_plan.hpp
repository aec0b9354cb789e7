// The memory a localisation run needs, stage by stage, per rank: printed
// before the run and checked against what the node has, so a run that cannot
// fit stops at once with the figures instead of failing an hour in.
//
//   responses    the rank's shard, recorded neurons x (images / ranks),
//                doubles, plus one forward call of localize::forward_images
//                images: its images, the activations of the whole network
//                and the scratch of the network's ops
//                (net::Network::forward_scratch_bytes: every conv's im2col
//                workspace and, in a network read from ONNX, the tensors
//                between its layers of neurons);
//   correlation  spectral::phase_bytes_per_rank: the response rows read,
//                the block-cyclic responses Z, |corr| and the product buffers;
//   eigensolver  |corr| and the solver's workspace;
//   classifiers  every rank holds the features of the recorded neurons
//                (recorded x F);
//   confidence   rank 0: the confidence tables and, when it fits
//                (store_dense_costs), the dense tests x tests float matrix;
//                otherwise costs are computed on demand;
//   assignment   rank 0: that plus the solver's workspace: with stored
//                costs O(tests) arrays and each row's block minima (tests^2
//                / 32 floats); on demand the sparse solver's candidate graph
//                (at most 129 edges per row) and O(tests) arrays, or its
//                fallback's workspace, whichever is larger.
// Stages run one after another, so the peak is the largest of them. A run
// that does not fit is refused with the number of nodes like this one that
// would hold it (`netinfer localize --plan` prints that without running).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

#include "netinfer/net/network.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::localize {

struct StageMemory {
  std::string stage;
  std::uint64_t rank0 = 0, other = 0;  // bytes on rank 0 and on every other rank
};

// What the plan depends on besides the rank count: the network (its
// architecture and forward pass; weights play no part). images: the largest image
// set; features: the widest feature set's columns; tests: test neurons of the
// split; spectral: false without eigenvectors; loaded: bytes every rank holds
// throughout the classifier stages besides one feature set's matrix (an
// experiment keeps every image set's features).
struct PlanInputs {
  const net::Network& network;
  std::int64_t images = 0;
  bool spectral = true;
  spectral::SpectralOptions options;
  std::int64_t features = 0, tests = 0;
  std::uint64_t loaded = 0;
  std::int64_t recorded = 0;  // recorded neurons (net/recording.hpp); 0: every neuron
  // What every rank holds before the stages (libraries, MPI, the network),
  // added to each stage; check_memory_plan measures it.
  std::uint64_t resident = 0;
};

// The plan at `ranks` ranks; available: the node's memory
// (dist::available_bytes), which decides whether the cost matrix is stored.
std::vector<StageMemory> memory_plan(const PlanInputs& in, int ranks, std::uint64_t available);

// What one node needs at its peak stage when `ranks_per_node` ranks share it
// and `heavy` of them (rank 0; in an experiment every group leader) run the
// confidence and assignment stages.
std::uint64_t node_bytes(const std::vector<StageMemory>& plan, int ranks_per_node, int heavy = 1);

// The most recorded neurons (with test neurons in proportion to `in`'s) whose
// plan fits `nodes` nodes of `available` bytes with `ranks_per_node` ranks
// (`heavy` of them as above) each; 0 if not even one does (a forward call of
// the whole network does not fit).
std::int64_t largest_recording(const PlanInputs& in, int nodes, int ranks_per_node, int heavy,
                               std::uint64_t available);

// The fewest nodes with `available` bytes each and `ranks_per_node` ranks
// (`heavy` of them as above) that the plan fits; 0 if none up to 4096 nodes
// does (the rank-0 stages alone do not fit on one node).
int nodes_needed(const PlanInputs& in, int ranks_per_node, int heavy, std::uint64_t available);

// Prints the plan for comm on rank 0 and refuses (collectively, one clear line
// naming the number of such nodes that would fit) a plan whose peak does not
// fit in the memory available on each node. `heavy`: whether this rank runs
// the confidence and assignment stages (rank 0 in localize, every group
// leader in an experiment). recordable: also print the largest recording
// (largest_recording) these nodes hold, and name it in a refusal.
void check_memory_plan(const PlanInputs& in, MPI_Comm comm, bool heavy, bool recordable = false);

}  // namespace netinfer::localize
