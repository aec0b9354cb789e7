// Reading a spike file written by `netinfer simulate`, and cutting it into the
// model's samples (001 §2.1.2): a sample is b consecutive steps of one
// simulation, transposed so that row i is neuron i's spike train, paired with
// the generator's adjacency as its target.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace netinfer::reconstruct {

struct GeneratorData {
  std::string group, spec;
  int n = 0, steps = 0;
  std::int64_t simulations = 0;
  double spike_rate = 0, mean_activity = 0;
  Eigen::MatrixXd target;            // n x n adjacency, (i, j) = edge j -> i
  std::vector<std::uint8_t> spikes;  // [simulation][neuron][time]

  std::uint8_t spike(std::int64_t s, int i, int t) const {
    return spikes[(s * n + i) * static_cast<std::int64_t>(steps) + t];
  }
};

// Every generator of the file, in order. Fails with the file's name when it
// is not a spike file or a dataset has the wrong shape.
std::vector<GeneratorData> read_spike_file(const std::string& path);

// One model input: n spike trains over b steps (row i = neuron i) and the
// target adjacency it should reproduce.
struct Example {
  Eigen::MatrixXd raster;         // n x b
  const Eigen::MatrixXd* target;  // n x n, owned by a GeneratorData
};

struct SampleIndex {
  int generator = 0;
  std::int64_t simulation = 0;
  int window = 0;  // steps [window * b, (window + 1) * b)
};

// Samples (generator, simulation, window) of every generator, generator by
// generator, simulation by simulation; `windows` windows of b steps per
// simulation (the thesis used the first b steps: windows = 1).
std::vector<SampleIndex> enumerate_samples(const std::vector<GeneratorData>& data, int b,
                                           int windows, const std::string& path);

Example make_example(const std::vector<GeneratorData>& data, const SampleIndex& index, int b);

}  // namespace netinfer::reconstruct
