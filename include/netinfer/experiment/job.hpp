// An experiment job (000 §6) as a list of independent runs. A job file names
// values along axes; the runs are every combination of them:
//   feature-set   GAUSSIAN | NAME=SET1,SET2,...        one per line
//   split         perfect | random[:<train>[:<test>]][*N]   one per line;
//                 *N repeats a random split with split seeds 1..N
//   moments, eigenvectors, images   integers, lists "1,2,4" or ranges "1..40"
//   transform     cm | abs | cm^2 | abs(cm^3) | cm^4
//   method        rf | nn | dt | lr
//   balance       true | false
//   forest-seed   integers, lists or ranges: the classifier bank's seed alone
//                 (images, spectra, split and test shuffle stay the run's), so
//                 its values show the spread that the forests' randomness gives
// A run is named by a canonical key; the job's results file matches stored
// runs to the job by key, so a job file may grow between invocations.
//
// Shared inputs: each image set's inputs are computed once per SpectrumKey
// (pipeline/set_key.hpp) with the largest number of eigenvectors any run of
// the job uses for that set.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "netinfer/localize/features.hpp"
#include "netinfer/pipeline/set_key.hpp"

namespace netinfer::experiment {

// The axes as given (one string per job-file line or command-line value).
struct JobAxes {
  std::vector<std::string> feature_sets, splits, moments, eigenvectors, transforms, methods,
      balance, images, forest_seeds;
  // As "option = value" lines (a results file records its job this way).
  std::string text() const;
  static JobAxes parse(const std::string& text);
};

// Settings shared by every run of a job (they must not change on resume).
struct JobSettings {
  std::uint64_t seed = 1;  // images, spectra, classifiers (each run derives its own)
  int trees = 100;
  double prior_weight = 1e-3;
  std::string solver = "lanczos";
  std::string precision = "double";
  std::string data_dir;
  // The settings as "key = value" lines, compared on resume.
  std::string text() const;
};

struct RunSpec {
  localize::FeatureSetSpec feature_set;
  std::string feature_text;  // as written: "CONCAT=GAUSSIAN,MNIST"
  std::string split = "perfect";
  int split_seed = 1;
  int moments = 2, eigenvectors = 16;
  std::string transform = "abs", method = "rf";
  bool balance = true;
  std::int64_t images = 10000;
  int forest_seed = 0;  // 0: no forest-seed axis (the classifiers take seed())

  // The canonical key, e.g. "feature-set=GAUSSIAN; split=perfect; split-seed=1;
  // moments=2; eigenvectors=16; transform=abs; method=rf; balance=1; images=10000",
  // with "; forest-seed=N" appended when the job has that axis (so files of
  // jobs without it keep their keys).
  std::string key() const;
  // The seed of this run's test shuffle and, without a forest seed, of its
  // classifiers: a hash of the job seed and the key less its forest seed, so a
  // run's result depends neither on the rank count nor on the other runs of
  // the job.
  std::uint64_t seed(std::uint64_t job_seed) const;
  // The seed of this run's classifier bank: seed(job_seed), or with a forest
  // seed a hash of that and the forest seed.
  std::uint64_t bank_seed(std::uint64_t job_seed) const;
};

// Every combination of the axes, feature sets outermost, then splits (with
// their repeats), moments, eigenvectors, transform, method, balance, images,
// forest seeds.
// Empty axes take the defaults of RunSpec; a value listed twice is an error.
std::vector<RunSpec> expand(const JobAxes& axes);

// Parses "3", "1,2,4" or "1..40" (as written in option `option`).
std::vector<std::int64_t> parse_integers(const std::string& text, const std::string& option);

using pipeline::ResponseKey;
using pipeline::SpectrumKey;

// The shared inputs of a job: per run, the spectrum key of each of its image
// sets (in feature-set order); and the distinct keys, in order of first use.
struct Plan {
  std::vector<std::vector<SpectrumKey>> run_sets;
  std::vector<SpectrumKey> spectra;
  std::vector<ResponseKey> responses;
};
Plan plan(const std::vector<RunSpec>& runs, const JobSettings& settings);

// The first lines that differ between two "key = value" settings texts (a
// text that ends first reads "nothing"), for refusals that name the setting.
std::pair<std::string, std::string> first_difference(const std::string& before,
                                                     const std::string& now);

}  // namespace netinfer::experiment
