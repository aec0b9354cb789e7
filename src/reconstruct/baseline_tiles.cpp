#include "baseline_tiles.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"

namespace netinfer::reconstruct::detail {

Eigen::MatrixXd observations(const GeneratorData& data, int first, int last) {
  NI_REQUIRE(last <= data.steps, data.group, ": needs ", last, " steps, the file has ", data.steps);
  const int per = last - first;
  Eigen::MatrixXd x(data.simulations * per, data.n);
  for (std::int64_t s = 0; s < data.simulations; ++s)
    for (int i = 0; i < data.n; ++i)
      for (int t = first; t < last; ++t) x(s * per + t - first, i) = data.spike(s, i, t);
  return x;
}

Eigen::MatrixXd standardise(Eigen::MatrixXd x) {
  x.rowwise() -= x.colwise().mean();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double norm = x.col(j).norm();
    x.col(j) = norm > 1e-12 ? (x.col(j) / norm).eval() : Eigen::VectorXd::Zero(x.rows());
  }
  return x;
}

Eigen::MatrixXd fan_out_rows(
    Eigen::Index rows, Eigen::Index cols, MPI_Comm comm,
    const std::function<Eigen::MatrixXd(Eigen::Index, Eigen::Index)>& tile) {
  const int rank = mpi_rank(comm), size = mpi_size(comm);
  Eigen::MatrixXd out(rows, cols);
  const Eigen::Index tiles = (rows + kTile - 1) / kTile;
  for (Eigen::Index k = 0; k < tiles; ++k) {
    const Eigen::Index first = k * kTile, count = std::min(kTile, rows - first);
    Eigen::MatrixXd block(count, cols);
    if (k % size == rank) {
      block = tile(first, count);
      NI_REQUIRE(block.rows() == count && block.cols() == cols, "baseline tile is ", block.rows(),
                 "x", block.cols(), ", expected ", count, "x", cols);
    }
    NI_MPI(MPI_Bcast(block.data(), static_cast<int>(block.size()), MPI_DOUBLE,
                     static_cast<int>(k % size), comm));
    out.middleRows(first, count) = block;
  }
  return out;
}

}  // namespace netinfer::reconstruct::detail
