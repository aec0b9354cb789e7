#include "netinfer/localize/bank.hpp"

#include <algorithm>
#include <numeric>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/localize/split.hpp"

namespace netinfer::localize {

std::string BankTask::name() const {
  switch (kind) {
    case Kind::Layer:
      return "layer";
    case Kind::Family:
      return "family|" + std::to_string(layer);
    case Kind::X:
      return "x|" + std::to_string(layer);
    case Kind::Y:
      return "y|" + std::to_string(layer);
  }
  return "?";
}

std::vector<BankTask> bank_tasks(const net::Architecture& arch) {
  std::vector<BankTask> tasks{{BankTask::Kind::Layer, -1}};
  for (int l = 1; l < arch.layer_count(); ++l) {
    if (arch.spatial(l)) tasks.push_back({BankTask::Kind::Family, l});
  }
  for (int l = 0; l < arch.layer_count(); ++l) {
    if (!arch.spatial(l)) continue;
    tasks.push_back({BankTask::Kind::X, l});
    tasks.push_back({BankTask::Kind::Y, l});
  }
  return tasks;
}

namespace {

RowMatrix rows_of(const RowMatrix& features, const net::Recording& recording,
                  const std::vector<std::int64_t>& neurons) {
  RowMatrix out(neurons.size(), features.cols());
  for (std::size_t i = 0; i < neurons.size(); ++i) {
    const std::int64_t row = recording.row(neurons[i]);
    NI_REQUIRE(row >= 0, "bank: neuron ", neurons[i], " is not recorded");
    out.row(i) = features.row(row);
  }
  return out;
}

// Trains one classifier and predicts the test rows.
RowMatrix run_task(const net::Architecture& arch, const BankTask& task, const RowMatrix& features,
                   const net::Recording& recording, const std::vector<std::int64_t>& train,
                   const RowMatrix& test_features, const BankOptions& options,
                   std::uint64_t task_seed) {
  std::vector<std::int64_t> samples;
  std::vector<int> labels;
  int classes = 0;
  if (task.kind == BankTask::Kind::Layer) {
    samples = options.balance_layers ? layer_balanced(arch, train, task_seed) : train;
    classes = arch.layer_count();
    for (auto n : samples) labels.push_back(arch.layer_of(n));
  } else {
    const auto& shape = arch.shape(task.layer);
    classes = task.kind == BankTask::Kind::Family ? shape.families
              : task.kind == BankTask::Kind::X    ? shape.width
                                                  : shape.height;
    for (auto n : train) {
      const auto loc = arch.location(n);
      if (loc.layer != task.layer) continue;
      samples.push_back(n);
      labels.push_back(task.kind == BankTask::Kind::Family ? loc.family
                       : task.kind == BankTask::Kind::X    ? loc.x
                                                           : loc.y);
    }
  }
  if (samples.empty()) {
    // No training neuron in this layer: nothing to learn, a uniform output.
    return RowMatrix::Constant(test_features.rows(), classes, 1.0 / classes);
  }
  ClassifierOptions co = options.classifier;
  co.seed = task_seed;
  return fit_predict(rows_of(features, recording, samples), labels, classes, test_features, co);
}

}  // namespace

BankOutput run_bank(const net::Architecture& arch, const net::Recording& recording,
                    const RowMatrix& features, const std::vector<std::int64_t>& train,
                    const std::vector<std::int64_t>& tests, const BankOptions& options,
                    MPI_Comm comm) {
  NI_REQUIRE(features.rows() == recording.size(), "bank: features have ", features.rows(),
             " rows for ", recording.size(), " recorded neurons");
  const auto tasks = bank_tasks(arch);
  // Largest first, each to the least-loaded rank (cost ~ training samples).
  std::vector<double> cost(tasks.size());
  std::vector<std::int64_t> per_layer(arch.layer_count(), 0);
  for (auto n : train) ++per_layer[arch.layer_of(n)];
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    cost[t] = tasks[t].kind == BankTask::Kind::Layer
                  ? static_cast<double>(*std::max_element(per_layer.begin(), per_layer.end())) *
                        arch.layer_count()
                  : static_cast<double>(per_layer[tasks[t].layer]);
  }
  std::vector<std::size_t> order(tasks.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return cost[a] > cost[b]; });
  const int size = mpi_size(comm), rank = mpi_rank(comm);
  std::vector<double> load(size, 0);
  std::vector<int> owner(tasks.size());
  for (auto t : order) {
    owner[t] = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    load[owner[t]] += cost[t];
  }

  const RowMatrix test_features = rows_of(features, recording, tests);
  std::vector<RowMatrix> outputs(tasks.size());
  Stopwatch clock;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    if (owner[t] != rank) continue;
    outputs[t] = run_task(arch, tasks[t], features, recording, train, test_features, options,
                          Stream::mix(options.seed ^ purpose_id("bank")) + t);
  }
  NI_MPI(MPI_Barrier(comm));
  say("  classifier bank: " + std::to_string(tasks.size()) + " classifiers on " +
      std::to_string(size) + " rank(s) in " + std::to_string(clock.seconds()) + " s");

  BankOutput out;
  out.family.resize(arch.layer_count());
  out.x.resize(arch.layer_count());
  out.y.resize(arch.layer_count());
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    std::int64_t dims[2] = {outputs[t].rows(), outputs[t].cols()};
    NI_MPI(MPI_Bcast(dims, 2, MPI_INT64_T, owner[t], comm));
    outputs[t].resize(dims[0], dims[1]);
    NI_MPI(MPI_Bcast(outputs[t].data(), static_cast<int>(outputs[t].size()), MPI_DOUBLE, owner[t],
                     comm));
    const auto& task = tasks[t];
    RowMatrix& slot = task.kind == BankTask::Kind::Layer    ? out.layer
                      : task.kind == BankTask::Kind::Family ? out.family[task.layer]
                      : task.kind == BankTask::Kind::X      ? out.x[task.layer]
                                                            : out.y[task.layer];
    slot = std::move(outputs[t]);
  }
  return out;
}

}  // namespace netinfer::localize
