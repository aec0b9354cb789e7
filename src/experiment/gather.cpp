#include "netinfer/experiment/gather.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "h5_objects.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/experiment/job.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::experiment {

namespace {

namespace fs = std::filesystem;

// Stage times an invocation adds to /experiment; a merged file sums them.
const char* const kTimes[] = {"responses_seconds", "spectra_seconds", "runs_seconds",
                              "total_seconds"};

struct Input {
  std::string path, architecture, settings, weights;      // weights: digest ("" if not recorded)
  std::vector<std::string> keys;                          // the job's runs
  std::vector<std::pair<std::string, std::string>> runs;  // complete (group, key)
  std::map<std::string, double> times;
};

Input read_input(const std::string& path) {
  const h5::File f(path, h5::File::Mode::Read);
  NI_REQUIRE(f.has_attr("/experiment", "settings"), path,
             ": not an experiment results file (no /experiment settings)");
  NI_REQUIRE(f.has_attr("/experiment", "axes"), path,
             ": records no job axes (written before slicing existed); rerun its job");
  Input in;
  in.path = path;
  in.architecture = localize::read_network(f).to_string();
  in.settings = f.attr_string("/experiment", "settings");
  if (f.has_attr("/experiment", "weights_digest"))
    in.weights = f.attr_string("/experiment", "weights_digest");
  for (const auto& run : expand(JobAxes::parse(f.attr_string("/experiment", "axes"))))
    in.keys.push_back(run.key());
  if (f.exists("/runs")) {
    for (const auto& name : f.children("/runs")) {
      const std::string g = "/runs/" + name;
      if (f.has_attr(g, "complete")) in.runs.emplace_back(g, f.attr_string(g, "key"));
    }
  }
  for (const char* key : kTimes)
    in.times[key] = f.has_attr("/experiment", key) ? f.attr_double("/experiment", key) : 0;
  return in;
}

// Fails unless `in` belongs to the job of `first`.
void require_same_job(const Input& first, const Input& in) {
  const std::string other = in.path + ": another job than " + first.path;
  NI_REQUIRE(in.architecture == first.architecture, other, " (architecture '", first.architecture,
             "' there, '", in.architecture, "' here)");
  NI_REQUIRE(in.weights == first.weights, other, " (made from other weights)");
  if (in.settings != first.settings) {
    const auto [there, here] = first_difference(first.settings, in.settings);
    NI_FAIL(other, " (", there, " there, ", here, " here)");
  }
  NI_REQUIRE(in.keys.size() == first.keys.size(), other, " (", first.keys.size(), " runs there, ",
             in.keys.size(), " here)");
  for (std::size_t i = 0; i < in.keys.size(); ++i) {
    NI_REQUIRE(in.keys[i] == first.keys[i], other, " (run ", i, " is '", first.keys[i],
               "' there, '", in.keys[i], "' here)");
  }
}

std::string group_name(std::size_t job_index) {
  char name[32];
  std::snprintf(name, sizeof name, "/runs/%06zu", job_index);
  return name;
}

}  // namespace

GatherSummary gather(const GatherOptions& o) {
  NI_REQUIRE(!o.inputs.empty(),
             "netinfer gather: which files? (netinfer gather --out OUT A B ...)");
  h5::refuse_overwrite(o.out, o.force);
  std::vector<Input> inputs;
  for (const auto& path : o.inputs) {
    inputs.push_back(read_input(path));
    require_same_job(inputs.front(), inputs.back());
  }
  const auto& keys = inputs.front().keys;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < keys.size(); ++i) index[keys[i]] = i;

  // The source of each run (input, group); duplicates must agree.
  std::vector<std::unique_ptr<detail::RawFile>> files;
  for (const auto& in : inputs) files.push_back(std::make_unique<detail::RawFile>(in.path, false));
  std::vector<std::pair<std::size_t, std::string>> source(keys.size(), {0, ""});
  GatherSummary s;
  s.runs_in_job = static_cast<std::int64_t>(keys.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (const auto& [group, key] : inputs[i].runs) {
      const auto it = index.find(key);
      NI_REQUIRE(it != index.end(), inputs[i].path, ":", group, ": run '", key,
                 "' is not in the job");
      auto& [from, from_group] = source[it->second];
      if (from_group.empty()) {
        source[it->second] = {i, group};
        continue;
      }
      const std::string d = detail::group_difference(*files[from], from_group, *files[i], group);
      NI_REQUIRE(d.empty(), inputs[i].path, ":", group, ": run '", key, "' differs from ",
                 inputs[from].path, ":", from_group, " (", d, ")");
      ++s.duplicates;
    }
  }

  const std::string partial = h5::Output::partial_name(o.out);
  fs::remove(partial);
  {
    h5::File f(partial, h5::File::Mode::Create);
    h5::write_provenance(f, o.command_line, o.options_text);
  }
  {
    detail::RawFile out(partial, true);
    out.copy_from(*files.front(), "/network", "/network");
    out.copy_from(*files.front(), "/experiment", "/experiment");
    for (std::size_t j = 0; j < keys.size(); ++j) {
      const auto& [from, group] = source[j];
      if (group.empty()) {
        s.missing.push_back(keys[j]);
        continue;
      }
      out.copy_from(*files[from], group, group_name(j));
      ++s.copied;
    }
  }
  s.complete = s.missing.empty();
  {
    h5::File f(partial, h5::File::Mode::ReadWrite);
    for (const char* key : kTimes) {
      double sum = 0;
      for (const auto& in : inputs) sum += in.times.at(key);
      f.set_attr("/experiment", key, sum);
    }
    f.set_attr("/experiment", "slice", std::string("0/1"));
    f.set_attr("/experiment", "runs_in_job", s.runs_in_job);
    f.set_attr("/experiment", "complete", s.complete ? 1 : 0);
  }
  if (s.complete) fs::rename(partial, o.out);
  return s;
}

}  // namespace netinfer::experiment
