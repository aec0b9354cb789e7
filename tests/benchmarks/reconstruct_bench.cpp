// Speed of the reconstruction workflow on one core: the simulator, a training
// step of the graph-locality model (Fig. 4.1 sizes: b = 8, d = 5, batch 32) at
// several n, inference on one large network, and the baselines. Run with
// OMP_NUM_THREADS=1; `mpirun -np R` training divides each step's batch by R.
#include <benchmark/benchmark.h>
#include <mpi.h>

#include "netinfer/core/random.hpp"
#include "netinfer/reconstruct/adam.hpp"
#include "netinfer/reconstruct/baselines.hpp"
#include "netinfer/reconstruct/locality_model.hpp"
#include "netinfer/reconstruct/simulator.hpp"

namespace {

namespace rc = netinfer::reconstruct;

rc::Adjacency random_network(int n) {
  return rc::make_generators({"er:n=" + std::to_string(n) + ":p=" + std::to_string(1.0 / n)}, 1)[0]
      .adjacency;
}

// Examples of n neurons with random spikes and a random target.
struct Batch {
  Eigen::MatrixXd target;
  std::vector<rc::Example> examples;
  Batch(int n, int b, int count) : target(random_network(n).cast<double>()) {
    netinfer::Stream s(3, netinfer::purpose_id("bench"), n);
    for (int k = 0; k < count; ++k) {
      Eigen::MatrixXd x(n, b);
      for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = s.uniform() < 0.2;
      examples.push_back({x, &target});
    }
  }
};

void BM_Simulate(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const rc::Adjacency m = random_network(n);
  std::int64_t sims = 0;
  for (auto _ : state) {
    netinfer::Stream stream(1, 0, sims++);
    benchmark::DoNotOptimize(rc::simulate(m, 50, 0.05, stream).data());
  }
  state.counters["simulations/s"] = benchmark::Counter(sims, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Simulate)->Arg(3)->Arg(100)->Arg(300)->UseRealTime();

// One training step: forward, hand-written backward, Adam.
void BM_TrainStep(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Batch batch(n, 8, 32);
  rc::LocalityModel model(8, 5, 1);
  model.initialise(1);
  Eigen::VectorXd& theta = model.parameters().values();
  rc::Adam adam(theta.size(), 5e-4);
  for (auto _ : state) {
    Eigen::VectorXd gradient = Eigen::VectorXd::Zero(theta.size());
    model.loss_gradient(batch.examples, 1.0 / 32, gradient);
    adam.step(theta, gradient);
  }
  state.counters["steps/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  state.counters["pairs/s"] =
      benchmark::Counter(32.0 * n * n * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainStep)->Arg(3)->Arg(10)->Arg(30)->UseRealTime();

// Inference on one sample of an n-neuron network.
void BM_Predict(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Batch batch(n, 8, 1);
  rc::LocalityModel model(8, 5, 1);
  model.initialise(1);
  // The first call faults in the workspace (10 slots of n^2 x d doubles: 0.4 GB
  // at n = 1000, about 1 s on this VM); a single timed iteration would measure that.
  model.predict(batch.examples);
  for (auto _ : state) benchmark::DoNotOptimize(model.predict(batch.examples)[0].data());
  state.counters["pairs/s"] =
      benchmark::Counter(1.0 * n * n * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Predict)->Arg(100)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Each baseline on 100 simulations x 32 steps of an n-neuron network, one rank.
void BM_Baseline(benchmark::State& state) {
  const rc::Baseline& baseline = rc::baselines()[state.range(0)];
  const int n = static_cast<int>(state.range(1));
  rc::GeneratorData data;
  data.n = n;
  data.steps = 32;
  data.simulations = 100;
  const rc::Adjacency m = random_network(n);
  for (std::int64_t s = 0; s < data.simulations; ++s) {
    netinfer::Stream stream(2, 0, s);
    const rc::Raster r = rc::simulate(m, 32, 0.05, stream);
    data.spikes.insert(data.spikes.end(), r.data(), r.data() + r.size());
  }
  state.SetLabel(baseline.name);
  for (auto _ : state) benchmark::DoNotOptimize(baseline.scores(data, 32, MPI_COMM_SELF).data());
}
BENCHMARK(BM_Baseline)
    ->ArgsProduct({benchmark::CreateDenseRange(0, 5, 1), {100, 300}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  MPI_Finalize();
  return 0;
}
