// LAPJV: R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for
// dense and sparse linear assignment problems", Computing 38 (1987) 325–340.
// Three phases: column reduction with reduction transfer, augmenting row
// reduction (a heuristic that assigns most rows cheaply), and Dijkstra-style
// shortest augmenting paths for the rows still free. The dual prices v[j]
// keep every assigned row at its minimal reduced cost throughout, so the
// heuristic phase may stop at any point without affecting optimality.
#include "netinfer/localize/assignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

std::vector<int> solve_assignment(const RowMatrix& cost) {
  const int n = static_cast<int>(cost.rows());
  NI_REQUIRE(cost.rows() == cost.cols(), "assignment needs a square matrix, got ", cost.rows(),
             " x ", cost.cols());
  if (n == 0) return {};
  const double big = std::numeric_limits<double>::infinity();
  std::vector<int> row_sol(n, -1), col_sol(n, -1), matches(n, 0), free_rows, pred(n);
  std::vector<double> v(n), d(n);
  auto c = [&](int i, int j) { return cost(i, j); };

  // Column reduction: each column's price is its minimum; the row holding that
  // minimum (the first, on ties) takes the column if it has none yet (columns
  // taken in reverse). The minima are found row by row: the matrix is
  // row-major, and a column-wise scan would miss the cache on every element.
  std::vector<int> col_min_row(n, 0);
  // x * 0 is 0 for finite x and NaN otherwise, so `nonfinite` stays all zero
  // exactly when every cost is finite (per column, so the loop vectorises).
  std::vector<double> nonfinite(n);
  for (int j = 0; j < n; ++j) {
    v[j] = c(0, j);
    nonfinite[j] = v[j] * 0.0;
  }
  for (int i = 1; i < n; ++i) {
    const double* row = &cost(i, 0);
    for (int j = 0; j < n; ++j) {
      nonfinite[j] += row[j] * 0.0;
      if (row[j] < v[j]) {
        v[j] = row[j];
        col_min_row[j] = i;
      }
    }
  }
  for (int j = 0; j < n; ++j) NI_REQUIRE(nonfinite[j] == 0, "assignment costs must be finite");
  for (int j = n - 1; j >= 0; --j) {
    const int imin = col_min_row[j];
    if (++matches[imin] == 1) {
      row_sol[imin] = j;
      col_sol[j] = imin;
    } else if (v[j] < v[row_sol[imin]]) {
      col_sol[row_sol[imin]] = -1;
      row_sol[imin] = j;
      col_sol[j] = imin;
    }
  }
  // Reduction transfer from rows assigned once; collect free rows.
  for (int i = 0; i < n; ++i) {
    if (matches[i] == 0) {
      free_rows.push_back(i);
    } else if (matches[i] == 1) {
      const int j1 = row_sol[i];
      double m = big;
      for (int j = 0; j < n; ++j) {
        if (j != j1) m = std::min(m, c(i, j) - v[j]);
      }
      if (n > 1) v[j1] -= m;
    } else {
      // Assigned to one of several columns it minimises: its other columns are free.
    }
  }

  // Augmenting row reduction, two passes, each bounded (the heuristic can
  // crawl on near-ties; stopping early only leaves more rows to phase 3).
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<int> todo;
    todo.swap(free_rows);
    std::size_t k = 0;
    long budget = 8L * n + 64;
    while (k < todo.size() && budget-- > 0) {
      const int i = todo[k++];
      double umin = c(i, 0) - v[0], usub = big;
      int j1 = 0, j2 = -1;
      for (int j = 1; j < n; ++j) {
        const double h = c(i, j) - v[j];
        if (h < usub) {
          if (h >= umin) {
            usub = h;
            j2 = j;
          } else {
            usub = umin;
            umin = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
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

  // Shortest augmenting paths (Dijkstra over reduced costs) for each free row.
  // w[j] is the price v[j] while column j is open and -inf once its distance
  // is final (ready to scan or scanned): a closed column's reduced cost is
  // then +inf and no relaxation touches it, without a branch, so each scan is
  // one vectorised pass over the row. On LeNet's confidence matrices
  // (quantised forest probabilities, wide plateaus of equal reduced cost) a
  // path scans hundreds of rows, so this pass is the solver's cost.
  std::vector<double> w(n);
  std::vector<int> ready, scanned;
  for (const int free_row : free_rows) {
    {
      const double* row = &cost(free_row, 0);
      for (int j = 0; j < n; ++j) {
        d[j] = row[j] - v[j];
        pred[j] = free_row;
        w[j] = v[j];
      }
    }
    ready.clear();
    scanned.clear();
    double m = 0;
    int sink = -1;
    // Closes every open column at distance m; stops at a free one.
    const auto collect = [&] {
      for (int j = 0; j < n; ++j) {
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
        collect();
        continue;
      }
      const int j1 = ready.back();
      ready.pop_back();
      scanned.push_back(j1);
      const int i = col_sol[j1];
      const double h = c(i, j1) - v[j1] - m;
      const double* row = &cost(i, 0);
      const double* ww = w.data();
      double* dd = d.data();
      int* pp = pred.data();
      int hit = 0;  // some open column reached distance m
#pragma omp simd reduction(| : hit)
      for (int j = 0; j < n; ++j) {
        const double r = row[j] - ww[j] - h;
        const bool shorter = r < dd[j];
        dd[j] = shorter ? r : dd[j];
        pp[j] = shorter ? i : pp[j];
        hit |= r == m;
      }
      if (hit) collect();
    }
    // Prices of the scanned columns (those at the final distance m do not
    // move), then flip the alternating path.
    for (const int j : scanned) v[j] += d[j] - m;
    for (;;) {
      const int i = pred[sink];
      col_sol[sink] = i;
      const int next = row_sol[i];
      row_sol[i] = sink;
      sink = next;
      if (i == free_row) break;
    }
  }
  return row_sol;
}

}  // namespace netinfer::localize
