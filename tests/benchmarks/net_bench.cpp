// LeNet's and an ONNX network's forward-pass throughput (every neuron recorded, double precision)
// and, for comparison, plain Eigen DGEMM/SGEMM on the same machine. Run with one thread per process
// (OMP_NUM_THREADS=1) to see the per-core figures that the respond stage gets under `mpirun -np 2`.
#include <benchmark/benchmark.h>
#include <mpi.h>

#include <Eigen/Dense>
#include <cstdlib>
#include <string>

#include "netinfer/core/random.hpp"
#include "netinfer/net/network.hpp"
#include "netinfer/net/train.hpp"

namespace {

using netinfer::net::Architecture;
using netinfer::net::Matrix;
using netinfer::net::Network;

// A fresh activation matrix per call, as the respond stage has for its shard
// (5,000 images per rank is the target case: 10,000 images at 2 ranks).
void run_forward(benchmark::State& state, const Network& net) {
  Matrix images(net.architecture().shape(0).size(), state.range(0));
  netinfer::Stream s(1, netinfer::purpose_id("bench"), 0);
  for (Eigen::Index i = 0; i < images.size(); ++i) images.data()[i] = s.normal();
  for (auto _ : state) {
    Matrix acts;
    net.forward(images, acts);
    benchmark::DoNotOptimize(acts.data());
  }
  state.counters["images/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}

void BM_LeNetForward(benchmark::State& state) {
  Network net(Architecture::lenet());
  net.initialise(1);
  run_forward(state, net);
}
BENCHMARK(BM_LeNetForward)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same for a network read from ONNX, the file named by the environment
// variable NETINFER_BENCH_ONNX (e.g. out/onnx/fmnist_resnet.onnx after
// jobs/onnx/fmnist.sh); registered in main() only when it is set.
void BM_OnnxForward(benchmark::State& state, const std::string& path) {
  run_forward(state, netinfer::net::read_onnx(path));
}

// One training epoch of LeNet (float32, Adam, batch 64) on random images;
// OMP_NUM_THREADS threads.
void BM_LeNetTrainEpoch(benchmark::State& state) {
  netinfer::net::LabelledImages set;
  const int n = static_cast<int>(state.range(0));
  netinfer::Stream s(2, netinfer::purpose_id("bench"), 0);
  set.images.resize(784, n);
  for (Eigen::Index i = 0; i < set.images.size(); ++i) set.images.data()[i] = s.uniform();
  for (int i = 0; i < n; ++i) set.labels.push_back(static_cast<int>(s.below(10)));
  netinfer::net::TrainOptions options;
  options.epochs = 1;
  for (auto _ : state) {
    Network net(Architecture::lenet());
    netinfer::net::train(net, set, netinfer::net::LabelledImages{}, options);
  }
  state.counters["images/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LeNetTrainEpoch)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

template <typename T>
void BM_Gemm(benchmark::State& state) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Index n = state.range(0);
  const M a = M::Random(n, n), b = M::Random(n, n);
  M c(n, n);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * n * n * n * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK_TEMPLATE(BM_Gemm, double)
    ->Arg(1000)
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_Gemm, float)->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

// MPI is initialised because training asks its communicator for rank and size.
int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  benchmark::Initialize(&argc, argv);
  if (const char* onnx = std::getenv("NETINFER_BENCH_ONNX")) {
    benchmark::RegisterBenchmark("BM_OnnxForward", BM_OnnxForward, std::string(onnx))
        ->Arg(1000)
        ->Arg(3000)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  MPI_Finalize();
  return 0;
}
