#include "netinfer/localize/memory_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <omp.h>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::localize {

namespace {
std::uint64_t stage(const std::vector<StageMemory>& plan, const std::string& name, bool rank0) {
  for (const auto& s : plan) {
    if (s.stage == name) return rank0 ? s.rank0 : s.other;
  }
  ADD_FAILURE() << "no stage " << name;
  return 0;
}

// Threads of a forward call of 256 images (4 chunks of 64), each with its
// own chunk's scratch.
std::uint64_t forward_threads() {
  return std::min(omp_get_max_threads(), 4);
}
}  // namespace

// LeNet, 10,000 images at 2 ranks, perfect split, CONCAT of 4 sets x 18
// features, worked by hand.
TEST(MemoryPlan, LeNetByHand) {
  const net::Network lenet(net::Architecture::lenet());
  spectral::SpectralOptions so;
  const std::uint64_t plenty = 1ull << 40;
  const PlanInputs in{lenet, 10000, true, so, 72, 9847, 0};
  const auto plan = memory_plan(in, 2, plenty);
  // 40 chunks of 256 images, 20 per rank: 5,120 images of 19,694 neurons;
  // a forward call of 256 images (784 pixels each) and their activations;
  // per thread, a chunk of 64 images' conv workspaces (patches and product):
  // conv1 24 x 24 positions x (25 + 20), conv2 8 x 8 x (500 + 50).
  const std::uint64_t scratch = 64ull * (576 * 45 + 64 * 550) * 8;
  const std::uint64_t responses =
      19694ull * 5120 * 8 + (784ull + 19694) * 256 * 8 + forward_threads() * scratch;
  EXPECT_EQ(stage(plan, "responses", true), responses);
  EXPECT_EQ(stage(plan, "responses", false), responses);
  const auto phases = spectral::phase_bytes_per_rank(19694, 10000, so, 2);
  EXPECT_EQ(stage(plan, "correlation", false), phases.correlation);
  EXPECT_EQ(stage(plan, "eigensolver", false), phases.eigensolver);
  EXPECT_EQ(std::max(phases.correlation, phases.eigensolver),
            spectral::peak_bytes_per_rank(19694, 10000, so, 2));
  const std::uint64_t features = 19694ull * 72 * 8;
  EXPECT_EQ(stage(plan, "classifiers", false), features);
  // Confidence tables: per test neuron 7 layer probabilities and, for INPUT,
  // CONVRAMP1, POOLING1, CONVRAMP2 and POOLING2, families (not INPUT), x and
  // y: 28+28, 20+24+24, 20+12+12, 50+8+8, 50+4+4 = 292, so 299 doubles; three
  // column indices; at most a piece (4 ints) per column and 309 piece
  // offsets for the 308 blocks of 32 columns. Float costs; the solver's 8
  // doubles per column and 308 block minima per row.
  const std::uint64_t tables = 9847ull * 299 * 8 + 3ull * 9847 * 4 + 9847ull * 16 + 309ull * 8;
  EXPECT_EQ(stage(plan, "confidence", true), features + tables + 9847ull * 9847 * 4);
  EXPECT_EQ(stage(plan, "confidence", false), features);
  EXPECT_EQ(stage(plan, "assignment", true),
            features + tables + 9847ull * 9847 * 4 + 8ull * 9847 * 8 + 9847ull * 308 * 4);
  // With 1 GB on the node the matrix (388 MB) is not stored: costs on demand.
  const auto small = memory_plan(in, 2, 1ull << 30);
  EXPECT_EQ(stage(small, "confidence", true), features + tables);
  // Then the sparse solver: 4 x 32 + 1 edges per row at most (4 rounds) of an
  // int and a float, twice while the graph is rebuilt, and per row 8 bytes of
  // offsets, 3 pointers and 16 doubles.
  // That is more than its fallback's workspace (8 doubles per column and 308
  // block minima per row).
  const std::uint64_t graph = 2ull * 9847 * 129 * 8 + 9847ull * (8 + 24 + 128);
  EXPECT_GT(graph, 8ull * 9847 * 8 + 9847ull * 308 * 4);
  EXPECT_EQ(stage(small, "assignment", true), features + tables + graph);
}

// A network read from ONNX (tests/data/onnx/residual.onnx, made by
// jobs/onnx/make_fixtures.py): the forward call's scratch follows its ops,
// not a chain of layers. Input 2 x 16 x 16; conv1 4@3x3 pad 1 (+BN folded),
// relu; conv2 4@3x3 pad 1, relu; conv3 4@3x3 pad 1, add conv1's relu, relu;
// max pool 2; conv4 6@3x3 stride 2 pad 1, relu; average pool 2 (its zero
// Pad a no-op); conv5 8@1x1, relu; global average pool; linear 5, softmax.
TEST(MemoryPlan, OnnxNetworkByHand) {
  const net::Network residual =
      net::read_onnx(std::string(NETINFER_TEST_DATA) + "/onnx/residual.onnx");
  const net::Architecture& arch = residual.architecture();
  ASSERT_EQ(arch.neuron_count(), 4005);
  // Per image: the tensors between layers of neurons (conv1-3's outputs and
  // the add, 4 x 16 x 16 each; conv4's 6 x 4 x 4, conv5's 8 x 2 x 2, the
  // linear layer's 5 before its softmax) and each conv's patches and product,
  // positions x (fan_in + out): 256 x (18 + 4), 256 x (36 + 4) twice,
  // 4 x 4 x (36 + 6), 2 x 2 x (6 + 8).
  const std::uint64_t tensors = 4 * 1024 + 96 + 32 + 5;
  const std::uint64_t workspaces = 256 * 22 + 2 * 256 * 40 + 16 * 42 + 4 * 14;
  // 256 images per forward call (4,005 x 256 doubles is far below the
  // forward bound), in chunks of 64.
  ASSERT_EQ(forward_images(arch), 256);
  const std::uint64_t scratch = 64 * (tensors + workspaces) * 8;
  EXPECT_EQ(residual.forward_scratch_bytes(256), forward_threads() * scratch);
  // 1,000 images at 1 rank: 4 chunks of 256 images of 4,005 neurons, one
  // forward call's 512-pixel images and activations, and the scratch.
  const auto plan = memory_plan({residual, 1000, false, {}, 2, 100, 0}, 1, 1ull << 40);
  EXPECT_EQ(stage(plan, "responses", false),
            4005ull * 1024 * 8 + (512ull + 4005) * 256 * 8 + forward_threads() * scratch);
}

TEST(MemoryPlan, NoSpectralStageWithoutEigenvectors) {
  const net::Network lenet(net::Architecture::lenet());
  for (const auto& s : memory_plan({lenet, 1000, false, {}, 2, 100, 0}, 1, 1ull << 40))
    EXPECT_TRUE(s.stage != "correlation" && s.stage != "eigensolver") << s.stage;
}

// Every rank of an experiment holds all image sets' features besides a run's.
TEST(MemoryPlan, LoadedFeaturesOnEveryRank) {
  const net::Network lenet(net::Architecture::lenet());
  PlanInputs in{lenet, 1000, false, {}, 2, 100, 0};
  const auto base = memory_plan(in, 2, 1ull << 40);
  in.loaded = 12345;
  const auto more = memory_plan(in, 2, 1ull << 40);
  EXPECT_EQ(stage(more, "classifiers", false), stage(base, "classifiers", false) + 12345);
  EXPECT_EQ(stage(more, "assignment", true), stage(base, "assignment", true) + 12345);
  EXPECT_EQ(stage(more, "responses", true), stage(base, "responses", true));
}

// A node's need: its heavy ranks at rank 0's peak, the others at theirs.
TEST(MemoryPlan, NodeBytes) {
  const std::vector<StageMemory> plan = {{"a", 10, 4}, {"b", 3, 7}};
  EXPECT_EQ(node_bytes(plan, 1, 1), 10u);
  EXPECT_EQ(node_bytes(plan, 4, 1), 10u + 3 * 7);
  EXPECT_EQ(node_bytes(plan, 4, 2), 2 * 10u + 2 * 7);
  EXPECT_EQ(node_bytes(plan, 2, 5), 2 * 10u);
}

// LeNet x4 (76,394 neurons), single-precision correlation: |corr| is
// 76,394^2 x 4 B = 23.3 GB, so a 16 GiB node cannot hold it at 2 ranks, two
// such nodes (2 x 2 ranks, 5.8 GB of |corr| per rank) can; the fewest nodes
// found must fit, and one fewer must not.
TEST(MemoryPlan, NodesNeededForLeNet4x) {
  const auto arch = net::Architecture::parse(
      "input 1x28x28; conv 80 5 ramp; maxpool 2; conv 200 5 ramp; maxpool 2; linear 2000 ramp; "
      "linear 10 softmax");
  ASSERT_EQ(arch.neuron_count(), 76394);
  const net::Network network(arch);
  spectral::SpectralOptions so;
  so.precision = spectral::Precision::single_precision;
  const PlanInputs in{network, 10000, true, so, 72, 38197, 0};
  const std::uint64_t node = 16ull << 30;
  EXPECT_GT(node_bytes(memory_plan(in, 2, node), 2, 1), node);
  const int nodes = nodes_needed(in, 2, 1, node);
  EXPECT_EQ(nodes, 2);
  EXPECT_LE(node_bytes(memory_plan(in, 2 * nodes, node), 2, 1), node);
  // On 1 MiB nodes rank 0's features alone (76,394 x 72 doubles) never fit.
  EXPECT_EQ(nodes_needed(in, 1, 1, 1ull << 20), 0);
}

TEST(MemoryPlan, RefusesWhatCannotFit) {
  // 10^9 images: terabytes of responses per rank.
  const net::Network lenet(net::Architecture::lenet());
  const bool rank0 = mpi_rank(MPI_COMM_WORLD) == 0;
  EXPECT_THROW(check_memory_plan({lenet, 1000000000, false, {}, 2, 100, 0}, MPI_COMM_WORLD, rank0),
               Error);
  EXPECT_NO_THROW(check_memory_plan({lenet, 1000, false, {}, 2, 100, 0}, MPI_COMM_WORLD, rank0));
}

}  // namespace netinfer::localize
