#include "netinfer/net/graph.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "net/brute_graph.hpp"

namespace netinfer::net {

TEST(Graph, MatchesExplicitBreadthFirstSearchOnSmallNetworks) {
  for (const char* text :
       {"input 2x9x7; conv 3 3 ramp; maxpool 2; conv 2 2 ramp; linear 4 ramp; linear 3 softmax",
        "input 1x10x10; conv 2 3 ramp; conv 2 3 ramp; maxpool 2; linear 5 softmax"}) {
    const Architecture a = Architecture::parse(text);
    const Graph g(a);
    const auto adj = explicit_edges(a);
    for (std::int64_t s = 0; s < a.neuron_count(); ++s) {
      const auto expected = brute_bfs(adj, s);
      const auto got = g.distances_from(s);
      for (std::int64_t t = 0; t < a.neuron_count(); ++t) {
        ASSERT_EQ(got[t], expected[t]) << text << " from " << s << " to " << t;
      }
      const std::int64_t t = (s * 7 + 3) % a.neuron_count();
      EXPECT_EQ(g.distance(s, t), expected[t]);
    }
  }
}

TEST(Graph, LeNetHandCheckedPairs) {
  const Architecture a = Architecture::lenet();
  const Graph g(a);
  auto at = [&](int l, int f, int x, int y) { return a.index({l, f, x, y}); };
  EXPECT_EQ(g.distance(at(0, 0, 0, 0), at(1, 7, 0, 0)), 1);    // pixel in conv1's window
  EXPECT_EQ(g.distance(at(0, 0, 5, 0), at(1, 7, 0, 0)), 3);    // outside: pixel-conv1-pixel-conv1
  EXPECT_EQ(g.distance(at(0, 0, 1, 1), at(0, 0, 2, 2)), 2);    // neighbours share a conv1 neuron
  EXPECT_EQ(g.distance(at(1, 3, 0, 0), at(2, 3, 0, 0)), 1);    // conv1 -> its pool, same family
  EXPECT_EQ(g.distance(at(1, 3, 0, 0), at(2, 4, 0, 0)), 3);    // other family: via INPUT
  EXPECT_EQ(g.distance(at(0, 0, 0, 0), at(6, 9, 0, 0)), 6);    // INPUT to LINEARSOFT
  EXPECT_EQ(g.distance(at(5, 0, 0, 0), at(5, 499, 0, 0)), 2);  // two LINEARRAMP neurons
  // Opposite corners of the input: 10, the paper's maximum graph distance.
  EXPECT_EQ(g.distance(at(0, 0, 0, 0), at(0, 0, 27, 27)), 10);
}

TEST(Graph, PairwiseDistancesAgreeWithSingleQueries) {
  const Architecture a = Architecture::lenet();
  const Graph g(a);
  std::vector<std::int64_t> from, to;
  for (std::int64_t i = 0; i < 50; ++i) {
    from.push_back((i * 7919) % a.neuron_count());
    to.push_back((i * 104729 + 11) % a.neuron_count());
  }
  const auto d = g.distances(from, to);
  for (std::size_t i = 0; i < from.size(); ++i) {
    EXPECT_EQ(d[i], g.distance(from[i], to[i]));
    EXPECT_EQ(d[i], g.distances_from(from[i])[to[i]]);
  }
}

TEST(Graph, StatsOfSmallNetworkMatchBruteForce) {
  const Architecture a =
      Architecture::parse("input 1x6x6; conv 2 3 ramp; maxpool 2; linear 3 softmax");
  const auto adj = explicit_edges(a);
  double sum = 0, sq = 0;
  int mx = 0;
  for (std::int64_t s = 0; s < a.neuron_count(); ++s) {
    const auto d = brute_bfs(adj, s);
    for (std::int64_t t = 0; t < a.neuron_count(); ++t) {
      if (t == s) continue;
      sum += d[t];
      sq += d[t] * d[t];
      mx = std::max(mx, d[t]);
    }
  }
  const double pairs = double(a.neuron_count()) * (a.neuron_count() - 1);
  const GraphStats st = graph_stats(Graph(a));
  EXPECT_EQ(st.max_distance, mx);
  EXPECT_NEAR(st.mean, sum / pairs, 1e-12);
  EXPECT_NEAR(st.rms, std::sqrt(sq / pairs), 1e-12);
}

}  // namespace netinfer::net
