#include "netinfer/experiment/job.hpp"
#include "netinfer/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/localize/classifier.hpp"
#include "netinfer/spectral/transform.hpp"

namespace netinfer::experiment {

namespace {

std::int64_t parse_integer(const std::string& text, const std::string& option) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  NI_REQUIRE(used > 0 && used == text.size(), "--", option, ": '", text, "' is not an integer");
  return v;
}

// Values of an integer axis, every line expanded, none twice.
std::vector<std::int64_t> integer_axis(const std::vector<std::string>& lines,
                                       const std::string& option, std::int64_t fallback) {
  if (lines.empty()) return {fallback};
  std::vector<std::int64_t> out;
  for (const auto& line : lines) {
    for (auto v : parse_integers(line, option)) {
      NI_REQUIRE(std::find(out.begin(), out.end(), v) == out.end(), "--", option, ": ", v,
                 " is listed twice");
      out.push_back(v);
    }
  }
  return out;
}

template <typename T>
std::vector<T> unique_axis(const std::vector<std::string>& lines, const std::string& option,
                           T fallback, T (*canonical)(const std::string&)) {
  if (lines.empty()) return {fallback};
  std::vector<T> out;
  for (const auto& line : lines) {
    const T v = canonical(trim(line));
    NI_REQUIRE(std::find(out.begin(), out.end(), v) == out.end(), "--", option, ": '", line,
               "' is listed twice");
    out.push_back(v);
  }
  return out;
}

std::string canonical_transform(const std::string& t) {
  return spectral::transform_name(spectral::parse_transform(t));
}
std::string canonical_method(const std::string& m) {
  return localize::method_name(localize::parse_method(m));
}
bool parse_bool(const std::string& b) {
  if (b == "true" || b == "1" || b == "yes" || b == "on") return true;
  if (b == "false" || b == "0" || b == "no" || b == "off") return false;
  NI_FAIL("--balance: '", b, "' is not true or false");
}

// "random:0.1:0.2*5" -> ("random:0.1:0.2", 5 repeats).
std::pair<std::string, int> parse_split(const std::string& line) {
  const std::string text = trim(line);
  const auto star = text.find('*');
  if (star == std::string::npos) return {text, 1};
  const std::string base = trim(text.substr(0, star));
  const auto n = parse_integer(trim(text.substr(star + 1)), "split");
  NI_REQUIRE(n >= 1, "--split '", text, "': the repeat count must be positive");
  NI_REQUIRE(base.rfind("random", 0) == 0, "--split '", text,
             "': only random splits can be repeated (*N)");
  return {base, static_cast<int>(n)};
}

// The axes with their option names, in job-file order.
template <typename Axes>
auto named_axes(Axes& a) {
  return std::vector<std::pair<const char*, decltype(&a.images)>>{
      {"feature-set", &a.feature_sets}, {"split", &a.splits},
      {"moments", &a.moments},          {"eigenvectors", &a.eigenvectors},
      {"transform", &a.transforms},     {"method", &a.methods},
      {"balance", &a.balance},          {"images", &a.images},
      {"forest-seed", &a.forest_seeds}};
}

}  // namespace

std::string JobAxes::text() const {
  std::string out;
  for (const auto& [option, values] : named_axes(*this)) {
    for (const auto& v : *values) out += std::string(option) + " = " + trim(v) + "\n";
  }
  return out;
}

JobAxes JobAxes::parse(const std::string& text) {
  JobAxes axes;
  const auto named = named_axes(axes);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find(" = ");
    const std::string option = line.substr(0, eq);
    const auto it =
        std::find_if(named.begin(), named.end(), [&](const auto& n) { return option == n.first; });
    NI_REQUIRE(eq != std::string::npos && it != named.end(), "job axes: cannot read the line '",
               line, "'");
    it->second->push_back(line.substr(eq + 3));
  }
  return axes;
}

std::string JobSettings::text() const {
  std::ostringstream out;
  out << "seed = " << seed << "\ntrees = " << trees << "\nprior-weight = " << prior_weight
      << "\nsolver = " << solver << "\nprecision = " << precision << "\ndata-dir = " << data_dir
      << "\n";
  return out.str();
}

namespace {
std::string key_without_forest_seed(const RunSpec& r) {
  std::ostringstream out;
  out << "feature-set=" << r.feature_text << "; split=" << r.split
      << "; split-seed=" << r.split_seed << "; moments=" << r.moments
      << "; eigenvectors=" << r.eigenvectors << "; transform=" << r.transform
      << "; method=" << r.method << "; balance=" << (r.balance ? 1 : 0) << "; images=" << r.images;
  return out.str();
}
}  // namespace

std::string RunSpec::key() const {
  const std::string base = key_without_forest_seed(*this);
  return forest_seed > 0 ? base + "; forest-seed=" + std::to_string(forest_seed) : base;
}

std::uint64_t RunSpec::seed(std::uint64_t job_seed) const {
  return Stream(job_seed, purpose_id("experiment-run"), purpose_id(key_without_forest_seed(*this)))
      .next_u64();
}

std::uint64_t RunSpec::bank_seed(std::uint64_t job_seed) const {
  const std::uint64_t run = seed(job_seed);
  if (forest_seed == 0) return run;
  return Stream(run, purpose_id("forest-seed"), static_cast<std::uint64_t>(forest_seed)).next_u64();
}

std::vector<std::int64_t> parse_integers(const std::string& text, const std::string& option) {
  std::vector<std::int64_t> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    NI_REQUIRE(!item.empty(), "--", option, ": empty item in '", text, "'");
    const auto dots = item.find("..");
    if (dots == std::string::npos) {
      out.push_back(parse_integer(item, option));
      continue;
    }
    const auto a = parse_integer(trim(item.substr(0, dots)), option);
    const auto b = parse_integer(trim(item.substr(dots + 2)), option);
    NI_REQUIRE(a <= b, "--", option, ": empty range '", item, "'");
    for (auto v = a; v <= b; ++v) out.push_back(v);
  }
  NI_REQUIRE(!out.empty(), "--", option, ": no values in '", text, "'");
  return out;
}

std::vector<RunSpec> expand(const JobAxes& axes) {
  const RunSpec defaults;
  std::vector<std::pair<localize::FeatureSetSpec, std::string>> features;
  for (const auto& line : axes.feature_sets) {
    const std::string text = trim(line);
    auto spec = localize::parse_feature_set(text);
    for (const auto& f : features) {
      NI_REQUIRE(f.first.name != spec.name, "--feature-set: name '", spec.name, "' is used twice");
    }
    features.emplace_back(std::move(spec), text);
  }
  NI_REQUIRE(!features.empty(), "--feature-set: the job names no feature set");

  std::vector<std::pair<std::string, int>> splits;  // (spec, split seed)
  if (axes.splits.empty()) splits.emplace_back(defaults.split, 1);
  for (const auto& line : axes.splits) {
    const auto [base, repeats] = parse_split(line);
    for (int r = 1; r <= repeats; ++r) {
      const std::pair<std::string, int> s{base, r};
      NI_REQUIRE(std::find(splits.begin(), splits.end(), s) == splits.end(), "--split: '", line,
                 "' repeats a split already listed");
      splits.push_back(s);
    }
  }
  const auto moments = integer_axis(axes.moments, "moments", defaults.moments);
  const auto eigenvectors = integer_axis(axes.eigenvectors, "eigenvectors", defaults.eigenvectors);
  const auto images = integer_axis(axes.images, "images", defaults.images);
  for (auto m : moments) NI_REQUIRE(m >= 0 && m <= 4, "--moments: ", m, " is not in 0..4");
  for (auto e : eigenvectors) NI_REQUIRE(e >= 0, "--eigenvectors: ", e, " is negative");
  for (auto i : images) NI_REQUIRE(i >= 2, "--images: ", i, " must be at least 2");
  for (auto m : moments) {
    for (auto e : eigenvectors) {
      NI_REQUIRE(m + e > 0, "--moments 0 with --eigenvectors 0 leaves no features");
    }
  }
  const auto transforms = unique_axis<std::string>(axes.transforms, "transform", defaults.transform,
                                                   canonical_transform);
  const auto methods =
      unique_axis<std::string>(axes.methods, "method", defaults.method, canonical_method);
  const auto balance = unique_axis<bool>(axes.balance, "balance", defaults.balance, parse_bool);
  const auto forest_seeds = integer_axis(axes.forest_seeds, "forest-seed", defaults.forest_seed);
  if (!axes.forest_seeds.empty()) {
    for (auto s : forest_seeds)
      NI_REQUIRE(s >= 1 && s <= 1000000, "--forest-seed: ", s, " is not in 1..1000000");
  }

  std::vector<RunSpec> runs;
  for (const auto& [fs, text] : features)
    for (const auto& [split, split_seed] : splits)
      for (auto m : moments)
        for (auto e : eigenvectors)
          for (const auto& t : transforms)
            for (const auto& method : methods)
              for (bool b : balance)
                for (auto n : images)
                  for (auto f : forest_seeds) {
                    RunSpec r;
                    r.feature_set = fs;
                    r.feature_text = text;
                    r.split = split;
                    r.split_seed = split_seed;
                    r.moments = static_cast<int>(m);
                    r.eigenvectors = static_cast<int>(e);
                    r.transform = t;
                    r.method = method;
                    r.balance = b;
                    r.images = n;
                    r.forest_seed = static_cast<int>(f);
                    runs.push_back(std::move(r));
                  }
  return runs;
}

Plan plan(const std::vector<RunSpec>& runs, const JobSettings& settings) {
  // k of a (responses, transform) pair: the most eigenvectors any run asks for,
  // so every run of the job reads its features from one spectrum.
  auto base = [&](const RunSpec& r, const std::string& set) {
    SpectrumKey key;
    key.responses = {set, r.images, settings.seed, settings.data_dir};
    key.transform = r.transform;
    key.solver = settings.solver;
    key.precision = settings.precision;
    return key;
  };
  std::map<std::string, int> k;
  for (const auto& r : runs) {
    for (const auto& set : r.feature_set.sets) {
      int& v = k[base(r, set).text()];
      v = std::max(v, r.eigenvectors);
    }
  }
  Plan p;
  std::set<std::string> seen_spectra, seen_responses;
  for (const auto& r : runs) {
    auto& keys = p.run_sets.emplace_back();
    for (const auto& set : r.feature_set.sets) {
      SpectrumKey key = base(r, set);
      key.k = k.at(key.text());
      keys.push_back(key);
      if (seen_spectra.insert(key.text()).second) p.spectra.push_back(key);
      if (seen_responses.insert(key.responses.text()).second) p.responses.push_back(key.responses);
    }
  }
  return p;
}

std::pair<std::string, std::string> first_difference(const std::string& before,
                                                     const std::string& now) {
  std::istringstream a(before), b(now);
  std::string x, y;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, x)),
               more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a) x = "nothing";
    if (!more_b) y = "nothing";
    if (x != y || (!more_a && !more_b)) return {x, y};
  }
}

}  // namespace netinfer::experiment
