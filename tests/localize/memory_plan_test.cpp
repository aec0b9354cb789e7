#include "netinfer/localize/memory_plan.hpp"

#include <gtest/gtest.h>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

namespace {
std::uint64_t stage(const std::vector<StageMemory>& plan, const std::string& name, bool rank0) {
  for (const auto& s : plan) {
    if (s.stage == name) return rank0 ? s.rank0 : s.other;
  }
  ADD_FAILURE() << "no stage " << name;
  return 0;
}
}  // namespace

// LeNet, 10,000 images at 2 ranks, perfect split, CONCAT of 4 sets x 18
// features, worked by hand.
TEST(MemoryPlan, LeNetByHand) {
  const auto arch = net::Architecture::lenet();
  spectral::SpectralOptions so;
  const std::uint64_t plenty = 1ull << 40;
  const auto plan = memory_plan(arch, 10000, true, so, 72, 9847, 2, plenty);
  // 40 chunks of 256 images, 20 per rank: 5,120 images of 19,694 neurons;
  // two chunks of activations; conv2's im2col, 256 x 64 positions x 500.
  const std::uint64_t responses =
      19694ull * 5120 * 8 + 2ull * 19694 * 256 * 8 + 256ull * 64 * 500 * 8;
  EXPECT_EQ(stage(plan, "responses", true), responses);
  EXPECT_EQ(stage(plan, "responses", false), responses);
  EXPECT_EQ(stage(plan, "spectral", false), spectral::peak_bytes_per_rank(19694, 10000, so, 2));
  const std::uint64_t features = 19694ull * 72 * 8;
  EXPECT_EQ(stage(plan, "classifiers", false), features);
  // Confidence tables: per test neuron 7 layer probabilities and, for INPUT,
  // CONVRAMP1, POOLING1, CONVRAMP2 and POOLING2, families (not INPUT), x and
  // y: 28+28, 20+24+24, 20+12+12, 50+8+8, 50+4+4 = 292, so 299 doubles; three
  // column indices. Float costs; the solver's 8 doubles per column and 308
  // block minima per row.
  const std::uint64_t tables = 9847ull * 299 * 8 + 3ull * 9847 * 4;
  EXPECT_EQ(stage(plan, "confidence", true), features + tables + 9847ull * 9847 * 4);
  EXPECT_EQ(stage(plan, "confidence", false), features);
  EXPECT_EQ(stage(plan, "assignment", true),
            features + tables + 9847ull * 9847 * 4 + 8ull * 9847 * 8 + 9847ull * 308 * 4);
  // With 1 GB on the node the matrix (388 MB) is not stored: costs on demand.
  const auto small = memory_plan(arch, 10000, true, so, 72, 9847, 2, 1ull << 30);
  EXPECT_EQ(stage(small, "confidence", true), features + tables);
}

TEST(MemoryPlan, NoSpectralStageWithoutEigenvectors) {
  const auto plan = memory_plan(net::Architecture::lenet(), 1000, false, {}, 2, 100, 1, 1ull << 40);
  for (const auto& s : plan) EXPECT_NE(s.stage, "spectral");
}

TEST(MemoryPlan, RefusesWhatCannotFit) {
  // 10^9 images: terabytes of responses per rank.
  const auto plan =
      memory_plan(net::Architecture::lenet(), 1000000000, false, {}, 2, 100, 1, 1ull << 40);
  EXPECT_THROW(check_memory_plan(plan, MPI_COMM_WORLD), Error);
  EXPECT_NO_THROW(check_memory_plan(
      memory_plan(net::Architecture::lenet(), 1000, false, {}, 2, 100, 1, 1ull << 40),
      MPI_COMM_WORLD));
}

}  // namespace netinfer::localize
