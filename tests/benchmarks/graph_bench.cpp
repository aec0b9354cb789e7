// Graph distances of random neuron pairs (as scoring asks for them: one pair
// per recorded test neuron) on LeNet and on a 1,016,794-neuron network, by
// the search on the position quotient (Graph::distances) and by the flag
// search it replaced (Graph::flag_distance, O(neurons) per level; on the big
// network only 100 pairs: 20,000 would take minutes). OMP_NUM_THREADS threads.
//   build/tests/benchmarks/graph_bench
#include <benchmark/benchmark.h>

#include "netinfer/core/random.hpp"
#include "netinfer/net/graph.hpp"

namespace {

using netinfer::net::Architecture;
using netinfer::net::Graph;

const char* kBig =
    "input 1x28x28; conv 1400 5 ramp; maxpool 2; conv 64 3 ramp; maxpool 2; linear 10 softmax";

// 1,609,722 neurons on 224x224 images: 126,579 positions (the one above has 1,630).
const char* kWide =
    "input 3x224x224; conv 16 3 ramp; maxpool 2; conv 32 3 ramp; maxpool 2; linear 10 softmax";

const Graph& graph(int which) {
  static const Graph lenet(Architecture::lenet()), big(Architecture::parse(kBig)),
      wide(Architecture::parse(kWide));
  return which == 0 ? lenet : which == 1 ? big : wide;
}

// `count` pairs of uniformly random neurons.
void random_pairs(const Graph& g, std::int64_t count, std::vector<std::int64_t>& from,
                  std::vector<std::int64_t>& to) {
  netinfer::Stream s(1, netinfer::purpose_id("graph_bench"), 0);
  const auto n = static_cast<std::uint64_t>(g.architecture().neuron_count());
  for (std::int64_t i = 0; i < count; ++i) {
    from.push_back(static_cast<std::int64_t>(s.below(n)));
    to.push_back(static_cast<std::int64_t>(s.below(n)));
  }
}

// Args: network (0 LeNet, 1 the big one, 2 the wide one), pairs.
void BM_QuotientPairs(benchmark::State& state) {
  const Graph& g = graph(static_cast<int>(state.range(0)));
  std::vector<std::int64_t> from, to;
  random_pairs(g, state.range(1), from, to);
  for (auto _ : state) benchmark::DoNotOptimize(g.distances(from, to).data());
  state.counters["neurons"] = static_cast<double>(g.architecture().neuron_count());
  state.counters["pairs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(1)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_QuotientPairs)
    ->Args({0, 20000})
    ->Args({1, 20000})
    ->Args({1, 40000})
    ->Args({2, 20000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The flag search pair by pair, spread over threads: Graph::distances before.
void BM_FlagPairs(benchmark::State& state) {
  const Graph& g = graph(static_cast<int>(state.range(0)));
  std::vector<std::int64_t> from, to;
  random_pairs(g, state.range(1), from, to);
  const auto count = static_cast<std::int64_t>(from.size());
  std::vector<int> out(count);
  for (auto _ : state) {
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < count; ++i) out[i] = g.flag_distance(from[i], to[i]);
    benchmark::DoNotOptimize(out.data());
  }
  // The quotient's answers for the same pairs: they must be the same.
  const auto quotient = g.distances(from, to);
  std::int64_t differ = 0;
  for (std::int64_t i = 0; i < count; ++i) differ += quotient[i] != out[i];
  state.counters["differ"] = static_cast<double>(differ);
  state.counters["pairs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(1)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FlagPairs)
    ->Args({0, 20000})
    ->Args({1, 100})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Statistics over all pairs (exact: one search per position) of each network.
void BM_GraphStats(benchmark::State& state) {
  const Graph& g = graph(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const auto st = netinfer::net::graph_stats(g);
    state.counters["rms"] = st.rms;
    state.counters["sources"] = static_cast<double>(st.sources);
  }
}
BENCHMARK(BM_GraphStats)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
