// The binary spiking simulator of 001 §2.1.1: S^{t+1} = clip(M S^t + R^t, 0, 1),
// where R^t spikes each neuron independently at the spike rate and S^0 is
// random at the spike rate. A raster holds S^0 ... S^{t-1} as columns.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/core/random.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/reconstruct/generators.hpp"

namespace netinfer::reconstruct {

// n x t spike raster, row-major so that one simulation is the [n][t] block of
// the HDF5 dataset [simulation, neuron, time].
using Raster = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// One step of the update rule: clip(M S + R, 0, 1).
Eigen::VectorXi next_state(const Adjacency& m, const Eigen::VectorXi& s, const Eigen::VectorXi& r);

// One simulation of `steps` states. Draws n uniforms for S^0, then n for each
// R^t, from `stream`.
Raster simulate(const Adjacency& m, int steps, double spike_rate, Stream& stream);

struct SimulateOptions {
  std::vector<std::string> generators;  // specs (see generators.hpp)
  std::int64_t simulations = 1000;      // per generator
  int steps = 50;
  double spike_rate = 0.25;
  std::uint64_t seed = 1;
  // How the spikes are observed. Only a random `recorded` fraction of each
  // network's neurons is written (the others still drive them), with their
  // adjacency among themselves as the target; each recorded spike is lost
  // with probability `missed`, each recorded silent step reads as a spike
  // with probability `false_spikes`.
  double recorded = 1, missed = 0, false_spikes = 0;
};

struct SimulatedGenerator {
  std::string spec;
  int n = 0;          // neurons recorded
  int network_n = 0;  // neurons simulated
  std::int64_t edges = 0;
  double mean_activity = 0;  // fraction of (simulation, neuron, step) entries that spike
};

// The generators of `options` once its ranges are checked; throws on a bad
// range or spec. simulate_to_file calls it; call it first to refuse a bad run
// before its output file exists.
std::vector<Generator> checked_generators(const SimulateOptions& options);

// Runs every simulation of every generator, simulation s of generator g from
// Stream(seed, g, s) (its observation noise from a stream of its own, the
// recorded neurons of g from another), each rank its block of simulations, and writes
// /reconstruct/generators/gNNNN/{adjacency, spikes} with collective writes into
// `file` (opened over `comm`). Collective; the result is the same on every rank.
std::vector<SimulatedGenerator> simulate_to_file(const SimulateOptions& options, h5::File& file,
                                                 MPI_Comm comm);

// The group of generator g in a spike file.
std::string generator_group(std::size_t g);

}  // namespace netinfer::reconstruct
