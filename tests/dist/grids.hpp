// Test helper: runs a computation on every process grid of 1, 2 and 4 ranks
// that fits in MPI_COMM_WORLD (1 x 1; 2 x 1, 1 x 2; 2 x 2, 4 x 1, 1 x 4), on
// the first ranks of MPI_COMM_WORLD while the others wait, so that one run of
// a test binary can compare the bits of results across grids and rank counts.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/grid.hpp"

namespace netinfer::dist::test_support {

inline std::vector<GridShape> grids_that_fit() {
  std::vector<GridShape> out;
  for (GridShape g : {GridShape{1, 1}, GridShape{2, 1}, GridShape{1, 2}, GridShape{2, 2},
                      GridShape{4, 1}, GridShape{1, 4}}) {
    if (g.rows * g.cols <= mpi_size()) out.push_back(g);
  }
  return out;
}

inline std::string grid_name(GridShape g) {
  return std::to_string(g.rows) + " x " + std::to_string(g.cols) + " grid";
}

// f(grid) on the ranks of `shape` (a Grid over the first rows * cols ranks);
// collective over MPI_COMM_WORLD. Returns whether this rank took part.
template <typename F>
bool on_grid(GridShape shape, F&& f) {
  const int ranks = shape.rows * shape.cols;
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm_split(MPI_COMM_WORLD, mpi_rank() < ranks ? 0 : MPI_UNDEFINED, mpi_rank(), &comm);
  if (comm != MPI_COMM_NULL) {
    {
      const Grid grid(comm, shape);
      f(grid);
    }
    MPI_Comm_free(&comm);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return mpi_rank() < ranks;
}

}  // namespace netinfer::dist::test_support
