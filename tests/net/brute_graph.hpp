// The brute-force reference the graph tests compare net::Graph with: an
// explicit edge list and a plain breadth-first search over it.
#pragma once

#include <cstdint>
#include <deque>
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

}  // namespace netinfer::net
