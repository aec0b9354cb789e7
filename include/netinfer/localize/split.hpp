// Train/test splits of the neurons (000 §5.1, §6.1, Fig. 17). Training
// neurons have known locations; test neurons are to be assigned to the test
// locations. Neuron indices follow the global order of architecture.hpp.
// Only recorded neurons (net/recording.hpp) are split: the test neurons are
// placed among the recorded test locations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/net/architecture.hpp"
#include "netinfer/net/recording.hpp"

namespace netinfer::localize {

struct Split {
  std::string name;
  std::vector<std::int64_t> train, test;  // ascending neuron indices
};

// "Perfect" split (§6.1): in spatial layers a checkerboard on x + y within
// every family (even x + y trains); in linear layers even family indices train.
Split perfect_split(const net::Architecture& arch, const net::Recording& recording);

// A random split of the N recorded neurons: round(train_fraction * N)
// training neurons and, from the rest, round(test_fraction * N) test neurons
// (Fig. 17: test neurons drawn from the non-training ones); test_fraction <= 0
// means all remaining neurons.
Split random_split(const net::Recording& recording, double train_fraction, double test_fraction,
                   std::uint64_t seed);

// Parses "perfect", "random" (50%), "random:<train>" or "random:<train>:<test>"
// (fractions of the recorded neurons), with `seed` for the random ones.
Split make_split(const net::Architecture& arch, const net::Recording& recording,
                 const std::string& spec, std::uint64_t seed);

// Layer balancing (§5.1): the training neurons plus draws with replacement so
// that every layer has as many samples as the largest layer. Returns neuron
// indices (with repeats), deterministic for the seed.
std::vector<std::int64_t> layer_balanced(const net::Architecture& arch,
                                         const std::vector<std::int64_t>& train,
                                         std::uint64_t seed);

}  // namespace netinfer::localize
