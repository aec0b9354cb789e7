#include "netinfer/reconstruct/generators.hpp"

#include <hdf5.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/io/h5.hpp"

namespace netinfer::reconstruct {

namespace {

// "family:key=value:..." split into the family and its parameters.
struct Spec {
  std::string text, family;
  std::map<std::string, std::string> params;

  explicit Spec(const std::string& s) : text(s) {
    std::istringstream in(s);
    std::getline(in, family, ':');
    std::string item;
    while (std::getline(in, item, ':')) {
      const auto eq = item.find('=');
      NI_REQUIRE(eq != std::string::npos && eq > 0, "generator '", s,
                 "': expected key=value, got '", item, "'");
      params[item.substr(0, eq)] = item.substr(eq + 1);
    }
  }
  void allow(std::initializer_list<const char*> keys) const {
    for (const auto& param : params) {
      const std::string& key = param.first;  // (clang 14 cannot capture a structured binding)
      const bool known = key == "count" || std::any_of(keys.begin(), keys.end(),
                                                       [&](const char* k) { return key == k; });
      NI_REQUIRE(known, "generator '", text, "': unknown parameter '", key, "'");
    }
  }
  std::string text_param(const std::string& key, const std::string& fallback = "") const {
    const auto it = params.find(key);
    if (it != params.end()) return it->second;
    NI_REQUIRE(!fallback.empty(), "generator '", text, "': missing parameter '", key, "'");
    return fallback;
  }
  double number(const std::string& key, double lo, double hi,
                const char* fallback = nullptr) const {
    const std::string t = text_param(key, fallback ? fallback : "");
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(t, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    NI_REQUIRE(used == t.size() && v >= lo && v <= hi, "generator '", text, "': ", key, "=", t,
               " is not a number in [", lo, ", ", hi, "]");
    return v;
  }
  int integer(const std::string& key, int lo, int hi, const char* fallback = nullptr) const {
    const double v = number(key, lo, hi, fallback);
    NI_REQUIRE(v == static_cast<int>(v), "generator '", text, "': ", key, " must be an integer");
    return static_cast<int>(v);
  }
};

Adjacency erdos_renyi(int n, double p, Stream& rng) {
  Adjacency m = Adjacency::Zero(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j && rng.uniform() < p) m(i, j) = 1;
  return m;
}

Adjacency random_dag(int n, double p, Stream& rng) {
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (int k = n - 1; k > 0; --k) std::swap(order[k], order[rng.below(k + 1)]);
  Adjacency m = Adjacency::Zero(n, n);
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (rng.uniform() < p) m(order[b], order[a]) = 1;  // order[a] -> order[b]
  return m;
}

Adjacency small_world(int n, int k, double beta, Stream& rng) {
  Adjacency m = Adjacency::Zero(n, n);
  for (int j = 0; j < n; ++j)
    for (int step = 1; step <= k; ++step) m((j + step) % n, j) = 1;
  // Rewire edge j -> i to j -> t, t a new random target (no self-loop, no duplicate).
  for (int j = 0; j < n; ++j) {
    for (int step = 1; step <= k; ++step) {
      const int i = (j + step) % n;
      if (rng.uniform() >= beta) continue;
      int free = 0;
      for (int t = 0; t < n; ++t) free += (t != j && m(t, j) == 0);
      if (free == 0) continue;
      int pick = static_cast<int>(rng.below(free));
      for (int t = 0; t < n; ++t) {
        if (t == j || m(t, j) != 0) continue;
        if (pick-- == 0) {
          m(i, j) = 0;
          m(t, j) = 1;
          break;
        }
      }
    }
  }
  return m;
}

void check_binary(const Adjacency& m, const std::string& where) {
  NI_REQUIRE(m.rows() == m.cols() && m.rows() > 0, where,
             ": adjacency must be square and non-empty, got ", m.rows(), "x", m.cols());
  NI_REQUIRE((m.array() == 0 || m.array() == 1).all(), where, ": adjacency entries must be 0 or 1");
}

Adjacency read_text_adjacency(const std::string& path) {
  std::ifstream in(path);
  NI_REQUIRE(in, "cannot open adjacency file ", path);
  std::vector<std::vector<int>> rows;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    std::istringstream words(line);
    std::vector<int> row;
    std::string w;
    while (words >> w) {
      NI_REQUIRE(w == "0" || w == "1", path, ":", line_no, ": entry '", w, "' is not 0 or 1");
      row.push_back(w == "1");
    }
    NI_REQUIRE(rows.empty() || row.size() == rows[0].size(), path, ":", line_no, ": row has ",
               row.size(), " entries, the first row has ", rows.empty() ? 0 : rows[0].size());
    rows.push_back(row);
  }
  NI_REQUIRE(!rows.empty(), path, ": no matrix rows");
  NI_REQUIRE(rows.size() == rows[0].size(), path, ": matrix is ", rows.size(), "x", rows[0].size(),
             ", not square");
  const int n = static_cast<int>(rows.size());
  Adjacency m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = rows[i][j];
  return m;
}

}  // namespace

Adjacency three_neuron_network(const std::string& name) {
  Adjacency chain(3, 3);
  chain << 0, 0, 0,  //
      1, 0, 0,       //
      1, 1, 0;
  if (name == "chain3") return chain;
  if (name == "inverted3") return chain.transpose();
  if (name == "cyclic3") {
    Adjacency cyclic = Adjacency::Zero(3, 3);
    cyclic(1, 0) = cyclic(2, 1) = cyclic(0, 2) = 1;
    return cyclic;
  }
  NI_FAIL("unknown 3-neuron network '", name, "' (chain3, inverted3, cyclic3)");
}

Adjacency read_adjacency(const std::string& path, const std::string& dataset) {
  std::ifstream probe(path);
  NI_REQUIRE(probe, "cannot open adjacency file ", path);
  probe.close();
  Adjacency m;
  if (H5Fis_hdf5(path.c_str()) > 0) {
    h5::File file(path, h5::File::Mode::Read);
    const h5::Dims dims = file.dims(dataset);
    NI_REQUIRE(dims.size() == 2, path, ":", dataset, ": adjacency must be a 2-D dataset");
    const auto values = file.read<std::int32_t>(dataset);
    m.resize(dims[0], dims[1]);
    for (std::uint64_t i = 0; i < dims[0]; ++i)
      for (std::uint64_t j = 0; j < dims[1]; ++j) m(i, j) = values[i * dims[1] + j];
  } else {
    m = read_text_adjacency(path);
  }
  check_binary(m, path);
  return m;
}

// The largest generated network: its dense n x n adjacency (4 bytes an entry)
// and the simulator's and model's n x n arrays must fit a node; 20,000
// neurons is 1.6 GB an array.
constexpr int kMaxNeurons = 20000;

std::vector<Generator> make_generators(const std::vector<std::string>& specs, std::uint64_t seed,
                                       std::uint64_t max_entries) {
  NI_REQUIRE(!specs.empty(), "no generator given (--generator)");
  std::vector<Generator> out;
  std::uint64_t entries = 0;  // adjacency entries of the networks so far
  for (const auto& text : specs) {
    const Spec spec(text);
    const int count = spec.integer("count", 1, 1000000, "1");
    // All copies have the spec's n (a file's is known once read): refuse a
    // request beyond the budget before generating any of it.
    const std::uint64_t n = spec.params.count("n") ? spec.integer("n", 2, kMaxNeurons) : 3;
    NI_REQUIRE(spec.family == "file" || entries + count * n * n <= max_entries, "generator '",
               text, "': ", count, " networks of ", n, " neurons exceed the ", max_entries,
               " adjacency entries (", max_entries / 250000000.0,
               " GB) that all generators together may have");
    for (int copy = 0; copy < count; ++copy) {
      Stream rng(seed, purpose_id("generator"), out.size());
      Adjacency m;
      if (spec.family == "chain3" || spec.family == "inverted3" || spec.family == "cyclic3") {
        spec.allow({});
        m = three_neuron_network(spec.family);
      } else if (spec.family == "er" || spec.family == "dag") {
        spec.allow({"n", "p"});
        const int n = spec.integer("n", 2, kMaxNeurons);
        const double p = spec.number("p", 0, 1);
        m = spec.family == "er" ? erdos_renyi(n, p, rng) : random_dag(n, p, rng);
      } else if (spec.family == "smallworld") {
        spec.allow({"n", "k", "beta"});
        const int n = spec.integer("n", 2, kMaxNeurons);
        m = small_world(n, spec.integer("k", 1, n - 1, "2"), spec.number("beta", 0, 1, "0.1"), rng);
      } else if (spec.family == "file") {
        spec.allow({"path", "dataset"});
        m = read_adjacency(spec.text_param("path"), spec.text_param("dataset", "/adjacency"));
      } else {
        NI_FAIL("generator '", text,
                "': unknown family (chain3, inverted3, cyclic3, er, dag, smallworld, file)");
      }
      entries += static_cast<std::uint64_t>(m.size());
      NI_REQUIRE(entries <= max_entries, "generator '", text, "': the networks exceed the ",
                 max_entries, " adjacency entries that all generators together may have");
      out.push_back({text, m});
    }
  }
  return out;
}

}  // namespace netinfer::reconstruct
