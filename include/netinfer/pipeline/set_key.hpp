// What the inputs of one image set depend on, as keys that name them in the
// pipeline's cache (set_data.hpp) and in an experiment's plan: the responses
// of an image set once per ResponseKey (set, images, seed, data directory,
// recorded neurons),
// its spectrum once per SpectrumKey (responses plus transform, precision,
// solver and the number of eigenvectors).
#pragma once

#include <cstdint>
#include <string>

#include "netinfer/spectral/stage.hpp"

namespace netinfer::pipeline {

struct ResponseKey {
  std::string set;
  std::int64_t images = 0;
  std::uint64_t seed = 1;
  std::string data_dir;
  std::string record = "all";  // the recording's key (net/recording.hpp)
  // "set=GAUSSIAN; images=10000; seed=1; data-dir=..." and, for a partial
  // recording, "; record=<key>".
  std::string text() const;
};

struct SpectrumKey {
  ResponseKey responses;
  std::string transform = "abs", solver = "lanczos", precision = "double";
  int k = 0;  // eigenvectors computed (0: moments only)
  std::string text() const;
};

// The spectral stage's options for a key with eigenvectors (key.k > 0).
spectral::SpectralOptions spectral_options(const SpectrumKey& key);

// A file-name-safe stem for a key: its readable characters and a hash.
std::string file_stem(const std::string& key);

// A weights file's bytes hashed (FNV-1a), 16 hex digits: what results and
// caches made from a network are keyed by, whatever its path.
std::string weights_digest(const std::string& path);

}  // namespace netinfer::pipeline
