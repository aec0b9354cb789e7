#include "netinfer/spectral/stage.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/dist/read_matrix.hpp"

namespace netinfer::spectral {

namespace {

constexpr const char* kSignRule =
    "each eigenvector's entry of largest absolute value is positive (first such entry in neuron "
    "order on exact ties)";

std::string silent_description(const SpectralOptions& o) {
  if (o.silent == Silent::zero) {
    return "zero: silent neurons (constant responses) have correlation exactly 0, diagonal "
           "included";
  }
  return "perturb: every response + uniform noise in [-1e-9, 1e-9] before correlating (the "
         "paper's method), seed " +
         std::to_string(o.seed);
}

// Silent neurons' rows and columns of the matrix are exactly zero, so every
// eigenvector of a non-zero eigenvalue vanishes on them; the solvers leave
// rounding-level values there (~1e-11), which are cleared. A vector that lives
// mostly on silent neurons (an eigenvalue-0 vector, when k exceeds the active
// neurons' rank) is left as it is.
void clear_silent(Eigen::MatrixXd& vectors, const std::vector<std::uint8_t>& silent) {
  for (Eigen::Index j = 0; j < vectors.cols(); ++j) {
    Eigen::VectorXd v = vectors.col(j);
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      if (silent[i]) v[i] = 0.0;
    }
    if (v.norm() > 0.5) vectors.col(j) = v / v.norm();
  }
  apply_sign_rule(vectors);
}

template <typename T>
Spectrum compute(const h5::File& file, const std::string& set, const SpectralOptions& options,
                 MPI_Comm comm, Spectrum out) {
  const dist::Grid grid(comm);
  const std::string matrix = "/responses/" + set + "/matrix";
  Stopwatch clock;
  NI_MPI(MPI_Barrier(comm));
  dist::BlockCyclic<T> responses =
      dist::read_column_major<T>(file, matrix, grid, kImageBlock, options.block);
  NI_MPI(MPI_Barrier(comm));
  out.read_seconds = clock.seconds();
  release_kept_memory();  // the reading layout's blocks

  Stopwatch correlating;
  CorrelationOptions co;
  co.transform = options.transform;
  co.silent = options.silent;
  co.seed = options.seed;
  co.progress = true;
  Correlation<T> c = correlation(std::move(responses), co);
  NI_MPI(MPI_Barrier(comm));
  out.correlation_seconds = correlating.seconds();
  out.silent = std::count(c.silent.begin(), c.silent.end(), 1);

  Stopwatch solving;
  EigenOptions eo;
  eo.solver = options.solver;
  eo.k = options.k;
  eo.tolerance = options.tolerance;
  eo.block = options.lanczos_block;
  eo.seed = options.seed;
  Eigenpairs pairs = top_eigenpairs(c.matrix, eo);
  clear_silent(pairs.vectors, c.silent);
  NI_MPI(MPI_Barrier(comm));
  out.solver_seconds = solving.seconds();
  out.eigenvalues = std::move(pairs.values);
  out.eigenvectors = std::move(pairs.vectors);
  out.products = pairs.products;
  out.restarts = pairs.restarts;
  out.residual = pairs.residual;
  return out;
}

}  // namespace

Precision parse_precision(const std::string& name) {
  if (name == "double") return Precision::double_precision;
  if (name == "single") return Precision::single_precision;
  NI_FAIL("--precision: unknown precision '", name, "' (choose double or single)");
}

std::string precision_name(Precision p) {
  return p == Precision::double_precision ? "double" : "single";
}

std::vector<std::string> response_sets(const h5::File& responses) {
  NI_REQUIRE(responses.exists("/responses"), responses.path(),
             ": no /responses group (not a responses file written by netinfer respond)");
  return responses.children("/responses");
}

PhaseBytes phase_bytes_per_rank(std::int64_t neurons, std::int64_t images,
                                const SpectralOptions& options, int ranks) {
  const double s = options.precision == Precision::double_precision ? 8 : 4;
  const double n = static_cast<double>(neurons), m = static_cast<double>(images);
  // Block-cyclic shares exceed n / P by at most one block per grid dimension.
  const dist::GridShape g = dist::grid_shape(ranks);
  const double rows = std::ceil(n / g.rows) + options.block,
               cols = std::ceil(n / g.cols) + options.block;
  const double shard = std::ceil(n / ranks) * m * s;                  // hyperslab read
  const double z = (std::ceil(m / g.rows) + kImageBlock) * cols * s;  // block-cyclic Z
  const double buffers = kImageBlock * (2 * n + rows + cols) * s;     // syrk_upper's
  const double c = rows * cols * s;                                   // the matrix
  const int k = options.k;
  double solve = c;  // the matrix, plus what the solver adds
  switch (options.solver) {
    case Solver::lanczos: {
      EigenOptions eo;
      eo.k = k;
      eo.block = options.lanczos_block;
      const LanczosShape shape = lanczos_shape(static_cast<int>(neurons), eo);
      // V and AV; Ritz vectors, their images and residuals; the block and the
      // rank's local copies of it in the product.
      solve += 8 * n * (2.0 * shape.max_basis + 3.0 * shape.keep + shape.block) +
               2 * s * (rows + cols) * shape.block;
      break;
    }
    case Solver::elpa2:
    case Solver::elpa1:  // -A and the eigenvectors, in double even for single precision
      solve = 2 * rows * cols * 8;
      break;
    case Solver::scalapack:
      solve += c + s * (k + 5.0) * n;
      break;
  }
  const double replicated_result = 2 * 8 * n * k;
  return {static_cast<std::uint64_t>(std::max(shard + z, z + c + buffers) + replicated_result),
          static_cast<std::uint64_t>(solve + replicated_result)};
}

std::uint64_t peak_bytes_per_rank(std::int64_t neurons, std::int64_t images,
                                  const SpectralOptions& options, int ranks) {
  const PhaseBytes p = phase_bytes_per_rank(neurons, images, options, ranks);
  return std::max(p.correlation, p.eigensolver);
}

Spectrum compute_spectrum(const h5::File& file, const std::string& set,
                          const SpectralOptions& options, MPI_Comm comm) {
  const std::vector<std::string> sets = response_sets(file);
  if (std::find(sets.begin(), sets.end(), set) == sets.end()) {
    std::ostringstream known;
    for (std::size_t i = 0; i < sets.size(); ++i) known << (i ? ", " : "") << sets[i];
    NI_FAIL(file.path(), ": no image set '", set,
            "' under /responses (it has: ", sets.empty() ? "none" : known.str(), ")");
  }
  const std::string matrix = "/responses/" + set + "/matrix";
  NI_REQUIRE(file.exists(matrix), file.path(), ": set '", set, "' has no ", matrix);
  const h5::Dims dims = file.dims(matrix);
  NI_REQUIRE(dims.size() == 2, file.path(), ":", matrix, ": expected [neurons, images], found ",
             dims.size(), " dimensions");
  Spectrum out;
  out.set = set;
  out.neurons = static_cast<std::int64_t>(dims[0]);
  out.images = static_cast<std::int64_t>(dims[1]);
  if (file.has_attr("/network", "neuron_count")) {
    const std::int64_t expected = file.attr_int("/network", "neuron_count");
    NI_REQUIRE(expected == out.neurons, file.path(), ":", matrix, ": ", out.neurons,
               " rows but /network has neuron_count ", expected);
  }
  NI_REQUIRE(options.k >= 1 && options.k <= out.neurons, "--k ", options.k,
             ": must be between 1 and the ", out.neurons, " neurons of set '", set, "'");
  NI_REQUIRE(out.images >= 2, file.path(), ":", matrix, ": ", out.images,
             " images; correlations need at least 2");
  NI_REQUIRE(options.block >= 1, "--block ", options.block, ": must be positive");
  out.peak_bytes = peak_bytes_per_rank(out.neurons, out.images, options, mpi_size(comm));
  dist::require_memory(out.peak_bytes, "spectral (set " + set + ")", comm);
  Spectrum s = options.precision == Precision::double_precision
                   ? compute<double>(file, set, options, comm, std::move(out))
                   : compute<float>(file, set, options, comm, std::move(out));
  release_kept_memory();  // the correlation matrix and the solver's workspace
  return s;
}

void write_spectrum(h5::File& out, const Spectrum& s, const SpectralOptions& options) {
  const std::string group = "/spectral/" + s.set;
  const int k = static_cast<int>(s.eigenvalues.size());
  out.write(group + "/eigenvalues", s.eigenvalues.data(), {static_cast<std::uint64_t>(k)});
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows =
      s.eigenvectors;
  out.write(group + "/eigenvectors", rows.data(),
            {static_cast<std::uint64_t>(s.neurons), static_cast<std::uint64_t>(k)});
  out.set_attr(group + "/eigenvalues", "axes", std::string("eigenpair (descending)"));
  out.set_attr(group + "/eigenvectors", "axes", std::string("neuron, eigenpair"));
  out.set_attr(group, "set", s.set);
  out.set_attr(group, "transform", transform_name(options.transform));
  out.set_attr(group, "solver", solver_name(options.solver));
  out.set_attr(group, "k", k);
  out.set_attr(group, "precision", precision_name(options.precision));
  out.set_attr(group, "block", options.block);
  out.set_attr(group, "silent_handling", silent_description(options));
  out.set_attr(group, "sign_rule", std::string(kSignRule));
  out.set_attr(group, "neurons", s.neurons);
  out.set_attr(group, "images", s.images);
  out.set_attr(group, "silent_neurons", s.silent);
  if (options.solver == Solver::lanczos) {
    out.set_attr(group, "lanczos_products", s.products);
    out.set_attr(group, "lanczos_restarts", s.restarts);
    out.set_attr(group, "lanczos_residual", s.residual);
  }
  out.set_attr(group, "correlation_seconds", s.correlation_seconds);
  out.set_attr(group, "solver_seconds", s.solver_seconds);
}

}  // namespace netinfer::spectral
