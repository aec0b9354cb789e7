#include "netinfer/dist/grid.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

GridShape grid_shape(int ranks) {
  NI_REQUIRE(ranks >= 1, "process grid: need at least one rank, got ", ranks);
  int cols = 1;
  for (int c = 1; c * c <= ranks; ++c) {
    if (ranks % c == 0) cols = c;
  }
  return {ranks / cols, cols};
}

Grid::Grid(MPI_Comm comm) : Grid(comm, grid_shape(mpi_size(comm))) {}

Grid::Grid(MPI_Comm comm, GridShape shape) : comm_(comm), shape_(shape) {
  NI_REQUIRE(shape.rows >= 1 && shape.cols >= 1 && shape.rows * shape.cols == mpi_size(comm),
             "process grid ", shape.rows, " x ", shape.cols, " does not match ", mpi_size(comm),
             " ranks");
  system_handle_ = Csys2blacs_handle(comm);
  context_ = system_handle_;
  Cblacs_gridinit(&context_, "Row", shape.rows, shape.cols);
  int rows = 0, cols = 0;
  Cblacs_gridinfo(context_, &rows, &cols, &row_, &col_);
  NI_REQUIRE(rows == shape.rows && cols == shape.cols && row_ >= 0, "BLACS could not create a ",
             shape.rows, " x ", shape.cols, " process grid");
  NI_MPI(MPI_Comm_split(comm, col_, row_, &column_comm_));
}

Grid::~Grid() {
  if (column_comm_ != MPI_COMM_NULL) MPI_Comm_free(&column_comm_);
  Cblacs_gridexit(context_);
  Cfree_blacs_system_handle(system_handle_);
}

}  // namespace netinfer::dist
