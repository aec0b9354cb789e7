#include "netinfer/net/graph.hpp"

#include <algorithm>
#include <cmath>

#include "netinfer/core/error.hpp"

namespace netinfer::net {

namespace {

// Flags of one layer's neurons, indexed (family, y, x) as in the global order.
template <typename T>
struct LayerView {
  T* data;
  Shape s;
  T& at(int f, int y, int x) const {
    return data[(static_cast<std::int64_t>(f) * s.height + y) * s.width + x];
  }
};

bool any(const std::uint8_t* p, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    if (p[i]) return true;
  }
  return false;
}

// OR over families: a height x width map.
std::vector<std::uint8_t> spatial_or(const LayerView<const std::uint8_t>& v) {
  std::vector<std::uint8_t> m(static_cast<std::size_t>(v.s.height) * v.s.width, 0);
  for (int f = 0; f < v.s.families; ++f) {
    const std::uint8_t* src = v.data + static_cast<std::int64_t>(f) * m.size();
    for (std::size_t i = 0; i < m.size(); ++i) m[i] |= src[i];
  }
  return m;
}

}  // namespace

void Graph::expand(const std::vector<std::uint8_t>& frontier,
                   std::vector<std::uint8_t>& next) const {
  using In = LayerView<const std::uint8_t>;
  using Out = LayerView<std::uint8_t>;
  std::fill(next.begin(), next.end(), 0);
  for (int l = 1; l < arch_.layer_count(); ++l) {
    const LayerSpec& spec = arch_.spec(l);
    const In fp{frontier.data() + arch_.offset(l - 1), arch_.shape(l - 1)};
    const In fc{frontier.data() + arch_.offset(l), arch_.shape(l)};
    const Out np{next.data() + arch_.offset(l - 1), arch_.shape(l - 1)};
    const Out nc{next.data() + arch_.offset(l), arch_.shape(l)};
    switch (spec.kind) {
      case LayerKind::Linear: {
        if (any(fp.data, fp.s.size())) std::fill(nc.data, nc.data + nc.s.size(), 1);
        if (any(fc.data, fc.s.size())) std::fill(np.data, np.data + np.s.size(), 1);
        break;
      }
      case LayerKind::Conv: {
        const int k = spec.kernel, st = spec.stride;
        // Forward: an output position is reached if any input in its window is.
        const auto in_any = spatial_or(fp);
        std::vector<std::uint8_t> out_hit(static_cast<std::size_t>(nc.s.height) * nc.s.width, 0);
        for (int y = 0; y < nc.s.height; ++y) {
          for (int x = 0; x < nc.s.width; ++x) {
            bool hit = false;
            for (int dy = 0; dy < k && !hit; ++dy) {
              const std::uint8_t* row = &in_any[(y * st + dy) * fp.s.width + x * st];
              for (int dx = 0; dx < k; ++dx) hit = hit || row[dx];
            }
            out_hit[y * nc.s.width + x] = hit;
          }
        }
        for (int f = 0; f < nc.s.families; ++f) {
          for (std::size_t i = 0; i < out_hit.size(); ++i)
            nc.data[f * out_hit.size() + i] |= out_hit[i];
        }
        // Backward: an input position is reached if any output covering it is.
        const auto out_any = spatial_or(fc);
        std::vector<std::uint8_t> in_hit(static_cast<std::size_t>(np.s.height) * np.s.width, 0);
        for (int y = 0; y < fc.s.height; ++y) {
          for (int x = 0; x < fc.s.width; ++x) {
            if (!out_any[y * fc.s.width + x]) continue;
            for (int dy = 0; dy < k; ++dy) {
              std::uint8_t* row = &in_hit[(y * st + dy) * np.s.width + x * st];
              for (int dx = 0; dx < k; ++dx) row[dx] = 1;
            }
          }
        }
        for (int c = 0; c < np.s.families; ++c) {
          for (std::size_t i = 0; i < in_hit.size(); ++i)
            np.data[c * in_hit.size() + i] |= in_hit[i];
        }
        break;
      }
      case LayerKind::MaxPool: {
        const int k = spec.kernel, st = spec.stride;
        for (int f = 0; f < nc.s.families; ++f) {
          for (int y = 0; y < nc.s.height; ++y) {
            for (int x = 0; x < nc.s.width; ++x) {
              bool hit = false;
              for (int dy = 0; dy < k; ++dy) {
                for (int dx = 0; dx < k; ++dx) hit = hit || fp.at(f, y * st + dy, x * st + dx);
              }
              if (hit) nc.at(f, y, x) = 1;
              if (fc.at(f, y, x)) {
                for (int dy = 0; dy < k; ++dy) {
                  for (int dx = 0; dx < k; ++dx) np.at(f, y * st + dy, x * st + dx) = 1;
                }
              }
            }
          }
        }
        break;
      }
      case LayerKind::Input:
        break;
    }
  }
}

std::vector<std::int16_t> Graph::distances_from(std::int64_t source) const {
  const std::int64_t n = arch_.neuron_count();
  NI_REQUIRE(source >= 0 && source < n, "graph: neuron ", source, " out of range");
  std::vector<std::int16_t> dist(n, -1);
  std::vector<std::uint8_t> frontier(n, 0), next(n, 0);
  frontier[source] = 1;
  dist[source] = 0;
  for (int d = 1;; ++d) {
    expand(frontier, next);
    bool grew = false;
    for (std::int64_t i = 0; i < n; ++i) {
      const bool fresh = next[i] && dist[i] < 0;
      frontier[i] = fresh;
      if (fresh) {
        dist[i] = static_cast<std::int16_t>(d);
        grew = true;
      }
    }
    if (!grew) break;
  }
  return dist;
}

int Graph::distance(std::int64_t from, std::int64_t to) const {
  const std::int64_t n = arch_.neuron_count();
  NI_REQUIRE(from >= 0 && from < n && to >= 0 && to < n, "graph: neuron out of range");
  if (from == to) return 0;
  std::vector<std::uint8_t> visited(n, 0), frontier(n, 0), next(n, 0);
  frontier[from] = visited[from] = 1;
  for (int d = 1;; ++d) {
    expand(frontier, next);
    if (next[to]) return d;
    bool grew = false;
    for (std::int64_t i = 0; i < n; ++i) {
      const bool fresh = next[i] && !visited[i];
      frontier[i] = fresh;
      visited[i] |= fresh;
      grew = grew || fresh;
    }
    if (!grew) return -1;
  }
}

std::vector<int> Graph::distances(const std::vector<std::int64_t>& from,
                                  const std::vector<std::int64_t>& to) const {
  NI_REQUIRE(from.size() == to.size(), "graph: pair lists differ in length");
  std::vector<int> out(from.size());
  const std::int64_t count = static_cast<std::int64_t>(from.size());
#pragma omp parallel for schedule(dynamic, 16)
  for (std::int64_t i = 0; i < count; ++i) out[i] = distance(from[i], to[i]);
  return out;
}

GraphStats graph_stats(const Graph& graph) {
  const Architecture& a = graph.architecture();
  const std::int64_t n = a.neuron_count();
  const int layers = a.layer_count();
  std::vector<double> layer_sq(layers, 0.0);
  double sum = 0, sum_sq = 0;
  int max_d = 0;
#pragma omp parallel for schedule(dynamic, 8) reduction(+ : sum, sum_sq) reduction(max : max_d)
  for (std::int64_t s = 0; s < n; ++s) {
    const auto dist = graph.distances_from(s);  // layered architectures are connected
    double row = 0, row_sq = 0;
    for (std::int64_t t = 0; t < n; ++t) {
      if (t == s) continue;
      row += dist[t];
      row_sq += static_cast<double>(dist[t]) * dist[t];
      max_d = std::max<int>(max_d, dist[t]);
    }
    sum += row;
    sum_sq += row_sq;
#pragma omp critical
    layer_sq[a.layer_of(s)] += row_sq;
  }
  GraphStats st;
  const double pairs = static_cast<double>(n) * (n - 1);
  st.max_distance = max_d;
  st.mean = sum / pairs;
  st.rms = std::sqrt(sum_sq / pairs);
  for (int l = 0; l < layers; ++l) {
    st.layer_rms.push_back(
        std::sqrt(layer_sq[l] / (static_cast<double>(a.shape(l).size()) * (n - 1))));
  }
  return st;
}

}  // namespace netinfer::net
