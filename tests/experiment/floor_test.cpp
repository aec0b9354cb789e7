#include "netinfer/experiment/floor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace netinfer::experiment {

namespace {
net::Graph small_graph() {
  return net::Graph(
      net::Architecture::parse("input 1x6x6; conv 2 3 ramp; maxpool 2; linear 3 softmax"));
}
}  // namespace

TEST(SilentFloor, HandWorkedTwoInputPixels) {
  const auto g = small_graph();
  const auto& a = g.architecture();
  // Four INPUT test neurons, two of them silent and two apart (via a conv neuron).
  const std::int64_t p = a.index({0, 0, 0, 0}), q = a.index({0, 0, 1, 0});
  ASSERT_EQ(g.distance(p, q), 2);
  const std::vector<std::int64_t> tests = {p, q, a.index({0, 0, 5, 5}), a.index({0, 0, 4, 5})};
  const Floor f = silent_floor(g, tests, {1, 1, 0, 0});
  // Each silent pixel lands on itself or the other with probability 1/2:
  // mean square (0 + 4)/2 per silent pixel, over 4 tests: 1.
  EXPECT_DOUBLE_EQ(f.layer[0], 1.0);
  for (int l = 1; l < a.layer_count(); ++l) EXPECT_TRUE(std::isnan(f.layer[l]));
  EXPECT_DOUBLE_EQ(f.overall, 1.0);
}

TEST(SilentFloor, EqualsTheMeanOverEveryPermutationOfTheSilentNeurons) {
  const auto g = small_graph();
  const auto& a = g.architecture();
  std::vector<std::int64_t> tests;
  for (std::int64_t n = 1; n < a.neuron_count(); n += 3) tests.push_back(n);
  std::vector<std::uint8_t> silent(tests.size(), 0);
  // Six silent tests spread over the layers.
  for (std::size_t i : {0ul, 5ul, 11ul, 14ul, 17ul, tests.size() - 1}) silent[i] = 1;
  const Floor f = silent_floor(g, tests, silent);

  std::vector<std::size_t> who;  // positions of the silent tests
  for (std::size_t i = 0; i < tests.size(); ++i) {
    if (silent[i]) who.push_back(i);
  }
  std::vector<std::size_t> perm(who.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::vector<double> mean_square(a.layer_count(), 0.0), count(a.layer_count(), 0.0);
  for (auto t : tests) count[a.layer_of(t)] += 1;
  double permutations = 0;
  do {
    std::vector<std::int64_t> assigned = tests;
    for (std::size_t k = 0; k < who.size(); ++k) assigned[who[k]] = tests[who[perm[k]]];
    for (std::size_t i = 0; i < tests.size(); ++i) {
      const double d = g.distance(tests[i], assigned[i]);
      mean_square[a.layer_of(tests[i])] += d * d / count[a.layer_of(tests[i])];
    }
    permutations += 1;
  } while (std::next_permutation(perm.begin(), perm.end()));
  EXPECT_EQ(permutations, 720);
  double overall = 0;
  int layers = 0;
  for (int l = 0; l < a.layer_count(); ++l) {
    if (count[l] == 0) continue;
    const double expected = std::sqrt(mean_square[l] / permutations);
    EXPECT_NEAR(f.layer[l], expected, 1e-12) << a.name(l);
    overall += expected;
    ++layers;
  }
  EXPECT_NEAR(f.overall, overall / layers, 1e-12);
  EXPECT_GT(f.overall, 0);
}

TEST(SilentFloor, NoSilentNeuronsNoFloor) {
  const auto g = small_graph();
  const Floor f = silent_floor(g, {1, 2, 40, 78}, {0, 0, 0, 0});
  EXPECT_EQ(f.overall, 0);
  EXPECT_EQ(f.layer[0], 0);
  ASSERT_EQ(f.layer.size(), 4u);
  EXPECT_TRUE(std::isnan(f.layer[2]));  // no pooling test neuron here
}

}  // namespace netinfer::experiment
