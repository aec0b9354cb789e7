#include "netinfer/dist/block_cyclic.hpp"

#include <algorithm>

#include "netinfer/core/error.hpp"
#include "netinfer/dist/lapack.hpp"

namespace netinfer::dist {

int Axis::local_size() const {
  const int source = 0;
  return numroc_(&n, &nb, &me, &source, &procs);
}

template <typename T>
BlockCyclic<T>::BlockCyclic(const Grid& grid, int rows, int cols, int mb, int nb)
    : grid_(&grid),
      row_axis_{rows, mb, grid.rows(), grid.row()},
      col_axis_{cols, nb, grid.cols(), grid.col()} {
  NI_REQUIRE(rows >= 0 && cols >= 0, "distributed matrix: negative shape ", rows, " x ", cols);
  NI_REQUIRE(mb >= 1 && nb >= 1, "distributed matrix: block size must be positive, got ", mb, " x ",
             nb);
  local_rows_ = row_axis_.local_size();
  local_cols_ = col_axis_.local_size();
  lld_ = std::max(1, local_rows_);
  const int source = 0, context = grid.context();
  int info = 0;
  descinit_(desc_, &rows, &cols, &mb, &nb, &source, &source, &context, &lld_, &info);
  NI_REQUIRE(info == 0, "descinit failed (info ", info, ") for a ", rows, " x ", cols,
             " matrix in ", mb, " x ", nb, " blocks");
  data_.assign(static_cast<std::size_t>(lld_) * local_cols_, T(0));
}

template <typename T>
std::uint64_t BlockCyclic<T>::local_bytes(const GridShape& shape, int grid_row, int grid_col,
                                          int rows, int cols, int mb, int nb) {
  const Axis r{rows, mb, shape.rows, grid_row}, c{cols, nb, shape.cols, grid_col};
  return static_cast<std::uint64_t>(std::max(1, r.local_size())) * c.local_size() * sizeof(T);
}

template class BlockCyclic<double>;
template class BlockCyclic<float>;

}  // namespace netinfer::dist
