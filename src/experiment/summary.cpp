#include "summary.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::experiment::detail {

namespace {
const char* const kAxes[] = {"feature-set", "moments", "eigenvectors", "transform",
                             "method",      "balance", "images",       "forest-seed"};
}

std::string label(const RunSpec& spec, const std::vector<std::string>& axes) {
  std::string out;
  for (const auto& axis : axes) {
    if (!out.empty()) out += ", ";
    out += axis == "feature-set" ? spec.feature_set.name : axis + "=" + axis_value(spec, axis);
  }
  return out.empty() ? spec.feature_set.name : out;
}

std::string axis_value(const RunSpec& s, const std::string& axis) {
  if (axis == "feature-set") return s.feature_set.name;
  if (axis == "moments") return std::to_string(s.moments);
  if (axis == "eigenvectors") return std::to_string(s.eigenvectors);
  if (axis == "transform") return s.transform;
  if (axis == "method") return s.method;
  if (axis == "balance") return s.balance ? "1" : "0";
  if (axis == "images") return std::to_string(s.images);
  if (axis == "forest-seed") return std::to_string(s.forest_seed);
  NI_FAIL("unknown axis ", axis);
}

std::pair<double, double> fractions(const std::string& split) {
  NI_REQUIRE(split.rfind("random", 0) == 0, "split '", split, "' is not random");
  double train = 0.5, test = 0;
  if (split.size() > 6) {
    std::istringstream in(split.substr(7));
    char colon = 0;
    in >> train;
    if (in >> colon) in >> test;
  }
  return {train, test > 0 ? test : 1 - train};
}

std::pair<double, double> mean_sd(const std::vector<double>& v) {
  if (v.empty()) return {NAN, NAN};
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {mean, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0};
}

bool Summary::grid() const {
  std::set<std::pair<double, double>> sizes;
  for (const auto& s : settings) {
    for (const auto& [size, runs] : s.random) sizes.insert(size);
  }
  return sizes.size() > 1;
}

Summary summarize(const h5::File& f, bool details) {
  Summary sum(localize::read_network(f));
  sum.name = f.attr_string("/experiment", "name");
  sum.runs = read_runs(f, details);
  // Job order, not the order in which runs finished.
  std::stable_sort(sum.runs.begin(), sum.runs.end(), [](const StoredRun& a, const StoredRun& b) {
    return a.run.index < b.run.index;
  });
  sum.baseline_layer = f.read<double>("/experiment/baseline_layer_rms");
  sum.baseline_rms = f.attr_double("/experiment", "baseline_rms");
  if (f.has_attr("/experiment", "runs_in_job"))
    sum.runs_in_job = f.attr_int("/experiment", "runs_in_job");
  sum.complete = f.has_attr("/experiment", "complete") && f.attr_int("/experiment", "complete");
  for (const char* axis : kAxes) {
    std::set<std::string> values;
    for (const auto& r : sum.runs) values.insert(axis_value(r.spec, axis));
    if (values.size() > 1) sum.varying.push_back(axis);
  }
  std::map<std::string, std::size_t> index;
  for (const auto& r : sum.runs) {
    auto [it, fresh] = index.emplace(label(r.spec, sum.varying), sum.settings.size());
    if (fresh) {
      Setting s;
      s.label = it->first;
      if (sum.varying.size() == 1) {
        s.axis = sum.varying[0];
        s.value = axis_value(r.spec, s.axis);
      } else if (sum.varying.empty()) {
        s.axis = "feature-set";
        s.value = r.spec.feature_set.name;
      }
      sum.settings.push_back(s);
    }
    Setting& s = sum.settings[it->second];
    if (r.spec.split == "perfect") {
      s.perfect = &r;
    } else {
      s.random[fractions(r.spec.split)].push_back(&r);
    }
  }
  return sum;
}

}  // namespace netinfer::experiment::detail
