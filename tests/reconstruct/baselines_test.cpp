#include <gtest/gtest.h>

#include <cmath>

#include "netinfer/reconstruct/baselines.hpp"
#include "netinfer/reconstruct/metrics.hpp"
#include "spike_files.hpp"

namespace netinfer::reconstruct {

namespace {

// Pearson correlation of two series by the textbook formula.
double naive_corr(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = a.size();
  double ma = 0, mb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) ma += a[k] / n, mb += b[k] / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

// Neuron i's spikes at steps [first, last) of every simulation, concatenated.
std::vector<double> series(const GeneratorData& g, int i, int first, int last) {
  std::vector<double> out;
  for (std::int64_t s = 0; s < g.simulations; ++s)
    for (int t = first; t < last; ++t) out.push_back(g.spike(s, i, t));
  return out;
}

}  // namespace

TEST(Baselines, CorrelationsMatchTheTextbookFormulas) {
  const auto data = testing::simulated({"er:n=4:p=0.4"}, 60, 10, 0.3, 2);
  const GeneratorData& g = data[0];
  const Eigen::MatrixXd pearson = pearson_scores(g, 8), lagged = lagged_scores(g, 8);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      EXPECT_NEAR(pearson(i, j), std::abs(naive_corr(series(g, i, 0, 8), series(g, j, 0, 8))),
                  1e-12);
      EXPECT_NEAR(lagged(i, j), naive_corr(series(g, i, 1, 8), series(g, j, 0, 7)), 1e-12);
    }
}

TEST(Baselines, PartialCorrelationOfThreeNeuronsMatchesTheClosedForm) {
  // For three variables: r_ij.k = (r_ij - r_ik r_jk) / sqrt((1 - r_ik^2)(1 - r_jk^2)).
  const auto data = testing::simulated({"chain3"}, 400, 12, 0.25, 3);
  const GeneratorData& g = data[0];
  Eigen::Matrix3d r;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) r(i, j) = naive_corr(series(g, i, 0, 12), series(g, j, 0, 12));
  const Eigen::MatrixXd partial = partial_correlation_scores(g, 12);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      if (i == j) continue;
      const int k = 3 - i - j;
      const double expected = (r(i, j) - r(i, k) * r(j, k)) /
                              std::sqrt((1 - r(i, k) * r(i, k)) * (1 - r(j, k) * r(j, k)));
      EXPECT_NEAR(partial(i, j), expected, 5e-3)
          << i << "," << j;  // the shrinkage moves it a little
    }
}

TEST(Baselines, LaggedCorrelationFindsTheChainsEdgesAndConstantNeuronsScoreZero) {
  const auto data = testing::simulated({"chain3", "chain3"}, 300, 20, 0.2, 4);
  std::vector<double> s;
  std::vector<int> y;
  off_diagonal(lagged_scores(data[0], 20), data[0].target, s, y);
  EXPECT_EQ(auroc(s, y), 1.0);
  // Silence neuron 1 everywhere: its correlations become 0, not NaN.
  GeneratorData silent = data[1];
  for (std::int64_t k = 0; k < silent.simulations; ++k)
    for (int t = 0; t < silent.steps; ++t) silent.spikes[(k * 3 + 1) * silent.steps + t] = 0;
  for (const Eigen::MatrixXd& m : {pearson_scores(silent, 20), lagged_scores(silent, 20),
                                   partial_correlation_scores(silent, 20)}) {
    EXPECT_TRUE(m.allFinite());
    EXPECT_EQ(m(1, 0), 0.0);
    EXPECT_EQ(m(0, 1), 0.0);
  }
}

}  // namespace netinfer::reconstruct
