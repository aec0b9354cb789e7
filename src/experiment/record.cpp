#include "netinfer/experiment/record.hpp"

#include <type_traits>

#include "netinfer/core/error.hpp"
#include "netinfer/localize/result_io.hpp"

namespace netinfer::experiment {

namespace {

using localize::Field;

// What a run record adds to its localisation result, in one fixed order.
template <class Record, class Visit>
void for_each_addition(Record& r, Visit&& visit) {
  visit("activation_rate", r.activation_rate, Field::per_test);
  visit("layer_floor", r.floor.layer, Field::per_layer);
  visit("floor", r.floor.overall, Field::scalar);
  visit("floor_seconds", r.floor_seconds, Field::scalar);
  visit("total_seconds", r.total_seconds, Field::scalar);
  visit("silent_neurons", r.silent_neurons, Field::scalar);
}

}  // namespace

std::vector<double> pack(const RunRecord& r) {
  std::vector<double> out = {static_cast<double>(r.index)};
  for_each_addition(r, [&](const char*, const auto& value, Field) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_arithmetic_v<V>) {
      out.push_back(static_cast<double>(value));
    } else {
      out.push_back(static_cast<double>(value.size()));
      out.insert(out.end(), value.begin(), value.end());
    }
  });
  localize::pack_result(r.result, out);
  return out;
}

RunRecord unpack(const std::vector<double>& packed) {
  std::size_t at = 0;
  auto next = [&]() {
    NI_REQUIRE(at < packed.size(), "run record: message ends early (", packed.size(), " values)");
    return packed[at++];
  };
  RunRecord r;
  r.index = static_cast<std::int64_t>(next());
  for_each_addition(r, [&](const char*, auto& value, Field) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_arithmetic_v<V>) {
      value = static_cast<V>(next());
    } else {
      value.resize(static_cast<std::size_t>(next()));
      for (auto& x : value) x = next();
    }
  });
  r.result = localize::unpack_result(packed, at);
  NI_REQUIRE(at == packed.size(), "run record: ", packed.size(),
             " values, more than a record holds");
  return r;
}

void write_run(h5::File& f, const std::string& name, const RunSpec& spec, std::uint64_t seed,
               const RunRecord& r) {
  const std::string g = "/runs/" + name;
  localize::write_result(f, g, r.result);
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
  if (spec.forest_seed > 0) f.set_attr(g, "forest_seed", spec.forest_seed);
  for_each_addition(r, [&](const char* key, const auto& value, Field) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_arithmetic_v<V>) {
      f.set_attr(g, key, value);
    } else {
      f.write(g + "/" + key, value);
    }
  });
  std::int64_t silent = 0;
  for (auto s : r.result.silent) silent += s;
  f.set_attr(g, "silent_tests", silent);
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
    if (f.has_attr(g, "forest_seed"))
      s.forest_seed = static_cast<int>(f.attr_int(g, "forest_seed"));
    NI_REQUIRE(s.key() == f.attr_string(g, "key"), f.path(), ":", g,
               ": attributes disagree with its key");
    r.run.index = f.attr_int(g, "job_index");
    r.run.result = localize::read_result(f, g, details);
    for_each_addition(r.run, [&](const char* key, auto& value, Field kind) {
      using V = std::decay_t<decltype(value)>;
      if constexpr (std::is_same_v<V, double>) {
        value = f.attr_double(g, key);
      } else if constexpr (std::is_arithmetic_v<V>) {
        value = static_cast<V>(f.attr_int(g, key));
      } else if (details || kind != Field::per_test) {
        value = f.read<double>(g + "/" + key);
      }
    });
    r.silent_tests = f.attr_int(g, "silent_tests");
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
