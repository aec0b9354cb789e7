// One finished run of an experiment job: what it produced, how it travels to
// the writing rank (a flat vector of doubles: every integer involved is far
// below 2^53, so packing is exact), and how it is stored:
//   /runs/<nnnnnn>               attributes: key, job_index (the run's place
//                                in the job's list), feature_set, feature_text, split,
//                                split_seed, moments, eigenvectors, transform,
//                                method, balance, images, seed; overall,
//                                active, silent, overall_symmetric, floor,
//                                silent_tests, silent_neurons (all neurons);
//                                bank/confidence/assignment/ score/floor/total _seconds; complete
//                                (last)
//   /runs/<nnnnnn>/tests, assigned            int64 [tests] (neuron indices)
//   /runs/<nnnnnn>/silent                     uint8 [tests]
//   /runs/<nnnnnn>/distance, distance_symmetric  int32 [tests]
//   /runs/<nnnnnn>/activation_rate            double [tests]
//   /runs/<nnnnnn>/layer_error, layer_active, layer_silent, layer_symmetric,
//                  layer_floor                double [layers]
// A group without the attribute `complete` was cut short and is redone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/experiment/floor.hpp"
#include "netinfer/experiment/job.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/localize.hpp"

namespace netinfer::experiment {

struct RunRecord {
  std::int64_t index = -1;  // position in the job's list of runs
  localize::LocalizeResult result;
  Floor floor;
  std::vector<double> activation_rate;  // per test neuron (tests order)
  std::int64_t silent_neurons = 0;      // silent neurons of the whole network
  double floor_seconds = 0, total_seconds = 0;
};

std::vector<double> pack(const RunRecord& record);
RunRecord unpack(const std::vector<double>& packed);

// Writes the run as /runs/<name>, `complete` last. `file` is serial.
void write_run(h5::File& file, const std::string& name, const RunSpec& spec, std::uint64_t seed,
               const RunRecord& record);

// A stored run as the report reads it.
struct StoredRun {
  std::string name;  // the group under /runs
  std::int64_t job_index = 0;
  RunSpec spec;
  double overall = 0, active = 0, silent = 0, overall_symmetric = 0, floor = 0;
  std::int64_t silent_tests = 0, silent_neurons = 0;
  double total_seconds = 0, bank_seconds = 0, confidence_seconds = 0, assignment_seconds = 0,
         score_seconds = 0, floor_seconds = 0;
  std::vector<double> layer_error, layer_active, layer_silent, layer_symmetric, layer_floor;
  std::vector<std::int64_t> tests;
  std::vector<std::int32_t> distance;
  std::vector<double> activation_rate;
};

// Complete runs in group order; `details` also reads the per-test arrays.
std::vector<StoredRun> read_runs(const h5::File& file, bool details);
// Names of groups under /runs that lack `complete`.
std::vector<std::string> incomplete_runs(const h5::File& file);

}  // namespace netinfer::experiment
