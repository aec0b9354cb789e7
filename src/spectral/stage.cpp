#include "netinfer/spectral/stage.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/spectral/limits.hpp"

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

}  // namespace

Precision parse_precision(const std::string& name) {
  if (name == "double") return Precision::double_precision;
  if (name == "single") return Precision::single_precision;
  NI_FAIL("--precision: unknown precision '", name, "' (choose double or single)");
}

std::string precision_name(Precision p) {
  return p == Precision::double_precision ? "double" : "single";
}

PhaseBytes phase_bytes_per_rank(std::int64_t neurons, std::int64_t images,
                                const SpectralOptions& options, int ranks) {
  const double s = options.precision == Precision::double_precision ? 8 : 4;
  const double n = static_cast<double>(neurons), m = static_cast<double>(images);
  // Block-cyclic shares exceed n / P by at most one block per grid dimension.
  const dist::GridShape g = dist::grid_shape(ranks);
  const double rows = std::ceil(n / g.rows) + options.block,
               cols = std::ceil(n / g.cols) + options.block;
  const double shard = std::ceil(m / ranks) * n * s;  // the rank's dealt or read rows
  // From the forward pass, the double-precision rows and their copy in T
  // coexist for a moment (localize::response_columns).
  const double dealt = std::ceil(m / ranks) * n * (8 + s);
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
  return {
      static_cast<std::uint64_t>(std::max({dealt, shard + z, z + c + buffers}) + replicated_result),
      static_cast<std::uint64_t>(solve + replicated_result)};
}

std::uint64_t peak_bytes_per_rank(std::int64_t neurons, std::int64_t images,
                                  const SpectralOptions& options, int ranks) {
  const PhaseBytes p = phase_bytes_per_rank(neurons, images, options, ranks);
  return std::max(p.correlation, p.eigensolver);
}

void validate_request(const std::string& set, std::int64_t neurons, std::int64_t images,
                      const SpectralOptions& options) {
  NI_REQUIRE(options.k >= 1 && options.k <= neurons, "eigenvectors (k) ", options.k,
             ": must be between 1 and the ", neurons, " neurons of set '", set, "'");
  NI_REQUIRE(images >= 2, "image set '", set, "' has ", images,
             " images; correlations need at least 2");
  const std::int64_t most = max_k(neurons, images, options.solver);
  NI_REQUIRE(options.k <= most, "eigenvectors (k) ", options.k, ": set '", set, "' has ", images,
             " images; solver ", solver_name(options.solver), " delivers at most ", most,
             " eigenpairs (the correlation of m images has rank m - 1; solver elpa2 computes "
             "them all)");
  NI_REQUIRE(options.block >= 1, "--block ", options.block, ": must be positive");
}

void check_request(const std::string& set, std::int64_t neurons, std::int64_t images,
                   const SpectralOptions& options, MPI_Comm comm) {
  validate_request(set, neurons, images, options);
  dist::require_memory(peak_bytes_per_rank(neurons, images, options, mpi_size(comm)),
                       "spectral (set " + set + ")", comm);
}

template <typename T>
Spectrum compute_spectrum(dist::BlockCyclic<T> responses, const std::string& set,
                          const SpectralOptions& options) {
  const MPI_Comm comm = responses.grid().comm();
  Spectrum out;
  out.set = set;
  out.images = responses.rows();
  out.neurons = responses.cols();
  out.peak_bytes = peak_bytes_per_rank(out.neurons, out.images, options, mpi_size(comm));

  {  // the correlation matrix lives until the eigenpairs are out
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
  }
  release_kept_memory();  // the correlation matrix and the solver's workspace
  return out;
}

template Spectrum compute_spectrum(dist::BlockCyclic<double>, const std::string&,
                                   const SpectralOptions&);
template Spectrum compute_spectrum(dist::BlockCyclic<float>, const std::string&,
                                   const SpectralOptions&);

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

Spectrum read_spectrum(const h5::File& file, const std::string& set) {
  const std::string group = "/spectral/" + set;
  NI_REQUIRE(file.exists(group + "/eigenvectors"), file.path(), ": no spectrum of set '", set,
             "' (", group, ")");
  Spectrum s;
  s.set = set;
  s.neurons = file.attr_int(group, "neurons");
  s.images = file.attr_int(group, "images");
  s.silent = file.attr_int(group, "silent_neurons");
  const auto values = file.read<double>(group + "/eigenvalues");
  const auto k = static_cast<std::uint64_t>(values.size());
  s.eigenvalues = Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(k));
  const auto vectors =
      file.read<double>(group + "/eigenvectors", {static_cast<std::uint64_t>(s.neurons), k});
  s.eigenvectors =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          vectors.data(), s.neurons, static_cast<Eigen::Index>(k));
  return s;
}

}  // namespace netinfer::spectral
