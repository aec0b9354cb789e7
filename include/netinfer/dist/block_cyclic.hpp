// A dense matrix distributed block-cyclically over a BLACS grid, in the
// layout of ScaLAPACK: mb x nb blocks dealt round-robin to grid rows and grid
// columns, starting at process (0, 0); each rank stores its blocks as one
// column-major local matrix. The type owns its descriptor, its local storage
// and the global <-> local index maps, so algorithms never juggle raw
// descriptors (Elemental's DistMatrix idea).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "netinfer/core/huge_pages.hpp"
#include "netinfer/dist/grid.hpp"

namespace netinfer::dist {

// The block-cyclic map of one axis (rows or columns): `n` indices in blocks of
// `nb` dealt to `procs` processes; `me` is this process's coordinate.
struct Axis {
  int n = 0, nb = 1, procs = 1, me = 0;

  int local_size() const;  // how many of the n indices this process holds (numroc)
  int owner(int global) const { return (global / nb) % procs; }
  // Local index of a global index; meaningful on its owner only.
  int local(int global) const { return (global / nb / procs) * nb + global % nb; }
  int global(int local) const { return ((local / nb) * procs + me) * nb + local % nb; }
  // How many of this process's indices are below `global` (0 <= global <= n):
  // the local index range [0, local_below(g)) holds exactly the globals < g.
  int local_below(int global) const {
    const int block = global / nb, whole = block > me ? (block - me + procs - 1) / procs : 0;
    return whole * nb + (block % procs == me ? global % nb : 0);
  }
};

template <typename T>
class BlockCyclic {
 public:
  // A rows x cols matrix of zeros in mb x nb blocks on `grid` (which must
  // outlive the matrix).
  BlockCyclic(const Grid& grid, int rows, int cols, int mb, int nb);
  BlockCyclic(BlockCyclic&&) = default;
  BlockCyclic& operator=(BlockCyclic&&) = default;
  BlockCyclic(const BlockCyclic&) = delete;  // large: copy explicitly if ever needed
  BlockCyclic& operator=(const BlockCyclic&) = delete;

  const Grid& grid() const { return *grid_; }
  int rows() const { return row_axis_.n; }
  int cols() const { return col_axis_.n; }
  int mb() const { return row_axis_.nb; }
  int nb() const { return col_axis_.nb; }
  const Axis& row_axis() const { return row_axis_; }
  const Axis& col_axis() const { return col_axis_; }
  int local_rows() const { return local_rows_; }
  int local_cols() const { return local_cols_; }
  int lld() const { return lld_; }  // leading dimension of the local matrix
  const int* desc() const { return desc_; }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  T& local(int i, int j) { return data_[i + static_cast<std::size_t>(j) * lld_]; }
  const T& local(int i, int j) const { return data_[i + static_cast<std::size_t>(j) * lld_]; }

  // Bytes of local storage a rows x cols matrix of T needs on the rank at
  // (grid_row, grid_col), before allocating it (for the memory check).
  static std::uint64_t local_bytes(const GridShape& shape, int grid_row, int grid_col, int rows,
                                   int cols, int mb, int nb);

 private:
  const Grid* grid_;
  Axis row_axis_, col_axis_;
  int local_rows_ = 0, local_cols_ = 0, lld_ = 1;
  int desc_[9] = {};
  std::vector<T, netinfer::HugePageAllocator<T>> data_;
};

}  // namespace netinfer::dist
