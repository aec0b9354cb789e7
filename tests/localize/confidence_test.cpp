#include "netinfer/localize/confidence.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "netinfer/core/random.hpp"

#include <algorithm>

namespace netinfer::localize {

// A hand-worked case of eq. (1) on "input 1x2x2; linear 2 softmax".
TEST(Confidence, HandWorkedCombination) {
  const auto a = net::Architecture::parse("input 1x2x2; linear 2 softmax");
  // Test locations: INPUT (x0,y0), INPUT (x1,y1), LINEARSOFT family 1.
  const std::vector<std::int64_t> locations = {0, 3, 5};
  BankOutput b;
  b.layer = RowMatrix(3, 2);
  b.layer << 0.9, 0.1,  //
      0.5, 0.5,         //
      0.0, 1.0;
  b.family.resize(2);
  b.x.resize(2);
  b.y.resize(2);
  b.x[0] = RowMatrix(3, 2);
  b.x[0] << 1.0, 0.0, 0.25, 0.75, 0.5, 0.5;
  b.y[0] = RowMatrix(3, 2);
  b.y[0] << 0.8, 0.2, 0.0, 1.0, 0.5, 0.5;
  const double w = 0.1;
  const CostMatrix cost = ConfidenceTables(a, b, locations, w).dense();
  auto lp = [&](double p, int classes) { return std::log((1 - w) * p + w / classes); };
  // Neuron 0 at INPUT (0,0): layer 0.9, x 1.0, y 0.8; family degenerate (1).
  EXPECT_NEAR(cost(0, 0), -(lp(0.9, 2) + lp(1.0, 2) + lp(0.8, 2)), 1e-6);
  // Neuron 1 at INPUT (1,1): layer 0.5, x 0.75, y 1.0.
  EXPECT_NEAR(cost(1, 1), -(lp(0.5, 2) + lp(0.75, 2) + lp(1.0, 2)), 1e-6);
  // Neuron 2 at LINEARSOFT: layer 1.0, family 1/k with k = 1 test location there.
  EXPECT_NEAR(cost(2, 2), -lp(1.0, 2), 1e-6);
  // Neuron 0 at LINEARSOFT: layer probability 0.1, nothing else.
  EXPECT_NEAR(cost(0, 2), -lp(0.1, 2), 1e-6);
  // A zero probability stays finite thanks to the prior.
  EXPECT_NEAR(cost(1, 0), -(lp(0.5, 2) + lp(0.25, 2) + lp(0.0, 2)), 1e-6);
  EXPECT_TRUE(cost.allFinite());
}

TEST(Confidence, LinearFamilyProbabilityIsOneOverTestCount) {
  const auto a = net::Architecture::parse("input 1x2x2; linear 4 softmax");
  const std::vector<std::int64_t> locations = {4, 6, 7};  // three LINEARSOFT families
  BankOutput b;
  b.layer = RowMatrix::Constant(3, 2, 0.5);
  b.family.resize(2);
  b.x.resize(2);
  b.y.resize(2);
  const CostMatrix cost = ConfidenceTables(a, b, locations, 0.5).dense();
  EXPECT_NEAR(cost(0, 0), -(std::log(0.5 * 0.5 + 0.25) + std::log(1.0 / 3)), 1e-6);
  EXPECT_DOUBLE_EQ(cost(1, 0), cost(1, 2));  // families tie: nothing distinguishes them
}

// Any range of a row, within a layer or across layers, equals the dense
// matrix's entries (the solver reads blocks of 32 columns on demand).
TEST(Confidence, RangesOnDemandEqualTheDenseMatrix) {
  const auto a = net::Architecture::parse("input 1x4x4; conv 2 3 ramp; linear 3 softmax");
  std::vector<std::int64_t> locations;
  for (std::int64_t n = 0; n < a.neuron_count(); n += 2) locations.push_back(n);
  const auto t = static_cast<Eigen::Index>(locations.size());
  Stream s(5, purpose_id("confidence-ranges"), 0);
  auto probabilities = [&](Eigen::Index cols) {
    RowMatrix p(t, cols);
    for (Eigen::Index i = 0; i < p.size(); ++i) p.data()[i] = s.uniform();
    return p;
  };
  BankOutput b;
  b.layer = probabilities(a.layer_count());
  b.family.resize(a.layer_count());
  b.x.resize(a.layer_count());
  b.y.resize(a.layer_count());
  for (int l = 0; l < a.layer_count(); ++l) {
    if (!a.spatial(l)) continue;
    if (l > 0) b.family[l] = probabilities(a.shape(l).families);
    b.x[l] = probabilities(a.shape(l).width);
    b.y[l] = probabilities(a.shape(l).height);
  }
  const ConfidenceTables tables(a, b, locations, 0.01);
  const CostMatrix dense = tables.dense();
  std::vector<float> out(t);
  for (std::int64_t i = 0; i < t; ++i) {
    for (std::int64_t begin = 0; begin < t; begin += 3) {
      for (std::int64_t end = begin + 1; end <= t; end += 5) {
        tables.fill(i, begin, end, out.data());
        for (std::int64_t j = begin; j < end; ++j) ASSERT_EQ(out[j - begin], dense(i, j));
      }
    }
  }
}

namespace {

// Bank output for `tests` test neurons of `a`: every probability a multiple of
// 1/`votes` (like a forest's), so rows are full of equal costs.
BankOutput quantised_bank(const net::Architecture& a, Eigen::Index tests, int votes,
                          std::uint64_t seed) {
  Stream s(seed, purpose_id("confidence-quantised"), 0);
  auto probabilities = [&](Eigen::Index cols) {
    RowMatrix p = RowMatrix::Zero(tests, cols);
    for (Eigen::Index i = 0; i < tests; ++i) {
      for (int v = 0; v < votes; ++v) p(i, s.below(cols)) += 1.0 / votes;
    }
    return p;
  };
  BankOutput b;
  b.layer = probabilities(a.layer_count());
  b.family.resize(a.layer_count());
  b.x.resize(a.layer_count());
  b.y.resize(a.layer_count());
  for (int l = 0; l < a.layer_count(); ++l) {
    if (!a.spatial(l)) continue;
    if (l > 0) b.family[l] = probabilities(a.shape(l).families);
    b.x[l] = probabilities(a.shape(l).width);
    b.y[l] = probabilities(a.shape(l).height);
  }
  return b;
}

double total(const CostMatrix& c, const std::vector<int>& col) {
  double t = 0;
  for (Eigen::Index i = 0; i < c.rows(); ++i) t += c(i, col[i]);
  return t;
}

}  // namespace

// The product-form bounds of each block of 32 columns are no larger than any
// of the block's entries (floats, as the solver compares them), and exact
// for a good share of blocks (a block within one family and row of the layer
// is bounded by its best x alone).
TEST(Confidence, BlockBoundsBoundEveryEntry) {
  const auto a = net::Architecture::parse(
      "input 1x10x10; conv 4 3 ramp; maxpool 2; linear 20 ramp; linear 5 softmax");
  std::vector<std::int64_t> locations;
  Stream pick(9, purpose_id("confidence-bounds"), 0);
  for (std::int64_t n = 0; n < a.neuron_count(); ++n) {
    if (pick.uniform() < 0.6) locations.push_back(n);
  }
  const auto t = static_cast<Eigen::Index>(locations.size());
  const ConfidenceTables tables(a, quantised_bank(a, t, 5, 2), locations, 0.01);
  const CostMatrix dense = tables.dense();
  const Eigen::Index blocks = (t + kCostBlock - 1) / kCostBlock;
  std::vector<float> low(blocks);
  int exact = 0;
  for (Eigen::Index i = 0; i < t; ++i) {
    tables.block_bounds(i, low.data());
    for (Eigen::Index b = 0; b < blocks; ++b) {
      const Eigen::Index begin = b * kCostBlock,
                         count = std::min<Eigen::Index>(kCostBlock, t - begin);
      const float lowest = dense.row(i).segment(begin, count).minCoeff();
      ASSERT_LE(low[b], lowest) << "row " << i << " block " << b;
      exact += low[b] == lowest;
    }
  }
  EXPECT_GT(exact, t * blocks / 5);
}

// The sparse solver on the tables (their bounds, not the rows) finds the
// dense solver's optimum, with few candidates (rows fail the price check) and
// many.
TEST(Confidence, SparseSolveOfTheTablesIsTheDenseOptimum) {
  const auto a = net::Architecture::parse(
      "input 1x12x12; conv 6 5 ramp; maxpool 2; linear 30 ramp; linear 10 softmax");
  std::vector<std::int64_t> locations;
  for (std::int64_t n = 0; n < a.neuron_count(); n += 2) locations.push_back(n);
  const auto t = static_cast<Eigen::Index>(locations.size());
  for (int votes : {4, 100}) {
    const ConfidenceTables tables(a, quantised_bank(a, t, votes, votes), locations, 1e-3);
    const CostMatrix dense = tables.dense();
    const double best = total(dense, solve_assignment(dense));
    for (int candidates : {1, 4, 16}) {
      SparseStats stats;
      const auto col = solve_assignment(tables, SparseOptions{candidates, 1.0}, &stats);
      std::vector<int> sorted = col;
      std::sort(sorted.begin(), sorted.end());
      for (Eigen::Index j = 0; j < t; ++j) ASSERT_EQ(sorted[j], j);
      EXPECT_NEAR(total(dense, col), best, 1e-9 * best)
          << "votes " << votes << " candidates " << candidates;
      if (candidates == 1) EXPECT_GT(stats.rounds, 1);
    }
  }
}

}  // namespace netinfer::localize
