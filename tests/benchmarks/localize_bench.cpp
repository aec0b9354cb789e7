// The localisation stages after the features, on real LeNet features: for each
// feature set stored in a `netinfer localize` results file, trains the bank on
// the perfect split, then times the confidence matrix and the assignment
// (the targets: <= 2 s and <= 3 s on every LeNet confidence matrix).
// The assignment's total cost is printed so that solver changes can be
// checked for an unchanged optimum.
//
//   mpirun -np 2 build/tests/benchmarks/localize_bench --results out/results.h5
#include <mpi.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/assignment.hpp"
#include "netinfer/localize/bank.hpp"
#include "netinfer/localize/confidence.hpp"
#include "netinfer/localize/split.hpp"
#include "netinfer/net/architecture.hpp"

namespace {

using namespace netinfer;
namespace po = boost::program_options;

int run(int argc, char** argv) {
  po::options_description desc("localize_bench options");
  desc.add_options()("results", po::value<std::string>()->required(),
                     "results file of `netinfer localize` (features under /localize/perfect)")(
      "repeat", po::value<int>()->default_value(1), "times each matrix is built and solved")(
      "on-demand", po::bool_switch(),
      "also solve with costs computed on demand (the path for matrices too large to store)");
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, desc), vm);
  po::notify(vm);
  const std::string path = vm["results"].as<std::string>();
  const int repeat = vm["repeat"].as<int>();
  const bool on_demand = vm["on-demand"].as<bool>();

  const net::Architecture arch = net::Architecture::lenet();
  const localize::Split split = localize::perfect_split(arch, net::Recording(arch));
  std::vector<std::int64_t> locations = split.test;
  std::vector<std::int64_t> tests = split.test;  // shuffled as localize() does
  Stream rng(1, purpose_id("test-shuffle"), 0);
  for (std::size_t i = tests.size() - 1; i > 0; --i) std::swap(tests[i], tests[rng.below(i + 1)]);

  const h5::File file(path, h5::File::Mode::Read);
  if (mpi_rank() == 0)
    std::printf("%-10s %8s %8s %12s %12s %16s%s\n", "set", "features", "bank s", "confidence s",
                "assignment s", "total cost", on_demand ? "  on demand s       total cost" : "");
  for (const std::string set : {"GAUSSIAN", "MNIST", "trMNIST", "IMPULSE", "CONCAT"}) {
    const std::string g = "/localize/perfect/" + set + "/features";
    if (!file.exists(g)) continue;
    const auto shape = file.dims(g);
    const auto values = file.read<double>(g);
    const localize::RowMatrix features =
        Eigen::Map<const localize::RowMatrix>(values.data(), shape[0], shape[1]);
    localize::BankOptions options;
    Stopwatch b;
    const auto bank = localize::run_bank(arch, net::Recording(arch), features, split.train, tests,
                                         options, MPI_COMM_WORLD);
    const double bank_s = b.seconds();
    if (mpi_rank() != 0) continue;
    double conf_s = 1e300, assign_s = 1e300, demand_s = 1e300, total = 0, demand_total = 0;
    for (int r = 0; r < repeat; ++r) {
      Stopwatch c;
      const localize::ConfidenceTables tables(arch, bank, locations, 1e-3);
      const auto cost = tables.dense();
      conf_s = std::min(conf_s, c.seconds());
      Stopwatch a;
      const auto column = localize::solve_assignment(cost);
      assign_s = std::min(assign_s, a.seconds());
      total = 0;
      for (std::size_t i = 0; i < column.size(); ++i) total += cost(i, column[i]);
      if (!on_demand) continue;
      Stopwatch o;
      const auto computed = localize::solve_assignment(tables);
      demand_s = std::min(demand_s, o.seconds());
      demand_total = 0;
      for (std::size_t i = 0; i < computed.size(); ++i) demand_total += cost(i, computed[i]);
    }
    std::printf("%-10s %8lld %8.2f %12.2f %12.2f %16.6f", set.c_str(),
                static_cast<long long>(shape[1]), bank_s, conf_s, assign_s, total);
    if (on_demand) std::printf(" %12.2f %16.6f", demand_s, demand_total);
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();  // as netinfer does
  MPI_Init(&argc, &argv);
  int rc = 0;
  try {
    rc = run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "localize_bench: %s\n", e.what());
    rc = 1;
  }
  MPI_Finalize();
  return rc;
}
