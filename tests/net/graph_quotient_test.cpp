// The search on the position quotient (Graph::distances: one search per
// source for many targets, or from both ends for a pair alone;
// distances_from; graph_stats) against a plain breadth-first search on the explicit edge
// list of 000 §4.3 and against the flag search it replaces, on LeNet and on
// small sequential networks (odd sizes leave pixels outside every pooling
// window); the sampled statistics against the exact ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "net/brute_graph.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/net/graph.hpp"

namespace netinfer::net {
namespace {

const char* kSmall[] = {
    "input 2x9x7; conv 3 3 ramp; maxpool 2; conv 2 2 ramp; linear 4 ramp; linear 3 softmax",
    "input 1x10x10; conv 2 3 ramp; conv 2 3 ramp; maxpool 2; linear 5 softmax",
    "input 3x11x9; maxpool 2; conv 4 2 ramp; maxpool 3; linear 2 softmax",
    "input 1x8x8; conv 1 3 ramp; maxpool 2; conv 3 1 ramp; linear 1 none"};

TEST(QuotientGraph, EveryPairOfSmallNetworksMatchesExplicitSearch) {
  for (const char* text : kSmall) {
    const Architecture a = Architecture::parse(text);
    const Graph g(a);
    ASSERT_TRUE(g.quotient_exact()) << text;
    const auto adj = explicit_edges(a);
    const std::int64_t n = a.neuron_count();
    // Every ordered pair, in a scrambled order (distances() sorts by source).
    std::vector<std::int64_t> from, to;
    for (std::int64_t k = 0; k < n * n; ++k) {
      const std::int64_t i = (k * 7919) % (n * n);
      from.push_back(i / n);
      to.push_back(i % n);
    }
    const auto got = g.distances(from, to);
    std::vector<std::vector<int>> want(n);
    for (std::int64_t s = 0; s < n; ++s) want[s] = brute_bfs(adj, s);
    for (std::size_t k = 0; k < from.size(); ++k) {
      ASSERT_EQ(got[k], want[from[k]][to[k]]) << text << " from " << from[k] << " to " << to[k];
    }
    // One pair at a time: the search from both ends.
    for (std::size_t k = 0; k < from.size(); ++k) {
      ASSERT_EQ(g.distance(from[k], to[k]), want[from[k]][to[k]])
          << text << " from " << from[k] << " to " << to[k] << " (from both ends)";
    }
    for (std::int64_t s = 0; s < n; ++s) {
      const auto flags = g.flag_distances_from(s);
      const auto quotient = g.distances_from(s);
      ASSERT_EQ(quotient, flags) << text << " from " << s;
      for (std::int64_t t = 0; t < n; ++t) ASSERT_EQ(flags[t], want[s][t]);
    }
  }
}

TEST(QuotientGraph, LeNetRandomPairsMatchExplicitAndFlagSearch) {
  const Architecture a = Architecture::lenet();
  const Graph g(a);
  ASSERT_TRUE(g.quotient_exact());
  const auto adj = explicit_edges(a);
  const std::int64_t n = a.neuron_count();
  Stream rng(5, purpose_id("graph_quotient_test"), 0);
  // 16 random sources with 25 random targets each (one explicit search per
  // source), including a neuron of the source's position in another family.
  std::vector<std::int64_t> from, to;
  for (int s = 0; s < 16; ++s) {
    const auto source = static_cast<std::int64_t>(rng.below(n));
    for (int t = 0; t < 25; ++t) {
      from.push_back(source);
      to.push_back(static_cast<std::int64_t>(rng.below(n)));
    }
    const int l = a.layer_of(source);
    const Shape& sh = a.shape(l);
    const std::int64_t map = static_cast<std::int64_t>(sh.height) * sh.width;
    from.push_back(source);
    to.push_back(a.offset(l) + (source - a.offset(l) + map) % sh.size());
  }
  std::vector<std::int64_t> order(from.size());
  std::iota(order.begin(), order.end(), 0);
  std::reverse(order.begin() + 100, order.end());  // sources not in runs
  std::vector<std::int64_t> f, t;
  for (auto i : order) {
    f.push_back(from[i]);
    t.push_back(to[i]);
  }
  const auto got = g.distances(f, t);
  std::map<std::int64_t, std::vector<int>> want;
  for (auto s : from) {
    if (!want.count(s)) want[s] = brute_bfs(adj, s);
  }
  for (std::size_t k = 0; k < f.size(); ++k) {
    ASSERT_EQ(got[k], want[f[k]][t[k]]) << "from " << f[k] << " to " << t[k];
  }
  EXPECT_EQ(g.distance(f[0], t[0]), got[0]);
  // Pairs of unrelated neurons against the flag search.
  std::vector<std::int64_t> u, v;
  for (int k = 0; k < 150; ++k) {
    u.push_back(static_cast<std::int64_t>(rng.below(n)));
    v.push_back(static_cast<std::int64_t>(rng.below(n)));
  }
  const auto pairs = g.distances(u, v);
  int differences = 0;
  for (std::size_t k = 0; k < u.size(); ++k) differences += pairs[k] != g.flag_distance(u[k], v[k]);
  EXPECT_EQ(differences, 0);
  EXPECT_THROW(g.distances({0}, {n}), std::exception);
}

// Exact statistics over all pairs from the explicit search.
GraphStats brute_stats(const Architecture& a) {
  const auto adj = explicit_edges(a);
  const std::int64_t n = a.neuron_count();
  GraphStats st;
  std::vector<double> layer_sq(a.layer_count(), 0);
  double sum = 0, sq = 0;
  for (std::int64_t s = 0; s < n; ++s) {
    const auto d = brute_bfs(adj, s);
    for (std::int64_t t = 0; t < n; ++t) {
      if (t == s) continue;
      sum += d[t];
      sq += d[t] * d[t];
      layer_sq[a.layer_of(s)] += d[t] * d[t];
      st.max_distance = std::max(st.max_distance, d[t]);
    }
  }
  const double pairs = double(n) * (n - 1);
  st.mean = sum / pairs;
  st.rms = std::sqrt(sq / pairs);
  for (int l = 0; l < a.layer_count(); ++l) {
    st.layer_rms.push_back(std::sqrt(layer_sq[l] / (double(a.shape(l).size()) * (n - 1))));
  }
  return st;
}

TEST(QuotientGraph, StatisticsExactOrSampled) {
  for (const char* text : kSmall) {
    const Architecture a = Architecture::parse(text);
    const GraphStats want = brute_stats(a);
    const GraphStats exact = graph_stats(Graph(a));
    EXPECT_FALSE(exact.sampled);
    std::int64_t positions = 0;
    for (int l = 0; l < a.layer_count(); ++l) positions += a.shape(l).height * a.shape(l).width;
    EXPECT_EQ(exact.sources, positions);  // one search per position
    EXPECT_EQ(exact.max_distance, want.max_distance) << text;
    EXPECT_DOUBLE_EQ(exact.mean, want.mean) << text;
    EXPECT_DOUBLE_EQ(exact.rms, want.rms) << text;
    for (int l = 0; l < a.layer_count(); ++l)
      EXPECT_DOUBLE_EQ(exact.layer_rms[l], want.layer_rms[l]);

    // A sample of 12 positions per layer (all of smaller layers): unbiased,
    // so its average over 100 seeds comes close to the exact figures; the
    // same for the same seed.
    GraphStatsOptions options;
    options.exact_positions = 0;
    options.sources_per_layer = 12;
    const GraphStats est = graph_stats(Graph(a), options);
    EXPECT_TRUE(est.sampled);
    std::int64_t expected_sources = 0;
    for (int l = 0; l < a.layer_count(); ++l) {
      expected_sources += std::min<std::int64_t>(12, a.shape(l).height * a.shape(l).width);
    }
    EXPECT_EQ(est.sources, expected_sources);
    EXPECT_LE(est.max_distance, want.max_distance);
    EXPECT_EQ(graph_stats(Graph(a), options).rms, est.rms);
    double mean = 0, square = 0;
    for (options.seed = 1; options.seed <= 100; ++options.seed) {
      const GraphStats e = graph_stats(Graph(a), options);
      mean += e.mean / 100;
      square += e.rms * e.rms / 100;
    }
    EXPECT_NEAR(mean, want.mean, 0.02 * want.mean) << text;
    EXPECT_NEAR(square, want.rms * want.rms, 0.02 * want.rms * want.rms) << text;
  }
}

}  // namespace
}  // namespace netinfer::net
