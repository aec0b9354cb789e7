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

namespace netinfer::net {

namespace {

// The undirected graph as compressed adjacency lists (CSR).
struct ExplicitGraph {
  std::vector<std::int64_t> start;  // neighbours of u: next[start[u] .. start[u + 1])
  std::vector<std::int32_t> next;
};

ExplicitGraph explicit_graph(const Architecture& a) {
  std::vector<std::pair<std::int32_t, std::int32_t>> edges;
  for (int l = 1; l < a.layer_count(); ++l) {
    const Shape& prev = a.shape(l - 1);
    const Shape& cur = a.shape(l);
    const LayerSpec& s = a.spec(l);
    for (int f = 0; f < cur.families; ++f) {
      for (int y = 0; y < cur.height; ++y) {
        for (int x = 0; x < cur.width; ++x) {
          const auto u = static_cast<std::int32_t>(a.index({l, f, x, y}));
          if (s.kind == LayerKind::Linear) {
            for (std::int64_t v = a.offset(l - 1); v < a.offset(l); ++v)
              edges.push_back({u, static_cast<std::int32_t>(v)});
            continue;
          }
          for (int dy = 0; dy < s.kernel; ++dy) {
            for (int dx = 0; dx < s.kernel; ++dx) {
              const int px = x * s.stride + dx, py = y * s.stride + dy;
              const int first = s.kind == LayerKind::MaxPool ? f : 0;
              const int last = s.kind == LayerKind::MaxPool ? f + 1 : prev.families;
              for (int c = first; c < last; ++c)
                edges.push_back({u, static_cast<std::int32_t>(a.index({l - 1, c, px, py}))});
            }
          }
        }
      }
    }
  }
  ExplicitGraph g;
  g.start.assign(a.neuron_count() + 1, 0);
  for (const auto& [u, v] : edges) {
    ++g.start[u + 1];
    ++g.start[v + 1];
  }
  for (std::size_t i = 1; i < g.start.size(); ++i) g.start[i] += g.start[i - 1];
  g.next.resize(g.start.back());
  std::vector<std::int64_t> fill(g.start.begin(), g.start.end() - 1);
  for (const auto& [u, v] : edges) {
    g.next[fill[u]++] = v;
    g.next[fill[v]++] = u;
  }
  return g;
}

std::vector<int> bfs(const ExplicitGraph& g, std::int32_t source) {
  const auto n = static_cast<std::int32_t>(g.start.size() - 1);
  std::vector<int> d(n, -1);
  std::vector<std::int32_t> queue{source};
  queue.reserve(n);
  d[source] = 0;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const std::int32_t u = queue[head];
    for (std::int64_t e = g.start[u]; e < g.start[u + 1]; ++e) {
      const std::int32_t v = g.next[e];
      if (d[v] < 0) {
        d[v] = d[u] + 1;
        queue.push_back(v);
      }
    }
  }
  return d;
}

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
  const ExplicitGraph g = explicit_graph(a);
  // 2 x (20*24*24*25 + 20*12*12*4 + 50*8*8*25*20 + 50*4*4*4 + 500*800 + 10*500)
  ASSERT_EQ(g.next.size(), 2u * 2307720u);

  // The symmetries the reference relies on: another family, a mirrored or
  // transposed place, another neuron of a linear layer, all have the distance
  // histogram of the orbit's representative.
  const auto distances_of = [&](std::int64_t neuron) {
    return histogram(bfs(g, static_cast<std::int32_t>(neuron)));
  };
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
    const auto d = bfs(g, static_cast<std::int32_t>(sources[i]));
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
