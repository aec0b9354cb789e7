// The assignment solvers.
//
// BM_LapjvUniform: LAPJV on dense uniform random matrices (scipy's solver
// takes ~3.4 s at 5,000 x 5,000 here).
//
// BM_Confidence{Dense,ByRows,Sparse}/n: the solvers on confidence tables
// shaped like a classifier bank's output for n test neurons of lenet4x
// (76,394 neurons; docs/scaling.md, "Assignment at scale"): n test
// locations drawn at random, each test neuron's true location one of them,
// and every classifier's probabilities votes of 100 trees, most for the true
// class, some for a neighbour (the adjacent layer, x or y), the rest at
// random; the conditional classifiers of the wrong layers vote around the
// position scaled to their layer. Families are the hard part (35% of the
// votes), as in the paper. Each run prints the optimal total cost (the three
// solvers must agree) and reports the sparse solver's rounds, edges and rerouted rows, the
// resident memory of the tables and the solve's peak above it (Linux).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "netinfer/core/random.hpp"
#include "netinfer/localize/assignment.hpp"
#include "netinfer/localize/confidence.hpp"

namespace {

using namespace netinfer;
using namespace netinfer::localize;

CostMatrix random_costs(int n) {
  Stream s(1, purpose_id("assignment-bench"), n);
  CostMatrix c(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) c(i, j) = static_cast<float>(s.uniform());
  }
  return c;
}

void BM_LapjvUniform(benchmark::State& state) {
  const auto c = random_costs(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(solve_assignment(c));
}
BENCHMARK(BM_LapjvUniform)
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

const net::Architecture& lenet4x() {
  static const auto a = net::Architecture::parse(
      "input 1x28x28; conv 80 5 ramp; maxpool 2; conv 200 5 ramp; maxpool 2; linear 2000 ramp; "
      "linear 10 softmax");
  return a;
}

// 100 trees' votes over `classes` classes: a share `right` for `truth`, half
// the rest for a neighbour, the rest uniform; written as probabilities.
void votes(Stream& s, int classes, int truth, double right, bool neighbours, double* p) {
  std::fill(p, p + classes, 0.0);
  for (int t = 0; t < 100; ++t) {
    const double u = s.uniform();
    int c = truth;
    if (u >= right && u < right + (1 - right) / 2 && neighbours) {
      c = std::clamp(truth + (s.uniform() < 0.5 ? -1 : 1), 0, classes - 1);
    } else if (u >= right) {
      c = static_cast<int>(s.below(classes));
    }
    p[c] += 0.01;
  }
}

struct Problem {
  std::vector<std::int64_t> locations;
  std::unique_ptr<ConfidenceTables> tables;
};

Problem synthetic_problem(int n) {
  const auto& a = lenet4x();
  Stream s(7, purpose_id("assignment-bench-bank"), n);
  Problem pr;
  // n distinct test locations (a partial Fisher–Yates shuffle), in neuron order.
  std::vector<std::int64_t> all(a.neuron_count());
  for (std::int64_t k = 0; k < a.neuron_count(); ++k) all[k] = k;
  for (int k = 0; k < n; ++k) std::swap(all[k], all[k + s.below(all.size() - k)]);
  pr.locations.assign(all.begin(), all.begin() + n);
  std::sort(pr.locations.begin(), pr.locations.end());
  // Test neuron i's true location: a random permutation of them.
  std::vector<std::int64_t> truth = pr.locations;
  for (int k = n - 1; k > 0; --k) std::swap(truth[k], truth[s.below(k + 1)]);
  const int layers = a.layer_count();
  BankOutput b;
  b.layer = RowMatrix(n, layers);
  b.family.resize(layers);
  b.x.resize(layers);
  b.y.resize(layers);
  for (int l = 0; l < layers; ++l) {
    if (!a.spatial(l)) continue;
    if (l > 0) b.family[l] = RowMatrix(n, a.shape(l).families);
    b.x[l] = RowMatrix(n, a.shape(l).width);
    b.y[l] = RowMatrix(n, a.shape(l).height);
  }
  for (int i = 0; i < n; ++i) {
    const auto t = a.location(truth[i]);
    votes(s, layers, t.layer, 0.85, true, &b.layer(i, 0));
    const auto& shape = a.shape(t.layer);
    for (int l = 0; l < layers; ++l) {
      if (!a.spatial(l)) continue;
      const bool right = l == t.layer;
      // Positions scaled to layer l (the receptive field's centre, roughly).
      const int x = shape.width > 0 ? t.x * a.shape(l).width / shape.width : 0;
      const int y = shape.height > 0 ? t.y * a.shape(l).height / shape.height : 0;
      const bool spatial_truth = a.spatial(t.layer);
      if (l > 0) {
        const int f = right ? t.family : static_cast<int>(s.below(a.shape(l).families));
        votes(s, a.shape(l).families, f, right ? 0.35 : 0.2, false, &b.family[l](i, 0));
      }
      votes(s, a.shape(l).width, spatial_truth ? x : static_cast<int>(s.below(a.shape(l).width)),
            right ? 0.6 : 0.4, true, &b.x[l](i, 0));
      votes(s, a.shape(l).height, spatial_truth ? y : static_cast<int>(s.below(a.shape(l).height)),
            right ? 0.6 : 0.4, true, &b.y[l](i, 0));
    }
  }
  pr.tables = std::make_unique<ConfidenceTables>(a, b, pr.locations, 1e-3);
  return pr;
}

double total_cost(const RowCosts& costs, const std::vector<int>& column) {
  double total = 0;
  for (std::size_t i = 0; i < column.size(); ++i) {
    float c;
    costs.fill(static_cast<std::int64_t>(i), column[i], column[i] + 1, &c);
    total += c;
  }
  return total;
}

// A /proc/self/status field in MiB (VmRSS, VmHWM).
double status_mib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(std::strlen(field) + 1)) / 1024;
  }
  return -1;
}

// Resets the peak resident memory to the current (Linux: clear_refs 5), so
// that the solve's own peak can be read beside the tables'.
void reset_peak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

// The resident memory before the solve (the tables) and the solve's peak
// above it as counters; the optimal total cost printed in full (counters are
// rounded), so the solvers' agreement can be read.
void report(benchmark::State& state, const char* method, double before_mib, const RowCosts& costs,
            const std::vector<int>& column) {
  state.counters["tables_MiB"] = before_mib;
  state.counters["solve_MiB"] = status_mib("VmHWM:") - before_mib;
  std::printf("%s n=%lld: total cost %.6f\n", method, static_cast<long long>(state.range(0)),
              total_cost(costs, column));
}

void BM_ConfidenceDense(benchmark::State& state) {
  const Problem pr = synthetic_problem(static_cast<int>(state.range(0)));
  std::vector<int> column;
  reset_peak();
  const double before = status_mib("VmRSS:");
  for (auto _ : state) {
    const CostMatrix c = pr.tables->dense();
    column = solve_assignment(c);
  }
  report(state, "dense", before, *pr.tables, column);
}

void BM_ConfidenceByRows(benchmark::State& state) {
  const Problem pr = synthetic_problem(static_cast<int>(state.range(0)));
  std::vector<int> column;
  reset_peak();
  const double before = status_mib("VmRSS:");
  for (auto _ : state) column = solve_assignment_by_rows(*pr.tables);
  report(state, "by rows", before, *pr.tables, column);
}

// Arguments: n and the candidates per row.
void BM_ConfidenceSparse(benchmark::State& state) {
  const Problem pr = synthetic_problem(static_cast<int>(state.range(0)));
  std::vector<int> column;
  SparseStats stats;
  const SparseOptions options{static_cast<int>(state.range(1))};
  reset_peak();
  const double before = status_mib("VmRSS:");
  for (auto _ : state) column = solve_assignment(*pr.tables, options, &stats);
  report(state, "sparse", before, *pr.tables, column);
  state.counters["rounds"] = stats.rounds;
  state.counters["edges"] = static_cast<double>(stats.edges);
  state.counters["added"] = static_cast<double>(stats.added);
  state.counters["rerouted"] = static_cast<double>(stats.rerouted);
  state.counters["fell_back"] = stats.fell_back;
}

BENCHMARK(BM_ConfidenceDense)->Arg(2000)->Arg(10000)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_ConfidenceByRows)
    ->Arg(2000)
    ->Arg(10000)
    ->Arg(20000)
    ->Arg(50000)
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK(BM_ConfidenceSparse)
    ->ArgsProduct({{2000, 10000, 20000, 50000}, {16, 32, 64}})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
