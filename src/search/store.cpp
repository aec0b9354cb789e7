#include "netinfer/search/store.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "netinfer/core/error.hpp"
#include "netinfer/experiment/job.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::search {

namespace {

namespace fs = std::filesystem;

std::string group_name(std::int64_t index) {
  char name[48];
  std::snprintf(name, sizeof name, "/search/candidates/%08lld", static_cast<long long>(index));
  return name;
}

void write_rows(h5::File& f, const std::string& name,
                const std::vector<std::vector<double>>& rows) {
  std::vector<double> flat;
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  const std::uint64_t cols = rows.empty() ? 0 : rows.front().size();
  f.write(name, flat.data(), {rows.size(), cols});
}

std::vector<std::vector<double>> read_rows(const h5::File& f, const std::string& name) {
  const auto dims = f.dims(name);
  const auto flat = f.read<double>(name);
  std::vector<std::vector<double>> rows;
  for (std::uint64_t r = 0; r < dims.at(0); ++r)
    rows.emplace_back(flat.begin() + r * dims.at(1), flat.begin() + (r + 1) * dims.at(1));
  return rows;
}

void write_record(h5::File& f, const Record& r) {
  const std::string g = group_name(r.index);
  f.make_groups(g);
  f.write(g + "/overall", r.overall);
  f.write(g + "/overall_symmetric", r.overall_symmetric);
  f.write(g + "/active", r.active);
  f.write(g + "/silent", r.silent);
  f.write(g + "/localize_seconds", r.localize_seconds);
  write_rows(f, g + "/layer_error", r.layer_error);
  write_rows(f, g + "/layer_symmetric", r.layer_symmetric);
  f.set_attr(g + "/layer_error", "axes", std::string("network, layer"));
  f.set_attr(g + "/layer_symmetric", "axes", std::string("network, layer"));
  f.set_attr(g, "index", r.index);
  f.set_attr(g, "key", r.key);
  f.set_attr(g, "sets", r.sets);
  f.set_attr(g, "moments", r.moments);
  f.set_attr(g, "eigenvectors", r.eigenvectors);
  f.set_attr(g, "features", r.features);
  f.set_attr(g, "error", r.error());
  f.set_attr(g, "error_symmetric", r.error_symmetric());
  f.set_attr(g, "perfect", r.perfect() ? 1 : 0);
  f.set_attr(g, "seconds", r.seconds);
  f.set_attr(g, "inputs_seconds", r.inputs_seconds);
  f.set_attr(g, "sets_computed", r.sets_computed);
  f.set_attr(g, "sets_cached", r.sets_cached);
  f.set_attr(g, "complete", 1);
}

Record read_record(const h5::File& f, const std::string& g) {
  Record r;
  r.index = f.attr_int(g, "index");
  r.key = f.attr_string(g, "key");
  r.sets = static_cast<int>(f.attr_int(g, "sets"));
  r.moments = static_cast<int>(f.attr_int(g, "moments"));
  r.eigenvectors = static_cast<int>(f.attr_int(g, "eigenvectors"));
  r.features = static_cast<int>(f.attr_int(g, "features"));
  r.overall = f.read<double>(g + "/overall");
  r.overall_symmetric = f.read<double>(g + "/overall_symmetric");
  r.active = f.read<double>(g + "/active");
  r.silent = f.read<double>(g + "/silent");
  r.localize_seconds = f.read<double>(g + "/localize_seconds");
  r.layer_error = read_rows(f, g + "/layer_error");
  r.layer_symmetric = read_rows(f, g + "/layer_symmetric");
  r.seconds = f.attr_double(g, "seconds");
  r.inputs_seconds = f.attr_double(g, "inputs_seconds");
  r.sets_computed = static_cast<int>(f.attr_int(g, "sets_computed"));
  r.sets_cached = static_cast<int>(f.attr_int(g, "sets_cached"));
  return r;
}

}  // namespace

double Record::error() const {
  return *std::max_element(overall.begin(), overall.end());
}

double Record::error_symmetric() const {
  return *std::max_element(overall_symmetric.begin(), overall_symmetric.end());
}

Record make_record(const Candidate& c, const std::vector<Evaluation>& evaluations, double seconds) {
  Record r;
  r.index = c.index;
  r.key = c.key();
  r.sets = static_cast<int>(c.sets.size());
  r.moments = c.moments;
  r.eigenvectors = c.eigenvectors;
  r.features = c.features();
  for (const auto& e : evaluations) {
    r.overall.push_back(e.score.overall);
    r.overall_symmetric.push_back(e.score.overall_symmetric);
    r.active.push_back(e.score.active);
    r.silent.push_back(e.score.silent);
    r.localize_seconds.push_back(e.localize_seconds);
    r.layer_error.push_back(e.score.layer);
    r.layer_symmetric.push_back(e.score.layer_symmetric);
    r.inputs_seconds += e.inputs_seconds;
    r.sets_computed += e.sets_computed;
    r.sets_cached += e.sets_cached;
  }
  r.seconds = seconds;
  return r;
}

bool better(const Record& a, const Record& b) {
  if (a.error_symmetric() != b.error_symmetric()) return a.error_symmetric() < b.error_symmetric();
  if (a.error() != b.error()) return a.error() < b.error();
  return a.index < b.index;
}

Store::Store(const Options& o, const net::Architecture& arch)
    : o_(o), partial_(h5::Output::partial_name(o.out)) {
  if (o.force) {
    fs::remove(o.out);
    fs::remove(partial_);
  }
  if (!fs::exists(o.out) && !fs::exists(partial_)) {
    h5::File f(partial_, h5::File::Mode::Create);
    h5::write_provenance(f, o.command_line, o.options_text);
    localize::write_network(f, arch);
    f.make_groups("/search/candidates");
    f.set_attr("/search", "settings", o.settings);
    f.set_attr("/search", "networks", o.networks);
    f.set_attr("/search", "candidates", std::int64_t{0});
    f.set_attr("/search", "seconds", 0.0);
    f.set_attr("/search", "complete", 0);
    return;
  }
  // A finished file is checked as it is, and only then becomes work in progress again.
  const bool finished = fs::exists(o.out);
  h5::File f(finished ? o.out : partial_, h5::File::Mode::ReadWrite);
  NI_REQUIRE(f.has_attr("/search", "settings"), f.path(),
             ": not a search results file (no /search settings)");
  const std::string made_for = localize::read_network(f).to_string();
  NI_REQUIRE(made_for == arch.to_string(), f.path(), ": made for architecture '", made_for,
             "', the networks have '", arch.to_string(), "' (use --force or another --out)");
  const std::string before = f.attr_string("/search", "settings");
  if (before != o.settings) {
    const auto [was, now] = experiment::first_difference(before, o.settings);
    NI_FAIL(f.path(), ": made with other settings (was ", was, ", now ", now,
            "); use --force or another --out");
  }
  for (const auto& name : f.children("/search/candidates")) {
    const std::string g = "/search/candidates/" + name;
    if (f.has_attr(g, "complete")) {
      records_.push_back(read_record(f, g));
    } else {
      f.remove(g);  // cut short by a kill: redone
    }
  }
  f.set_attr("/search", "networks", o.networks);
  f.set_attr("/search", "complete", 0);
  f.close();
  if (finished) fs::rename(o.out, partial_);
}

void Store::append(const Record& r) {
  h5::File f(partial_, h5::File::Mode::ReadWrite);
  write_record(f, r);
  records_.push_back(r);
  f.set_attr("/search", "candidates", static_cast<std::int64_t>(records_.size()));
}

void Store::finish(const std::string& stop, double seconds) {
  {
    h5::File f(partial_, h5::File::Mode::ReadWrite);
    f.set_attr("/search", "stop", stop);
    f.set_attr("/search", "seconds", f.attr_double("/search", "seconds") + seconds);
    f.set_attr("/search", "complete", 1);
  }
  fs::rename(partial_, o_.out);
}

}  // namespace netinfer::search
