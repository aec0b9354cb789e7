// The second step every entry point needs: feature set + split ->
// LocalizeResult, i.e. one run of Algorithm 1 (Dyer & Griffin 2022): the
// feature matrix and silent mask of a feature set from its image sets'
// SetData, then the classifier bank, confidence matrix, assignment and score
// (localize::localize).
#pragma once

#include <mpi.h>

#include <vector>

#include "netinfer/localize/localize.hpp"
#include "netinfer/pipeline/set_data.hpp"

namespace netinfer::pipeline {

// What Algorithm 1 takes for a feature set made of `sets` (in spec order):
// its feature matrix (localize::build_features), its silent mask (a neuron is
// silent for a feature set if it is silent in every one of its sets) and the
// activation rate of each neuron over all the sets' images.
struct FeatureSetInputs {
  localize::RowMatrix features;
  std::vector<std::uint8_t> silent;
  std::vector<double> activation_rate;  // empty if a set has none
};
FeatureSetInputs feature_set_inputs(const std::vector<const SetData*>& sets,
                                    const localize::FeatureOptions& options);

struct FeatureSetRun {
  FeatureSetInputs inputs;
  localize::LocalizeResult result;
};

// Collective over comm; every rank returns the same result. The sets' rows
// are `recording`'s neurons.
FeatureSetRun localize_feature_set(const net::Graph& graph, const net::Recording& recording,
                                   const std::vector<const SetData*>& sets,
                                   const localize::FeatureOptions& features,
                                   const localize::Split& split,
                                   const localize::LocalizeOptions& options, MPI_Comm comm);

}  // namespace netinfer::pipeline
