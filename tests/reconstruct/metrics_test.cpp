#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "netinfer/core/random.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {

// Brute force: every (edge, non-edge) pair, ties counting one half.
double brute_auroc(const std::vector<double>& s, const std::vector<int>& y) {
  double wins = 0, pairs = 0;
  for (std::size_t a = 0; a < s.size(); ++a)
    for (std::size_t b = 0; b < s.size(); ++b)
      if (y[a] == 1 && y[b] == 0) {
        wins += s[a] > s[b] ? 1.0 : s[a] == s[b] ? 0.5 : 0.0;
        pairs += 1;
      }
  return wins / pairs;
}

// Brute force: for each distinct threshold from high to low, count the pairs
// at or above it, and sum precision x recall increase.
double brute_auprc(const std::vector<double>& s, const std::vector<int>& y) {
  std::set<double, std::greater<double>> thresholds(s.begin(), s.end());
  double positives = 0;
  for (int v : y) positives += v;
  double ap = 0, last_recall = 0;
  for (double t : thresholds) {
    double tp = 0, fp = 0;
    for (std::size_t k = 0; k < s.size(); ++k)
      if (s[k] >= t) (y[k] ? tp : fp) += 1;
    const double recall = tp / positives;
    ap += (recall - last_recall) * tp / (tp + fp);
    last_recall = recall;
  }
  return ap;
}

}  // namespace

TEST(Metrics, AurocAndAuprcMatchBruteForceWithTies) {
  for (std::uint64_t trial = 0; trial < 20; ++trial) {
    Stream rng(5, purpose_id("metrics"), trial);
    const int n = 3 + static_cast<int>(rng.below(9));
    Eigen::MatrixXd score(n, n), target(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        target(i, j) = rng.uniform() < 0.3;
        score(i, j) = static_cast<double>(rng.below(5)) / 4 + 0.1 * target(i, j) * rng.below(2);
      }
    target(0, 1) = 1;  // both classes present
    target(1, 0) = 0;
    std::vector<double> s;
    std::vector<int> y;
    off_diagonal(score, target, s, y);
    ASSERT_EQ(s.size(), static_cast<std::size_t>(n * (n - 1)));
    EXPECT_NEAR(auroc(s, y), brute_auroc(s, y), 1e-12) << "trial " << trial;
    EXPECT_NEAR(auprc(s, y), brute_auprc(s, y), 1e-12) << "trial " << trial;
  }
}

TEST(Metrics, HandWorkedValues) {
  // Scores 0.9 (edge), 0.8 (non-edge), 0.7 (edge), 0.1 (non-edge):
  // AUROC = 3 of 4 pairs ordered right; AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
  const std::vector<double> s{0.9, 0.8, 0.7, 0.1};
  const std::vector<int> y{1, 0, 1, 0};
  EXPECT_NEAR(auroc(s, y), 0.75, 1e-15);
  EXPECT_NEAR(auprc(s, y), 5.0 / 6.0, 1e-15);
  EXPECT_DOUBLE_EQ(auroc({1, 1, 1}, {1, 0, 1}), 0.5);
  EXPECT_TRUE(std::isnan(auroc({0.2, 0.3}, {1, 1})));
  EXPECT_TRUE(std::isnan(auprc({0.2, 0.3}, {0, 0})));
}

TEST(Metrics, CorrectPairsIgnoresTheDiagonal) {
  Eigen::MatrixXd o(3, 3), t(3, 3);
  o << 0.9, 0.2, 0.1, 0.99, 0.0, 0.6, 0.7, 0.4, 0.8;
  t << 0, 0, 0, 1, 0, 0, 1, 1, 0;
  // Off-diagonal: (0,1) ok, (0,2) ok, (1,0) ok, (1,2) wrong, (2,0) ok, (2,1) wrong.
  EXPECT_EQ(correct_pairs(o, t), 4);
}

}  // namespace netinfer::reconstruct
