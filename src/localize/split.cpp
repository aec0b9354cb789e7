#include "netinfer/localize/split.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::localize {

Split perfect_split(const net::Architecture& arch, const net::Recording& recording) {
  Split s;
  s.name = "perfect";
  for (const std::int64_t n : recording.neurons()) {
    const auto loc = arch.location(n);
    const bool train = arch.spatial(loc.layer) ? (loc.x + loc.y) % 2 == 0 : loc.family % 2 == 0;
    (train ? s.train : s.test).push_back(n);
  }
  return s;
}

Split random_split(const net::Recording& recording, double train_fraction, double test_fraction,
                   std::uint64_t seed) {
  NI_REQUIRE(train_fraction > 0 && train_fraction < 1, "split: training fraction ", train_fraction,
             " must lie in (0, 1)");
  NI_REQUIRE(test_fraction <= 1 - train_fraction + 1e-12, "split: training fraction ",
             train_fraction, " plus test fraction ", test_fraction, " exceeds 1");
  const std::int64_t n = recording.size();
  std::vector<std::int64_t> order = recording.neurons();
  Stream rng(seed, purpose_id("random-split"), 0);
  for (std::int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  const auto n_train = static_cast<std::int64_t>(std::llround(train_fraction * n));
  const auto n_test =
      test_fraction > 0 ? static_cast<std::int64_t>(std::llround(test_fraction * n)) : n - n_train;
  NI_REQUIRE(n_train > 0 && n_test > 0, "split leaves no training or no test neurons");
  Split s;
  std::ostringstream name;
  name << "random:" << train_fraction << ":"
       << (test_fraction > 0 ? test_fraction : 1 - train_fraction) << ":seed" << seed;
  s.name = name.str();
  s.train.assign(order.begin(), order.begin() + n_train);
  s.test.assign(order.begin() + n_train, order.begin() + n_train + n_test);
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

Split make_split(const net::Architecture& arch, const net::Recording& recording,
                 const std::string& spec, std::uint64_t seed) {
  if (spec == "perfect") return perfect_split(arch, recording);
  if (spec.rfind("random", 0) == 0) {
    double train = 0.5, test = 0;
    std::string rest = spec.substr(6);
    if (!rest.empty()) {
      NI_REQUIRE(rest[0] == ':', "split '", spec, "': expected random:<train>[:<test>]");
      std::istringstream in(rest.substr(1));
      char colon = 0;
      NI_REQUIRE(static_cast<bool>(in >> train), "split '", spec, "': bad training fraction");
      if (in >> colon) {
        NI_REQUIRE(colon == ':' && static_cast<bool>(in >> test), "split '", spec,
                   "': bad test fraction");
      }
    }
    return random_split(recording, train, test, seed);
  }
  NI_FAIL("unknown split '", spec, "' (perfect | random | random:<train> | random:<train>:<test>)");
}

std::vector<std::int64_t> layer_balanced(const net::Architecture& arch,
                                         const std::vector<std::int64_t>& train,
                                         std::uint64_t seed) {
  std::vector<std::vector<std::int64_t>> by_layer(arch.layer_count());
  for (auto n : train) by_layer[arch.layer_of(n)].push_back(n);
  std::size_t largest = 0;
  for (const auto& l : by_layer) largest = std::max(largest, l.size());
  std::vector<std::int64_t> out;
  for (int l = 0; l < arch.layer_count(); ++l) {
    const auto& members = by_layer[l];
    if (members.empty()) continue;
    out.insert(out.end(), members.begin(), members.end());
    Stream rng(seed, purpose_id("layer-balance"), l);
    for (std::size_t k = members.size(); k < largest; ++k)
      out.push_back(members[rng.below(members.size())]);
  }
  return out;
}

}  // namespace netinfer::localize
