// The exact assignment on a sparse candidate graph (see solve_assignment in
// assignment.hpp). Why it is exact: LAPJV keeps column prices v and, for
// every assigned row, u_i = cost(i, column_i) - v[column_i] no larger than the
// reduced cost cost(i, j) - v[j] of any of the row's edges. A row that passes
// the price check (u_i no larger than the reduced cost of every column of the
// full matrix) meets LAPJV's invariant for the full matrix. A failing row's
// cheapest outside edges join the graph and the row is solved again from the
// same prices (the other rows keep their invariant), for a few rounds; rows
// still failing then are freed and given shortest augmenting paths over their
// full rows (augment_by_rows, which keeps the invariant). The result is
// LAPJV's optimum of the full matrix: (u, v) is a feasible dual with every
// assigned edge tight. When more than half the rows (options.give_up) still
// fail after the rounds, the graph is given up for LAPJV by rows.
#include <algorithm>
#include <cmath>
#include <limits>

#include "lapjv_steps.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/localize/assignment.hpp"

namespace netinfer::localize {

namespace {

constexpr double big = std::numeric_limits<double>::infinity();
// Rounds of added edges before the rows still failing take full rows: with
// no limit, LeNet's confidences passed in 4 to 6 rounds (MNIST, IMPULSE,
// CONCAT), 34 (trMNIST) or not in 18 (GAUSSIAN: a few columns no row's
// candidates hold get high prices, and nearly every row fails against them).
constexpr int kMaxRounds = 4;

// Below this size the threads cost more than they save.
constexpr int kParallelRows = 4096;

struct Entry {
  float cost;
  int index;
};

// The order of equal costs in row `line`: a hash of (line, index), so that
// the rows of a plateau (e.g. a linear layer, whose columns a row cannot tell
// apart) pick different columns of it rather than all the same first few
// (with the first few, most rows of a plateau fail the price check).
std::uint64_t tie(std::uint64_t line, int index) {
  std::uint64_t z = line * 0x9e3779b97f4a7c15ull + static_cast<std::uint64_t>(index) + 1;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The k cheapest entries of row `line` of `blocks` blocks into `best` (unordered; equal costs in
// the order of tie()): blocks are read cheapest bound first, until the next bound exceeds the k-th
// entry. read(b, out) writes block b's entries and returns their count.
template <class Read>
void cheapest(int line, const float* low, int blocks, int k, const Read& read,
              std::vector<Entry>& order, std::vector<Entry>& best) {
  const auto later = [](const Entry& a, const Entry& b) { return a.cost > b.cost; };
  const auto cheaper = [line](const Entry& a, const Entry& b) {
    return a.cost < b.cost || (a.cost == b.cost && tie(line, a.index) < tie(line, b.index));
  };
  order.clear();
  for (int b = 0; b < blocks; ++b) order.push_back({low[b], b});
  std::make_heap(order.begin(), order.end(), later);
  best.clear();
  float entries[kCostBlock];
  while (!order.empty()) {
    std::pop_heap(order.begin(), order.end(), later);
    const Entry next = order.back();
    order.pop_back();
    if (static_cast<int>(best.size()) == k && next.cost > best.front().cost) break;
    const int count = read(next.index, entries);
    for (int t = 0; t < count; ++t) {
      const Entry e{entries[t], next.index * kCostBlock + t};
      if (static_cast<int>(best.size()) < k) {
        best.push_back(e);
        std::push_heap(best.begin(), best.end(), cheaper);
      } else if (cheaper(e, best.front())) {
        std::pop_heap(best.begin(), best.end(), cheaper);
        best.back() = e;
        std::push_heap(best.begin(), best.end(), cheaper);
      }
    }
  }
}

// Rows in compressed form, each row's columns ascending.
struct Graph {
  std::vector<std::int64_t> start;
  std::vector<int> col;
  std::vector<float> cost;
  int n() const { return static_cast<int>(start.size()) - 1; }
  float at(int i, int j) const {
    const auto* p = std::lower_bound(&col[start[i]], col.data() + start[i + 1], j);
    return cost[p - col.data()];
  }
};

// Per-row lists (column, cost) in compressed form, duplicates removed.
Graph compress(std::vector<std::vector<Entry>>& rows) {
  Graph g;
  g.start.assign(1, 0);
  for (auto& r : rows) {
    std::sort(r.begin(), r.end(), [](const Entry& a, const Entry& b) { return a.index < b.index; });
    r.erase(std::unique(r.begin(), r.end(),
                        [](const Entry& a, const Entry& b) { return a.index == b.index; }),
            r.end());
    g.start.push_back(g.start.back() + static_cast<std::int64_t>(r.size()));
  }
  g.col.reserve(g.start.back());
  g.cost.reserve(g.start.back());
  for (auto& r : rows) {
    for (const Entry& e : r) {
      g.col.push_back(e.index);
      g.cost.push_back(e.cost);
    }
    std::vector<Entry>().swap(r);
  }
  return g;
}

// Each row's k cheapest columns and the diagonal.
Graph candidate_graph(const RowCosts& costs, int k) {
  const int n = static_cast<int>(costs.size());
  const int blocks = (n + kCostBlock - 1) / kCostBlock;
  std::vector<std::vector<Entry>> rows(n);
#pragma omp parallel if (n >= kParallelRows)
  {
    std::vector<float> low(blocks);
    std::vector<Entry> order;
#pragma omp for schedule(dynamic, 64)
    for (int i = 0; i < n; ++i) {
      costs.block_bounds(i, low.data());
      cheapest(
          i, low.data(), blocks, k,
          [&](int b, float* out) {
            const int end = std::min(n, (b + 1) * kCostBlock);
            costs.fill(i, b * kCostBlock, end, out);
            return end - b * kCostBlock;
          },
          order, rows[i]);
      float diagonal;
      costs.fill(i, i, i + 1, &diagonal);
      rows[i].push_back({diagonal, i});
    }
  }
  return compress(rows);
}

// LAPJV on the graph (the dense solver's phases, over each row's edges), with
// Dijkstra on a binary heap for the shortest augmenting paths.
class SparseLap {
 public:
  std::vector<double> v;
  std::vector<int> row_sol, col_sol;

  explicit SparseLap(Graph g)
      : v(g.n()),
        row_sol(g.n(), -1),
        col_sol(g.n(), -1),
        g_(std::move(g)),
        n_(g_.n()),
        d_(n_, big),
        pred_(n_),
        done_(n_, 0) {}

  // Column reduction, reduction transfer, augmenting row reduction, then an
  // augmenting path for every row left free.
  void solve() {
    std::vector<int> matches(n_, 0), col_min_row(n_, -1), free_rows;
    std::fill(v.begin(), v.end(), big);
    for (int i = 0; i < n_; ++i) {
      for (auto e = g_.start[i]; e < g_.start[i + 1]; ++e) {
        NI_REQUIRE(std::isfinite(g_.cost[e]), "assignment costs must be finite");
        if (g_.cost[e] < v[g_.col[e]]) {
          v[g_.col[e]] = g_.cost[e];
          col_min_row[g_.col[e]] = i;
        }
      }
    }
    assign_column_minima(col_min_row, v, matches, row_sol, col_sol);
    for (int i = 0; i < n_; ++i) {
      if (matches[i] == 0) {
        free_rows.push_back(i);
      } else if (matches[i] == 1) {
        const int j1 = row_sol[i];
        double m = big;
        for (auto e = g_.start[i]; e < g_.start[i + 1]; ++e) {
          if (g_.col[e] != j1) m = std::min(m, g_.cost[e] - v[g_.col[e]]);
        }
        if (m < big) v[j1] -= m;
      }
    }
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<int> todo;
      todo.swap(free_rows);
      std::size_t k = 0;
      long budget = 32L * n_ + 64;
      while (k < todo.size() && budget-- > 0) {
        const int i = todo[k++];
        double umin = big, usub = big;
        int j1 = -1, j2 = -1;
        for (auto e = g_.start[i]; e < g_.start[i + 1]; ++e) {
          const double h = g_.cost[e] - v[g_.col[e]];
          if (h < umin) {
            usub = umin;
            j2 = j1;
            umin = h;
            j1 = g_.col[e];
          } else if (h < usub) {
            usub = h;
            j2 = g_.col[e];
          }
        }
        int i0 = col_sol[j1];
        // A row with one edge takes it at the same price (usub is infinite).
        const bool lower = umin < usub && usub < big;
        if (lower) {
          v[j1] -= usub - umin;
        } else if (i0 >= 0 && j2 >= 0) {
          j1 = j2;
          i0 = col_sol[j2];
        }
        if (i0 >= 0) row_sol[i0] = -1;
        row_sol[i] = j1;
        col_sol[j1] = i;
        if (i0 >= 0) {
          if (lower) {
            todo[--k] = i0;
          } else {
            free_rows.push_back(i0);
          }
        }
      }
      for (; k < todo.size(); ++k) free_rows.push_back(todo[k]);
    }
    for (const int f : free_rows) augment(f);
  }

  // Adds edges to rows (each row's new columns) and solves those rows again.
  void add(std::vector<std::vector<Entry>>& added) {
    std::vector<std::vector<Entry>> rows(n_);
    std::vector<int> freed;
    for (int i = 0; i < n_; ++i) {
      for (auto e = g_.start[i]; e < g_.start[i + 1]; ++e)
        rows[i].push_back({g_.cost[e], g_.col[e]});
      if (added[i].empty()) continue;
      rows[i].insert(rows[i].end(), added[i].begin(), added[i].end());
      col_sol[row_sol[i]] = -1;
      row_sol[i] = -1;
      freed.push_back(i);
    }
    g_ = Graph();
    g_ = compress(rows);
    for (const int f : freed) augment(f);
  }

  const Graph& graph() const { return g_; }
  // u_i: the reduced cost of row i's column, its smallest over its edges.
  double row_price(int i) const { return g_.at(i, row_sol[i]) - v[row_sol[i]]; }

 private:
  Graph g_;
  int n_;

  // Dijkstra from free row f over reduced costs: the columns are settled in
  // order of distance until a free one; the prices of the columns settled
  // before it are lowered by what they lack of the final distance, which
  // keeps every row at its minimal reduced cost, and the path is flipped.
  void augment(int f) {
    std::vector<std::pair<double, int>>& heap = heap_;
    const auto later = [](const std::pair<double, int>& a, const std::pair<double, int>& b) {
      return a.first > b.first;
    };
    heap.clear();
    touched_.clear();
    scanned_.clear();
    const auto relax = [&](int j, double dist, int i) {
      if (!(dist < d_[j])) return;
      if (d_[j] == big) touched_.push_back(j);
      d_[j] = dist;
      pred_[j] = i;
      heap.push_back({dist, j});
      std::push_heap(heap.begin(), heap.end(), later);
    };
    for (auto e = g_.start[f]; e < g_.start[f + 1]; ++e)
      relax(g_.col[e], g_.cost[e] - v[g_.col[e]], f);
    int sink = -1;
    double m = 0;
    while (sink < 0) {
      NI_REQUIRE(!heap.empty(), "assignment: no augmenting path (no perfect matching)");
      std::pop_heap(heap.begin(), heap.end(), later);
      const auto [dist, j] = heap.back();
      heap.pop_back();
      if (done_[j] || dist > d_[j]) continue;
      done_[j] = 1;
      if (col_sol[j] < 0) {
        sink = j;
        m = dist;
        break;
      }
      scanned_.push_back(j);
      const int i = col_sol[j];
      const double h = g_.at(i, j) - v[j] - dist;
      for (auto e = g_.start[i]; e < g_.start[i + 1]; ++e) {
        if (!done_[g_.col[e]]) relax(g_.col[e], g_.cost[e] - v[g_.col[e]] - h, i);
      }
    }
    for (const int j : scanned_) v[j] += d_[j] - m;
    for (const int j : touched_) {
      d_[j] = big;
      done_[j] = 0;
    }
    augment_path(pred_, sink, f, row_sol, col_sol);
  }

  std::vector<double> d_;
  std::vector<int> pred_;
  std::vector<char> done_;
  std::vector<int> touched_, scanned_;
  std::vector<std::pair<double, int>> heap_;
};

// For every row, up to k columns outside its edges whose reduced cost under
// the solver's prices falls below the row's price by more than `tol` (the
// most negative first); blocks whose bound minus their largest price cannot
// fall below are not read. Prices only fall, so every reduced cost only
// grows: a row that passed at price `passed[i]` passes again while its price
// is no higher, and is not read again (later rounds read few rows).
std::vector<std::vector<Entry>> price_check(const RowCosts& costs, const SparseLap& lap, int k,
                                            double tol, std::vector<double>& passed,
                                            std::int64_t& count) {
  const int n = static_cast<int>(costs.size()), blocks = (n + kCostBlock - 1) / kCostBlock;
  std::vector<double> v_max(blocks, -big);
  for (int j = 0; j < n; ++j) v_max[j / kCostBlock] = std::max(v_max[j / kCostBlock], lap.v[j]);
  std::vector<std::vector<Entry>> added(n);
  count = 0;
#pragma omp parallel reduction(+ : count) if (n >= kParallelRows)
  {
    std::vector<float> low(blocks);
    std::vector<std::pair<double, Entry>> below;
    float entries[kCostBlock];
#pragma omp for schedule(dynamic, 64)
    for (int i = 0; i < n; ++i) {
      const double price = lap.row_price(i), bound = price - tol;
      if (price <= passed[i]) continue;
      costs.block_bounds(i, low.data());
      below.clear();
      for (int b = 0; b < blocks; ++b) {
        if (low[b] - v_max[b] >= bound) continue;
        const int begin = b * kCostBlock, end = std::min(n, begin + kCostBlock);
        costs.fill(i, begin, end, entries);
        for (int j = begin; j < end; ++j) {
          const double r = entries[j - begin] - lap.v[j];
          if (r < bound) below.push_back({r, Entry{entries[j - begin], j}});
        }
      }
      const Graph& g = lap.graph();
      const auto* first = &g.col[g.start[i]];
      const auto* last = g.col.data() + g.start[i + 1];
      below.erase(std::remove_if(below.begin(), below.end(),
                                 [&](const auto& x) {
                                   return std::binary_search(first, last, x.second.index);
                                 }),
                  below.end());
      const auto keep = std::min<std::size_t>(k, below.size());
      std::partial_sort(below.begin(), below.begin() + keep, below.end(),
                        [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t t = 0; t < keep; ++t) added[i].push_back(below[t].second);
      count += static_cast<std::int64_t>(keep);
      passed[i] = keep == 0 ? price : -big;
    }
  }
  return added;
}

}  // namespace

std::vector<int> solve_assignment(const RowCosts& costs, const SparseOptions& options,
                                  SparseStats* stats) {
  const int candidates = options.candidates;
  NI_REQUIRE(candidates >= 1, "assignment: candidates must be at least 1");
  const std::int64_t n = costs.size();
  if (n == 0) return {};
  SparseStats s;
  SparseLap lap(candidate_graph(costs, candidates));
  lap.solve();
  s.rounds = 1;
  // Rounding in the prices: a reduced cost counts as negative below this.
  double scale = 1;
  for (const float c : lap.graph().cost) scale = std::max(scale, std::abs(static_cast<double>(c)));
  const double tol = 1e-9 * scale;
  std::vector<double> passed(n, -big);
  std::vector<int> failing;
  for (;;) {
    std::int64_t count = 0;
    auto added = price_check(costs, lap, candidates, tol, passed, count);
    if (count == 0) break;
    const auto fails =
        std::count_if(added.begin(), added.end(), [](const auto& a) { return !a.empty(); });
    if (s.rounds == kMaxRounds &&
        static_cast<double>(fails) > options.give_up * static_cast<double>(n)) {
      // After the rounds the graph's prices are still far off (LeNet's
      // GAUSSIAN confidences: every row failed, and paths over full rows for
      // all of them took 10x longer than LAPJV by rows; MNIST's fail by half
      // at first and pass after the rounds); the graph is freed first.
      s.fell_back = true;
      lap = SparseLap(Graph{{0}, {}, {}});
      if (stats) *stats = s;
      return solve_assignment_by_rows(costs);
    }
    if (s.rounds == kMaxRounds) {
      for (int i = 0; i < n; ++i) {
        if (!added[i].empty()) failing.push_back(i);
      }
      break;
    }
    s.added += count;
    lap.add(added);
    ++s.rounds;
  }
  s.edges = static_cast<std::int64_t>(lap.graph().col.size());
  s.rerouted = static_cast<std::int64_t>(failing.size());
  std::vector<int> row_sol = std::move(lap.row_sol), col_sol = std::move(lap.col_sol);
  std::vector<double> v = std::move(lap.v);
  lap = SparseLap(Graph{{0}, {}, {}});  // the graph is not needed any more
  for (const int i : failing) {
    col_sol[row_sol[i]] = -1;
    row_sol[i] = -1;
  }
  augment_by_rows(costs, row_sol, col_sol, v, failing);
  if (stats) *stats = s;
  return row_sol;
}

std::uint64_t sparse_assignment_bytes(std::int64_t n, const SparseOptions& options) {
  const auto rows = static_cast<std::uint64_t>(n);
  // The graph at most: candidates + 1 edges per row and candidates more per
  // round of added edges (a column and a cost each), twice while a round
  // rebuilds it from per-row lists (3 pointers each), its row offsets, and
  // ~16 arrays of n doubles (the solver's, the check's and the full-row
  // paths').
  const std::uint64_t edges =
      rows * (static_cast<std::uint64_t>(options.candidates) * kMaxRounds + 1);
  return std::max<std::uint64_t>(
      2 * edges * (sizeof(int) + sizeof(float)) +
          rows * (sizeof(std::int64_t) + 3 * sizeof(void*) + 16 * sizeof(double)),
      assignment_workspace_bytes(n));
}

}  // namespace netinfer::localize
