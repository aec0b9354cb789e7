#include "netinfer/experiment/floor.hpp"

#include <cmath>

#include "netinfer/core/error.hpp"

namespace netinfer::experiment {

Floor silent_floor(const net::Graph& graph, const std::vector<std::int64_t>& tests,
                   const std::vector<std::uint8_t>& silent) {
  const auto& arch = graph.architecture();
  NI_REQUIRE(tests.size() == silent.size(), "silent_floor: ", tests.size(), " tests but ",
             silent.size(), " silent flags");
  const int layers = arch.layer_count();
  std::vector<double> count(layers, 0), sum_sq(layers, 0);
  std::vector<std::int64_t> silent_tests;
  for (std::size_t i = 0; i < tests.size(); ++i) {
    count[arch.layer_of(tests[i])] += 1;
    if (silent[i]) silent_tests.push_back(tests[i]);
  }
  for (auto from : silent_tests) {
    const auto d = graph.distances_from(from);
    double s = 0;
    for (auto to : silent_tests) s += static_cast<double>(d[to]) * d[to];
    sum_sq[arch.layer_of(from)] += s / static_cast<double>(silent_tests.size());
  }
  Floor f;
  int used = 0;
  for (int l = 0; l < layers; ++l) {
    if (count[l] == 0) {
      f.layer.push_back(NAN);
      continue;
    }
    f.layer.push_back(std::sqrt(sum_sq[l] / count[l]));
    f.overall += f.layer.back();
    ++used;
  }
  f.overall /= used;
  return f;
}

}  // namespace netinfer::experiment
