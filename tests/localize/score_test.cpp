#include "netinfer/localize/score.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "netinfer/localize/split.hpp"

namespace netinfer::localize {

TEST(Score, PerfectAssignmentScoresZero) {
  const auto a = net::Architecture::lenet();
  const net::Graph g(a);
  const Split s = perfect_split(a, net::Recording(a));
  std::vector<std::uint8_t> silent(s.test.size(), 0);
  const Score sc = score_assignment(g, s.test, s.test, silent, s.train);
  EXPECT_EQ(sc.overall, 0.0);
  EXPECT_EQ(sc.overall_symmetric, 0.0);
}

TEST(Score, HandMadeWrongAssignment) {
  const auto a = net::Architecture::lenet();
  const net::Graph g(a);
  auto at = [&](int l, int f, int x, int y) { return a.index({l, f, x, y}); };
  // Two INPUT neurons swapped (distance 2, hand-checked in the graph tests),
  // one of them silent; one LINEARSOFT neuron placed correctly.
  const std::vector<std::int64_t> truth = {at(0, 0, 1, 1), at(0, 0, 2, 2), at(6, 4, 0, 0)};
  const std::vector<std::int64_t> assigned = {at(0, 0, 2, 2), at(0, 0, 1, 1), at(6, 4, 0, 0)};
  const std::vector<std::uint8_t> silent = {0, 1, 0};
  const Score sc =
      score_assignment(g, truth, assigned, silent, perfect_split(a, net::Recording(a)).train);
  EXPECT_DOUBLE_EQ(sc.layer[0], 2.0);  // sqrt((4 + 4) / 2)
  EXPECT_DOUBLE_EQ(sc.layer[6], 0.0);
  EXPECT_TRUE(std::isnan(sc.layer[1]));  // no test neuron there
  EXPECT_DOUBLE_EQ(sc.overall, 1.0);     // mean of 2 and 0
  EXPECT_DOUBLE_EQ(sc.layer_active[0], std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(sc.layer_silent[0], std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(sc.active, std::sqrt(2.0) / 2);
  EXPECT_DOUBLE_EQ(sc.overall_symmetric, 1.0);  // INPUT has no symmetry
}

TEST(Score, LinearFamiliesWithoutTrainingNeuronsAreInterchangeable) {
  const auto a = net::Architecture::lenet();
  const net::Graph g(a);
  const Split s = perfect_split(a, net::Recording(a));
  auto at = [&](int l, int f) { return a.index({l, f, 0, 0}); };
  // Test families 1, 3, 5 of LINEARRAMP rotated; family 7 put on training-free 9.
  const std::vector<std::int64_t> truth = {at(5, 1), at(5, 3), at(5, 5), at(5, 7), at(5, 9)};
  const std::vector<std::int64_t> assigned = {at(5, 3), at(5, 5), at(5, 1), at(5, 9), at(5, 7)};
  const std::vector<std::uint8_t> silent(5, 0);
  const Score sc = score_assignment(g, truth, assigned, silent, s.train);
  EXPECT_DOUBLE_EQ(sc.layer[5], 2.0);  // every pair of LINEARRAMP neurons is 2 apart
  EXPECT_DOUBLE_EQ(sc.layer_symmetric[5], 0.0);
  // A family with a training neuron is not free: odd families of a conv layer
  // are not interchangeable because the perfect split trains on all of them.
  const std::vector<std::int64_t> t2 = {a.index({1, 0, 1, 0}), a.index({1, 1, 1, 0})};
  const std::vector<std::int64_t> a2 = {t2[1], t2[0]};
  const Score sc2 = score_assignment(g, t2, a2, {0, 0}, s.train);
  EXPECT_GT(sc2.layer_symmetric[1], 0.0);
  EXPECT_DOUBLE_EQ(sc2.layer_symmetric[1], sc2.layer[1]);
}

}  // namespace netinfer::localize
