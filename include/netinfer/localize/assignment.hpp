// The linear assignment of test neurons to test locations (000 §5.1, step 5):
// the one-to-one assignment of maximal total log-confidence, i.e. minimal total
// cost = -log-confidence. The paper used the Hungarian algorithm; we use the
// Jonker–Volgenant shortest-augmenting-path method (LAPJV), which finds the
// same optimum and is much faster on dense 10,000 x 10,000 matrices.
#pragma once

#include <cstdint>
#include <vector>

#include "netinfer/localize/matrix.hpp"

namespace netinfer::localize {

// For a square cost matrix, returns column[i] for every row i such that the
// total cost sum_i cost(i, column[i]) is minimal. Costs must be finite.
std::vector<int> solve_assignment(const CostMatrix& cost);

// Columns per block of a row (the unit of the solvers' lower bounds).
inline constexpr int kCostBlock = 32;

// A square cost matrix computed on demand, for problems whose n x n floats
// would not fit in memory: fill(i, begin, end, out) writes cost(i, j) for
// j in [begin, end) to out[j - begin], the same values every time.
class RowCosts {
 public:
  virtual ~RowCosts() = default;
  virtual std::int64_t size() const = 0;
  virtual void fill(std::int64_t i, std::int64_t begin, std::int64_t end, float* out) const = 0;
  // low[b] <= cost(i, j) for every j of block b (columns [32b, 32b + 32)),
  // for every block. The default reads the whole row (exact minima); a cost
  // with structure overrides it with something cheaper than the row.
  virtual void block_bounds(std::int64_t i, float* low) const;
};

// The sparse solver's knobs: each row's `candidates` cheapest columns form
// the graph; when more than `give_up` of the rows still fail the price check
// after the rounds, it solves by rows instead.
struct SparseOptions {
  int candidates = 32;
  double give_up = 0.5;
};

// What the sparse solver did (for benchmarks and tests).
struct SparseStats {
  int rounds = 0;             // solves of the graph (1 if the first price check passed)
  std::int64_t edges = 0;     // candidate edges at the end
  std::int64_t added = 0;     // edges added by failed price checks
  std::int64_t rerouted = 0;  // rows still failing after the rounds, solved over full rows
  bool fell_back = false;     // more than give_up of the rows failed the last check: by rows
};

// The optimum of the same problem without reading every row: LAPJV on a
// sparse candidate graph (each row's cheapest columns, found through
// block_bounds, equal costs in a per-row pseudo-random order, plus edge
// (i, i), so that a perfect matching exists), then a check of the dual prices
// against every cost (again through block_bounds): a failing row's cheapest
// outside edges join the graph and it is solved again, for up to 4 rounds;
// rows still failing are freed and given shortest augmenting paths over their
// full rows (augment_by_rows). The result is LAPJV's optimum of the full
// matrix. If more than options.give_up of the rows still fail then, the
// graph is given up and every row is solved by solve_assignment_by_rows.
std::vector<int> solve_assignment(const RowCosts& costs, const SparseOptions& options = {},
                                  SparseStats* stats = nullptr);

// LAPJV's last phase over rows computed on demand (block bounds from
// costs.block_bounds): a shortest augmenting path for each of `free_rows`.
// Every assigned row must hold a column of minimal reduced cost
// cost(i, j) - v[j] over its whole row; the phase keeps that.
void augment_by_rows(const RowCosts& costs, std::vector<int>& row_sol, std::vector<int>& col_sol,
                     std::vector<double>& v, const std::vector<int>& free_rows);

// LAPJV reading every row from `costs` (the same algorithm as for a stored
// matrix, the same answer, slower: every read computes; its block minima
// take n^2 / 32 floats). The previous on-demand path, kept for comparison
// (assignment_bench).
std::vector<int> solve_assignment_by_rows(const RowCosts& costs);

// Bytes solve_assignment allocates beside the cost matrix for an n x n
// problem (the dense solver, and solve_assignment_by_rows).
std::uint64_t assignment_workspace_bytes(std::int64_t n);

// Bytes the sparse solver allocates at most for an n x n problem besides the
// costs (its graph, or its fallback's workspace).
std::uint64_t sparse_assignment_bytes(std::int64_t n, const SparseOptions& options = {});

}  // namespace netinfer::localize
