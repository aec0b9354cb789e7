// Algorithm 1 of 000 for one feature set and one split: shuffle the test
// neurons (nothing downstream may see their true order), train the bank,
// build the confidence matrix, solve the assignment, score it.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <vector>

#include "netinfer/localize/bank.hpp"
#include "netinfer/localize/score.hpp"
#include "netinfer/localize/split.hpp"

namespace netinfer::localize {

// How the assignment reads the confidence costs (confidence.hpp): a stored
// dense matrix, computed on demand, or stored when it fits (store_dense_costs).
enum class CostStorage { automatic, stored, computed };

struct LocalizeOptions {
  BankOptions bank;
  double prior_weight = 1e-3;  // see confidence.hpp
  std::uint64_t seed = 1;      // the test-neuron shuffle
  CostStorage costs = CostStorage::automatic;
};

struct LocalizeResult {
  std::vector<std::int64_t> tests;     // test neurons in the shuffled order the bank saw
  std::vector<std::int64_t> assigned;  // the location assigned to tests[i]
  std::vector<std::uint8_t> silent;    // silent flag of tests[i]
  Score score;
  double bank_seconds = 0, confidence_seconds = 0, assignment_seconds = 0, score_seconds = 0;
};

// Collective; every rank returns the same result. features and silent: one
// row per recorded neuron; the split's neurons are recorded ones.
LocalizeResult localize(const net::Graph& graph, const net::Recording& recording,
                        const RowMatrix& features, const std::vector<std::uint8_t>& silent,
                        const Split& split, const LocalizeOptions& options, MPI_Comm comm);

}  // namespace netinfer::localize
