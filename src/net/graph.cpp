#include "netinfer/net/graph.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"
#include "quotient.hpp"

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

Graph::Graph(Architecture arch)
    : arch_(std::move(arch)), quotient_(std::make_shared<PositionQuotient>(arch_)) {}

bool Graph::quotient_exact() const {
  return quotient_->exact();
}

std::int64_t Graph::check(std::int64_t neuron) const {
  NI_REQUIRE(neuron >= 0 && neuron < arch_.neuron_count(), "graph: neuron ", neuron,
             " out of range");
  return neuron;
}

namespace {

// A neuron's place in the quotient: its position's number and its family.
struct Place {
  std::int64_t position;
  int family;
};
Place place(const Architecture& a, const PositionQuotient& q, std::int64_t neuron) {
  const int l = a.layer_of(neuron);
  const std::int64_t map = static_cast<std::int64_t>(a.shape(l).height) * a.shape(l).width;
  const std::int64_t i = neuron - a.offset(l);
  return {q.first_position(l) + i % map, static_cast<int>(i / map)};
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
  if (!quotient_->exact()) return flag_distances_from(source);
  const Place s = place(arch_, *quotient_, check(source));
  PositionQuotient::Levels lv;
  quotient_->search(s.position, lv);
  std::vector<std::int16_t> dist(arch_.neuron_count());
  for (int l = 0; l < arch_.layer_count(); ++l) {
    const Shape& shape = arch_.shape(l);
    const std::int64_t map = static_cast<std::int64_t>(shape.height) * shape.width;
    const std::int64_t first = quotient_->first_position(l);
    std::int16_t* out = dist.data() + arch_.offset(l);
    for (int f = 0; f < shape.families; ++f) {
      for (std::int64_t p = 0; p < map; ++p) {
        out[f * map + p] = static_cast<std::int16_t>(lv.distance(first + p, f == s.family));
      }
    }
  }
  return dist;
}

int Graph::distance(std::int64_t from, std::int64_t to) const {
  if (!quotient_->exact()) return flag_distance(from, to);
  const Place s = place(arch_, *quotient_, check(from)), t = place(arch_, *quotient_, check(to));
  PositionQuotient::Levels a, b;
  return quotient_->pair_distance(s.position, s.family, t.position, t.family, a, b);
}

// Sources with at least this many pairs get one search for all of them.
constexpr std::int64_t kSharedSearch = 4;

std::vector<int> Graph::distances(const std::vector<std::int64_t>& from,
                                  const std::vector<std::int64_t>& to) const {
  NI_REQUIRE(from.size() == to.size(), "graph: pair lists differ in length");
  const std::int64_t count = static_cast<std::int64_t>(from.size());
  std::vector<int> out(count);
  if (!quotient_->exact()) {
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t i = 0; i < count; ++i) out[i] = flag_distance(from[i], to[i]);
    return out;
  }
  // Pairs ordered by their source's position: one search answers a run.
  std::vector<Place> s(count), t(count);
  for (std::int64_t i = 0; i < count; ++i) {
    s[i] = place(arch_, *quotient_, check(from[i]));
    t[i] = place(arch_, *quotient_, check(to[i]));
  }
  std::vector<std::int64_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::int64_t a, std::int64_t b) { return s[a].position < s[b].position; });
  std::vector<std::int64_t> runs;  // where each run of one source position starts
  for (std::int64_t k = 0; k < count; ++k) {
    if (k == 0 || s[order[k]].position != s[order[k - 1]].position) runs.push_back(k);
  }
  runs.push_back(count);
  const std::int64_t run_count = static_cast<std::int64_t>(runs.size()) - 1;
#pragma omp parallel if (count > 64)
  {
    PositionQuotient::Levels lv, other;
#pragma omp for schedule(dynamic, 4)
    for (std::int64_t r = 0; r < run_count; ++r) {
      if (runs[r + 1] - runs[r] < kSharedSearch) {
        // A pair alone: search from both ends.
        for (std::int64_t k = runs[r]; k < runs[r + 1]; ++k) {
          const std::int64_t i = order[k];
          out[i] = quotient_->pair_distance(s[i].position, s[i].family, t[i].position, t[i].family,
                                            lv, other);
        }
        continue;
      }
      // One search for the run, stopped at the level that settles its last target.
      const auto settled = [&](const PositionQuotient::Levels& levels) {
        for (std::int64_t k = runs[r]; k < runs[r + 1]; ++k) {
          const std::int64_t i = order[k];
          if (levels.distance(t[i].position, s[i].family == t[i].family) < 0) return false;
        }
        return true;
      };
      quotient_->search(s[order[runs[r]]].position, lv, settled);
      for (std::int64_t k = runs[r]; k < runs[r + 1]; ++k) {
        const std::int64_t i = order[k];
        out[i] = lv.distance(t[i].position, s[i].family == t[i].family);
      }
    }
  }
  return out;
}

std::vector<std::int16_t> Graph::flag_distances_from(std::int64_t source) const {
  const std::int64_t n = arch_.neuron_count();
  check(source);
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

int Graph::flag_distance(std::int64_t from, std::int64_t to) const {
  const std::int64_t n = arch_.neuron_count();
  check(from);
  check(to);
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

Graph::RowSums Graph::row_sums(std::int64_t source) const {
  RowSums r;
  if (!quotient_->exact()) {
    const auto dist = flag_distances_from(source);
    for (std::int64_t t = 0; t < arch_.neuron_count(); ++t) {
      if (t == source) continue;
      r.sum += dist[t];
      r.sum_sq += static_cast<double>(dist[t]) * dist[t];
      r.max = std::max<int>(r.max, dist[t]);
    }
    return r;
  }
  // Per position: the source's family at one distance, the others at another
  // (the same where the search never tracked the family). The source itself
  // adds 0.
  const Place s = place(arch_, *quotient_, check(source));
  PositionQuotient::Levels lv;
  quotient_->search(s.position, lv);
  for (int l = 0; l < arch_.layer_count(); ++l) {
    const Shape& shape = arch_.shape(l);
    const std::int64_t first = quotient_->first_position(l);
    const double others = shape.families - 1;
    for (std::int64_t p = first; p < first + shape.height * shape.width; ++p) {
      const double same = lv.distance(p, true), other = lv.distance(p, false);
      r.sum += same + others * other;
      r.sum_sq += same * same + others * other * other;
      r.max = std::max<int>(r.max, lv.distance(p, true));
      if (shape.families > 1) r.max = std::max<int>(r.max, lv.distance(p, false));
    }
  }
  return r;
}

GraphStats graph_stats(const Graph& graph, const GraphStatsOptions& options) {
  const Architecture& a = graph.architecture();
  const std::int64_t n = a.neuron_count();
  const int layers = a.layer_count();
  // A source stands for `weight` neurons: with the quotient, family 0 at a
  // position stands for every family there.
  const bool quotient = graph.quotient_exact();
  std::vector<std::int64_t> units(layers);
  for (int l = 0; l < layers; ++l) {
    units[l] = quotient ? static_cast<std::int64_t>(a.shape(l).height) * a.shape(l).width
                        : a.shape(l).size();
  }
  const bool exact = std::accumulate(units.begin(), units.end(), std::int64_t{0}) <=
                     (quotient ? options.exact_positions : options.exact_neurons);
  struct Source {
    std::int64_t neuron;
    int layer;
    double weight;
  };
  std::vector<Source> sources;
  GraphStats st;
  for (int l = 0; l < layers; ++l) {
    const double per_unit = quotient ? a.shape(l).families : 1;
    const std::int64_t k = options.sources_per_layer;
    if (exact || units[l] <= k) {
      for (std::int64_t u = 0; u < units[l]; ++u) sources.push_back({a.offset(l) + u, l, per_unit});
      continue;
    }
    st.sampled = true;
    Stream stream(options.seed, purpose_id("graph_stats"), l);
    const double weight = per_unit * static_cast<double>(units[l]) / k;
    for (std::int64_t j = 0; j < k; ++j) {
      sources.push_back(
          {a.offset(l) + static_cast<std::int64_t>(stream.below(units[l])), l, weight});
    }
  }
  const std::int64_t count = static_cast<std::int64_t>(sources.size());
  std::vector<Graph::RowSums> rows(count);
#pragma omp parallel for schedule(dynamic, 8)
  for (std::int64_t i = 0; i < count; ++i) rows[i] = graph.row_sums(sources[i].neuron);
  // Summed in source order, so the figures do not depend on the threads.
  std::vector<double> layer_sq(layers, 0.0);
  double sum = 0, sum_sq = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    sum += sources[i].weight * rows[i].sum;
    sum_sq += sources[i].weight * rows[i].sum_sq;
    layer_sq[sources[i].layer] += sources[i].weight * rows[i].sum_sq;
    st.max_distance = std::max(st.max_distance, rows[i].max);
  }
  const double pairs = static_cast<double>(n) * (n - 1);
  st.sources = count;
  st.mean = sum / pairs;
  st.rms = std::sqrt(sum_sq / pairs);
  for (int l = 0; l < layers; ++l) {
    st.layer_rms.push_back(
        std::sqrt(layer_sq[l] / (static_cast<double>(a.shape(l).size()) * (n - 1))));
  }
  return st;
}

}  // namespace netinfer::net
