// The graph of general networks (residual blocks, padding, strides, average
// and global pooling, reshapes) against an explicit edge list built neuron by
// neuron (explicit_general_edges in brute_graph.hpp) and a plain
// breadth-first search; hand-worked distances around a residual block; the
// symmetry classes.
#include <gtest/gtest.h>

#include <cmath>

#include "net/brute_graph.hpp"
#include "netinfer/net/graph.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net {
namespace {

// Distances from every `every`-th neuron agree with the explicit BFS: from
// distances_from, the flag search, distances() for pairs to every neuron
// (and pair by pair if every == 1); the search runs on the quotient iff `quotient`.
void expect_bfs_distances(const Architecture& a, std::int64_t every, bool quotient = true) {
  const Graph g(a);
  EXPECT_EQ(g.quotient_exact(), quotient) << a.to_string();
  const Adjacency adj = explicit_general_edges(a);
  std::vector<std::int64_t> from, to;
  std::vector<int> want_pairs;
  for (std::int64_t s = 0; s < a.neuron_count(); s += every) {
    const auto want = brute_bfs(adj, s);
    const auto got = g.distances_from(s);
    const auto flags = g.flag_distances_from(s);
    for (std::int64_t t = 0; t < a.neuron_count(); ++t) {
      ASSERT_EQ(got[t], want[t]) << "from " << s << " to " << t << " in " << a.to_string();
      ASSERT_EQ(flags[t], want[t]) << "flag search from " << s << " to " << t;
      from.push_back(s);
      to.push_back(t);
      want_pairs.push_back(want[t]);
    }
  }
  EXPECT_EQ(g.distances(from, to), want_pairs);
  if (every > 1) return;
  for (std::size_t k = 0; k < from.size(); ++k) {  // one pair at a time: from both ends
    ASSERT_EQ(g.distance(from[k], to[k]), want_pairs[k]) << "from " << from[k] << " to " << to[k];
  }
}

// A residual block on a padded stride-2 conv: INPUT 2x6x6; CONVRAMP1 3x3x3
// (3x3, stride 2, pad 1); CONVRAMP2 3x3x3 (3x3, pad 1); RESIDUAL1 =
// relu(CONVRAMP1 + conv(CONVRAMP2)); POOLING1 global average; LINEARSOFT 4.
const char* kResidual =
    "input 2x6x6; layer conv ramp 3x3x3 from 0 conv:3x3/2x2+1x1:3x3x3; "
    "layer conv ramp 3x3x3 from 1 conv:3x3/1x1+1x1:3x3x3; "
    "layer residual ramp 3x3x3 from 2 conv:3x3/1x1+1x1:3x3x3 same:3x3x3 from 1 same:3x3x3; "
    "layer avgpool none 3x1x1 from 3 pool:3x3/1x1+0x0:3x1x1; "
    "layer linear softmax 4x1x1 from 4 dense:4x1x1";

// Padding without residuals: a zero Pad then an average pool, a conv of a
// 2x2 kernel with asymmetric reach, a max pool with padding.
const char* kPadded =
    "input 1x7x7; layer conv ramp 2x7x7 from 0 conv:3x3/1x1+1x1:2x7x7; "
    "layer avgpool none 2x4x4 from 1 pool:1x1/1x1+1x1:2x9x9 pool:3x3/2x2+0x0:2x4x4; "
    "layer conv ramp 3x5x5 from 2 conv:2x2/1x1+1x1:3x5x5; "
    "layer maxpool none 3x3x3 from 3 pool:3x3/2x2+1x1:3x3x3; "
    "layer linear none 5x1x1 from 4 dense:5x1x1";

TEST(GeneralGraph, ResidualBlockMatchesExplicitBfs) {
  expect_bfs_distances(Architecture::parse(kResidual), 1);
}

TEST(GeneralGraph, PaddingMatchesExplicitBfs) {
  expect_bfs_distances(Architecture::parse(kPadded), 1);
}

// A flatten into a linear layer: a reshape joined to the Dense step of the
// same link (also a Dense step reshaped back into a map that a conv reads),
// which the quotient holds exactly...
const char* kFlattenDense =
    "input 1x6x6; layer conv ramp 2x4x4 from 0 conv:3x3/1x1+0x0:2x4x4; "
    "layer maxpool none 2x2x2 from 1 pool:2x2/2x2+0x0:2x2x2; "
    "layer linear ramp 5x1x1 from 2 same:8x1x1 dense:5x1x1; "
    "layer conv ramp 2x2x2 from 3 dense:8x1x1 same:2x2x2 conv:1x1/1x1+0x0:2x2x2; "
    "layer linear softmax 3x1x1 from 4 dense:3x1x1";
// ...and a flatten as a layer of its own: family c at position p becomes
// family 4c + p, so the search falls back to the flag vectors.
const char* kFlattenLayer =
    "input 1x6x6; layer conv ramp 2x4x4 from 0 conv:3x3/1x1+0x0:2x4x4; "
    "layer maxpool none 2x2x2 from 1 pool:2x2/2x2+0x0:2x2x2; "
    "layer linear none 8x1x1 from 2 same:8x1x1; "
    "layer linear softmax 3x1x1 from 3 dense:3x1x1";

TEST(GeneralGraph, FlattenIntoLinearLayerMatchesExplicitBfs) {
  expect_bfs_distances(Architecture::parse(kFlattenDense), 1);
  expect_bfs_distances(Architecture::parse(kFlattenLayer), 1, false);
}

TEST(GeneralGraph, StatisticsMatchExplicitBfs) {
  for (const char* text : {kResidual, kPadded, kFlattenDense, kFlattenLayer}) {
    const Architecture a = Architecture::parse(text);
    const Adjacency adj = explicit_general_edges(a);
    const std::int64_t n = a.neuron_count();
    double sum = 0, sq = 0;
    int max = 0;
    for (std::int64_t s = 0; s < n; ++s) {
      const auto d = brute_bfs(adj, s);
      for (std::int64_t t = 0; t < n; ++t) {
        if (t == s) continue;
        sum += d[t];
        sq += d[t] * d[t];
        max = std::max(max, d[t]);
      }
    }
    const GraphStats st = graph_stats(Graph(a));
    EXPECT_FALSE(st.sampled);
    EXPECT_EQ(st.max_distance, max) << text;
    EXPECT_DOUBLE_EQ(st.mean, sum / (double(n) * (n - 1))) << text;
    EXPECT_DOUBLE_EQ(st.rms, std::sqrt(sq / (double(n) * (n - 1)))) << text;
  }
}

TEST(GeneralGraph, OnnxResidualNetworkMatchesExplicitBfs) {
  const Architecture a =
      load_weights(std::string(NETINFER_TEST_DATA) + "/onnx/residual.onnx").architecture();
  expect_bfs_distances(a, 97);
}

TEST(GeneralGraph, HandWorkedResidualDistances) {
  const Architecture a = Architecture::parse(kResidual);
  const Graph g(a);
  const auto n = [&](int l, int f, int x, int y) { return a.index({l, f, x, y}); };
  // relu(x + F(x)) is joined to x at its own position, same family...
  EXPECT_EQ(g.distance(n(3, 1, 1, 1), n(1, 1, 1, 1)), 1);
  // ...and to F's inner layer through F's last window (3x3, pad 1).
  EXPECT_EQ(g.distance(n(3, 1, 0, 0), n(2, 2, 1, 1)), 1);
  EXPECT_EQ(g.distance(n(3, 1, 0, 0), n(2, 2, 2, 2)), 3);  // outside: via CONVRAMP1 and back
  // Another family of x at the same position: not joined directly; through
  // CONVRAMP2 (the conv mixes families), or RESIDUAL's family 2 via layer 2.
  EXPECT_EQ(g.distance(n(3, 1, 1, 1), n(1, 0, 1, 1)), 2);
  // The padded stride-2 conv: CONVRAMP1 (0,0) reads INPUT rows/columns 0..1 only.
  EXPECT_EQ(g.distance(n(1, 0, 0, 0), n(0, 1, 1, 1)), 1);
  EXPECT_EQ(g.distance(n(1, 0, 0, 0), n(0, 1, 2, 2)), 3);
}

TEST(GeneralGraph, SymmetryClasses) {
  const Architecture a =
      load_weights(std::string(NETINFER_TEST_DATA) + "/onnx/residual.onnx").architecture();
  // CONVRAMP1 with the residual layer it is added to and that layer's max pool;
  // each conv with its pool; the classifier alone; INPUT left out.
  EXPECT_EQ(family_classes(a),
            (std::vector<std::vector<int>>{{1, 3, 4}, {2}, {5, 6}, {7, 8}, {9}}));
  EXPECT_EQ(family_classes(Architecture::lenet()),
            (std::vector<std::vector<int>>{{1, 2}, {3, 4}, {5}, {6}}));
}

TEST(GeneralGraph, PerfectSplitKindOfEachLayer) {
  const Architecture a = Architecture::parse(kResidual);
  EXPECT_TRUE(a.spatial(1));
  EXPECT_TRUE(a.spatial(3));
  EXPECT_FALSE(a.spatial(4));  // a global pool's 1x1 maps split by family
  EXPECT_FALSE(a.spatial(5));
  EXPECT_EQ(a.name(3), "RESIDUAL1");
  EXPECT_EQ(a.name(4), "POOLING1");
}

TEST(GeneralGraph, BadArchitectureTextFailsClearly) {
  const auto error = [](const std::string& text) {
    try {
      Architecture::parse(text);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("input 1x4x4; layer conv ramp 2x2x2 from 0 conv:3x3").find("bad step 'conv:3x3'"),
            std::string::npos);
  EXPECT_NE(error("input 1x4x4; layer conv ramp 2x2x2 from 0 conv:3x3/1x1+0x0:2x3x3")
                .find("a link ends in shape 2x3x3, the layer has 2x2x2"),
            std::string::npos);
  EXPECT_NE(error("input 1x4x4; conv 2 3 ramp; layer conv ramp 2x2x2 from 0 conv:3x3/1x1+0x0:2x2x2")
                .find("cannot be mixed"),
            std::string::npos);
  EXPECT_NE(error("input 1x4x4; layer conv ramp 2x2x2 from 1 conv:3x3/1x1+0x0:2x2x2")
                .find("a link must come from an earlier layer"),
            std::string::npos);
}

}  // namespace
}  // namespace netinfer::net
