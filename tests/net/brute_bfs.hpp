// Breadth-first search over an explicit adjacency list: the brute-force
// reference the graph tests compare net::Graph's distances with.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

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

}  // namespace netinfer::net
