// The first step every entry point needs: image set -> SetData, the inputs of
// Algorithm 1 (Dyer & Griffin 2022) that one image set gives: its response
// moments, silent mask, activation rates and the leading eigenvectors of its
// transformed response-correlation matrix. The responses come from the
// forward pass and stay in memory (localize::response_columns moves the
// ranks' shards to the block-cyclic correlation), or from a responses file of
// `netinfer respond`; writing them is opt-in (SetSource::keep).
//
// The cache: one small file per SpectrumKey in a directory, in the layout of
// a responses file without the matrix plus the spectrum:
//   <dir>/set-<stem>.h5   /responses/<SET> moments, silent mask, activation
//                         rate (localize/responses.hpp); /spectral/<SET>
//                         eigenvalues and eigenvectors (spectral/stage.hpp);
//                         root attributes key, layout
// written under a temporary name and renamed, so a killed run finds only
// whole files and a rerun computes only what is missing. Runs and jobs that
// name the same directory share it.
#pragma once

#include <mpi.h>

#include <map>
#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/localize/features.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/net/network.hpp"
#include "netinfer/pipeline/set_key.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::pipeline {

struct SetData {
  localize::Moments moments;    // with the set's size, silent mask and activation rates
  spectral::Spectrum spectrum;  // the leading eigenpairs (none when k = 0)
  // Moments and eigenvectors as the feature builder takes them.
  localize::SetFeatures features() const;
};

// Where responses come from: a network's forward pass (of its recorded
// neurons), or a responses file (with the recording it was written with).
// With a network the responses may also be written: every set into `keep` (a
// responses file open on the same communicator), or each into its own
// responses file <keep_dir>/responses-<stem of its ResponseKey>.h5.
struct SetSource {
  const net::Network* network = nullptr;
  const net::Recording* recording = nullptr;  // the network's recorded neurons (null: all)
  const h5::File* responses = nullptr;
  h5::File* keep = nullptr;
  std::string keep_dir;
};

// Wall seconds of the two stages and how many sets each computed.
struct SetTimes {
  double responses = 0, spectra = 0;
  int computed = 0, cached = 0;
};

class SetCache {
 public:
  // An empty directory: no cache (every set is computed).
  explicit SetCache(std::string dir = "") : dir_(std::move(dir)) {}
  bool enabled() const { return !dir_.empty(); }
  std::string path(const SpectrumKey& key) const;
  // Whether a whole file of this key is there (checked on rank 0). Collective.
  bool has(const SpectrumKey& key, MPI_Comm comm) const;
  SetData load(const SpectrumKey& key) const;  // by the calling process
  void store(const SpectrumKey& key, const SetData& data, MPI_Comm comm) const;  // collective
  void remove() const;  // the whole directory (rank 0 only)

 private:
  std::string dir_;
};

// The number of images of a key's set (fails clearly on a bad set name or a
// missing data file) and its checks before any long stage: k against the
// neurons and images (check_spectrum_key, for a caller that knows the set's
// size). From a responses file, the file must hold the set.
std::int64_t check_key(const SpectrumKey& key, const net::Architecture& arch,
                       const SetSource& source);
void check_spectrum_key(const SpectrumKey& key, std::int64_t neurons, std::int64_t images);

// Every key's SetData, keyed by key.text(): from the cache where it is,
// otherwise computed from the source (and stored in the cache). Collective.
std::map<std::string, SetData> prepare_sets(const SetSource& source,
                                            const std::vector<SpectrumKey>& keys,
                                            const SetCache& cache, MPI_Comm comm,
                                            SetTimes* times = nullptr);

// One set's spectrum straight from a responses file (`netinfer spectral`).
spectral::Spectrum spectrum_from_file(const h5::File& responses, const std::string& set,
                                      const spectral::SpectralOptions& options, MPI_Comm comm);

}  // namespace netinfer::pipeline
