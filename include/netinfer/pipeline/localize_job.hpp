// `netinfer localize` as a library call: Algorithm 1 (Dyer & Griffin 2022)
// for one or more feature sets on one split, end to end. Every option is
// checked and the memory plan printed before anything long starts; each image
// set's inputs are computed once (set_data.hpp) and shared by the feature
// sets that use it; the results file is written under <out>.partial and
// renamed when complete. A killed run resumes: the sets already computed
// wait in <out>.scratch (removed once the results are in), so rerunning the
// same command skips them and gives the same results.
//
// HDF5 layout of the results file:
//   /network                        (localize/responses.hpp), with
//                                   /network/recorded for a partial recording
//   /spectral/<SET>                 eigenpairs (spectral/stage.hpp)
//   /splits/<split>/train, test     int64 neuron indices
//   /localize/<split>/<FEATURE SET> the result group (localize/result_io.hpp)
//                                   plus /features [recorded, F] and the
//                                   attribute sets
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "netinfer/localize/features.hpp"
#include "netinfer/localize/localize.hpp"
#include "netinfer/net/architecture.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::pipeline {

struct LocalizeJob {
  std::string weights;                    // the network...
  std::string architecture;               // ...or, for a plan only, its layer list
  std::string responses;                  // responses file of `netinfer respond` (empty: compute)
  std::string keep_responses;             // also write the computed responses here (empty: no)
  std::vector<std::string> feature_sets;  // "SET" or "NAME=SET1,SET2,..."
  std::string record = "all";             // the recorded neurons (net::make_recording)
  long record_seed = 1;
  std::string split = "perfect";
  long split_seed = 1;
  localize::FeatureOptions features;
  spectral::SpectralOptions spectral;  // k follows features.eigenvectors
  long images = 10000;
  std::uint64_t seed = 1;  // images and spectra (localize holds the classifiers' and shuffle's)
  std::string data_dir;
  localize::LocalizeOptions localize;
  std::string out = "results.h5";
  bool force = false;
  bool plan_only = false;                  // print the memory plan and stop
  std::string command_line, options_text;  // provenance
};

struct LocalizeRow {
  std::string feature_set;
  localize::LocalizeResult result;
  std::int64_t silent = 0;  // silent neurons of the feature set (recorded neurons)
};

struct LocalizeOutcome {
  std::vector<std::string> layer_names;
  std::int64_t neurons = 0, recorded = 0, tests = 0;
  std::vector<LocalizeRow> rows;  // empty for a plan
};

// Collective over comm; every rank returns the same outcome.
LocalizeOutcome run_localize(const LocalizeJob& job, MPI_Comm comm);

}  // namespace netinfer::pipeline
