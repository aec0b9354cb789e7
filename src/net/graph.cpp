#include "netinfer/net/graph.hpp"

#include <algorithm>
#include <cmath>

#include "netinfer/core/error.hpp"

namespace netinfer::net {

namespace {

using Flags = std::vector<std::uint8_t>;

bool any(const std::uint8_t* p, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    if (p[i]) return true;
  }
  return false;
}

// OR over families: a height x width map.
Flags spatial_or(const std::uint8_t* flags, const Shape& s) {
  Flags m(static_cast<std::size_t>(s.height) * s.width, 0);
  for (int f = 0; f < s.families; ++f) {
    const std::uint8_t* src = flags + static_cast<std::int64_t>(f) * m.size();
    for (std::size_t i = 0; i < m.size(); ++i) m[i] |= src[i];
  }
  return m;
}

// Calls f(in_offset, out_offset) for every input pixel (offset y*W+x in its
// map) inside the window of every output pixel.
template <typename F>
void for_each_window_pixel(const Window& w, const Shape& in, const Shape& out, F f) {
  for (int oy = 0; oy < out.height; ++oy) {
    const int y0 = oy * w.stride_h - w.pad_top;
    const int ya = std::max(y0, 0), yb = std::min(y0 + w.kernel_h, in.height);
    for (int ox = 0; ox < out.width; ++ox) {
      const int x0 = ox * w.stride_w - w.pad_left;
      const int xa = std::max(x0, 0), xb = std::min(x0 + w.kernel_w, in.width);
      for (int y = ya; y < yb; ++y) {
        for (int x = xa; x < xb; ++x) f(y * in.width + x, oy * out.width + ox);
      }
    }
  }
}

// Flags of a step's output reached from flags of its input (forward) or the
// reverse (backward); `to` is overwritten.
template <bool forward>
void step_flags(const Step& st, const Shape& in, const std::uint8_t* from, std::uint8_t* to) {
  const Shape& src = forward ? in : st.out;
  const Shape& dst = forward ? st.out : in;
  std::fill(to, to + dst.size(), 0);
  switch (st.kind) {
    case Step::Kind::Dense:
      if (any(from, src.size())) std::fill(to, to + dst.size(), 1);
      break;
    case Step::Kind::Same:
      std::copy(from, from + src.size(), to);
      break;
    case Step::Kind::Conv: {
      // Every family of one side meets every family of the other: work on
      // the OR over families, then spread it to all families.
      const Flags hit = spatial_or(from, src);
      Flags reached(static_cast<std::size_t>(dst.height) * dst.width, 0);
      for_each_window_pixel(st.window, in, st.out, [&](int i, int o) {
        if constexpr (forward) {
          reached[o] |= hit[i];
        } else {
          reached[i] |= hit[o];
        }
      });
      for (int f = 0; f < dst.families; ++f) {
        std::copy(reached.begin(), reached.end(), to + f * reached.size());
      }
      break;
    }
    case Step::Kind::Pool: {
      const std::int64_t in_map = static_cast<std::int64_t>(in.height) * in.width;
      const std::int64_t out_map = static_cast<std::int64_t>(st.out.height) * st.out.width;
      for (int f = 0; f < in.families; ++f) {
        const std::uint8_t* fi = forward ? from + f * in_map : from + f * out_map;
        std::uint8_t* ti = forward ? to + f * out_map : to + f * in_map;
        if (!any(fi, forward ? in_map : out_map)) continue;
        for_each_window_pixel(st.window, in, st.out, [&](int i, int o) {
          if constexpr (forward) {
            ti[o] |= fi[i];
          } else {
            ti[i] |= fi[o];
          }
        });
      }
      break;
    }
  }
}

// OR into `target` the flags a link's chain carries from `source` (forward:
// from the link's first layer to its last; backward: the reverse).
void carry(const Link& link, const Shape& first, const std::uint8_t* source, std::uint8_t* target,
           bool forward) {
  const int n = static_cast<int>(link.steps.size());
  std::vector<Shape> ins(n);
  for (int i = 0; i < n; ++i) ins[i] = i ? link.steps[i - 1].out : first;
  const Shape& end = forward ? link.steps.back().out : first;
  const std::uint8_t* from = source;
  Flags a, b;
  for (int k = 0; k < n; ++k) {
    const int i = forward ? k : n - 1 - k;
    b.resize((forward ? link.steps[i].out : ins[i]).size());
    if (forward) {
      step_flags<true>(link.steps[i], ins[i], from, b.data());
    } else {
      step_flags<false>(link.steps[i], ins[i], from, b.data());
    }
    a.swap(b);
    from = a.data();
  }
  for (std::int64_t i = 0; i < end.size(); ++i) target[i] |= from[i];
}

}  // namespace

void Graph::expand(const std::vector<std::uint8_t>& frontier,
                   std::vector<std::uint8_t>& next) const {
  std::fill(next.begin(), next.end(), 0);
  for (int l = 1; l < arch_.layer_count(); ++l) {
    const std::uint8_t* here = frontier.data() + arch_.offset(l);
    const bool active_here = any(here, arch_.shape(l).size());
    for (const Link& link : arch_.links(l)) {
      const Shape& first = arch_.shape(link.from);
      const std::uint8_t* there = frontier.data() + arch_.offset(link.from);
      if (any(there, first.size())) carry(link, first, there, next.data() + arch_.offset(l), true);
      if (active_here) carry(link, first, here, next.data() + arch_.offset(link.from), false);
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
