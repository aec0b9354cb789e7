#include "netinfer/localize/localize.hpp"

#include <algorithm>
#include <optional>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/localize/confidence.hpp"

namespace netinfer::localize {

namespace {

void broadcast(std::vector<double>& v, MPI_Comm comm) {
  std::int64_t n = static_cast<std::int64_t>(v.size());
  NI_MPI(MPI_Bcast(&n, 1, MPI_INT64_T, 0, comm));
  v.resize(n);
  NI_MPI(MPI_Bcast(v.data(), static_cast<int>(n), MPI_DOUBLE, 0, comm));
}

void broadcast(std::vector<int>& v, MPI_Comm comm) {
  std::int64_t n = static_cast<std::int64_t>(v.size());
  NI_MPI(MPI_Bcast(&n, 1, MPI_INT64_T, 0, comm));
  v.resize(n);
  NI_MPI(MPI_Bcast(v.data(), static_cast<int>(n), MPI_INT, 0, comm));
}

// Rank 0 scores; the others receive the same numbers.
void broadcast(Score& s, MPI_Comm comm) {
  std::vector<double> scalars = {s.overall, s.active, s.silent, s.overall_symmetric};
  broadcast(scalars, comm);
  s.overall = scalars[0];
  s.active = scalars[1];
  s.silent = scalars[2];
  s.overall_symmetric = scalars[3];
  for (auto* v : {&s.layer, &s.layer_active, &s.layer_silent, &s.layer_symmetric})
    broadcast(*v, comm);
  broadcast(s.distance, comm);
  broadcast(s.distance_symmetric, comm);
}

}  // namespace

LocalizeResult localize(const net::Graph& graph, const RowMatrix& features,
                        const std::vector<std::uint8_t>& silent, const Split& split,
                        const LocalizeOptions& options, MPI_Comm comm) {
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
  for (auto n : r.tests) r.silent.push_back(silent[n]);

  Stopwatch clock;
  const BankOutput bank = run_bank(arch, features, split.train, r.tests, options.bank, comm);
  r.bank_seconds = clock.seconds();

  std::vector<int> column;
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
    column = cost ? solve_assignment(*cost) : solve_assignment(tables);
    r.assignment_seconds = a.seconds();
  }
  broadcast(column, comm);
  for (int c : column) r.assigned.push_back(locations[c]);
  Stopwatch s;
  if (mpi_rank(comm) == 0)
    r.score = score_assignment(graph, r.tests, r.assigned, r.silent, split.train);
  broadcast(r.score, comm);
  r.score_seconds = s.seconds();
  std::vector<double> times = {r.confidence_seconds, r.assignment_seconds};
  broadcast(times, comm);
  r.confidence_seconds = times[0];
  r.assignment_seconds = times[1];
  return r;
}

}  // namespace netinfer::localize
