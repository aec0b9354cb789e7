#include "netinfer/dist/replicate.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"

namespace netinfer::dist {

template <typename T>
Eigen::MatrixXd replicate_columns(const BlockCyclic<T>& a, int cols) {
  NI_REQUIRE(cols >= 0 && cols <= a.cols(), "replicate_columns: ", cols,
             " columns requested from a matrix with ", a.cols());
  Eigen::MatrixXd mine = Eigen::MatrixXd::Zero(a.rows(), cols), all(a.rows(), cols);
  for (int j = 0; j < a.local_cols(); ++j) {
    const int gj = a.col_axis().global(j);
    if (gj >= cols) break;  // local columns are in increasing global order
    for (int i = 0; i < a.local_rows(); ++i) mine(a.row_axis().global(i), gj) = a.local(i, j);
  }
  NI_MPI(MPI_Allreduce(mine.data(), all.data(), static_cast<int>(mine.size()), MPI_DOUBLE, MPI_SUM,
                       a.grid().comm()));
  return all;
}

template Eigen::MatrixXd replicate_columns(const BlockCyclic<double>&, int);
template Eigen::MatrixXd replicate_columns(const BlockCyclic<float>&, int);

}  // namespace netinfer::dist
