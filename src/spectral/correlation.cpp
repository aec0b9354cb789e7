#include "netinfer/spectral/correlation.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/lapack.hpp"
#include "netinfer/dist/syrk.hpp"

namespace netinfer::spectral {

namespace {

constexpr double kPerturbation = 1e-9;  // half-width of the paper's noise

template <typename T>
void perturb(dist::BlockCyclic<T>& r, std::uint64_t seed) {
  for (int j = 0; j < r.local_cols(); ++j) {
    const int neuron = r.col_axis().global(j);
    for (int i = 0; i < r.local_rows(); ++i) {
      r.local(i, j) += static_cast<T>(perturbation(seed, neuron, r.row_axis().global(i), r.rows()));
    }
  }
}

// Sums term(i, j) over the rows i of each local column j, in an order that
// does not depend on the grid: each block of mb rows (images) is summed in
// row order by the rank that holds it, the blocks' sums are exchanged within
// the grid column (exactly: each slot has one non-zero contributor) and
// added in block order.
template <typename T, typename Term>
std::vector<double> column_sums(const dist::BlockCyclic<T>& r, Term term) {
  const dist::Axis& rows = r.row_axis();
  const int blocks = (rows.n + rows.nb - 1) / rows.nb, lc = r.local_cols(), lr = r.local_rows();
  std::vector<double> partial(static_cast<std::size_t>(blocks) * lc, 0.0);
  for (int i0 = 0; i0 < lr; i0 += rows.nb) {
    const int block = rows.global(i0) / rows.nb, end = std::min(lr, i0 + rows.nb);
    for (int j = 0; j < lc; ++j) {
      double s = 0;
      for (int i = i0; i < end; ++i) s += term(i, j);
      // + 0.0 turns -0 into +0, which the exchange's additions would do
      // on some grids only.
      partial[static_cast<std::size_t>(j) * blocks + block] = s + 0.0;
    }
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, partial.data(), static_cast<int>(partial.size()), MPI_DOUBLE,
                       MPI_SUM, r.grid().column_comm()));
  std::vector<double> total(lc, 0.0);
  for (int j = 0; j < lc; ++j) {
    for (int b = 0; b < blocks; ++b) total[j] += partial[static_cast<std::size_t>(j) * blocks + b];
  }
  return total;
}

// Replaces each column by its standardised response vector (population
// moments, accumulated in double by column_sums); returns 1 for each local
// column that is silent.
template <typename T>
std::vector<std::uint8_t> standardise(dist::BlockCyclic<T>& r) {
  const int lc = r.local_cols(), lr = r.local_rows();
  const MPI_Comm column = r.grid().column_comm();
  std::vector<double> low(lc, INFINITY), high(lc, -INFINITY);
  // The first non-finite response in (neuron, image) order, agreed on by all
  // ranks so that every rank reports the same place and none hangs.
  long long first_bad = LLONG_MAX;
  for (int j = 0; j < lc; ++j) {
    for (int i = 0; i < lr; ++i) {
      const double v = r.local(i, j);
      if (!std::isfinite(v)) {
        first_bad = std::min(first_bad, static_cast<long long>(r.col_axis().global(j)) * r.rows() +
                                            r.row_axis().global(i));
      }
      low[j] = std::min(low[j], v);
      high[j] = std::max(high[j], v);
    }
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &first_bad, 1, MPI_LONG_LONG, MPI_MIN, r.grid().comm()));
  NI_REQUIRE(first_bad == LLONG_MAX, "responses: the response of neuron ", first_bad / r.rows(),
             " to image ", first_bad % r.rows(), " is not a finite number");
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, low.data(), lc, MPI_DOUBLE, MPI_MIN, column));
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, high.data(), lc, MPI_DOUBLE, MPI_MAX, column));
  const std::vector<double> sum =
      column_sums(r, [&](int i, int j) { return static_cast<double>(r.local(i, j)); });
  std::vector<double> mean(lc);
  for (int j = 0; j < lc; ++j) mean[j] = sum[j] / r.rows();
  const std::vector<double> squares = column_sums(r, [&](int i, int j) {
    const double d = r.local(i, j) - mean[j];
    return d * d;
  });
  std::vector<std::uint8_t> silent(lc, 0);
  for (int j = 0; j < lc; ++j) {
    // Silent as in the response stage: identical responses, or a spread so
    // small that its variance underflows to 0 (1/std would be infinite).
    silent[j] = low[j] == high[j] || !(squares[j] > 0);
    const double scale = silent[j] ? 0.0 : 1.0 / std::sqrt(squares[j] / r.rows());
    for (int i = 0; i < lr; ++i) {
      r.local(i, j) = static_cast<T>(silent[j] ? 0.0 : (r.local(i, j) - mean[j]) * scale);
    }
  }
  return silent;
}

}  // namespace

double perturbation(std::uint64_t seed, std::int64_t neuron, std::int64_t image,
                    std::int64_t images) {
  Stream stream(seed, purpose_id("spectral.perturbation"),
                static_cast<std::uint64_t>(neuron * images + image));
  return kPerturbation * (2.0 * stream.uniform() - 1.0);
}

double correlation_flops(std::int64_t neurons, std::int64_t images) {
  return static_cast<double>(neurons) * (neurons + 1) * images;
}

template <typename T>
Correlation<T> correlation(dist::BlockCyclic<T> responses, const CorrelationOptions& options) {
  const int m = responses.rows(), n = responses.cols(), nb = responses.nb();
  NI_REQUIRE(m >= 2, "correlation: needs at least 2 responses per neuron, got ", m);
  const dist::Grid& grid = responses.grid();
  if (options.silent == Silent::perturb) perturb(responses, options.seed);
  const std::vector<std::uint8_t> local_silent = standardise(responses);

  std::vector<std::uint8_t> silent(n, 0);
  for (int j = 0; j < responses.local_cols(); ++j) {
    silent[responses.col_axis().global(j)] = local_silent[j];
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, silent.data(), n, MPI_UINT8_T, MPI_MAX, grid.comm()));

  Correlation<T> out{dist::BlockCyclic<T>(grid, n, n, nb, nb), std::move(silent)};
  dist::BlockCyclic<T>& c = out.matrix;
  const T alpha = static_cast<T>(1.0 / m);
  if (options.product == Product::blocked) {
    if (options.progress) {
      Progress progress("correlation", m, "images");
      dist::syrk_upper(responses, alpha, c, [&](int done) { progress.update(done); });
      progress.finish();
    } else {
      dist::syrk_upper(responses, alpha, c);
    }
  } else {
    la::psyrk('U', 'T', n, m, alpha, responses.data(), 1, responses.desc(), T(0), c.data(),
              c.desc());
  }
  if (options.transform != Transform::cm) {
    for (int j = 0; j < c.local_cols(); ++j) {
      for (int i = 0; i < c.local_rows(); ++i)
        c.local(i, j) = apply(options.transform, c.local(i, j));
    }
  }
  return out;
}

template Correlation<double> correlation(dist::BlockCyclic<double>, const CorrelationOptions&);
template Correlation<float> correlation(dist::BlockCyclic<float>, const CorrelationOptions&);

}  // namespace netinfer::spectral
