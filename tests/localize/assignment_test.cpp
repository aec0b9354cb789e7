#include "netinfer/localize/assignment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "localize/hungarian.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::localize {

namespace {

double total(const CostMatrix& c, const std::vector<int>& col) {
  double s = 0;
  for (int i = 0; i < c.rows(); ++i) s += c(i, col[i]);
  return s;
}

bool is_permutation(std::vector<int> col) {
  std::sort(col.begin(), col.end());
  for (int i = 0; i < static_cast<int>(col.size()); ++i) {
    if (col[i] != i) return false;
  }
  return true;
}

// Random costs; `levels` > 0 draws integers in [0, levels) to force many ties,
// the regime of confidence matrices with shared classifier outputs.
CostMatrix random_costs(int n, std::uint64_t seed, int levels) {
  Stream s(seed, purpose_id("assignment-test"), n);
  CostMatrix c(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j)
      c(i, j) = static_cast<float>(levels > 0 ? double(s.below(levels)) : s.normal());
  }
  return c;
}

// A stored matrix served as costs computed on demand.
class MatrixRows : public RowCosts {
 public:
  explicit MatrixRows(const CostMatrix& c) : c_(c) {}
  std::int64_t size() const override { return c_.rows(); }
  void fill(std::int64_t i, std::int64_t begin, std::int64_t end, float* out) const override {
    std::copy(&c_(i, begin), &c_(i, 0) + end, out);
  }

 private:
  const CostMatrix& c_;
};

}  // namespace

TEST(Assignment, ExactAgainstBruteForceOnSmallMatrices) {
  for (int n = 1; n <= 7; ++n) {
    for (int levels : {0, 2, 5}) {
      for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const CostMatrix c = random_costs(n, seed * 31 + levels, levels);
        std::vector<int> perm(n);
        std::iota(perm.begin(), perm.end(), 0);
        double best = 1e300;
        do best = std::min(best, total(c, perm));
        while (std::next_permutation(perm.begin(), perm.end()));
        const auto col = solve_assignment(c);
        ASSERT_TRUE(is_permutation(col));
        EXPECT_NEAR(total(c, col), best, 1e-9) << "n=" << n << " levels=" << levels;
      }
    }
  }
}

TEST(Assignment, AgreesWithHungarianOn300x300) {
  for (int levels : {0, 3, 50}) {
    const CostMatrix c = random_costs(300, 7 + levels, levels);
    const auto col = solve_assignment(c);
    const auto ref = testing::hungarian(c.cast<double>());
    ASSERT_TRUE(is_permutation(col));
    ASSERT_TRUE(is_permutation(ref));
    EXPECT_NEAR(total(c, col), total(c, ref), 1e-8 * (1 + std::abs(total(c, ref))))
        << "levels=" << levels;
  }
}

// Identical columns, like the confidence columns of LeNet's linear layers
// (families that no classifier can tell apart), on top of quantised costs.
TEST(Assignment, AgreesWithHungarianWithIdenticalColumns) {
  CostMatrix c = random_costs(300, 11, 20);
  for (int j = 1; j < 60; ++j) c.col(j) = c.col(0);
  const auto col = solve_assignment(c);
  const auto ref = testing::hungarian(c.cast<double>());
  ASSERT_TRUE(is_permutation(col));
  EXPECT_NEAR(total(c, col), total(c, ref), 1e-8 * (1 + std::abs(total(c, ref))));
}

// Costs shaped like confidence matrices: each column is a location (layer,
// x, y) and each row adds per-row table entries for them, quantised like
// forest votes, so rows are full of plateaus and the solver's block bounds
// skip most of each row. 700 columns span 22 blocks with a partial last one.
TEST(Assignment, AgreesWithHungarianOnSeparableQuantisedCosts) {
  const int n = 700, layers = 5, width = 12;
  Stream s(3, purpose_id("assignment-separable"), n);
  CostMatrix c(n, n);
  for (int i = 0; i < n; ++i) {
    std::vector<double> layer(layers), x(width), y(width);
    for (auto* table : {&layer, &x, &y}) {
      for (double& t : *table) t = -std::log((s.below(100) + 0.1) / 100.1);
    }
    for (int j = 0; j < n; ++j) {
      const int l = j * layers / n, within = j % (width * width);
      c(i, j) = static_cast<float>(layer[l] + x[within / width] + y[within % width]);
    }
  }
  const auto col = solve_assignment(c);
  const auto ref = testing::hungarian(c.cast<double>());
  ASSERT_TRUE(is_permutation(col));
  EXPECT_NEAR(total(c, col), total(c, ref), 1e-9 * std::abs(total(c, ref)));
}

// The solver over RowCosts is the same algorithm reading the same floats: the
// same assignment, not only the same total.
TEST(Assignment, ComputedRowsGiveTheStoredAnswer) {
  for (int levels : {0, 3, 50}) {
    for (int n : {1, 31, 33, 300}) {
      const CostMatrix c = random_costs(n, 17 + levels, levels);
      EXPECT_EQ(solve_assignment_by_rows(MatrixRows(c)), solve_assignment(c))
          << "n=" << n << " levels=" << levels;
    }
  }
}

// The sparse solver returns the dense solver's optimum; with 1 or 2
// candidates per row the graph misses it often, so the price check, the
// added edges, the paths over full rows and the fallback are exercised (counted, so that the test
// fails if they never run).
TEST(Assignment, SparseSolverFindsTheDenseOptimum) {
  int rounds = 0, rerouted = 0, fell_back = 0;
  for (int levels : {0, 3, 50}) {
    for (int n : {1, 2, 31, 33, 300}) {
      for (int candidates : {1, 2, 16}) {
        const CostMatrix c = random_costs(n, 23 + levels + n, levels);
        SparseStats stats;
        // Half the cases never give up, so that the rounds and the paths over
        // full rows run on these small, hard matrices too.
        const SparseOptions options{candidates, levels == 3 ? 0.5 : 1.0};
        const auto col = solve_assignment(MatrixRows(c), options, &stats);
        const auto ref = solve_assignment(c);
        ASSERT_TRUE(is_permutation(col));
        EXPECT_NEAR(total(c, col), total(c, ref), 1e-9 * (1 + std::abs(total(c, ref))))
            << "n=" << n << " levels=" << levels << " candidates=" << candidates;
        rounds += stats.rounds > 1;
        rerouted += stats.rerouted > 0;
        fell_back += stats.fell_back;
      }
    }
  }
  EXPECT_GT(rounds, 0);
  EXPECT_GT(rerouted, 0);
  EXPECT_GT(fell_back, 0);
}

// Adversarial: every row's cheapest columns are the same few (0 .. 3), so
// the candidate graph holds almost none of the optimum's edges: the price
// check must find them.
// Row i's cost at column j >= 4 is a smooth |i - j| term, so the optimum is
// near the diagonal shifted by the four crowded columns.
TEST(Assignment, SparseSolverRecoversEdgesTheCandidatesMiss) {
  const int n = 200;
  CostMatrix c(n, n);
  Stream s(5, purpose_id("assignment-adversarial"), n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      c(i, j) = j < 4 ? static_cast<float>(0.01 * s.uniform())
                      : static_cast<float>(1 + 0.01 * std::abs(i - j + 7) + (i < 4 ? 0 : 0.5));
    }
  }
  SparseStats stats;
  const auto col = solve_assignment(MatrixRows(c), SparseOptions{4, 1.0}, &stats);
  const auto ref = testing::hungarian(c.cast<double>());
  ASSERT_TRUE(is_permutation(col));
  EXPECT_NEAR(total(c, col), total(c, ref), 1e-9 * std::abs(total(c, ref)));
  EXPECT_GT(stats.rounds, 1);
}

TEST(Assignment, MaximisesLogConfidenceWhenNegated) {
  // A planted identity: row i strongly prefers column (i * 7) % n.
  const int n = 50;
  CostMatrix logp = CostMatrix::Constant(n, n, std::log(1e-3f));
  for (int i = 0; i < n; ++i) logp(i, (i * 7) % n) = std::log(0.9f);
  const auto col = solve_assignment(-logp);
  for (int i = 0; i < n; ++i) EXPECT_EQ(col[i], (i * 7) % n);
}

TEST(Assignment, RejectsNonSquareAndNonFinite) {
  EXPECT_THROW(solve_assignment(CostMatrix::Zero(3, 4)), Error);
  CostMatrix c = CostMatrix::Zero(3, 3);
  c(1, 2) = std::numeric_limits<float>::infinity();
  EXPECT_THROW(solve_assignment(c), Error);
  c(1, 2) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(solve_assignment(c), Error);
  c(1, 2) = -std::numeric_limits<float>::infinity();
  EXPECT_THROW(solve_assignment(c), Error);
}

}  // namespace netinfer::localize
