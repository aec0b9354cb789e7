// LAPJV: R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for
// dense and sparse linear assignment problems", Computing 38 (1987) 325–340.
// Three phases: column reduction with reduction transfer, augmenting row
// reduction (a heuristic that assigns most rows cheaply), and Dijkstra-style
// shortest augmenting paths for the rows still free. The dual prices v[j]
// keep every assigned row at its minimal reduced cost throughout, so the
// heuristic phase may stop at any point without affecting optimality.
#include "netinfer/localize/assignment.hpp"
#include "lapjv_steps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

namespace {

constexpr double big = std::numeric_limits<double>::infinity();
constexpr int block = kCostBlock;  // columns per bound and per hit flag in phase 3
constexpr int blocks_ahead = 8;    // how far phase 3 prefetches the blocks it will read

// The smallest and second-smallest reduced cost row[j] - v[j] of a row and
// columns attaining them (j2 != j1; a tie gives usub == umin; n == 1 gives
// j2 = -1). `low` holds the row's block minima and `v_max` an upper bound on
// each block's prices, so low - v_max bounds a block's reduced costs from
// below: the block with the lowest bound goes first, and every block whose
// bound is no smaller than the running usub cannot change the answer and is
// not read. Rounding is monotone, so the bound also holds in floating point.
struct TwoSmallest {
  double umin, usub;
  int j1, j2;
};
template <class Rows>
TwoSmallest two_smallest(Rows& rows, int i, const float* low, const double* v, const double* v_max,
                         int n) {
  const int blocks = (n + block - 1) / block;
  TwoSmallest t{big, big, -1, -1};
  const auto visit = [&](int b) {
    const float* row = rows.block_of(i, b);
    const int end = std::min(n, (b + 1) * block);
    double lowest = big;
#pragma omp simd reduction(min : lowest)
    for (int j = b * block; j < end; ++j) lowest = std::min(lowest, row[j] - v[j]);
    if (lowest >= t.usub) return;
    for (int j = b * block; j < end; ++j) {
      const double h = row[j] - v[j];
      if (h < t.umin) {
        t.usub = t.umin;
        t.j2 = t.j1;
        t.umin = h;
        t.j1 = j;
      } else if (h < t.usub) {
        t.usub = h;
        t.j2 = j;
      }
    }
  };
  int first = 0;
  for (int b = 1; b < blocks; ++b) {
    if (low[b] - v_max[b] < low[first] - v_max[first]) first = b;
  }
  visit(first);
  for (int b = 0; b < blocks; ++b) {
    if (b != first && low[b] - v_max[b] < t.usub) visit(b);
  }
  return t;
}

// The two cache lines of one block of a row.
void prefetch_block(const float* row, int b) {
  static_assert(block * sizeof(float) == 2 * 64, "a block is two cache lines");
  const float* p = row + b * block;
  __builtin_prefetch(p);
  __builtin_prefetch(p + 16);
}

// Where the solver reads costs. A stored CostMatrix is read in place; a
// computed one (RowCosts, for matrices too large to store) is filled into a
// row-sized scratch buffer, a block or a row at a time. Either way the
// pointers returned index columns absolutely, and are valid until the next
// call.
class StoredRows {
 public:
  explicit StoredRows(const CostMatrix& m) : m_(m) {}
  int size() const { return static_cast<int>(m_.rows()); }
  const float* row(int i) { return &m_(i, 0); }
  const float* block_of(int i, int) { return &m_(i, 0); }
  double at(int i, int j) { return m_(i, j); }
  void prefetch_block_of(int i, int b) const { prefetch_block(&m_(i, 0), b); }
  void prefetch_at(int i, int j) const { __builtin_prefetch(&m_(i, j)); }

 private:
  const CostMatrix& m_;
};

class ComputedRows {
 public:
  explicit ComputedRows(const RowCosts& costs)
      : costs_(costs), n_(static_cast<int>(costs.size())), scratch_(n_) {}
  int size() const { return n_; }
  const float* row(int i) {
    costs_.fill(i, 0, n_, scratch_.data());
    return scratch_.data();
  }
  const float* block_of(int i, int b) {
    const int begin = b * block;
    costs_.fill(i, begin, std::min(n_, begin + block), scratch_.data() + begin);
    return scratch_.data();
  }
  double at(int i, int j) {
    float x;
    costs_.fill(i, j, j + 1, &x);
    return x;
  }
  void prefetch_block_of(int, int) const {}
  void prefetch_at(int, int) const {}

 private:
  const RowCosts& costs_;
  int n_;
  std::vector<float> scratch_;
};

}  // namespace

std::uint64_t assignment_workspace_bytes(std::int64_t n) {
  const auto columns = static_cast<std::uint64_t>(n);
  // v, d, w, nonfinite, prices and distances per block, and the index arrays
  // (row_sol, col_sol, matches, pred, col_min_row, lists): ~8 doubles per
  // column; plus each row's block minima.
  return 8 * columns * sizeof(double) + columns * ((columns + block - 1) / block) * sizeof(float);
}

namespace {

// Each row's lower bounds on its blocks of columns: stored (the minima that
// column reduction recorded) or computed (RowCosts::block_bounds, into a
// buffer valid until the next get).
struct StoredLows {
  const std::vector<float>& block_min;
  int blocks;
  const float* get(int i) const { return &block_min[static_cast<std::size_t>(i) * blocks]; }
  void prefetch(int i) const {
    const float* low = get(i);
    for (int b = 0; b < blocks; b += 64 / sizeof(float)) __builtin_prefetch(low + b);
  }
};

class ComputedLows {
 public:
  explicit ComputedLows(const RowCosts& costs)
      : costs_(costs), low_((costs.size() + block - 1) / block) {}
  const float* get(int i) {
    costs_.block_bounds(i, low_.data());
    return low_.data();
  }
  void prefetch(int) const {}

 private:
  const RowCosts& costs_;
  std::vector<float> low_;
};

// LAPJV's last phase: for each free row, a shortest augmenting path over the
// reduced costs. Every assigned row must hold a column of minimal reduced
// cost cost(i, j) - v[j] over the whole row (LAPJV's invariant), which the
// phase keeps.
template <class Rows, class Lows>
void shortest_paths(Rows& rows, Lows&& lows, std::vector<int>& row_sol, std::vector<int>& col_sol,
                    std::vector<double>& v, const std::vector<int>& free_rows) {
  const int n = rows.size();
  const int blocks = (n + block - 1) / block;
  std::vector<double> d(n);
  std::vector<int> pred(n);
  // Shortest augmenting paths (Dijkstra over reduced costs) for each free row.
  // w[j] is the price v[j] while column j is open and -inf once its distance
  // is final (ready to scan or scanned): a closed column's reduced cost is
  // then +inf and no relaxation touches it, without a branch, so each scan is
  // a vectorised pass over the row. On LeNet's confidence matrices
  // (quantised forest probabilities, wide plateaus of equal reduced cost) a
  // path scans hundreds of rows, up to the whole matrix late in the solve, so
  // these scans are the solver's cost; they are bound by reading the row
  // from memory. Three things keep them cheap:
  // - a block of the row is skipped when a lower bound on its reduced costs,
  //   block_min - max(w) - h, is no smaller than an upper bound on the
  //   block's distances, d_max: no relaxation can succeed there. Rounding is
  //   monotone, so the bound holds in floating point too, and the solve stays
  //   exact. On LeNet confidences ~75% of blocks are skipped;
  // - columns reaching the current distance m are closed at once; the scan
  //   flags the blocks where that happened, and only those are searched;
  // - costs are float (CostMatrix), half the bytes of double, and the blocks
  //   a scan will read are prefetched.
  std::vector<double> w(n), w_max(blocks), d_max(blocks);
  std::vector<int> ready, scanned, needed, hit_blocks;
  const auto block_end = [&](int b) { return std::min(n, (b + 1) * block); };
  for (const int free_row : free_rows) {
    {
      const float* row = rows.row(free_row);
      for (int j = 0; j < n; ++j) {
        d[j] = row[j] - v[j];
        pred[j] = free_row;
        w[j] = v[j];
      }
      for (int b = 0; b < blocks; ++b) {
        w_max[b] = *std::max_element(&w[b * block], &w[0] + block_end(b));
        d_max[b] = *std::max_element(&d[b * block], &d[0] + block_end(b));
      }
    }
    ready.clear();
    scanned.clear();
    double m = 0;
    int sink = -1;
    // Closes every open column of [begin, end) at distance m; stops at a free one.
    const auto collect = [&](int begin, int end) {
      for (int j = begin; j < end; ++j) {
        if (d[j] == m && w[j] != -big) {
          w[j] = -big;
          ready.push_back(j);
          if (col_sol[j] < 0) {
            sink = j;
            return;
          }
        }
      }
    };
    while (sink < 0) {
      if (ready.empty()) {
        m = big;
        const double* dd = d.data();
        const double* ww = w.data();
#pragma omp simd reduction(min : m)
        for (int j = 0; j < n; ++j) m = std::min(m, ww[j] == -big ? big : dd[j]);
        collect(0, n);
        continue;
      }
      const int j1 = ready.back();
      ready.pop_back();
      scanned.push_back(j1);
      const int i = col_sol[j1];
      const double h = rows.at(i, j1) - v[j1] - m;
      const float* low = lows.get(i);
      const double* ww = w.data();
      double* dd = d.data();
      int* pp = pred.data();
      if (!ready.empty()) {
        // The next scan's row is known: fetch what it reads first.
        const int next = col_sol[ready.back()];
        rows.prefetch_at(next, ready.back());
        lows.prefetch(next);
      }
      needed.clear();
      for (int b = 0; b < blocks; ++b) {
        if (!(low[b] - w_max[b] - h >= d_max[b])) needed.push_back(b);
      }
      // Skipping blocks defeats the hardware's sequential prefetch: fetch ahead.
      for (std::size_t k = 0; k < std::min<std::size_t>(blocks_ahead, needed.size()); ++k)
        rows.prefetch_block_of(i, needed[k]);
      hit_blocks.clear();
      for (std::size_t k = 0; k < needed.size(); ++k) {
        if (k + blocks_ahead < needed.size()) rows.prefetch_block_of(i, needed[k + blocks_ahead]);
        const int b = needed[k];
        const float* row = rows.block_of(i, b);
        int hit = 0;  // some open column of the block reached distance m
        double highest = -big;
#pragma omp simd reduction(| : hit) reduction(max : highest)
        for (int j = b * block; j < block_end(b); ++j) {
          const double r = row[j] - ww[j] - h;
          const bool shorter = r < dd[j];
          dd[j] = shorter ? r : dd[j];
          pp[j] = shorter ? i : pp[j];
          hit |= r == m;
          highest = std::max(highest, dd[j]);
        }
        d_max[b] = highest;
        if (hit) hit_blocks.push_back(b);
      }
      for (const int b : hit_blocks) {
        collect(b * block, block_end(b));
        if (sink >= 0) break;
      }
    }
    // Prices of the scanned columns (those at the final distance m do not
    // move), then flip the alternating path.
    for (const int j : scanned) v[j] += d[j] - m;
    augment_path(pred, sink, free_row, row_sol, col_sol);
  }
}

template <class Rows>
std::vector<int> lapjv(Rows& rows) {
  const int n = rows.size();
  if (n == 0) return {};
  std::vector<int> row_sol(n, -1), col_sol(n, -1), matches(n, 0), free_rows;
  std::vector<double> v(n);

  // Column reduction: each column's price is its minimum; the row holding that
  // minimum (the first, on ties) takes the column if it has none yet (columns
  // taken in reverse). The minima are found row by row: the matrix is
  // row-major, and a column-wise scan would miss the cache on every element.
  // The same pass records each row's minimum over every block of columns,
  // which lets phase 3 skip most of a row (see there).
  const int blocks = (n + block - 1) / block;
  std::vector<float> block_min(static_cast<std::size_t>(n) * blocks);
  std::vector<int> col_min_row(n, 0);
  // x * 0 is 0 for finite x and NaN otherwise, so `nonfinite` stays all zero
  // exactly when every cost is finite (per column, so the loop vectorises).
  std::vector<double> nonfinite(n, 0.0);
  for (int i = 0; i < n; ++i) {
    const float* row = rows.row(i);
    if (i == 0) std::copy(row, row + n, v.begin());
    for (int j = 0; j < n; ++j) {
      nonfinite[j] += row[j] * 0.0;
      if (row[j] < v[j]) {
        v[j] = row[j];
        col_min_row[j] = i;
      }
    }
    for (int b = 0; b < blocks; ++b) {
      float low = row[b * block];
      for (int j = b * block + 1; j < std::min(n, (b + 1) * block); ++j)
        low = std::min(low, row[j]);
      block_min[static_cast<std::size_t>(i) * blocks + b] = low;
    }
  }
  for (int j = 0; j < n; ++j) NI_REQUIRE(nonfinite[j] == 0, "assignment costs must be finite");
  assign_column_minima(col_min_row, v, matches, row_sol, col_sol);
  // Prices only fall from here on (reduction transfer, ARR and phase 3 all
  // lower them), so each block's largest price now bounds it for good.
  std::vector<double> v_max(blocks);
  for (int b = 0; b < blocks; ++b)
    v_max[b] = *std::max_element(&v[b * block], &v[0] + std::min(n, (b + 1) * block));
  // Reduction transfer from rows assigned once; collect free rows.
  for (int i = 0; i < n; ++i) {
    if (matches[i] == 0) {
      free_rows.push_back(i);
    } else if (matches[i] == 1) {
      const int j1 = row_sol[i];
      const float* row = rows.row(i);
      double m = big;
#pragma omp simd reduction(min : m)
      for (int j = 0; j < j1; ++j) m = std::min(m, row[j] - v[j]);
#pragma omp simd reduction(min : m)
      for (int j = j1 + 1; j < n; ++j) m = std::min(m, row[j] - v[j]);
      if (n > 1) v[j1] -= m;
    } else {
      // Assigned to one of several columns it minimises: its other columns are free.
    }
  }

  // Augmenting row reduction, two passes, each bounded (the heuristic can
  // crawl on near-ties; stopping early only leaves more rows to phase 3).
  // With the block bounds a step reads a small part of its row, so the
  // budget is generous: on LeNet's MNIST confidences 32n steps left fewer
  // rows to phase 3 than 8n, and took less time in all; more gained nothing
  // (docs/performance.md, "Localisation stages").
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<int> todo;
    todo.swap(free_rows);
    std::size_t k = 0;
    long budget = 32L * n + 64;
    while (k < todo.size() && budget-- > 0) {
      const int i = todo[k++];
      const auto [umin, usub, first, second] = two_smallest(
          rows, i, &block_min[static_cast<std::size_t>(i) * blocks], v.data(), v_max.data(), n);
      int j1 = first;
      const int j2 = second;
      int i0 = col_sol[j1];
      if (umin < usub) {
        v[j1] -= usub - umin;
      } else if (i0 >= 0 && j2 >= 0) {
        j1 = j2;
        i0 = col_sol[j2];
      }
      if (i0 >= 0) row_sol[i0] = -1;
      row_sol[i] = j1;
      col_sol[j1] = i;
      if (i0 >= 0) {
        if (umin < usub) {
          todo[--k] = i0;  // retry the displaced row at once
        } else {
          free_rows.push_back(i0);
        }
      }
    }
    for (; k < todo.size(); ++k) free_rows.push_back(todo[k]);
  }

  shortest_paths(rows, StoredLows{block_min, blocks}, row_sol, col_sol, v, free_rows);
  return row_sol;
}

}  // namespace

std::vector<int> solve_assignment(const CostMatrix& cost) {
  NI_REQUIRE(cost.rows() == cost.cols(), "assignment needs a square matrix, got ", cost.rows(),
             " x ", cost.cols());
  StoredRows rows(cost);
  return lapjv(rows);
}

std::vector<int> solve_assignment_by_rows(const RowCosts& costs) {
  ComputedRows rows(costs);
  return lapjv(rows);
}

void augment_by_rows(const RowCosts& costs, std::vector<int>& row_sol, std::vector<int>& col_sol,
                     std::vector<double>& v, const std::vector<int>& free_rows) {
  ComputedRows rows(costs);
  shortest_paths(rows, ComputedLows(costs), row_sol, col_sol, v, free_rows);
}

void RowCosts::block_bounds(std::int64_t i, float* low) const {
  const std::int64_t n = size();
  std::vector<float> row(n);
  fill(i, 0, n, row.data());
  for (std::int64_t b = 0; b * kCostBlock < n; ++b)
    low[b] =
        *std::min_element(&row[b * kCostBlock], row.data() + std::min(n, (b + 1) * kCostBlock));
}

}  // namespace netinfer::localize
