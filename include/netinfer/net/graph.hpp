// The undirected network graph of 000 §4.3 and its shortest-path distances.
// Edges: each conv neuron to its whole k x k x channels window in the previous
// layer; each pooling neuron to its window in the same family; each linear
// neuron to every neuron of the previous layer. In a general network, neuron
// u is joined to v when v depends on u through one link's chain of linear
// steps (Architecture::links): relu(x + F(x)) is joined to x at its own
// position and to F's inner layer through F's last window. Edges are never stored.
//
// Searches run on the quotient of the graph by spatial position (quotient.hpp
// in src/net: two bits per (layer, y, x), since conv and linear steps join
// every family and pooling keeps it), which is exact for every architecture
// whose Same steps keep their shape or sit next to a Dense step. Elsewhere (a
// reshape between layers) they fall back to the flag search: whole flag
// vectors expanded a layer at a time, O(neurons) per distance level.
// distances() runs one search for all the pairs of a source position that
// has several, stopped at its farthest target, and searches a pair alone from
// both ends (timings in docs/scaling.md).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::net {

class PositionQuotient;

class Graph {
 public:
  explicit Graph(Architecture arch);
  const Architecture& architecture() const { return arch_; }
  // Whether searches run on the position quotient (else on flag vectors).
  bool quotient_exact() const;

  // Distances from `source` to every neuron (global order); -1 if unreachable.
  std::vector<std::int16_t> distances_from(std::int64_t source) const;
  // Distance between two neurons (searched from both ends until they meet).
  int distance(std::int64_t from, std::int64_t to) const;
  // distance(from[i], to[i]) for every i: pairs grouped by source position,
  // the groups spread over OpenMP threads.
  std::vector<int> distances(const std::vector<std::int64_t>& from,
                             const std::vector<std::int64_t>& to) const;

  // The flag search on whole neuron vectors: the fallback, and the reference
  // the quotient is checked and timed against.
  std::vector<std::int16_t> flag_distances_from(std::int64_t source) const;
  int flag_distance(std::int64_t from, std::int64_t to) const;

  // Rows of the distance matrix for graph_stats: the sums of d and d^2 and
  // the largest d from `source` to every other neuron.
  struct RowSums {
    double sum = 0, sum_sq = 0;
    int max = 0;
  };
  RowSums row_sums(std::int64_t source) const;

 private:
  // next = every neighbour of a neuron flagged in `frontier` (flags 0/1).
  void expand(const std::vector<std::uint8_t>& frontier, std::vector<std::uint8_t>& next) const;
  std::int64_t check(std::int64_t neuron) const;
  Architecture arch_;
  std::shared_ptr<const PositionQuotient> quotient_;  // shared by copies; read-only
};

// Statistics over all ordered pairs of distinct neurons (the paper: LeNet's
// maximum is 10 and the mean 4.6). rms is the random-assignment baseline of
// §5.2 (RMS distance between all pairs); per-layer figures take pairs whose
// first neuron lies in that layer. Exact where cheap: one search per source
// position (every family of a position has the same distances, relabelled),
// or per neuron without the quotient. Otherwise estimated from a seeded
// sample of sources per layer (all of a layer with fewer), each weighted by
// its layer's size over its sample; max_distance is then the largest seen.
struct GraphStats {
  int max_distance = 0;
  double mean = 0, rms = 0;
  std::vector<double> layer_rms;  // per layer
  bool sampled = false;           // an estimate from a sample of sources
  std::int64_t sources = 0;       // searches made
};
struct GraphStatsOptions {
  std::int64_t exact_positions = 10000;  // exact up to this many positions (quotient)
  std::int64_t exact_neurons = 50000;    // or this many neurons (flag search)
  std::int64_t sources_per_layer = 256;  // the sample otherwise
  std::uint64_t seed = 1;
};
GraphStats graph_stats(const Graph& graph, const GraphStatsOptions& options = {});

}  // namespace netinfer::net
