#include "netinfer/localize/localize.hpp"

#include <algorithm>
#include <optional>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/localize/confidence.hpp"
#include "netinfer/localize/result_io.hpp"

namespace netinfer::localize {

LocalizeResult localize(const net::Graph& graph, const net::Recording& recording,
                        const RowMatrix& features, const std::vector<std::uint8_t>& silent,
                        const Split& split, const LocalizeOptions& options, MPI_Comm comm) {
  const auto& arch = graph.architecture();
  NI_REQUIRE(!split.train.empty() && !split.test.empty(), "split ", split.name,
             " has no training or no test neurons");
  LocalizeResult r;
  // No leak of the answer: the bank and the solver see test neurons in a
  // seeded random order, so ties (e.g. LINEAR families) cannot be broken by
  // the true order.
  // Columns: the test locations in neuron order (the caller's order must not matter).
  std::vector<std::int64_t> locations = split.test;
  std::sort(locations.begin(), locations.end());
  r.tests = locations;
  Stream rng(options.seed, purpose_id("test-shuffle"), 0);
  for (std::size_t i = r.tests.size() - 1; i > 0; --i)
    std::swap(r.tests[i], r.tests[rng.below(i + 1)]);
  NI_REQUIRE(static_cast<std::int64_t>(silent.size()) == recording.size(), "silent mask of ",
             silent.size(), " for ", recording.size(), " recorded neurons");
  for (auto n : r.tests) {
    const std::int64_t row = recording.row(n);
    NI_REQUIRE(row >= 0, "split ", split.name, ": test neuron ", n, " is not recorded");
    r.silent.push_back(silent[row]);
  }

  Stopwatch clock;
  const BankOutput bank =
      run_bank(arch, recording, features, split.train, r.tests, options.bank, comm);
  r.bank_seconds = clock.seconds();

  // Rank 0 solves and scores; the others receive the same result.
  if (mpi_rank(comm) == 0) {
    Stopwatch c;
    const ConfidenceTables tables(arch, bank, locations, options.prior_weight);
    const bool stored =
        options.costs == CostStorage::stored ||
        (options.costs == CostStorage::automatic &&
         store_dense_costs(static_cast<std::int64_t>(locations.size()), dist::available_bytes()));
    std::optional<CostMatrix> cost;
    if (stored) {
      cost = tables.dense();
    } else {
      say("  assignment: costs computed on demand (a dense " + std::to_string(locations.size()) +
          "^2 float matrix would not fit)");
    }
    r.confidence_seconds = c.seconds();
    Stopwatch a;
    const std::vector<int> column = cost ? solve_assignment(*cost) : solve_assignment(tables);
    r.assignment_seconds = a.seconds();
    for (int j : column) r.assigned.push_back(locations[j]);
    Stopwatch s;
    r.score = score_assignment(graph, r.tests, r.assigned, r.silent, split.train);
    r.score_seconds = s.seconds();
  }
  broadcast_result(r, comm);
  return r;
}

}  // namespace netinfer::localize
