// LAPJV on dense random cost matrices (the scale: 5,000 and 10,000;
// scipy's solver takes ~3.4 s at 5,000 x 5,000 here). Real LeNet confidence
// matrices are timed by the localisation job itself.
#include <benchmark/benchmark.h>

#include "netinfer/core/random.hpp"
#include "netinfer/localize/assignment.hpp"

namespace {

netinfer::localize::CostMatrix random_costs(int n) {
  netinfer::Stream s(1, netinfer::purpose_id("assignment-bench"), n);
  netinfer::localize::CostMatrix c(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) c(i, j) = static_cast<float>(s.uniform());
  }
  return c;
}

void BM_LapjvUniform(benchmark::State& state) {
  const auto c = random_costs(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(netinfer::localize::solve_assignment(c));
}
BENCHMARK(BM_LapjvUniform)
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
