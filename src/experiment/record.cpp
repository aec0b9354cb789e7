#include "netinfer/experiment/record.hpp"

#include "netinfer/core/error.hpp"

namespace netinfer::experiment {

namespace {

// Appends a vector as its length followed by its values.
template <typename T>
void put(std::vector<double>& out, const std::vector<T>& v) {
  out.push_back(static_cast<double>(v.size()));
  for (const auto& x : v) out.push_back(static_cast<double>(x));
}

class Reader {
 public:
  explicit Reader(const std::vector<double>& data) : data_(data) {}
  double next() {
    NI_REQUIRE(at_ < data_.size(), "run record: message ends early (", data_.size(), " values)");
    return data_[at_++];
  }
  template <typename T>
  std::vector<T> vector() {
    const auto n = static_cast<std::size_t>(next());
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(next());
    return v;
  }
  bool done() const { return at_ == data_.size(); }

 private:
  const std::vector<double>& data_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<double> pack(const RunRecord& r) {
  const auto& x = r.result;
  std::vector<double> out = {static_cast<double>(r.index),
                             x.score.overall,
                             x.score.active,
                             x.score.silent,
                             x.score.overall_symmetric,
                             r.floor.overall,
                             x.bank_seconds,
                             x.confidence_seconds,
                             x.assignment_seconds,
                             x.score_seconds,
                             r.floor_seconds,
                             r.total_seconds,
                             static_cast<double>(r.silent_neurons)};
  put(out, x.tests);
  put(out, x.assigned);
  put(out, x.silent);
  put(out, x.score.distance);
  put(out, x.score.distance_symmetric);
  put(out, x.score.layer);
  put(out, x.score.layer_active);
  put(out, x.score.layer_silent);
  put(out, x.score.layer_symmetric);
  put(out, r.floor.layer);
  put(out, r.activation_rate);
  return out;
}

RunRecord unpack(const std::vector<double>& packed) {
  Reader in(packed);
  RunRecord r;
  auto& x = r.result;
  r.index = static_cast<std::int64_t>(in.next());
  x.score.overall = in.next();
  x.score.active = in.next();
  x.score.silent = in.next();
  x.score.overall_symmetric = in.next();
  r.floor.overall = in.next();
  x.bank_seconds = in.next();
  x.confidence_seconds = in.next();
  x.assignment_seconds = in.next();
  x.score_seconds = in.next();
  r.floor_seconds = in.next();
  r.total_seconds = in.next();
  r.silent_neurons = static_cast<std::int64_t>(in.next());
  x.tests = in.vector<std::int64_t>();
  x.assigned = in.vector<std::int64_t>();
  x.silent = in.vector<std::uint8_t>();
  x.score.distance = in.vector<int>();
  x.score.distance_symmetric = in.vector<int>();
  x.score.layer = in.vector<double>();
  x.score.layer_active = in.vector<double>();
  x.score.layer_silent = in.vector<double>();
  x.score.layer_symmetric = in.vector<double>();
  r.floor.layer = in.vector<double>();
  r.activation_rate = in.vector<double>();
  NI_REQUIRE(in.done(), "run record: ", packed.size(), " values, more than a record holds");
  return r;
}

void write_run(h5::File& f, const std::string& name, const RunSpec& spec, std::uint64_t seed,
               const RunRecord& r) {
  const std::string g = "/runs/" + name;
  const auto& x = r.result;
  f.make_groups(g);
  f.set_attr(g, "key", spec.key());
  f.set_attr(g, "job_index", r.index);
  f.set_attr(g, "feature_set", spec.feature_set.name);
  f.set_attr(g, "feature_text", spec.feature_text);
  f.set_attr(g, "split", spec.split);
  f.set_attr(g, "split_seed", spec.split_seed);
  f.set_attr(g, "moments", spec.moments);
  f.set_attr(g, "eigenvectors", spec.eigenvectors);
  f.set_attr(g, "transform", spec.transform);
  f.set_attr(g, "method", spec.method);
  f.set_attr(g, "balance", static_cast<int>(spec.balance));
  f.set_attr(g, "images", spec.images);
  f.set_attr(g, "seed", std::to_string(seed));
  f.write(g + "/tests", x.tests);
  f.write(g + "/assigned", x.assigned);
  f.set_attr(g + "/assigned", "axes", std::string("location assigned to tests[i] (neuron index)"));
  f.write(g + "/silent", x.silent);
  std::vector<std::int32_t> d(x.score.distance.begin(), x.score.distance.end());
  f.write(g + "/distance", d);
  d.assign(x.score.distance_symmetric.begin(), x.score.distance_symmetric.end());
  f.write(g + "/distance_symmetric", d);
  f.write(g + "/activation_rate", r.activation_rate);
  f.write(g + "/layer_error", x.score.layer);
  f.write(g + "/layer_active", x.score.layer_active);
  f.write(g + "/layer_silent", x.score.layer_silent);
  f.write(g + "/layer_symmetric", x.score.layer_symmetric);
  f.write(g + "/layer_floor", r.floor.layer);
  std::int64_t silent = 0;
  for (auto s : x.silent) silent += s;
  f.set_attr(g, "silent_tests", silent);
  f.set_attr(g, "silent_neurons", r.silent_neurons);
  f.set_attr(g, "overall", x.score.overall);
  f.set_attr(g, "active", x.score.active);
  f.set_attr(g, "silent", x.score.silent);
  f.set_attr(g, "overall_symmetric", x.score.overall_symmetric);
  f.set_attr(g, "floor", r.floor.overall);
  f.set_attr(g, "bank_seconds", x.bank_seconds);
  f.set_attr(g, "confidence_seconds", x.confidence_seconds);
  f.set_attr(g, "assignment_seconds", x.assignment_seconds);
  f.set_attr(g, "score_seconds", x.score_seconds);
  f.set_attr(g, "floor_seconds", r.floor_seconds);
  f.set_attr(g, "total_seconds", r.total_seconds);
  f.set_attr(g, "complete", 1);
}

std::vector<StoredRun> read_runs(const h5::File& f, bool details) {
  std::vector<StoredRun> runs;
  if (!f.exists("/runs")) return runs;
  for (const auto& name : f.children("/runs")) {
    const std::string g = "/runs/" + name;
    if (!f.has_attr(g, "complete")) continue;
    StoredRun r;
    r.name = name;
    r.job_index = f.attr_int(g, "job_index");
    auto& s = r.spec;
    s.feature_text = f.attr_string(g, "feature_text");
    s.feature_set = localize::parse_feature_set(s.feature_text);
    s.split = f.attr_string(g, "split");
    s.split_seed = static_cast<int>(f.attr_int(g, "split_seed"));
    s.moments = static_cast<int>(f.attr_int(g, "moments"));
    s.eigenvectors = static_cast<int>(f.attr_int(g, "eigenvectors"));
    s.transform = f.attr_string(g, "transform");
    s.method = f.attr_string(g, "method");
    s.balance = f.attr_int(g, "balance") != 0;
    s.images = f.attr_int(g, "images");
    NI_REQUIRE(s.key() == f.attr_string(g, "key"), f.path(), ":", g,
               ": attributes disagree with its key");
    r.overall = f.attr_double(g, "overall");
    r.active = f.attr_double(g, "active");
    r.silent = f.attr_double(g, "silent");
    r.overall_symmetric = f.attr_double(g, "overall_symmetric");
    r.floor = f.attr_double(g, "floor");
    r.silent_tests = f.attr_int(g, "silent_tests");
    r.silent_neurons = f.attr_int(g, "silent_neurons");
    r.total_seconds = f.attr_double(g, "total_seconds");
    r.bank_seconds = f.attr_double(g, "bank_seconds");
    r.confidence_seconds = f.attr_double(g, "confidence_seconds");
    r.assignment_seconds = f.attr_double(g, "assignment_seconds");
    r.score_seconds = f.attr_double(g, "score_seconds");
    r.floor_seconds = f.attr_double(g, "floor_seconds");
    r.layer_error = f.read<double>(g + "/layer_error");
    r.layer_active = f.read<double>(g + "/layer_active");
    r.layer_silent = f.read<double>(g + "/layer_silent");
    r.layer_symmetric = f.read<double>(g + "/layer_symmetric");
    r.layer_floor = f.read<double>(g + "/layer_floor");
    if (details) {
      r.tests = f.read<std::int64_t>(g + "/tests");
      r.distance = f.read<std::int32_t>(g + "/distance");
      r.activation_rate = f.read<double>(g + "/activation_rate");
    }
    runs.push_back(std::move(r));
  }
  return runs;
}

std::vector<std::string> incomplete_runs(const h5::File& f) {
  std::vector<std::string> out;
  if (!f.exists("/runs")) return out;
  for (const auto& name : f.children("/runs")) {
    if (!f.has_attr("/runs/" + name, "complete")) out.push_back(name);
  }
  return out;
}

}  // namespace netinfer::experiment
