#include "netinfer/pipeline/run.hpp"

#include "netinfer/core/error.hpp"

namespace netinfer::pipeline {

FeatureSetInputs feature_set_inputs(const std::vector<const SetData*>& sets,
                                    const localize::FeatureOptions& options) {
  NI_REQUIRE(!sets.empty(), "a feature set needs at least one image set");
  FeatureSetInputs in;
  const std::size_t n = sets.front()->moments.silent.size();
  in.silent.assign(n, 1);
  bool rates = true;
  std::vector<double> active(n, 0.0);
  double images = 0;
  std::vector<localize::SetFeatures> parts;
  for (const auto* s : sets) {
    NI_REQUIRE(s->moments.silent.size() == n, "image sets disagree on the number of neurons");
    parts.push_back(s->features());
    rates = rates && s->moments.activation_rate.size() == n;
    for (std::size_t i = 0; i < n; ++i) {
      in.silent[i] &= s->moments.silent[i];
      if (rates)
        active[i] += s->moments.activation_rate[i] * static_cast<double>(s->moments.images);
    }
    images += static_cast<double>(s->moments.images);
  }
  if (rates) {
    in.activation_rate.resize(n);
    for (std::size_t i = 0; i < n; ++i) in.activation_rate[i] = active[i] / images;
  }
  std::vector<const localize::SetFeatures*> pointers;
  for (const auto& p : parts) pointers.push_back(&p);
  in.features = localize::build_features(pointers, options);
  return in;
}

FeatureSetRun localize_feature_set(const net::Graph& graph, const net::Recording& recording,
                                   const std::vector<const SetData*>& sets,
                                   const localize::FeatureOptions& features,
                                   const localize::Split& split,
                                   const localize::LocalizeOptions& options, MPI_Comm comm) {
  FeatureSetRun run;
  run.inputs = feature_set_inputs(sets, features);
  run.result = localize::localize(graph, recording, run.inputs.features, run.inputs.silent, split,
                                  options, comm);
  return run;
}

}  // namespace netinfer::pipeline
