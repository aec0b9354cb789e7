// The undirected network graph of 000 §4.3 and its shortest-path distances.
// Edges: each conv neuron to its whole k x k x channels window in the previous
// layer; each pooling neuron to its window in the same family; each linear
// neuron to every neuron of the previous layer. In a general network, neuron
// u is joined to v when v depends on u through one link's chain of linear
// steps (Architecture::links): relu(x + F(x)) is joined to x at its own
// position and to F's inner layer through F's last window. Edges are never stored:
// breadth-first search expands whole layers at once (window ORs over the
// spatial maps), so one search costs O(neurons) per distance level and
// scoring ~10,000 (true, assigned) pairs of LeNet takes about a second.
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::net {

class Graph {
 public:
  explicit Graph(Architecture arch) : arch_(std::move(arch)) {}
  const Architecture& architecture() const { return arch_; }

  // Distances from `source` to every neuron (global order); -1 if unreachable.
  std::vector<std::int16_t> distances_from(std::int64_t source) const;
  // Distance between two neurons (the search stops when `to` is reached).
  int distance(std::int64_t from, std::int64_t to) const;
  // distance(from[i], to[i]) for every i, spread over OpenMP threads.
  std::vector<int> distances(const std::vector<std::int64_t>& from,
                             const std::vector<std::int64_t>& to) const;

 private:
  // next = every neighbour of a neuron flagged in `frontier` (flags 0/1).
  void expand(const std::vector<std::uint8_t>& frontier, std::vector<std::uint8_t>& next) const;
  Architecture arch_;
};

// Statistics over all ordered pairs of distinct neurons (the paper: LeNet's
// maximum is 10 and the mean 4.6). rms is the random-assignment baseline of
// §5.2 (RMS distance between all pairs); per-layer figures take pairs whose
// first neuron lies in that layer. Cost: one full search per neuron.
struct GraphStats {
  int max_distance = 0;
  double mean = 0, rms = 0;
  std::vector<double> layer_rms;  // per layer
};
GraphStats graph_stats(const Graph& graph);

}  // namespace netinfer::net
