// Steps of LAPJV (Jonker & Volgenant 1987) that the dense, by-rows and sparse
// solvers share word for word: they act on the solution and the column
// prices only, whatever holds the costs.
#pragma once

#include <vector>

namespace netinfer::localize {

// Column reduction's assignment: column j goes to the row of its smallest
// cost, col_min_row[j], scanning the columns from the last; a row reached by
// several columns keeps the one of lowest price v. matches[i] counts the
// columns that reached row i.
inline void assign_column_minima(const std::vector<int>& col_min_row, const std::vector<double>& v,
                                 std::vector<int>& matches, std::vector<int>& row_sol,
                                 std::vector<int>& col_sol) {
  for (int j = static_cast<int>(col_min_row.size()) - 1; j >= 0; --j) {
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
}

// Flips the alternating path that pred describes, from the free column
// `sink` back to `free_row`, which ends assigned.
inline void augment_path(const std::vector<int>& pred, int sink, int free_row,
                         std::vector<int>& row_sol, std::vector<int>& col_sol) {
  for (;;) {
    const int i = pred[sink];
    col_sol[sink] = i;
    const int next = row_sol[i];
    row_sol[i] = sink;
    sink = next;
    if (i == free_row) break;
  }
}

}  // namespace netinfer::localize
