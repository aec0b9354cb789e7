// LeNet's graph-distance statistics (`netinfer graph`; the README's maximum
// 10, mean 4.592, RMS 4.895) against a brute-force breadth-first search on
// the explicit edge list of 000 §4.3, written here from the definition.
//
// Brute force from all 19,694 sources would take minutes, so the reference
// uses two symmetries of LeNet's graph. Families: permuting the families of a
// conv layer together with the pooling families it feeds maps edges to edges
// (the next conv or linear layer connects to every channel), and the neurons
// of a linear layer are interchangeable. Space: every map is square with an
// even side, and every window (5x5 stride 1, 2x2 stride 2) maps to a window
// under x -> W-1-x, y -> H-1-y and x <-> y, so those 8 maps act on all layers
// at once. A source's distances to all others are the same, up to
// relabelling, over its orbit; one source per orbit (family 0, 0 <= x <= y <
// W/2; one neuron per linear layer), weighted by the orbit's size, gives the
// exact sums. The test checks both symmetries on sample sources first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "netinfer/net/graph.hpp"

#include "net/brute_graph.hpp"

namespace netinfer::net {

namespace {

// How many neurons lie at each distance from the source.
std::vector<std::int64_t> histogram(const std::vector<int>& d) {
  std::vector<std::int64_t> h(*std::max_element(d.begin(), d.end()) + 1, 0);
  for (int v : d) ++h[v];
  return h;
}

}  // namespace

TEST(GraphStatistics, LeNetMatchesBruteForceSearchAndTheReadme) {
  const Architecture a = Architecture::lenet();
  const std::int64_t n = a.neuron_count();
  const auto adj = explicit_edges(a);
  std::size_t entries = 0;
  for (const auto& neighbours : adj) entries += neighbours.size();
  // 2 x (20*24*24*25 + 20*12*12*4 + 50*8*8*25*20 + 50*4*4*4 + 500*800 + 10*500)
  ASSERT_EQ(entries, 2u * 2307720u);

  // The symmetries the reference relies on: another family, a mirrored or
  // transposed place, another neuron of a linear layer, all have the distance
  // histogram of the orbit's representative.
  const auto distances_of = [&](std::int64_t neuron) { return histogram(brute_bfs(adj, neuron)); };
  for (const Location& loc : {Location{0, 0, 3, 17}, Location{1, 13, 5, 17}, Location{2, 19, 11, 3},
                              Location{3, 37, 6, 2}, Location{4, 49, 0, 3}}) {
    const int w = a.shape(loc.layer).width, h = a.shape(loc.layer).height;
    const auto want = distances_of(a.index(loc));
    for (const Location& image : {Location{loc.layer, 0, loc.x, loc.y},
                                  Location{loc.layer, loc.family, w - 1 - loc.x, loc.y},
                                  Location{loc.layer, loc.family, loc.x, h - 1 - loc.y},
                                  Location{loc.layer, loc.family, loc.y, loc.x}}) {
      EXPECT_EQ(distances_of(a.index(image)), want)
          << "layer " << loc.layer << ": (" << image.family << ", " << image.x << ", " << image.y
          << ") against (" << loc.family << ", " << loc.x << ", " << loc.y << ")";
    }
  }
  EXPECT_EQ(distances_of(a.offset(5) + 123), distances_of(a.offset(5)));
  EXPECT_EQ(distances_of(a.offset(6) + 7), distances_of(a.offset(6)));

  // Sums over all ordered pairs (integers, exact in double), one source per orbit.
  std::vector<std::int64_t> sources;
  std::vector<double> weight;
  for (int l = 0; l < a.layer_count(); ++l) {
    const Shape& s = a.shape(l);
    if (!a.spatial(l)) {
      sources.push_back(a.offset(l));
      weight.push_back(static_cast<double>(s.size()));
      continue;
    }
    ASSERT_EQ(s.width, s.height);
    ASSERT_EQ(s.width % 2, 0);
    for (int y = 0; y < s.height / 2; ++y) {
      for (int x = 0; x <= y; ++x) {
        sources.push_back(a.index({l, 0, x, y}));
        weight.push_back(static_cast<double>(s.families) * (x == y ? 4 : 8));
      }
    }
  }
  double covered = 0;
  for (double w : weight) covered += w;
  ASSERT_EQ(covered, static_cast<double>(n));  // the orbits cover every neuron once
  const auto count = static_cast<std::int64_t>(sources.size());
  std::vector<double> sum(count), sum_sq(count);
  std::vector<int> min_d(count), max_d(count);
#pragma omp parallel for schedule(dynamic, 4)
  for (std::int64_t i = 0; i < count; ++i) {
    const auto d = brute_bfs(adj, sources[i]);
    double s = 0, s2 = 0;
    for (int v : d) {
      s += v;
      s2 += static_cast<double>(v) * v;
    }
    sum[i] = s;
    sum_sq[i] = s2;
    min_d[i] = *std::min_element(d.begin(), d.end());
    max_d[i] = *std::max_element(d.begin(), d.end());
  }
  EXPECT_EQ(*std::min_element(min_d.begin(), min_d.end()), 0);  // connected: no -1
  double total = 0, total_sq = 0;
  std::vector<double> layer_sq(a.layer_count(), 0);
  for (std::int64_t i = 0; i < count; ++i) {
    total += weight[i] * sum[i];
    total_sq += weight[i] * sum_sq[i];
    layer_sq[a.layer_of(sources[i])] += weight[i] * sum_sq[i];
  }
  const double pairs = static_cast<double>(n) * (n - 1);

  const GraphStats st = graph_stats(Graph(a));
  EXPECT_EQ(st.max_distance, *std::max_element(max_d.begin(), max_d.end()));
  EXPECT_DOUBLE_EQ(st.mean, total / pairs);
  EXPECT_DOUBLE_EQ(st.rms, std::sqrt(total_sq / pairs));
  ASSERT_EQ(st.layer_rms.size(), static_cast<std::size_t>(a.layer_count()));
  for (int l = 0; l < a.layer_count(); ++l) {
    EXPECT_DOUBLE_EQ(st.layer_rms[l],
                     std::sqrt(layer_sq[l] / (static_cast<double>(a.shape(l).size()) * (n - 1))))
        << a.name(l);
  }
  // The figures the README quotes (the paper: maximum 10, mean 4.6, random
  // assignment error 4.9).
  EXPECT_EQ(st.max_distance, 10);
  EXPECT_NEAR(st.mean, 4.592, 5e-4);
  EXPECT_NEAR(st.rms, 4.895, 5e-4);
}

}  // namespace netinfer::net
