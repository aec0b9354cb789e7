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

// A square cost matrix computed on demand, for problems whose n x n floats
// would not fit in memory: fill(i, begin, end, out) writes cost(i, j) for
// j in [begin, end) to out[j - begin], the same values every time.
class RowCosts {
 public:
  virtual ~RowCosts() = default;
  virtual std::int64_t size() const = 0;
  virtual void fill(std::int64_t i, std::int64_t begin, std::int64_t end, float* out) const = 0;
};

// The same solver reading rows from `costs` (slower: every read computes).
std::vector<int> solve_assignment(const RowCosts& costs);

// Bytes solve_assignment allocates beside the cost matrix for an n x n problem.
std::uint64_t assignment_workspace_bytes(std::int64_t n);

}  // namespace netinfer::localize
