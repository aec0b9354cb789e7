// The spectral stage's figures, printed as a table (run under mpirun; every
// rank takes part, rank 0 prints):
//   - plain DGEMM / SGEMM rate of every rank at once (the machine's ceiling);
//   - the correlation stage (standardise + PDSYRK + abs) in double and single,
//     its GFLOP/s (n(n+1)m flops) and its fraction of the GEMM rate, per wall
//     second and per CPU second (the fair ratio when other jobs share the
//     machine);
//   - every eigensolver's time for each k (also on the single-precision matrix
//     with --single), and its agreement with ELPA 2-stage
//     (max relative eigenvalue difference, max eigenvector difference after
//     the sign rule);
//   - peak resident memory per rank.
// Responses come from a responses file (--responses, --set) or are
// synthesised: a ramp of a random 5x5 filter of GAUSSIAN 28x28 images per
// neuron, at a position spread over the image (spatially local correlations
// like LeNet's under GAUSSIAN input). Dense solvers are skipped above
// --dense-max-n (ELPA grows as n^3: run it at smaller n for the growth).
//
//   OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 mpirun -np 2
//     build/tests/benchmarks/spectral_bench --n 19694 --m 10000 --k 16,40
#include <mpi.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/lapack.hpp"
#include "netinfer/dist/read_matrix.hpp"
#include "netinfer/spectral/correlation.hpp"
#include "netinfer/spectral/eigensolver.hpp"

namespace {

using namespace netinfer;
namespace po = boost::program_options;

// CPU seconds of this process, summed over ranks by total_cpu.
double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
double total_cpu(double mine) {
  double all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return all;
}

// GFLOP/s of all ranks together, per wall-clock second and per CPU second.
struct Rate {
  double wall = 0, cpu = 0;
};

// Times f() on every rank at once; `seconds` gets the wall-clock time and
// `cpu_per_rank` the CPU time of the busiest rank (what the wall-clock time
// would be on an otherwise idle machine, for compute-bound work).
template <typename F>
Rate timed(double flops, F&& f, double* seconds = nullptr, double* cpu_per_rank = nullptr) {
  MPI_Barrier(MPI_COMM_WORLD);
  Stopwatch clock;
  const double cpu = cpu_seconds();
  f();
  double mine = cpu_seconds() - cpu, busiest = 0;
  MPI_Allreduce(&mine, &busiest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  const double used = total_cpu(mine);
  MPI_Barrier(MPI_COMM_WORLD);
  const double wall = clock.seconds();
  if (seconds) *seconds = wall;
  if (cpu_per_rank) *cpu_per_rank = busiest;
  return {flops / wall / 1e9, flops / used / 1e9};
}

// Every rank running an s x s x s GEMM at the same time.
template <typename T>
Rate gemm_rate(int s) {
  std::vector<T> a(static_cast<std::size_t>(s) * s, T(1) / s), b(a), c(a.size());
  const auto run = [&] {
    la::gemm('N', 'N', s, s, s, T(1), a.data(), s, b.data(), s, T(0), c.data(), s);
  };
  run();  // warm up
  return timed(2.0 * s * s * s * mpi_size(), run);
}

// Synthetic responses, images x neurons, block-cyclic.
template <typename T>
dist::BlockCyclic<T> synthetic(const dist::Grid& grid, int n, int m, int mb, int nb) {
  dist::BlockCyclic<T> z(grid, m, n, mb, nb);
  std::vector<double> pixels(784);
  std::vector<std::array<double, 25>> filters(z.local_cols());
  std::vector<int> centre(z.local_cols());
  for (int j = 0; j < z.local_cols(); ++j) {
    const int neuron = z.col_axis().global(j);
    Stream s(1, purpose_id("bench.filter"), neuron);
    for (double& w : filters[j]) w = s.normal();
    centre[j] = static_cast<int>((neuron * 7919L) % 784);
  }
  for (int i = 0; i < z.local_rows(); ++i) {
    Stream s(1, purpose_id("bench.image"), z.row_axis().global(i));
    for (double& p : pixels) p = s.normal();
    for (int j = 0; j < z.local_cols(); ++j) {
      const int cx = centre[j] % 28, cy = centre[j] / 28;
      double drive = 0;
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          const int x = std::clamp(cx + dx, 0, 27), y = std::clamp(cy + dy, 0, 27);
          drive += filters[j][(dy + 2) * 5 + dx + 2] * pixels[y * 28 + x];
        }
      }
      z.local(i, j) = static_cast<T>(std::max(0.0, drive));
    }
  }
  return z;
}

template <typename T>
dist::BlockCyclic<T> copy_of(const dist::BlockCyclic<T>& a) {
  dist::BlockCyclic<T> c(a.grid(), a.rows(), a.cols(), a.mb(), a.nb());
  std::copy(a.data(), a.data() + static_cast<std::size_t>(a.lld()) * a.local_cols(), c.data());
  return c;
}

double peak_resident_gib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  double kib = 0, mine = 0;
  while (in >> key) {
    if (key == "VmHWM:") {
      in >> kib;
      mine = kib / 1048576.0;
    }
  }
  double worst = 0;
  MPI_Allreduce(&mine, &worst, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return worst;
}

template <typename T>
dist::BlockCyclic<T> responses(const dist::Grid& grid, const po::variables_map& vm) {
  const int mb = vm["image-block"].as<int>(), nb = vm["block"].as<int>();
  if (vm.count("responses")) {
    const h5::File file(vm["responses"].as<std::string>(), h5::File::Mode::Read, MPI_COMM_WORLD);
    return dist::read_column_major<T>(file, "/responses/" + vm["set"].as<std::string>() + "/matrix",
                                      grid, mb, nb);
  }
  return synthetic<T>(grid, vm["n"].as<int>(), vm["m"].as<int>(), mb, nb);
}

template <typename T>
spectral::Correlation<T> timed_correlation(const dist::Grid& grid, const po::variables_map& vm,
                                           Rate gemm, const char* label,
                                           spectral::Product product = spectral::Product::blocked) {
  dist::BlockCyclic<T> z = responses<T>(grid, vm);
  const int n = z.cols(), m = z.rows();
  spectral::Correlation<T> c{dist::BlockCyclic<T>(grid, 0, 0, 1, 1), {}};
  double seconds = 0;
  const Rate rate = timed(
      spectral::correlation_flops(n, m),
      [&] {
        spectral::CorrelationOptions o;
        o.product = product;
        c = spectral::correlation(std::move(z), o);
      },
      &seconds);
  char line[320];
  std::snprintf(line, sizeof line,
                "correlation %-6s n %6d m %6d: %7.2f s  %6.1f GFLOP/s = %3.0f%% of %sGEMM's "
                "%.1f; per CPU second %5.1f = %3.0f%% of GEMM's %.1f",
                label, n, m, seconds, rate.wall, 100 * rate.wall / gemm.wall,
                sizeof(T) == sizeof(double) ? "D" : "S", gemm.wall, rate.cpu,
                100 * rate.cpu / gemm.cpu, gemm.cpu);
  say(line);
  return c;
}

template <typename T>
void time_solvers(spectral::Correlation<T>& c, const po::variables_map& vm) {
  const int n = c.matrix.rows();
  for (const std::string& kk : cli::split_list(vm["k"].as<std::string>())) {
    const int k = std::stoi(kk);
    spectral::Eigenpairs reference;
    bool have_reference = false;
    std::vector<std::string> solvers = cli::split_list(vm["solvers"].as<std::string>());
    // ELPA 2-stage first (when it runs) so that the others compare against it.
    std::stable_sort(
        solvers.begin(), solvers.end(),
        [](const std::string& a, const std::string& b) { return a == "elpa2" && b != "elpa2"; });
    struct Run {
      std::string solver;
      int block = 0, basis = 0;  // lanczos only; 0: the defaults
    };
    std::vector<Run> runs;
    for (const std::string& name : solvers) {
      if (name != "lanczos") {
        runs.push_back({name});
        continue;
      }
      for (const std::string& b : cli::split_list(vm["lanczos-block"].as<std::string>())) {
        for (const std::string& m : cli::split_list(vm["lanczos-basis"].as<std::string>())) {
          runs.push_back({name, std::stoi(b), std::stoi(m)});
        }
      }
    }
    for (const auto& [name, block, basis] : runs) {
      spectral::EigenOptions eo;
      eo.solver = spectral::parse_solver(name);
      eo.k = k;
      eo.block = block;
      eo.max_basis = basis;
      const bool dense = eo.solver != spectral::Solver::lanczos;
      if (dense && n > vm["dense-max-n"].as<int>()) {
        say("  " + name + " k " + kk + ": skipped (n > --dense-max-n)");
        continue;
      }
      spectral::Eigenpairs e;
      double seconds = 0, cpu = 0;
      if (dense) {
        dist::BlockCyclic<T> a = copy_of(c.matrix);
        timed(
            1, [&] { e = spectral::top_eigenpairs(a, eo); }, &seconds, &cpu);
      } else {
        timed(
            1, [&] { e = spectral::top_eigenpairs(c.matrix, eo); }, &seconds, &cpu);
      }
      char line[256];
      std::snprintf(line, sizeof line, "  %-9s n %6d k %3d: %8.2f s (CPU %.2f s per rank)",
                    name.c_str(), n, k, seconds, cpu);
      std::string text = line;
      if (!dense) {
        std::snprintf(
            line, sizeof line, "  block %s, basis %s: %d products, %d restarts, residual %.1e",
            block > 0 ? std::to_string(block).c_str() : "auto",
            basis > 0 ? std::to_string(basis).c_str() : "auto", e.products, e.restarts, e.residual);
        text += line;
      }
      if (have_reference) {
        const double dv =
            ((e.values - reference.values).array().abs() / reference.values.array().abs())
                .maxCoeff();
        const double dx = (e.vectors - reference.vectors).cwiseAbs().maxCoeff();
        std::snprintf(line, sizeof line, "  vs elpa2: eigenvalues %.1e, eigenvectors %.1e", dv, dx);
        text += line;
      } else if (eo.solver == spectral::Solver::elpa2) {
        reference = e;
        have_reference = true;
      }
      say(text);
      if (!dense) {
        std::string top = "    top eigenvalues:";
        for (int i = 0; i < std::min(k, 5); ++i) top += " " + std::to_string(e.values[i]);
        say(top);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rc = 0;
  try {
    po::options_description o("spectral_bench options");
    o.add_options()("n", po::value<int>()->default_value(4000), "neurons (synthetic)")(
        "m", po::value<int>()->default_value(10000), "images (synthetic)")(
        "responses", po::value<std::string>(), "read responses from this file instead")(
        "set", po::value<std::string>()->default_value("GAUSSIAN"), "set in --responses")(
        "k", po::value<std::string>()->default_value("16,40"), "eigenpair counts")(
        "solvers", po::value<std::string>()->default_value("lanczos,elpa2,elpa1,scalapack"),
        "solvers to time")("block", po::value<int>()->default_value(64), "ScaLAPACK block")(
        "image-block", po::value<int>()->default_value(512), "images per product block")(
        "lanczos-block", po::value<std::string>()->default_value("0"),
        "lanczos block sizes to time (0: the default)")(
        "lanczos-basis", po::value<std::string>()->default_value("0"),
        "lanczos basis sizes to time (0: the default)")(
        "dense-max-n", po::value<int>()->default_value(8000), "skip ELPA/ScaLAPACK above this n")(
        "single", po::bool_switch(), "also time the single-precision correlation and solvers")(
        "pdsyrk", po::bool_switch(), "also time the correlation through PBLAS's PDSYRK")(
        "gemm", po::value<int>()->default_value(3000), "size of the reference GEMM");
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, o), vm);
    po::notify(vm);
    const dist::Grid grid(MPI_COMM_WORLD);
    say("spectral_bench: " + std::to_string(mpi_size()) + " ranks, grid " +
        std::to_string(grid.rows()) + " x " + std::to_string(grid.cols()) + ", block " +
        std::to_string(vm["block"].as<int>()) + ", image block " +
        std::to_string(vm["image-block"].as<int>()));
    if (vm["single"].as<bool>()) {
      const Rate sgemm = gemm_rate<float>(vm["gemm"].as<int>());
      spectral::Correlation<float> c = timed_correlation<float>(grid, vm, sgemm, "single");
      say("single-precision solvers:");
      time_solvers(c, vm);
    }
    const Rate dgemm = gemm_rate<double>(vm["gemm"].as<int>());
    if (vm["pdsyrk"].as<bool>()) {
      timed_correlation<double>(grid, vm, dgemm, "PDSYRK", spectral::Product::pdsyrk);
    }
    spectral::Correlation<double> c = timed_correlation<double>(grid, vm, dgemm, "double");
    say("silent neurons: " + std::to_string(std::count(c.silent.begin(), c.silent.end(), 1)));
    time_solvers(c, vm);
    char line[128];
    std::snprintf(line, sizeof line, "peak resident memory per rank: %.2f GiB",
                  peak_resident_gib());
    say(line);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spectral_bench: %s\n", e.what());
    rc = 1;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  return rc;
}
