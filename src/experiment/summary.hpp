// The report's view of an experiment results file (private to the module):
// runs grouped into settings (the values of the axes that vary, splits
// aside), each with its perfect-split run and its random-split runs.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "netinfer/experiment/record.hpp"
#include "netinfer/net/architecture.hpp"

namespace netinfer::experiment::detail {

struct Setting {
  std::string label;        // "GAUSSIAN" or "method=nn" or "CONCAT, moments=4"
  std::string axis, value;  // the one varying axis and its value ("" when several vary)
  const StoredRun* perfect = nullptr;
  // Random-split runs by (train, test) fraction, each over its split seeds.
  std::map<std::pair<double, double>, std::vector<const StoredRun*>> random;
};

struct Summary {
  explicit Summary(net::Architecture a) : arch(std::move(a)) {}
  net::Architecture arch;
  std::string name;
  std::vector<StoredRun> runs;
  std::vector<std::string> varying;  // axes with more than one value
  std::vector<Setting> settings;     // in order of first appearance
  std::vector<double> baseline_layer;
  double baseline_rms = 0;
  std::int64_t runs_in_job = 0;
  bool complete = false;
  // Several random split sizes: the Fig. 17 grid.
  bool grid() const;
  // Only the feature set varies (or nothing): Figs. 14, 15 and 18 apply.
  bool over_feature_sets() const {
    return varying.empty() || (varying.size() == 1 && varying[0] == "feature-set");
  }
};

// details: also read the per-test arrays (Fig. 18).
Summary summarize(const h5::File& file, bool details);

// The value of an axis ("feature-set", "moments", ...) for a run.
std::string axis_value(const RunSpec& spec, const std::string& axis);
// A run's label: the values of `axes` ("GAUSSIAN, forest-seed=3"), or its
// feature set's name when no axis is given.
std::string label(const RunSpec& spec, const std::vector<std::string>& axes);
// Training and test fractions of a random split spec ("random:0.1:0.2").
std::pair<double, double> fractions(const std::string& split);
// Mean and sample standard deviation (sd 0 for one value).
std::pair<double, double> mean_sd(const std::vector<double>& values);

}  // namespace netinfer::experiment::detail
