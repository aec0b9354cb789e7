// Transfer entropy between binary spike trains at lag 1 (Schreiber 2000), from
// exact counts: for a tile of targets, one GEMM counts every
// (S_i(t + 1), S_i(t), S_j(t) = 1) combination against every source j.
#include <cmath>

#include "baseline_tiles.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/reconstruct/baselines.hpp"

namespace netinfer::reconstruct {

Eigen::MatrixXd transfer_entropy_scores(const GeneratorData& data, int steps, MPI_Comm comm) {
  NI_REQUIRE(steps >= 2, "transfer entropy needs at least 2 steps");
  const Eigen::MatrixXd x = detail::observations(data, 0, steps - 1),
                        next = detail::observations(data, 1, steps);
  const Eigen::Index t = x.rows(), n = x.cols();
  return detail::fan_out_rows(n, n, comm, [&](Eigen::Index first, Eigen::Index count) {
    // Column 4k + 2a + b: target first + k has S_i(t + 1) = a and S_i(t) = b.
    Eigen::MatrixXd states = Eigen::MatrixXd::Zero(t, 4 * count);
    for (Eigen::Index k = 0; k < count; ++k)
      for (Eigen::Index r = 0; r < t; ++r)
        states(r, 4 * k + 2 * static_cast<int>(next(r, first + k)) +
                      static_cast<int>(x(r, first + k))) = 1;
    const Eigen::MatrixXd with = states.transpose() * x;  // counts with S_j(t) = 1 (exact)
    const Eigen::RowVectorXd totals = states.colwise().sum();
    Eigen::MatrixXd rows(count, n);
    for (Eigen::Index k = 0; k < count; ++k)
      for (Eigen::Index j = 0; j < n; ++j) {
        // c[a][b][y]: counts of (S_i(t + 1), S_i(t), S_j(t)).
        double c[2][2][2];
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b) {
            c[a][b][1] = with(4 * k + 2 * a + b, j);
            c[a][b][0] = totals(4 * k + 2 * a + b) - c[a][b][1];
          }
        double te = 0;
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b)
            for (int y = 0; y < 2; ++y) {
              const double by = c[0][b][y] + c[1][b][y], ab = c[a][b][0] + c[a][b][1],
                           b_all = c[0][b][0] + c[0][b][1] + c[1][b][0] + c[1][b][1];
              // p(a, b, y) log2[p(a | b, y) / p(a | b)]
              if (c[a][b][y] > 0)
                te +=
                    c[a][b][y] / static_cast<double>(t) * std::log2(c[a][b][y] * b_all / (by * ab));
            }
        rows(k, j) = te;
      }
    return rows;
  });
}

}  // namespace netinfer::reconstruct
