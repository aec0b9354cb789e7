#include "netinfer/reconstruct/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"

namespace netinfer::reconstruct {

Eigen::VectorXi next_state(const Adjacency& m, const Eigen::VectorXi& s, const Eigen::VectorXi& r) {
  return (m * s + r).cwiseMax(0).cwiseMin(1);
}

Raster simulate(const Adjacency& m, int steps, double spike_rate, Stream& stream) {
  const int n = static_cast<int>(m.rows());
  Raster out(n, steps);
  Eigen::VectorXi s(n), r(n);
  for (int i = 0; i < n; ++i) s(i) = stream.uniform() < spike_rate;
  for (int t = 0; t < steps; ++t) {
    out.col(t) = s.cast<std::uint8_t>();
    if (t + 1 == steps) break;
    for (int i = 0; i < n; ++i) r(i) = stream.uniform() < spike_rate;
    s = next_state(m, s, r);
  }
  return out;
}

namespace {

// The recorded neurons of generator g, in increasing order: a seeded random
// subset of round(fraction n) of them (all when fraction = 1).
std::vector<int> recorded_neurons(int n, double fraction, std::uint64_t seed, std::size_t g) {
  std::vector<int> all(n);
  for (int i = 0; i < n; ++i) all[i] = i;
  const int count = static_cast<int>(std::lround(fraction * n));
  if (count == n) return all;
  NI_REQUIRE(count >= 2, "--recorded ", fraction, " of ", n, " neurons leaves ", count,
             " recorded; at least 2 are needed");
  Stream stream(seed, purpose_id("recorded"), g);
  for (int k = 0; k < count; ++k) std::swap(all[k], all[k + stream.below(n - k)]);
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

std::string generator_group(std::size_t g) {
  char name[48];
  std::snprintf(name, sizeof name, "/reconstruct/generators/g%04zu", g);
  return name;
}

std::vector<Generator> checked_generators(const SimulateOptions& options) {
  NI_REQUIRE(options.simulations > 0, "--simulations must be positive");
  NI_REQUIRE(options.steps > 0, "--steps must be positive");
  NI_REQUIRE(options.spike_rate >= 0 && options.spike_rate <= 1, "--spike-rate ",
             options.spike_rate, " is not in [0, 1]");
  NI_REQUIRE(options.recorded > 0 && options.recorded <= 1, "--recorded ", options.recorded,
             " is not in (0, 1]");
  NI_REQUIRE(options.missed >= 0 && options.missed <= 1, "--missed-spikes ", options.missed,
             " is not in [0, 1]");
  NI_REQUIRE(options.false_spikes >= 0 && options.false_spikes <= 1, "--false-spikes ",
             options.false_spikes, " is not in [0, 1]");
  return make_generators(options.generators, options.seed);
}

std::vector<SimulatedGenerator> simulate_to_file(const SimulateOptions& options, h5::File& file,
                                                 MPI_Comm comm) {
  const auto generators = checked_generators(options);
  const int rank = mpi_rank(comm), size = mpi_size(comm);
  const Range mine = block_range(options.simulations, size, rank);

  file.set_attr("/reconstruct/generators", "count", static_cast<std::int64_t>(generators.size()));
  file.set_attr("/reconstruct/generators", "seed", static_cast<std::int64_t>(options.seed));
  std::vector<SimulatedGenerator> out;
  std::int64_t total = 0, all = options.simulations * static_cast<std::int64_t>(generators.size());
  Progress progress("simulate", all, "simulations");
  for (std::size_t g = 0; g < generators.size(); ++g) {
    const Adjacency& m = generators[g].adjacency;
    const std::vector<int> recorded =
        recorded_neurons(static_cast<int>(m.rows()), options.recorded, options.seed, g);
    const auto n = static_cast<std::uint64_t>(recorded.size());
    const std::uint64_t steps = options.steps;
    const std::string group = generator_group(g);
    const bool noisy = options.missed > 0 || options.false_spikes > 0;

    std::vector<std::uint8_t> block(mine.size() * n * steps);
    std::int64_t spikes = 0;
    for (std::int64_t s = mine.begin; s < mine.end; ++s) {
      Stream stream(options.seed, g, s);
      const Raster raster = simulate(m, options.steps, options.spike_rate, stream);
      Stream noise(options.seed, purpose_id("observation") + g, s);
      std::uint8_t* out = block.data() + (s - mine.begin) * n * steps;
      for (std::uint64_t k = 0; k < n; ++k)
        for (std::uint64_t t = 0; t < steps; ++t) {
          std::uint8_t v = raster(recorded[k], t);
          if (noisy) v = noise.uniform() < (v ? options.missed : options.false_spikes) ? !v : v;
          out[k * steps + t] = v;
          spikes += v;
        }
      progress.update((total + s - mine.begin + 1) * size);
    }
    total += options.simulations;
    NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &spikes, 1, MPI_INT64_T, MPI_SUM, comm));

    std::vector<std::uint8_t> adjacency(n * n);
    for (std::uint64_t i = 0; i < n; ++i)
      for (std::uint64_t j = 0; j < n; ++j) adjacency[i * n + j] = m(recorded[i], recorded[j]);
    file.write(group + "/adjacency", adjacency.data(), {n, n});
    file.set_attr(group + "/adjacency", "axes",
                  std::string("target,source (1 = edge source->target)"));
    std::vector<std::int64_t> recorded_ids(recorded.begin(), recorded.end());
    file.write(group + "/recorded", recorded_ids);  // the network's indices of the file's neurons
    const h5::Dims dims{static_cast<std::uint64_t>(options.simulations), n, steps};
    // Chunks of whole simulations, about 1 MiB each.
    const std::uint64_t per_chunk = std::max<std::uint64_t>(1, (1u << 20) / (n * steps));
    file.create<std::uint8_t>(group + "/spikes", dims, {std::min(dims[0], per_chunk), n, steps});
    file.write_block(group + "/spikes", {static_cast<std::uint64_t>(mine.begin), 0, 0},
                     {static_cast<std::uint64_t>(mine.size()), n, steps}, block.data());
    file.set_attr(group + "/spikes", "axes", std::string("simulation,neuron,time"));

    SimulatedGenerator info;
    info.spec = generators[g].spec;
    info.n = static_cast<int>(n);
    info.network_n = static_cast<int>(m.rows());
    info.edges = std::accumulate(adjacency.begin(), adjacency.end(), std::int64_t{0});
    info.mean_activity = static_cast<double>(spikes) / (dims[0] * n * steps);
    file.set_attr(group, "spec", info.spec);
    file.set_attr(group, "n", static_cast<std::int64_t>(n));
    file.set_attr(group, "edges", info.edges);
    file.set_attr(group, "spike_rate", options.spike_rate);
    file.set_attr(group, "steps", static_cast<std::int64_t>(steps));
    file.set_attr(group, "simulations", options.simulations);
    file.set_attr(group, "mean_activity", info.mean_activity);
    file.set_attr(group, "network_n", static_cast<std::int64_t>(info.network_n));
    file.set_attr(group, "recorded", options.recorded);
    file.set_attr(group, "missed_spikes", options.missed);
    file.set_attr(group, "false_spikes", options.false_spikes);
    out.push_back(info);
  }
  progress.finish();
  return out;
}

}  // namespace netinfer::reconstruct
