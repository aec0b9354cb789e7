// Feature sets (000 §4, §5.3): per neuron and image set, the first few
// response moments (mean, std, skewness, kurtosis) and the neuron's entries in
// the top eigenvectors of the |correlation| matrix. A feature set is named by
// one image set ("GAUSSIAN", "MIXED(GAUSSIAN+MNIST)") or by a name and a list
// whose features are concatenated ("CONCAT=GAUSSIAN,MNIST,trMNIST,IMPULSE").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/localize/assignment.hpp"

namespace netinfer::localize {

struct FeatureSetSpec {
  std::string name;               // "GAUSSIAN" or "CONCAT"
  std::vector<std::string> sets;  // the image sets whose features are concatenated
};

// Parses "SET" or "NAME=SET1,SET2,..." (commas inside parentheses belong to a set).
FeatureSetSpec parse_feature_set(const std::string& text);

struct FeatureOptions {
  int moments = 2;        // 0..4: mean, std, skewness, kurtosis in that order
  int eigenvectors = 16;  // leading eigenvectors per set
};

// Per-set inputs of the features (responses.hpp computes and reads the moments).
struct SetFeatures {
  std::vector<std::vector<double>> moments;  // [4][neurons]: mean, std, skewness, kurtosis
  Eigen::MatrixXd eigenvectors;              // neurons x k (k >= options.eigenvectors)
  std::vector<std::uint8_t> silent;          // per neuron
};

// Builds the neurons x F feature matrix of a feature set from its sets'
// features (in spec order), moments first then eigenvectors for each set.
RowMatrix build_features(const std::vector<const SetFeatures*>& sets,
                         const FeatureOptions& options);

}  // namespace netinfer::localize
