// The performance score of 000 §5.2: for each layer (the layer of the true
// location) the RMS graph distance between true and assigned locations; the
// overall error is the mean over layers. Per layer the mean square splits into
// the parts due to active and to silent neurons, both normalised by the layer's
// test count, so error_l^2 = active_l^2 + silent_l^2; the overall active and
// silent errors are means over layers of those parts.
//
// Beside this strict score, a score up to the network's symmetries: families
// that no training neuron touches and that an automorphism of the graph can
// permute (a conv family with the pooling families it feeds; any family of a
// linear layer) are indistinguishable to any method. We pick, per such chain
// of layers, the family permutation that agrees with the most assignments (a
// small assignment problem) and score distances after applying it. For LeNet
// with the perfect split these are the test neurons of LINEARRAMP and
// LINEARSOFT, which put a floor near (2 + 1.8) / 7 on the strict score.
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/net/graph.hpp"

namespace netinfer::localize {

struct Score {
  double overall = 0, active = 0, silent = 0, overall_symmetric = 0;
  // Per layer; NaN where a layer has no test neuron.
  std::vector<double> layer, layer_active, layer_silent, layer_symmetric;
  std::vector<int> distance, distance_symmetric;  // per test neuron
};

// truth[i] and assigned[i] are neuron indices (global order) of test neuron
// i's true and assigned locations; silent[i] flags silent test neurons;
// train lists the training neurons (their families break symmetries).
Score score_assignment(const net::Graph& graph, const std::vector<std::int64_t>& truth,
                       const std::vector<std::int64_t>& assigned,
                       const std::vector<std::uint8_t>& silent,
                       const std::vector<std::int64_t>& train);

}  // namespace netinfer::localize
