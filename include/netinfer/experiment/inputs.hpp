// The shared inputs of an experiment job: per image set its response moments,
// silent mask, activation rates and leading eigenvectors, computed once per
// key (job.hpp) with every rank and kept in a scratch directory beside the
// job's results, one file per key, written under a temporary name and renamed
// (a killed job finds only whole files and computes only what is missing):
//   <scratch>/responses-<stem>.h5  the response matrix (large; removed once
//                                  every set file needing it exists, unless kept)
//   <scratch>/set-<stem>.h5        /moments [4, neurons] (mean, std, skewness,
//                                  kurtosis), /silent, /activation_rate
//                                  [neurons], /eigenvalues [k], /eigenvectors
//                                  [neurons, k]; attributes key, images
// The activation rate of a neuron (000 §6.3, Hypothesis 1) is the fraction of
// the set's images to which its response is non-zero.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "netinfer/experiment/job.hpp"
#include "netinfer/localize/features.hpp"
#include "netinfer/net/network.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::experiment {

struct SetData {
  localize::SetFeatures features;       // moments, silent, eigenvectors (neurons x k)
  std::vector<double> activation_rate;  // per neuron
  std::int64_t images = 0;              // the set's actual size
};

struct InputTimes {
  double responses = 0, spectra = 0;  // wall seconds of the two stages
  int responses_computed = 0, spectra_computed = 0;
};

std::string set_file(const std::string& scratch, const SpectrumKey& key);
std::string responses_file(const std::string& scratch, const ResponseKey& key);

// Computes the set file of every key in `keys` that is not in `scratch` yet
// (responses first, each with every rank of comm, then spectra). Collective.
InputTimes prepare_inputs(const net::Network& network, const std::vector<SpectrumKey>& keys,
                          const std::string& scratch, bool keep_responses, MPI_Comm comm);

// The spectral stage's options for a key with eigenvectors (key.k > 0).
spectral::SpectralOptions spectral_options(const SpectrumKey& key);

// Reads a set file (by one process).
SetData load_set(const std::string& scratch, const SpectrumKey& key);

// A weights file's bytes hashed (FNV-1a), 16 hex digits: what results and
// caches made from a network are keyed by, whatever its path.
std::string weights_digest(const std::string& path);

// What Algorithm 1 takes for a feature set made of `sets` (in spec order): its
// feature matrix (localize::build_features) and its silent mask (a neuron is
// silent for a feature set if it is silent in every one of its sets).
struct FeatureSetInputs {
  localize::RowMatrix features;
  std::vector<std::uint8_t> silent;
};
FeatureSetInputs feature_set_inputs(const std::vector<const SetData*>& sets,
                                    const localize::FeatureOptions& options);

}  // namespace netinfer::experiment
