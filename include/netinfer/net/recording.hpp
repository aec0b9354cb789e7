// The recorded neurons of a network: the subset whose responses are observed,
// as in neuroscience, where a network of millions of neurons is known through
// the few thousand an experiment records (Dyer & Griffin 2022, Fig. 17, builds
// features from the correlations among a subset). Every per-neuron matrix of a
// localisation (responses, moments, correlation, eigenvectors, features) has
// one row per recorded neuron, in ascending global order; splits, assignments
// and scores keep global neuron indices and graph distances in the whole
// network. Layers are contiguous in the global order, so a layer's recorded
// neurons are contiguous rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::net {

class Recording {
 public:
  // Every neuron of `arch`.
  explicit Recording(const Architecture& arch);
  // The ascending, distinct neurons given; `key` names the choice in cache
  // keys and results ("all" only for every neuron).
  Recording(const Architecture& arch, std::vector<std::int64_t> neurons, std::string key);

  const std::string& key() const { return key_; }
  bool complete() const { return complete_; }
  std::int64_t size() const { return static_cast<std::int64_t>(neurons_.size()); }
  const std::vector<std::int64_t>& neurons() const { return neurons_; }
  std::int64_t neuron(std::int64_t row) const { return neurons_[row]; }
  // The row of a neuron, or -1 when it is not recorded.
  std::int64_t row(std::int64_t neuron) const;
  bool recorded(std::int64_t neuron) const { return row(neuron) >= 0; }
  // Rows [layer_begin(l), layer_begin(l + 1)) are layer l's recorded neurons.
  std::int64_t layer_begin(int layer) const { return layer_rows_[layer]; }
  int layer_of_row(std::int64_t row) const;
  int layer_count() const { return static_cast<int>(layer_rows_.size()) - 1; }
  // The neurons of `neurons` that are recorded, in their order.
  std::vector<std::int64_t> keep(const std::vector<std::int64_t>& neurons) const;

 private:
  std::vector<std::int64_t> neurons_;
  std::vector<std::int64_t> layer_rows_;  // size layer_count() + 1
  std::string key_;
  bool complete_ = false;
};

// The recording `--record` names (the README's "Recording"):
//   "all" (or empty)        every neuron;
//   a fraction "0.25"       of every layer (a number with a decimal point);
//   a count "2000"          per layer (all of a smaller layer);
//   either with per-layer overrides, e.g. "0.1,INPUT=1.0,LINEARSOFT=10";
//   a file path             a text file with one neuron per line, as a global
//                           index or as "layer family x y" (0-based, the order
//                           of /network/locations); '#' starts a comment.
// Chosen neurons are spread evenly over the families and positions of each
// layer in an order seeded by `seed`. Bad specs fail with one clear line.
Recording make_recording(const Architecture& arch, const std::string& spec, std::uint64_t seed);

}  // namespace netinfer::net
