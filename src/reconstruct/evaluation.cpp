#include "netinfer/reconstruct/evaluation.hpp"

#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/reconstruct/baselines.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {

const char* const kPredictions = "/reconstruct/predictions";
const char* const kResults = "/reconstruct/results";
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Fraction of spikes in steps [0, steps) of every simulation: how saturated the
// data the model and the baselines saw were.
double activity(const GeneratorData& d, int steps) {
  std::int64_t spikes = 0;
  for (std::int64_t s = 0; s < d.simulations; ++s)
    for (int i = 0; i < d.n; ++i)
      for (int t = 0; t < steps; ++t) spikes += d.spike(s, i, t);
  return static_cast<double>(spikes) / (static_cast<double>(d.simulations) * d.n * steps);
}

MethodScore score(const std::string& method, const Eigen::MatrixXd& scores,
                  const Eigen::MatrixXd& target) {
  std::vector<double> s;
  std::vector<int> labels;
  off_diagonal(scores, target, s, labels);
  return {method, auroc(s, labels), auprc(s, labels)};
}

}  // namespace

std::vector<GeneratorResult> evaluate(const h5::File& predictions,
                                      const std::vector<GeneratorData>& data, MPI_Comm comm) {
  const std::string& path = predictions.path();
  NI_REQUIRE(predictions.exists(kPredictions), path,
             ": not a predictions file (no /reconstruct/predictions; write one with netinfer "
             "reconstruct infer)");
  const int steps = static_cast<int>(predictions.attr_int(kPredictions, "b") *
                                     predictions.attr_int(kPredictions, "windows"));
  const auto groups = predictions.children(kPredictions);
  NI_REQUIRE(groups.size() == data.size(), path, ": predictions for ", groups.size(),
             " generators, the spike file has ", data.size(), " (was it inferred from this file?)");
  std::vector<GeneratorResult> out;
  for (std::size_t g = 0; g < data.size(); ++g) {
    const GeneratorData& d = data[g];
    const std::string group = std::string(kPredictions) + "/" + groups[g];
    NI_REQUIRE(predictions.attr_string(group, "spec") == d.spec &&
                   predictions.attr_int(group, "n") == d.n &&
                   predictions.attr_int(group, "simulations") == d.simulations,
               path, ":", group, ": does not match ", d.group, " of the spike file");
    const auto n = static_cast<std::uint64_t>(d.n);
    GeneratorResult r;
    r.spec = d.spec;
    r.n = d.n;
    r.edges = static_cast<std::int64_t>(d.target.sum());
    r.spike_rate = d.spike_rate;
    r.mean_activity = activity(d, steps);
    const auto mean = predictions.read<double>(group + "/mean_output", {n, n});
    r.mean_output = Eigen::Map<const RowMajor>(mean.data(), d.n, d.n);
    const auto loss = predictions.read<double>(group + "/sample_loss");
    const auto correct = predictions.read<double>(group + "/sample_correct", {loss.size()});
    r.samples = static_cast<std::int64_t>(loss.size());
    const double pairs = static_cast<double>(d.n) * (d.n - 1);
    for (std::size_t k = 0; k < loss.size(); ++k) {
      r.loss += loss[k] / loss.size();
      r.exact += (correct[k] == pairs) / static_cast<double>(loss.size());
      r.pair_accuracy += correct[k] / pairs / loss.size();
    }
    r.methods.push_back(score("model", r.mean_output, d.target));
    for (const Baseline& b : baselines()) {
      const double start = MPI_Wtime();
      const Eigen::MatrixXd scores = b.scores(d, steps, comm);
      r.methods.push_back(score(b.name, scores, d.target));
      r.methods.back().seconds = MPI_Wtime() - start;
    }
    out.push_back(std::move(r));
  }
  return out;
}

void write_results(h5::File& file, const std::vector<GeneratorResult>& results) {
  file.make_groups(kResults);
  file.set_attr(kResults, "count", static_cast<std::int64_t>(results.size()));
  for (std::size_t g = 0; g < results.size(); ++g) {
    const auto& r = results[g];
    char name[32];
    std::snprintf(name, sizeof name, "/g%04zu", g);
    const std::string group = kResults + std::string(name);
    const RowMajor mean = r.mean_output;
    const auto n = static_cast<std::uint64_t>(r.n);
    file.write(group + "/mean_output", mean.data(), {n, n});
    file.set_attr(group + "/mean_output", "axes", std::string("target,source"));
    file.set_attr(group, "spec", r.spec);
    file.set_attr(group, "n", r.n);
    file.set_attr(group, "edges", r.edges);
    file.set_attr(group, "samples", r.samples);
    file.set_attr(group, "spike_rate", r.spike_rate);
    file.set_attr(group, "mean_activity", r.mean_activity);
    file.set_attr(group, "loss", r.loss);
    file.set_attr(group, "exact", r.exact);
    file.set_attr(group, "pair_accuracy", r.pair_accuracy);
    std::string methods;
    for (const auto& m : r.methods) {
      methods += (methods.empty() ? "" : ",") + m.method;
      file.set_attr(group, "auroc_" + m.method, m.auroc);
      file.set_attr(group, "auprc_" + m.method, m.auprc);
      file.set_attr(group, "seconds_" + m.method, m.seconds);
    }
    file.set_attr(group, "methods", methods);
  }
}

}  // namespace netinfer::reconstruct
