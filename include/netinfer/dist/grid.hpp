// The BLACS process grid of a communicator: P ranks arranged as rows x cols,
// as square as possible with rows >= cols (P = 2 -> 2 x 1, 4 -> 2 x 2,
// 6 -> 3 x 2), row-major (rank r sits at row r / cols, column r % cols).
// Distributed matrices (block_cyclic.hpp) live on a Grid.
#pragma once

#include <mpi.h>

namespace netinfer::dist {

struct GridShape {
  int rows = 1, cols = 1;
};

// The most square factorisation rows x cols = ranks with rows >= cols.
GridShape grid_shape(int ranks);

class Grid {
 public:
  // The default shape grid_shape(size of comm).
  explicit Grid(MPI_Comm comm);
  // An explicit shape (rows * cols must equal the size of comm), e.g. P x 1
  // or 1 x P for the one-dimensional layouts data arrive in.
  Grid(MPI_Comm comm, GridShape shape);
  ~Grid();
  Grid(const Grid&) = delete;
  Grid& operator=(const Grid&) = delete;

  MPI_Comm comm() const { return comm_; }
  int context() const { return context_; }
  int rows() const { return shape_.rows; }
  int cols() const { return shape_.cols; }
  int row() const { return row_; }  // this rank's grid row
  int col() const { return col_; }  // this rank's grid column
  int size() const { return shape_.rows * shape_.cols; }
  // Ranks that share this rank's grid column (they hold the same matrix
  // columns), ordered by grid row.
  MPI_Comm column_comm() const { return column_comm_; }

 private:
  MPI_Comm comm_;
  GridShape shape_;
  int system_handle_ = -1, context_ = -1, row_ = 0, col_ = 0;
  MPI_Comm column_comm_ = MPI_COMM_NULL;
};

}  // namespace netinfer::dist
