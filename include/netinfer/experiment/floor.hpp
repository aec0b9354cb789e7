// The silent-only floor of Fig. 15 (000): the score an assignment would get if
// every active test neuron were placed correctly and only silent neurons,
// being indistinguishable, were misplaced. The silent test neurons then take
// the silent test locations in a uniformly random order; we give the expected
// value exactly: per layer l,
//   floor_l^2 = (1 / n_l) sum_{i silent, in l} (1 / |S|) sum_{j in S} d(i, j)^2
// over the layer's n_l test neurons and the set S of silent test neurons (so a
// layer with no silent test neuron has floor 0). The overall floor is the mean
// over layers with test neurons, as for the score (score.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/net/graph.hpp"

namespace netinfer::experiment {

struct Floor {
  double overall = 0;
  std::vector<double> layer;  // NaN where a layer has no test neuron
};

// tests: the test neurons (their true locations); silent[i] flags tests[i].
Floor silent_floor(const net::Graph& graph, const std::vector<std::int64_t>& tests,
                   const std::vector<std::uint8_t>& silent);

}  // namespace netinfer::experiment
