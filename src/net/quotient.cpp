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
      links_.push_back(std::move(q));
    }
  }
}

void PositionQuotient::carry(const QLink& link, const std::uint8_t* source, std::uint8_t* target,
                             bool forward, std::vector<std::uint8_t>& a,
                             std::vector<std::uint8_t>& b) const {
  const int n = static_cast<int>(link.steps.size());
  const std::uint8_t* from = source;
  int count = 0;
  for (int k = 0; k < n; ++k) {
    const QStep& st = link.steps[forward ? k : n - 1 - k];
    const int src = forward ? st.in_positions : st.out_positions;
    count = forward ? st.out_positions : st.in_positions;
    b.assign(count, 0);
    switch (st.kind) {
      case Step::Kind::Dense:
        if (std::any_of(from, from + src, [](std::uint8_t v) { return v != 0; })) {
          std::fill(b.begin(), b.end(), kAll);
        }
        break;
      case Step::Kind::Same:
        std::copy(from, from + src, b.begin());
        break;
      case Step::Kind::Conv:
      case Step::Kind::Pool: {
        const std::vector<int>& start = forward ? st.lists.forward_start : st.lists.backward_start;
        const std::vector<int>& list = forward ? st.lists.forward : st.lists.backward;
        // Conv joins every family: whatever reached a position reaches all.
        const bool mix = st.kind == Step::Kind::Conv;
        for (int p = 0; p < src; ++p) {
          if (!from[p]) continue;
          const std::uint8_t v = mix ? kAll : from[p];
          for (int e = start[p]; e < start[p + 1]; ++e) b[list[e]] |= v;
        }
        break;
      }
    }
    a.swap(b);
    from = a.data();
  }
  for (int p = 0; p < count; ++p) target[p] |= from[p];
}

void PositionQuotient::search(std::int64_t source, Levels& out) const {
  const std::int64_t total = position_count();
  const int layers = static_cast<int>(layer_first_.size()) - 1;
  out.level_f.assign(total, -1);
  out.level_all.assign(total, -1);
  // reached: what is known at distance <= d; frontier: positions that gained
  // something at distance d, with all they hold (expanding what they held
  // before adds nothing: its neighbours are already reached).
  std::vector<std::uint8_t> reached(total, 0), frontier(total, 0), next(total, 0), a, b;
  std::vector<char> active(layers, 0);
  reached[source] = frontier[source] = kFamily;
  out.level_f[source] = 0;
  active[std::upper_bound(layer_first_.begin(), layer_first_.end(), source) - layer_first_.begin() -
         1] = 1;
  for (int d = 1;; ++d) {
    std::fill(next.begin(), next.end(), 0);
    for (const QLink& link : links_) {
      if (active[link.from]) {
        carry(link, &frontier[layer_first_[link.from]], &next[layer_first_[link.to]], true, a, b);
      }
      if (active[link.to]) {
        carry(link, &frontier[layer_first_[link.to]], &next[layer_first_[link.from]], false, a, b);
      }
    }
    bool grew = false;
    for (int l = 0; l < layers; ++l) {
      active[l] = 0;
      for (std::int64_t p = layer_first_[l]; p < layer_first_[l + 1]; ++p) {
        const std::uint8_t r = reached[p], add = next[p];
        bool fresh = false;
        if ((add & kAll) && !(r & kAll)) {
          out.level_all[p] = static_cast<std::int16_t>(d);
          fresh = true;
        }
        if ((add & kFamily) && !r) {
          out.level_f[p] = static_cast<std::int16_t>(d);
          fresh = true;
        }
        reached[p] = r | add;
        frontier[p] = fresh ? reached[p] : 0;
        active[l] |= fresh;
      }
      grew = grew || active[l];
    }
    if (!grew) return;
  }
}

}  // namespace netinfer::net
