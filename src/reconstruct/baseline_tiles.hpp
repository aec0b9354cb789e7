// What the baselines share: the observations they are computed from and the
// fan-out of their rows over ranks. A row tile is always computed by the same
// operations on the same operands, whichever rank owns it, so the assembled
// matrix does not depend on the number of ranks.
#pragma once

#include <mpi.h>

#include <Eigen/Core>
#include <functional>

#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct::detail {

// Target neurons per tile.
constexpr Eigen::Index kTile = 32;

// Observations of the n neurons, one row per (simulation, step) with
// first <= step < last.
Eigen::MatrixXd observations(const GeneratorData& data, int first, int last);

// Columns centred and scaled to unit norm; constant columns become zero.
Eigen::MatrixXd standardise(Eigen::MatrixXd x);

// A rows x cols matrix whose tile of rows [first, first + count) is
// tile(first, count) (count <= kTile), tile k computed by rank k mod size and
// broadcast: collective over comm, the same matrix on every rank.
Eigen::MatrixXd fan_out_rows(
    Eigen::Index rows, Eigen::Index cols, MPI_Comm comm,
    const std::function<Eigen::MatrixXd(Eigen::Index, Eigen::Index)>& tile);

}  // namespace netinfer::reconstruct::detail
