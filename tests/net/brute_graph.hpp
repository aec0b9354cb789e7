// The brute-force reference the graph tests compare net::Graph with: an
// explicit edge list and a plain breadth-first search over it.
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::net {

// Hop distances from s (-1 where unreachable); adj[u] lists u's neighbours.
template <class Adjacency>
std::vector<int> brute_bfs(const Adjacency& adj, std::int64_t s) {
  std::vector<int> d(adj.size(), -1);
  std::deque<std::int64_t> q{s};
  d[s] = 0;
  while (!q.empty()) {
    const auto u = q.front();
    q.pop_front();
    for (auto v : adj[u]) {
      if (d[v] < 0) {
        d[v] = d[u] + 1;
        q.push_back(v);
      }
    }
  }
  return d;
}

// The explicit edge list of a sequential network (conv, max pool and linear
// layers), written from the definition in Dyer & Griffin 2022 §4.3: adj[u]
// lists u's neighbours.
inline std::vector<std::vector<std::int64_t>> explicit_edges(const Architecture& a) {
  std::vector<std::vector<std::int64_t>> adj(a.neuron_count());
  auto link = [&](std::int64_t u, std::int64_t v) {
    adj[u].push_back(v);
    adj[v].push_back(u);
  };
  for (int l = 1; l < a.layer_count(); ++l) {
    const Shape& p = a.shape(l - 1);
    const Shape& c = a.shape(l);
    const LayerSpec& s = a.spec(l);
    for (int f = 0; f < c.families; ++f) {
      for (int y = 0; y < c.height; ++y) {
        for (int x = 0; x < c.width; ++x) {
          const std::int64_t u = a.index({l, f, x, y});
          if (s.kind == LayerKind::Linear) {
            for (std::int64_t v = a.offset(l - 1); v < a.offset(l); ++v) link(u, v);
            continue;
          }
          for (int dy = 0; dy < s.kernel; ++dy) {
            for (int dx = 0; dx < s.kernel; ++dx) {
              const int py = y * s.stride + dy, px = x * s.stride + dx;
              if (s.kind == LayerKind::MaxPool) {
                link(u, a.index({l - 1, f, px, py}));
              } else {
                for (int ch = 0; ch < p.families; ++ch) link(u, a.index({l - 1, ch, px, py}));
              }
            }
          }
        }
      }
    }
  }
  return adj;
}

using Adjacency = std::vector<std::set<std::int64_t>>;

// Index of (f, y, x) within a map of shape s.
inline std::int64_t map_index(const Shape& s, int f, int y, int x) {
  return (static_cast<std::int64_t>(f) * s.height + y) * s.width + x;
}

// The input indices a step's output index `o` reads, from the step's definition.
inline std::set<std::int64_t> reads(const Step& st, const Shape& in, std::int64_t o) {
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
        r.insert(map_index(in, f, iy, ix));
      } else {
        for (int c = 0; c < in.families; ++c) r.insert(map_index(in, c, iy, ix));
      }
    }
  }
  return r;
}

// The edge list of any architecture, general networks included, built neuron
// by neuron: each neuron's receptive set traced back through its links' steps.
inline Adjacency explicit_general_edges(const Architecture& a) {
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

}  // namespace netinfer::net
