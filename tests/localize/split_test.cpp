#include "netinfer/localize/split.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

TEST(Split, PerfectSplitIsACheckerboardAndHalvesEveryLayer) {
  const auto a = net::Architecture::lenet();
  const Split s = perfect_split(a, net::Recording(a));
  EXPECT_EQ(s.train.size(), 9847u);
  EXPECT_EQ(s.test.size(), 9847u);
  std::vector<int> train_per_layer(a.layer_count(), 0);
  for (auto n : s.train) ++train_per_layer[a.layer_of(n)];
  const int expected[] = {392, 5760, 1440, 1600, 400, 250, 5};
  for (int l = 0; l < a.layer_count(); ++l) EXPECT_EQ(train_per_layer[l], expected[l]) << a.name(l);
  // Hand-checked members: INPUT (0,0) trains, (1,0) tests; LINEARRAMP family 0 trains.
  EXPECT_TRUE(std::binary_search(s.train.begin(), s.train.end(), a.index({0, 0, 0, 0})));
  EXPECT_TRUE(std::binary_search(s.test.begin(), s.test.end(), a.index({0, 0, 1, 0})));
  EXPECT_TRUE(std::binary_search(s.train.begin(), s.train.end(), a.index({5, 0, 0, 0})));
  EXPECT_TRUE(std::binary_search(s.test.begin(), s.test.end(), a.index({6, 3, 0, 0})));
}

TEST(Split, RandomSplitsAreDisjointSizedAndSeeded) {
  const auto a = net::Architecture::lenet();
  const Split s = make_split(a, net::Recording(a), "random:0.3:0.2", 5);
  EXPECT_EQ(s.train.size(), static_cast<std::size_t>(std::llround(0.3 * 19694)));
  EXPECT_EQ(s.test.size(), static_cast<std::size_t>(std::llround(0.2 * 19694)));
  std::set<std::int64_t> all(s.train.begin(), s.train.end());
  for (auto n : s.test) EXPECT_FALSE(all.count(n));
  EXPECT_EQ(make_split(a, net::Recording(a), "random:0.3:0.2", 5).train, s.train);
  EXPECT_NE(make_split(a, net::Recording(a), "random:0.3:0.2", 6).train, s.train);
  EXPECT_EQ(make_split(a, net::Recording(a), "random", 1).test.size(), 19694u - 9847u);
  EXPECT_THROW(make_split(a, net::Recording(a), "random:0.8:0.3", 1), Error);
  EXPECT_THROW(make_split(a, net::Recording(a), "checkerboard", 1), Error);
}

TEST(Split, LayerBalancingGivesEveryLayerTheLargestCount) {
  const auto a = net::Architecture::lenet();
  const Split s = perfect_split(a, net::Recording(a));
  const auto b = layer_balanced(a, s.train, 3);
  std::vector<int> per_layer(a.layer_count(), 0);
  for (auto n : b) ++per_layer[a.layer_of(n)];
  for (int l = 0; l < a.layer_count(); ++l) EXPECT_EQ(per_layer[l], 5760);
  std::set<std::int64_t> members(b.begin(), b.end());
  EXPECT_EQ(members, std::set<std::int64_t>(s.train.begin(), s.train.end()));
  EXPECT_EQ(layer_balanced(a, s.train, 3), b);
}

}  // namespace netinfer::localize
