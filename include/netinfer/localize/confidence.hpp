// The log-confidence of every (test neuron, test location) pair, eq. (1) of
// 000: log P(l) + log P(f|l) + log P(x|l) + log P(y|l), from the outputs of
// the classifier bank. Degenerate cases (§5.1): INPUT has one family
// (probability 1); in linear layers the family is unknowable, probability
// 1/k with k the layer's number of test locations, and there is no x or y.
//
// Probability floor: every classifier's probabilities are mixed with a
// uniform prior, p' = (1 - w) p + w / K for K classes, so classes never seen in
// training (and classes no tree voted for) keep probability >= w / K and the
// logarithm stays finite. w is --prior-weight (default 1e-3).
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/localize/assignment.hpp"
#include "netinfer/net/architecture.hpp"

namespace netinfer::localize {

// Class probabilities of the bank for the test neurons (rows, in the order
// the bank was given them). Conditional classifiers are indexed by layer and
// empty where the layer has none (INPUT family, linear layers).
struct BankOutput {
  RowMatrix layer;                      // tests x layers
  std::vector<RowMatrix> family, x, y;  // per layer: tests x families / width / height
};

// cost(i, j) = -log confidence of test neuron i at location test_locations[j],
// computed in double and stored in single precision (see CostMatrix).
CostMatrix confidence_cost(const net::Architecture& arch, const BankOutput& bank,
                           const std::vector<std::int64_t>& test_locations, double prior_weight);

}  // namespace netinfer::localize
