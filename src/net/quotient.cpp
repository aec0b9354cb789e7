#include "quotient.hpp"

#include <algorithm>

namespace netinfer::net {

namespace {

constexpr std::uint8_t kFamily = 1;  // the source's family f is reached here
constexpr std::uint8_t kAll = 2;     // every family is reached here

int positions(const Shape& s) {
  return s.height * s.width;
}

// Lists of a window step's pairs (input position, output position), both ways.
void window_lists(const Window& w, const Shape& in, const Shape& out, std::vector<int>& fstart,
                  std::vector<int>& fwd, std::vector<int>& bstart, std::vector<int>& bwd) {
  std::vector<std::pair<int, int>> pairs;  // (input, output)
  for_each_window_pixel(w, in, out, [&](int i, int o) { pairs.emplace_back(i, o); });
  const auto csr = [&](int count, bool by_input, std::vector<int>& start, std::vector<int>& list) {
    start.assign(count + 1, 0);
    for (const auto& [i, o] : pairs) ++start[(by_input ? i : o) + 1];
    for (int k = 0; k < count; ++k) start[k + 1] += start[k];
    list.resize(pairs.size());
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (const auto& [i, o] : pairs) list[fill[by_input ? i : o]++] = by_input ? o : i;
  };
  csr(positions(in), true, fstart, fwd);
  csr(positions(out), false, bstart, bwd);
}

}  // namespace

PositionQuotient::PositionQuotient(const Architecture& arch) {
  layer_first_.push_back(0);
  for (int l = 0; l < arch.layer_count(); ++l) {
    layer_first_.push_back(layer_first_.back() + positions(arch.shape(l)));
    families_.push_back(arch.shape(l).families);
  }
  for (int l = 1; l < arch.layer_count(); ++l) {
    for (const Link& link : arch.links(l)) {
      QLink q{link.from, l, {}};
      Shape in = arch.shape(link.from);
      int in_positions = positions(in);  // of the map the next step reads
      const auto& steps = link.steps;
      bool last_dense = false;  // the last step taken is a Dense one
      for (std::size_t k = 0; k < steps.size(); ++k) {
        const Step& st = steps[k];
        if (st.kind == Step::Kind::Same && !(st.out == in)) {
          // A reshape: only a Dense step next to it keeps the quotient exact.
          const bool dense_next = k + 1 < steps.size() && steps[k + 1].kind == Step::Kind::Dense;
          if (last_dense) {
            q.steps.back().out_positions = positions(st.out);
          } else if (!dense_next) {
            exact_ = false;
          }
          in = st.out;
          // Before a Dense step, in_positions stays: it reads the map before the reshape.
          if (!dense_next || last_dense) in_positions = positions(in);
          continue;
        }
        QStep qs;
        qs.kind = st.kind;
        qs.in_positions = in_positions;
        qs.out_positions = positions(st.out);
        if (st.kind == Step::Kind::Conv || st.kind == Step::Kind::Pool) {
          window_lists(st.window, in, st.out, qs.lists.forward_start, qs.lists.forward,
                       qs.lists.backward_start, qs.lists.backward);
        }
        q.steps.push_back(std::move(qs));
        last_dense = st.kind == Step::Kind::Dense;
        in = st.out;
        in_positions = positions(in);
      }
      for (const QStep& st : q.steps) {
        largest_map_ = std::max({largest_map_, st.in_positions, st.out_positions});
      }
      links_.push_back(std::move(q));
    }
  }
}

void PositionQuotient::carry(const QLink& link, bool forward, Levels& w) const {
  const int n = static_cast<int>(link.steps.size());
  const int src_layer = forward ? link.from : link.to, dst_layer = forward ? link.to : link.from;
  // Each step reads a map's states at its listed positions and writes the
  // next map: a zeroed scratch map (cleared again after use), or the target.
  const std::uint8_t* from = &w.state[layer_first_[src_layer]];
  const std::vector<int>* list = &w.frontier[src_layer];
  std::uint8_t* scratch = nullptr;  // `from`, when it is a scratch map
  for (int k = 0; k < n; ++k) {
    const QStep& st = link.steps[forward ? k : n - 1 - k];
    const bool last = k == n - 1;
    const int count = forward ? st.out_positions : st.in_positions;
    std::uint8_t* to =
        last ? &w.next[layer_first_[dst_layer]] : (k % 2 ? w.scratch_b.data() : w.scratch_a.data());
    std::vector<int>& listed = k % 2 ? w.list_b : w.list_a;
    listed.clear();
    const auto emit = [&](int q, std::uint8_t v) {
      if (!to[q]) {
        if (last) {
          w.touched.emplace_back(dst_layer, q);
        } else {
          listed.push_back(q);
        }
      }
      to[q] |= v;
    };
    switch (st.kind) {
      case Step::Kind::Dense:
        if (!list->empty()) {
          for (int q = 0; q < count; ++q) emit(q, kAll);
        }
        break;
      case Step::Kind::Same:
        for (int p : *list) emit(p, from[p]);
        break;
      case Step::Kind::Conv:
      case Step::Kind::Pool: {
        const std::vector<int>& start = forward ? st.lists.forward_start : st.lists.backward_start;
        const std::vector<int>& ends = forward ? st.lists.forward : st.lists.backward;
        // Conv joins every family: whatever reached a position reaches all.
        const bool mix = st.kind == Step::Kind::Conv;
        for (int p : *list) {
          const std::uint8_t v = mix ? kAll : from[p];
          for (int e = start[p]; e < start[p + 1]; ++e) emit(ends[e], v);
        }
        break;
      }
    }
    if (scratch) {
      for (int p : *list) scratch[p] = 0;
    }
    from = to;
    scratch = last ? nullptr : to;
    list = &listed;
  }
}

void PositionQuotient::start(std::int64_t source, Levels& w) const {
  const std::int64_t total = position_count();
  const int layers = static_cast<int>(layer_first_.size()) - 1;
  // reached: what is known at distance <= depth. The frontier lists the
  // positions that gained something at distance depth; they are expanded
  // with all they hold (state): what they held before adds nothing, its
  // neighbours are reached already. Only what the last search reached is
  // reset, so a short search costs what it reaches, not O(positions).
  // (A search that reached much of the graph is cleared whole: faster than scattered writes.)
  if (static_cast<std::int64_t>(w.reached.size()) != total ||
      static_cast<std::int64_t>(w.seen.size()) > total / 8) {
    w.level_f.assign(total, -1);
    w.level_all.assign(total, -1);
    w.reached.assign(total, 0);
    w.state.resize(total);
    w.next.assign(total, 0);
    w.seen.clear();
  }
  for (std::int64_t p : w.seen) {
    w.level_f[p] = w.level_all[p] = -1;
    w.reached[p] = 0;
  }
  w.seen.assign(1, source);
  if (static_cast<int>(w.scratch_a.size()) < largest_map_) {
    w.scratch_a.assign(largest_map_, 0);
    w.scratch_b.assign(largest_map_, 0);
  }
  w.frontier.resize(layers);
  for (auto& f : w.frontier) f.clear();
  const int sl = layer_at(source);
  w.reached[source] = w.state[source] = kFamily;
  w.level_f[source] = 0;
  w.frontier[sl].push_back(static_cast<int>(source - layer_first_[sl]));
  w.depth = 0;
}

bool PositionQuotient::advance(Levels& w) const {
  const int d = ++w.depth;
  w.touched.clear();
  for (const QLink& link : links_) {
    if (!w.frontier[link.from].empty()) carry(link, true, w);
    if (!w.frontier[link.to].empty()) carry(link, false, w);
  }
  for (auto& f : w.frontier) f.clear();
  bool grew = false;
  for (const auto& [l, q] : w.touched) {
    const std::int64_t p = layer_first_[l] + q;
    const std::uint8_t r = w.reached[p], add = w.next[p];
    w.next[p] = 0;
    bool fresh = false;
    if ((add & kAll) && !(r & kAll)) {
      w.level_all[p] = static_cast<std::int16_t>(d);
      fresh = true;
    }
    if ((add & kFamily) && !r) {
      w.level_f[p] = static_cast<std::int16_t>(d);
      fresh = true;
    }
    if (!r) w.seen.push_back(p);
    w.reached[p] = r | add;
    if (fresh) {
      w.state[p] = w.reached[p];
      w.frontier[l].push_back(q);
      grew = true;
    }
  }
  return grew;
}

void PositionQuotient::search(std::int64_t source, Levels& w,
                              const std::function<bool(const Levels&)>& settled) const {
  start(source, w);
  while (advance(w)) {
    if (settled && settled(w)) return;
  }
}

int PositionQuotient::pair_distance(std::int64_t ps, int fs, std::int64_t pt, int ft, Levels& a,
                                    Levels& b) const {
  start(ps, a);
  start(pt, b);
  // The shortest path through neurons of position p: the family at p that
  // minimises d(s, .) + d(., t) (fs, ft, or any other the layer has).
  const auto through = [&](std::int64_t p) {
    constexpr int none = 1 << 20;
    const auto at = [&](const Levels& w, bool same) {
      const int v = w.distance(p, same);
      return v < 0 ? none : v;
    };
    const int families = families_[layer_at(p)];
    int best = none;
    if (fs < families) best = std::min(best, at(a, true) + at(b, fs == ft));
    if (ft < families && ft != fs) best = std::min(best, at(a, false) + at(b, true));
    const int named = (fs < families) + (ft < families && ft != fs);
    if (families > named) best = std::min(best, at(a, false) + at(b, false));
    return best < none ? best : -1;
  };
  // Levels are completed one side at a time (the side with the smaller
  // frontier). Once the two balls share a neuron, the shortest path runs
  // through one of the positions just reached, and no longer path can have
  // met earlier: the least sum over those positions is the distance.
  if (ps == pt && fs == ft) return 0;
  for (;;) {
    std::size_t fa = 0, fb = 0;
    for (const auto& f : a.frontier) fa += f.size();
    for (const auto& f : b.frontier) fb += f.size();
    Levels& w = fa <= fb ? a : b;
    if (!advance(w)) return -1;  // that side's component is exhausted without meeting
    int best = -1;
    for (std::size_t l = 0; l < w.frontier.size(); ++l) {
      for (int q : w.frontier[l]) {
        const int d = through(layer_first_[l] + q);
        if (d >= 0 && (best < 0 || d < best)) best = d;
      }
    }
    if (best >= 0) return best;
  }
}

int PositionQuotient::layer_at(std::int64_t position) const {
  return static_cast<int>(std::upper_bound(layer_first_.begin(), layer_first_.end(), position) -
                          layer_first_.begin() - 1);
}

}  // namespace netinfer::net
