// netinfer spectral: the top-k eigenpairs of each image set's transformed
// response correlation matrix (localisation paper §4.3), from a responses
// file into spectra.h5. The work is the library stage in
// include/netinfer/spectral/stage.hpp, fed by pipeline::spectrum_from_file.
#include <cstdio>
#include <sstream>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/pipeline/set_data.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::cli {

namespace {

void add_options(po::options_description& o) {
  o.add_options()("responses", po::value<std::string>()->required(),
                  "responses file written by `netinfer respond`")(
      "sets", po::value<std::string>()->default_value("all"),
      "comma-separated image sets (names under /responses), or all")(
      "k", po::value<int>()->default_value(16), "eigenpairs of largest eigenvalue per set")(
      "solver", po::value<std::string>()->default_value("lanczos"),
      "lanczos (thick-restart block Lanczos), elpa2, elpa1 (ELPA 2-/1-stage) or scalapack "
      "(PDSYEVX)")(
      "transform", po::value<std::string>()->default_value("abs"),
      "element-wise transform of the correlation matrix: cm, abs, cm^2, abs(cm^3), cm^4")(
      "precision", po::value<std::string>()->default_value("double"),
      "double, or single (half the memory; eigenpairs to ~1e-5)")(
      "block", po::value<int>()->default_value(64), "ScaLAPACK block size")(
      "silent", po::value<std::string>()->default_value("zero"),
      "zero: silent neurons' correlations are exactly 0; perturb: add the paper's "
      "U[-1e-9, 1e-9] noise to every response first")(
      "seed", po::value<long>()->default_value(0),
      "seed of the perturbation noise and of the Lanczos start block")(
      "tolerance", po::value<double>()->default_value(0),
      "lanczos: relative residual ||Ax - tx|| / |t_1| to reach; 0 = 1e-10 (double), "
      "1e-5 (single)")("lanczos-block", po::value<int>()->default_value(0),
                       "lanczos: vectors per block product; 0 = min(k, 8)")(
      "out", po::value<std::string>()->default_value("spectra.h5"), "output file")(
      "force", po::bool_switch()->default_value(false), "replace an existing output file");
}

spectral::SpectralOptions options_of(const Invocation& inv) {
  spectral::SpectralOptions o;
  o.k = get<int>(inv, "k");
  o.solver = spectral::parse_solver(get<std::string>(inv, "solver"));
  o.transform = spectral::parse_transform(get<std::string>(inv, "transform"));
  o.precision = spectral::parse_precision(get<std::string>(inv, "precision"));
  o.block = get<int>(inv, "block");
  const std::string silent = get<std::string>(inv, "silent");
  NI_REQUIRE(silent == "zero" || silent == "perturb", "--silent: unknown handling '", silent,
             "' (choose zero or perturb)");
  o.silent = silent == "zero" ? spectral::Silent::zero : spectral::Silent::perturb;
  o.seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
  o.tolerance = get<double>(inv, "tolerance");
  o.lanczos_block = get<int>(inv, "lanczos-block");
  NI_REQUIRE(o.k >= 1, "--k ", o.k, ": must be at least 1");
  NI_REQUIRE(o.block >= 1, "--block ", o.block, ": must be positive");
  NI_REQUIRE(o.tolerance >= 0 && o.tolerance < 1, "--tolerance ", o.tolerance,
             ": must be in [0, 1)");
  NI_REQUIRE(o.lanczos_block >= 0, "--lanczos-block ", o.lanczos_block, ": must be >= 0");
  return o;
}

int run(const Invocation& inv) {
  const spectral::SpectralOptions options = options_of(inv);
  const std::string out_path = get<std::string>(inv, "out");
  const bool force = get<bool>(inv, "force");
  h5::check_output_path(out_path, force, "--out");
  const std::string path = get<std::string>(inv, "responses");
  h5::File responses(path, h5::File::Mode::Read, MPI_COMM_WORLD);
  const std::vector<std::string> available = localize::response_sets(responses);
  std::vector<std::string> sets = split_list(get<std::string>(inv, "sets"));
  if (sets.size() == 1 && sets[0] == "all") sets = available;
  NI_REQUIRE(!sets.empty(), path, ": no image sets under /responses");
  for (const auto& s : sets) {
    NI_REQUIRE(std::find(available.begin(), available.end(), s) != available.end(), path,
               ": no image set '", s, "' under /responses (--sets all lists every set)");
    const localize::ResponseDims dims = localize::response_dims(responses, s);
    spectral::check_request(s, dims.neurons, dims.images, options, MPI_COMM_WORLD);
  }

  // Every spectrum is computed before the output file is opened: a set that
  // fails (NaN responses, no convergence) leaves no file behind. The spectra
  // are k columns per set, small beside the correlation matrices.
  std::vector<spectral::Spectrum> spectra;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    say("spectral: set " + std::to_string(i + 1) + "/" + std::to_string(sets.size()) + " " +
        sets[i]);
    spectral::Spectrum s =
        pipeline::spectrum_from_file(responses, sets[i], options, MPI_COMM_WORLD);
    char line[512];
    std::snprintf(line, sizeof line,
                  "  %lld neurons (%lld silent) x %lld images, peak %s per rank: read %.2f s, "
                  "correlation %.2f s, %s %.2f s",
                  static_cast<long long>(s.neurons), static_cast<long long>(s.silent),
                  static_cast<long long>(s.images), dist::format_bytes(s.peak_bytes).c_str(),
                  s.read_seconds, s.correlation_seconds,
                  spectral::solver_name(options.solver).c_str(), s.solver_seconds);
    say(line);
    if (options.solver == spectral::Solver::lanczos) {
      std::snprintf(line, sizeof line, "  lanczos: %d products, %d restarts, residual %.1e",
                    s.products, s.restarts, s.residual);
      say(line);
    }
    std::ostringstream top;
    top << "  top eigenvalues:";
    for (Eigen::Index j = 0; j < std::min<Eigen::Index>(5, s.eigenvalues.size()); ++j) {
      top << " " << s.eigenvalues[j];
    }
    say(top.str());
    spectra.push_back(std::move(s));
  }
  h5::Output output(out_path, force, MPI_COMM_WORLD);
  h5::write_provenance(output.file(), inv.command_line, inv.options_text);
  for (const auto& s : spectra) spectral::write_spectrum(output.file(), s, options);
  output.commit();
  return 0;
}

}  // namespace

Command spectral_command() {
  Command c;
  c.name = "spectral";
  c.summary =
      "top-k eigenpairs of each image set's |response correlation| matrix (block-cyclic, "
      "Lanczos/ELPA/ScaLAPACK)";
  c.add_options = add_options;
  c.run = run;
  return c;
}

}  // namespace netinfer::cli
