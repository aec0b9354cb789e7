// LAPJV: R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for
// dense and sparse linear assignment problems", Computing 38 (1987) 325–340.
// Three phases: column reduction with reduction transfer, augmenting row
// reduction (a heuristic that assigns most rows cheaply), and Dijkstra-style
// shortest augmenting paths for the rows still free. The dual prices v[j]
// keep every assigned row at its minimal reduced cost throughout, so the
// heuristic phase may stop at any point without affecting optimality.
#include "netinfer/localize/assignment.hpp"

#include <cmath>
#include <limits>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

std::vector<int> solve_assignment(const RowMatrix& cost) {
  const int n = static_cast<int>(cost.rows());
  NI_REQUIRE(cost.rows() == cost.cols(), "assignment needs a square matrix, got ", cost.rows(),
             " x ", cost.cols());
  NI_REQUIRE(cost.allFinite(), "assignment costs must be finite");
  if (n == 0) return {};
  const double big = std::numeric_limits<double>::infinity();
  std::vector<int> row_sol(n, -1), col_sol(n, -1), matches(n, 0), free_rows, col_list(n), pred(n);
  std::vector<double> v(n), d(n);
  auto c = [&](int i, int j) { return cost(i, j); };

  // Column reduction: each column's price is its minimum; the row holding that
  // minimum takes the column if it has none yet (columns scanned in reverse).
  for (int j = n - 1; j >= 0; --j) {
    int imin = 0;
    double m = c(0, j);
    for (int i = 1; i < n; ++i) {
      if (c(i, j) < m) {
        m = c(i, j);
        imin = i;
      }
    }
    v[j] = m;
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
  for (const int free_row : free_rows) {
    for (int j = 0; j < n; ++j) {
      d[j] = c(free_row, j) - v[j];
      pred[j] = free_row;
      col_list[j] = j;
    }
    int low = 0, up = 0, last = 0, end_of_path = -1;
    double m = 0;
    while (end_of_path < 0) {
      if (up == low) {
        // Collect all unscanned columns at the new minimum distance.
        last = low - 1;
        m = d[col_list[up++]];
        for (int k = up; k < n; ++k) {
          const int j = col_list[k];
          const double h = d[j];
          if (h <= m) {
            if (h < m) {
              up = low;
              m = h;
            }
            col_list[k] = col_list[up];
            col_list[up++] = j;
          }
        }
        for (int k = low; k < up; ++k) {
          if (col_sol[col_list[k]] < 0) {
            end_of_path = col_list[k];
            break;
          }
        }
      }
      if (end_of_path >= 0) break;
      // Scan the next column at minimum distance: relax through its row.
      const int j1 = col_list[low++];
      const int i = col_sol[j1];
      const double h = c(i, j1) - v[j1] - m;
      for (int k = up; k < n; ++k) {
        const int j = col_list[k];
        const double v2 = c(i, j) - v[j] - h;
        if (v2 < d[j]) {
          pred[j] = i;
          if (v2 == m) {
            if (col_sol[j] < 0) {
              end_of_path = j;
              break;
            }
            col_list[k] = col_list[up];
            col_list[up++] = j;
          }
          d[j] = v2;
        }
      }
    }
    // Update the prices of the scanned columns, then flip the alternating path.
    for (int k = 0; k <= last; ++k) {
      const int j = col_list[k];
      v[j] += d[j] - m;
    }
    for (;;) {
      const int i = pred[end_of_path];
      col_sol[end_of_path] = i;
      const int next = row_sol[i];
      row_sol[i] = end_of_path;
      end_of_path = next;
      if (i == free_row) break;
    }
  }
  return row_sol;
}

}  // namespace netinfer::localize
