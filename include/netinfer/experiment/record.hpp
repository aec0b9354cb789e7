// One finished run of an experiment job: its localisation result and what
// the experiment adds (the silent floor, activation rates, counts, times).
// The result's fields travel and are stored by localize/result_io.hpp; the
// additions by one field list in record.cpp. Stored as
//   /runs/<nnnnnn>               the result group of result_io.hpp, plus
//                                attributes key, job_index, feature_set,
//                                feature_text, split, split_seed, moments,
//                                eigenvectors, transform, method, balance,
//                                images, seed, forest_seed (only in jobs
//                                with that axis); floor, silent_tests,
//                                silent_neurons, floor_seconds,
//                                total_seconds; complete (last)
//   /runs/<nnnnnn>/activation_rate            double [tests]
//   /runs/<nnnnnn>/layer_floor                double [layers]
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

// A record as a flat message of doubles (MPI), and back.
std::vector<double> pack(const RunRecord& record);
RunRecord unpack(const std::vector<double>& packed);

// Writes the run as /runs/<name>, `complete` last. `file` is serial.
void write_run(h5::File& file, const std::string& name, const RunSpec& spec, std::uint64_t seed,
               const RunRecord& record);

// A stored run as the report reads it: without `details`, the per-test
// arrays (tests, assigned, distances, activation rates) are empty.
struct StoredRun {
  std::string name;  // the group under /runs
  RunSpec spec;
  RunRecord run;  // run.index is the run's place in the job's list
  std::int64_t silent_tests = 0;
};

// Complete runs in group order; `details` also reads the per-test arrays.
std::vector<StoredRun> read_runs(const h5::File& file, bool details);
// Names of groups under /runs that lack `complete`.
std::vector<std::string> incomplete_runs(const h5::File& file);

}  // namespace netinfer::experiment
