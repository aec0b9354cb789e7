// The network graph (graph.hpp) searched on its quotient by spatial position.
//
// The neurons of a layer at one position (y, x) differ only in family, and
// the steps of a link treat families in two ways: Conv and Dense join every
// family of one side to every family of the other; Pool and Same keep the
// family index. So the set a search from a neuron of family f has reached,
// restricted to one (layer, position), is always empty, {f}, or every family:
// by induction over the steps, Pool and Same map "f at positions P, all at Q"
// to "f at P', all at Q'" (P', Q' their windows' images), Conv and Dense map
// anything to "all" at the image. Two bits per position hold it, and the
// search never looks at f: every family of a position has the same search,
// relabelled. A search costs O(positions it reaches x window) in all, instead
// of O(neurons) per level; a single pair is searched from both ends.
//
// A Same step that changes the shape (a flatten into a linear layer) breaks
// the argument (family c at position p becomes family c*H*W + p), except
// next to a Dense step, which it joins (a bijection of a Dense step's input
// or output is still every input to every output). Any other such step makes
// the quotient inexact, and Graph falls back to its flag search.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::net {

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

class PositionQuotient {
 public:
  explicit PositionQuotient(const Architecture& arch);
  bool exact() const { return exact_; }

  // Positions (y, x) of all layers, layer by layer: layer l's position
  // y*W + x is number first_position(l) + y*W + x.
  std::int64_t position_count() const { return layer_first_.back(); }
  std::int64_t first_position(int layer) const { return layer_first_[layer]; }

  // First levels at which a search from family f at position `source`
  // reaches each position's family f (level_f) and all its families
  // (level_all); -1: never (or not yet, where the search stopped early). The
  // distance to family g at position p is min(level_f[p], level_all[p])
  // (ignoring -1) if g == f, else level_all[p]; either is final once set.
  struct Levels {
    std::vector<std::int16_t> level_f, level_all;
    int distance(std::int64_t position, bool same_family) const {
      const int a = level_all[position], b = level_f[position];
      if (!same_family || b < 0) return a;
      return a < 0 ? b : (a < b ? a : b);
    }
    // The search's working memory, kept from one search to the next.
    int depth = 0;                   // levels completed
    std::vector<std::int64_t> seen;  // positions reached
    std::vector<std::uint8_t> reached, state, next, scratch_a, scratch_b;
    std::vector<std::vector<int>> frontier;    // per layer: positions that gained at the last level
    std::vector<std::pair<int, int>> touched;  // (layer, position) where next became nonzero
    std::vector<int> list_a, list_b;
  };
  // Searches level by level until nothing grows, or until `settled(levels)`
  // says after some level that the caller has what it needs.
  void search(std::int64_t source, Levels& levels,
              const std::function<bool(const Levels&)>& settled = nullptr) const;
  // The distance from family fs at position ps to family ft at position pt
  // by searches from both ends (cheaper than one search when the two are
  // close in a large graph); -1 if unreachable. `a` and `b` are working memory.
  int pair_distance(std::int64_t ps, int fs, std::int64_t pt, int ft, Levels& a, Levels& b) const;

 private:
  // A link's step on positions: Conv and Pool through precomputed window
  // lists in both directions, Dense (also a Same joined to it), Same (same shape).
  struct WindowLists {
    // forward[start[i] .. start[i+1]) lists the output positions whose window
    // holds input position i; backward the input positions of each output.
    std::vector<int> forward_start, forward, backward_start, backward;
  };
  struct QStep {
    net::Step::Kind kind;
    int in_positions = 0, out_positions = 0;
    WindowLists lists;  // Conv and Pool only
  };
  struct QLink {
    int from = 0, to = 0;
    std::vector<QStep> steps;
  };
  void start(std::int64_t source, Levels& levels) const;
  bool advance(Levels& levels) const;  // completes one more level; false if nothing grew
  int layer_at(std::int64_t position) const;
  // ORs into levels.next (listing new entries in levels.touched) what the
  // link carries from the frontier of one end to the other.
  void carry(const QLink& link, bool forward, Levels& levels) const;

  bool exact_ = true;
  std::vector<std::int64_t> layer_first_;  // size layers + 1
  std::vector<int> families_;              // per layer
  int largest_map_ = 0;                    // positions of the largest step output
  std::vector<QLink> links_;
};

}  // namespace netinfer::net
