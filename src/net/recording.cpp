#include "netinfer/net/recording.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::net {

Recording::Recording(const Architecture& arch)
    : Recording(
          arch,
          [&] {
            std::vector<std::int64_t> all(arch.neuron_count());
            std::iota(all.begin(), all.end(), 0);
            return all;
          }(),
          "all") {}

Recording::Recording(const Architecture& arch, std::vector<std::int64_t> neurons, std::string key)
    : neurons_(std::move(neurons)), key_(std::move(key)) {
  NI_REQUIRE(!neurons_.empty(), "the recording holds no neuron");
  for (std::size_t i = 0; i < neurons_.size(); ++i) {
    NI_REQUIRE(neurons_[i] >= 0 && neurons_[i] < arch.neuron_count(), "recorded neuron ",
               neurons_[i], " is not in the network (", arch.neuron_count(), " neurons)");
    NI_REQUIRE(i == 0 || neurons_[i] > neurons_[i - 1], "recorded neurons must be ascending and ",
               "distinct (", neurons_[i], " after ", neurons_[i ? i - 1 : 0], ")");
  }
  complete_ = size() == arch.neuron_count();
  NI_REQUIRE(complete_ == (key_ == "all"), "recording key '", key_, "' for ", size(), " of ",
             arch.neuron_count(), " neurons");
  for (int l = 0; l <= arch.layer_count(); ++l) {
    const std::int64_t first = l < arch.layer_count() ? arch.offset(l) : arch.neuron_count();
    layer_rows_.push_back(std::lower_bound(neurons_.begin(), neurons_.end(), first) -
                          neurons_.begin());
  }
}

std::int64_t Recording::row(std::int64_t neuron) const {
  if (complete_) return neuron >= 0 && neuron < size() ? neuron : -1;
  const auto it = std::lower_bound(neurons_.begin(), neurons_.end(), neuron);
  return it != neurons_.end() && *it == neuron ? it - neurons_.begin() : -1;
}

int Recording::layer_of_row(std::int64_t row) const {
  return static_cast<int>(std::upper_bound(layer_rows_.begin(), layer_rows_.end(), row) -
                          layer_rows_.begin()) -
         1;
}

std::vector<std::int64_t> Recording::keep(const std::vector<std::int64_t>& neurons) const {
  if (complete_) return neurons;
  std::vector<std::int64_t> out;
  for (auto n : neurons) {
    if (recorded(n)) out.push_back(n);
  }
  return out;
}

namespace {

// `count` neurons of one layer spread evenly: pick i takes position
// positions[i % P] and family families[(i % P + i / P) % F], so each round of
// P picks visits every position once and cycles through the families, and
// F rounds cover every (family, position) pair exactly once.
void choose_in_layer(const Architecture& arch, int layer, std::int64_t count, std::uint64_t seed,
                     std::vector<std::int64_t>& out) {
  const Shape& s = arch.shape(layer);
  const std::int64_t positions = static_cast<std::int64_t>(s.height) * s.width;
  Stream rng(seed, purpose_id("record"), static_cast<std::uint64_t>(layer));
  std::vector<std::int64_t> position(positions), family(s.families);
  std::iota(position.begin(), position.end(), 0);
  std::iota(family.begin(), family.end(), 0);
  for (std::int64_t i = positions - 1; i > 0; --i)
    std::swap(position[i], position[rng.below(i + 1)]);
  for (std::int64_t i = s.families - 1; i > 0; --i) std::swap(family[i], family[rng.below(i + 1)]);
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t f = family[(i % positions + i / positions) % s.families];
    out.push_back(arch.offset(layer) + f * positions + position[i % positions]);
  }
}

bool parse_amount(const std::string& text, double& value) {
  std::istringstream in(text);
  char rest = 0;
  return static_cast<bool>(in >> value) && !(in >> rest) && value > 0;
}

// How many of a layer's neurons an amount asks for: a fraction with a
// decimal point, otherwise a count.
std::int64_t amount_of(const std::string& text, std::int64_t layer_size, const std::string& spec) {
  double v = 0;
  NI_REQUIRE(parse_amount(text, v), "--record '", spec, "': '", text,
             "' is not a positive count or fraction");
  if (text.find('.') != std::string::npos) {
    NI_REQUIRE(v <= 1, "--record '", spec, "': fraction ", text, " exceeds 1");
    return std::max<std::int64_t>(1, std::llround(v * static_cast<double>(layer_size)));
  }
  NI_REQUIRE(v == std::floor(v), "--record '", spec, "': count ", text, " is not whole");
  return std::min(layer_size, static_cast<std::int64_t>(v));
}

Recording chosen(const Architecture& arch, const std::string& spec, std::uint64_t seed) {
  std::vector<std::string> layer_amount(arch.layer_count());
  std::stringstream items(spec);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      for (auto& a : layer_amount) a = item;
      continue;
    }
    const std::string name = item.substr(0, eq);
    int layer = -1;
    for (int l = 0; l < arch.layer_count(); ++l) {
      if (arch.name(l) == name) layer = l;
    }
    NI_REQUIRE(layer >= 0, "--record '", spec, "': the network has no layer ", name);
    layer_amount[layer] = item.substr(eq + 1);
  }
  std::vector<std::int64_t> neurons;
  for (int l = 0; l < arch.layer_count(); ++l) {
    NI_REQUIRE(!layer_amount[l].empty(), "--record '", spec, "': no amount for layer ",
               arch.name(l), " (give one for every layer, e.g. '0.5,", arch.name(l), "=0.1')");
    const std::int64_t before = static_cast<std::int64_t>(neurons.size());
    choose_in_layer(arch, l, amount_of(layer_amount[l], arch.shape(l).size(), spec), seed, neurons);
    std::sort(neurons.begin() + before, neurons.end());
  }
  if (static_cast<std::int64_t>(neurons.size()) == arch.neuron_count()) return Recording(arch);
  return Recording(arch, std::move(neurons), spec + "; record-seed=" + std::to_string(seed));
}

Recording listed(const Architecture& arch, const std::string& path) {
  std::ifstream in(path);
  NI_REQUIRE(in, "--record '", path, "' is neither a count, a fraction nor a readable file");
  std::vector<std::int64_t> neurons;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::vector<std::int64_t> v;
    for (std::int64_t x = 0; fields >> x;) v.push_back(x);
    // Reading stopped at the end of the line or at a word that is no integer.
    fields.clear();
    std::string rest;
    NI_REQUIRE(!(fields >> rest), path, ":", number, ": '", rest, "' is not an integer");
    if (v.empty()) continue;
    NI_REQUIRE(v.size() == 1 || v.size() == 4, path, ":", number,
               ": expected a neuron index or 'layer family x y'");
    if (v.size() == 1) {
      NI_REQUIRE(v[0] >= 0 && v[0] < arch.neuron_count(), path, ":", number, ": neuron ", v[0],
                 " is not in the network (", arch.neuron_count(), " neurons)");
      neurons.push_back(v[0]);
      continue;
    }
    const bool valid = v[0] >= 0 && v[0] < arch.layer_count() && v[1] >= 0 &&
                       v[1] < arch.shape(v[0]).families && v[2] >= 0 &&
                       v[2] < arch.shape(v[0]).width && v[3] >= 0 && v[3] < arch.shape(v[0]).height;
    NI_REQUIRE(valid, path, ":", number, ": no location (", v[0], ", ", v[1], ", ", v[2], ", ",
               v[3], ") in the network");
    neurons.push_back(arch.index({static_cast<int>(v[0]), static_cast<int>(v[1]),
                                  static_cast<int>(v[2]), static_cast<int>(v[3])}));
  }
  std::sort(neurons.begin(), neurons.end());
  const auto twice = std::adjacent_find(neurons.begin(), neurons.end());
  NI_REQUIRE(twice == neurons.end(), path, ": neuron ", twice == neurons.end() ? 0 : *twice,
             " is listed twice");
  NI_REQUIRE(!neurons.empty(), path, ": lists no neuron");
  if (static_cast<std::int64_t>(neurons.size()) == arch.neuron_count()) return Recording(arch);
  std::string text;
  for (auto n : neurons) text += std::to_string(n) + ",";
  char hash[24];
  std::snprintf(hash, sizeof hash, "list-%016llx",
                static_cast<unsigned long long>(purpose_id(text)));
  return Recording(arch, std::move(neurons), hash);
}

}  // namespace

Recording make_recording(const Architecture& arch, const std::string& spec, std::uint64_t seed) {
  if (spec.empty() || spec == "all") return Recording(arch);
  const std::string first = spec.substr(0, spec.find(','));
  double v = 0;
  if (parse_amount(first, v) || first.find('=') != std::string::npos)
    return chosen(arch, spec, seed);
  return listed(arch, spec);
}

}  // namespace netinfer::net
