// The graph of general networks (residual blocks, padding, strides, average
// and global pooling) against an explicit edge list built neuron by neuron
// (each neuron's receptive set traced back through its links' steps) and a
// plain breadth-first search; hand-worked distances around a residual block;
// the symmetry classes.
#include <gtest/gtest.h>

#include <set>

#include "net/brute_graph.hpp"
#include "netinfer/net/graph.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net {
namespace {

using Adjacency = std::vector<std::set<std::int64_t>>;

// Index of (f, y, x) within a map of shape s.
std::int64_t at(const Shape& s, int f, int y, int x) {
  return (static_cast<std::int64_t>(f) * s.height + y) * s.width + x;
}

// The input indices a step's output index `o` reads, from the step's definition.
std::set<std::int64_t> reads(const Step& st, const Shape& in, std::int64_t o) {
  std::set<std::int64_t> r;
  if (st.kind == Step::Kind::Dense) {
    for (std::int64_t i = 0; i < in.size(); ++i) r.insert(i);
    return r;
  }
  if (st.kind == Step::Kind::Same) return {o};
  const int x = static_cast<int>(o % st.out.width);
  const int y = static_cast<int>(o / st.out.width % st.out.height);
  const int f = static_cast<int>(o / st.out.width / st.out.height);
  const Window& w = st.window;
  for (int ky = 0; ky < w.kernel_h; ++ky) {
    for (int kx = 0; kx < w.kernel_w; ++kx) {
      const int iy = y * w.stride_h - w.pad_top + ky, ix = x * w.stride_w - w.pad_left + kx;
      if (iy < 0 || iy >= in.height || ix < 0 || ix >= in.width) continue;  // padding
      if (st.kind == Step::Kind::Pool) {
        r.insert(at(in, f, iy, ix));
      } else {
        for (int c = 0; c < in.families; ++c) r.insert(at(in, c, iy, ix));
      }
    }
  }
  return r;
}

Adjacency explicit_general_edges(const Architecture& a) {
  Adjacency adj(a.neuron_count());
  for (int l = 1; l < a.layer_count(); ++l) {
    for (const Link& link : a.links(l)) {
      std::vector<Shape> ins{a.shape(link.from)};
      for (const Step& st : link.steps) ins.push_back(st.out);
      for (std::int64_t v = 0; v < a.shape(l).size(); ++v) {
        std::set<std::int64_t> set{v};
        for (int k = static_cast<int>(link.steps.size()) - 1; k >= 0; --k) {
          std::set<std::int64_t> before;
          for (auto o : set) {
            for (auto i : reads(link.steps[k], ins[k], o)) before.insert(i);
          }
          set = before;
        }
        for (auto u : set) {
          adj[a.offset(link.from) + u].insert(a.offset(l) + v);
          adj[a.offset(l) + v].insert(a.offset(link.from) + u);
        }
      }
    }
  }
  return adj;
}

// Distances from every `every`-th neuron agree with the explicit BFS.
void expect_bfs_distances(const Architecture& a, std::int64_t every) {
  const Graph g(a);
  const Adjacency adj = explicit_general_edges(a);
  for (std::int64_t s = 0; s < a.neuron_count(); s += every) {
    const auto want = brute_bfs(adj, s);
    const auto got = g.distances_from(s);
    for (std::int64_t t = 0; t < a.neuron_count(); ++t) {
      ASSERT_EQ(got[t], want[t]) << "from " << s << " to " << t << " in " << a.to_string();
    }
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
