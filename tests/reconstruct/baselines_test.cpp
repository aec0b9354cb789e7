#include <gtest/gtest.h>

#include <Eigen/QR>
#include <cmath>
#include <map>
#include <numeric>

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

// A generator of n neurons with one simulation whose raster is `rows`
// (one string of 0/1 per neuron).
GeneratorData hand_made(const std::vector<std::string>& rows) {
  GeneratorData g;
  g.n = static_cast<int>(rows.size());
  g.steps = static_cast<int>(rows[0].size());
  g.simulations = 1;
  g.target = Eigen::MatrixXd::Zero(g.n, g.n);
  for (const auto& row : rows)
    for (char c : row) g.spikes.push_back(c == '1');
  return g;
}

// Entropy in bits of the empirical distribution of the keys.
double entropy(const std::map<std::vector<int>, double>& counts, double total) {
  double h = 0;
  for (const auto& [key, c] : counts) h -= c / total * std::log2(c / total);
  return h;
}

// Transfer entropy j -> i as H(X' | X) - H(X' | X, Y) = H(X', X) - H(X) -
// H(X', X, Y) + H(X, Y), from dictionaries of the observed tuples.
double naive_transfer_entropy(const GeneratorData& g, int i, int j, int steps) {
  std::map<std::vector<int>, double> next_now, now, all, now_source;
  double total = 0;
  for (std::int64_t s = 0; s < g.simulations; ++s)
    for (int t = 0; t + 1 < steps; ++t) {
      const int a = g.spike(s, i, t + 1), b = g.spike(s, i, t), y = g.spike(s, j, t);
      next_now[{a, b}] += 1, now[{b}] += 1, all[{a, b, y}] += 1, now_source[{b, y}] += 1;
      total += 1;
    }
  return entropy(next_now, total) - entropy(now, total) - entropy(all, total) +
         entropy(now_source, total);
}

}  // namespace

TEST(Baselines, TransferEntropyOfALaggedCopyIsOneBit) {
  // Neuron 0 copies neuron 1 one step later; neuron 1 repeats 0110, so over
  // the 16 transitions every pair (S_1(t - 1), S_1(t)) occurs 4 times: S_1(t)
  // is a fair coin given S_0(t) = S_1(t - 1), and TE(1 -> 0) = H(S_0(t + 1) |
  // S_0(t)) = 1 bit. The other way, S_1(t + 1) is a function of (S_1(t),
  // S_0(t)) and a fair coin given S_1(t) alone: also 1 bit. Neuron 2 never
  // spikes: 0 both ways.
  const GeneratorData g =
      hand_made({"00110011001100110", "01100110011001100", "00000000000000000"});
  const Eigen::MatrixXd te = transfer_entropy_scores(g, 17);
  EXPECT_NEAR(te(0, 1), 1.0, 1e-12);
  EXPECT_NEAR(te(1, 0), 1.0, 1e-12);
  for (int k = 0; k < 2; ++k) {
    EXPECT_EQ(te(2, k), 0.0);
    EXPECT_EQ(te(k, 2), 0.0);
  }
}

TEST(Baselines, TransferEntropyMatchesTheEntropyFormula) {
  // n = 40 covers two tiles of targets.
  const auto data = testing::simulated({"er:n=40:p=0.05"}, 30, 12, 0.2, 5);
  const GeneratorData& g = data[0];
  const Eigen::MatrixXd te = transfer_entropy_scores(g, 10);
  for (int i = 0; i < 40; i += 3)
    for (int j = 0; j < 40; j += 2)
      ASSERT_NEAR(te(i, j), naive_transfer_entropy(g, i, j, 10), 1e-12) << i << "," << j;
}

TEST(Baselines, VarIsTheRidgeSolutionOfADenseLeastSquaresProblem) {
  // min |Y - X B - 1 c'|^2 + |B|^2 as one stacked least-squares problem
  // [X 1; I 0] [B; c'] = [Y; 0], solved by Householder QR.
  const auto data = testing::simulated({"er:n=40:p=0.05"}, 20, 9, 0.2, 6);
  const GeneratorData& g = data[0];
  const int n = 40, steps = 9;
  const int t = static_cast<int>(g.simulations) * (steps - 1);
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(t + n, n + 1), rhs = Eigen::MatrixXd::Zero(t + n, n);
  for (std::int64_t s = 0; s < g.simulations; ++s)
    for (int k = 0; k + 1 < steps; ++k) {
      const int row = static_cast<int>(s) * (steps - 1) + k;
      for (int j = 0; j < n; ++j) {
        a(row, j) = g.spike(s, j, k);
        rhs(row, j) = g.spike(s, j, k + 1);
      }
      a(row, n) = 1;
    }
  a.bottomLeftCorner(n, n).setIdentity();
  const Eigen::MatrixXd b = a.householderQr().solve(rhs);
  const Eigen::MatrixXd var = var_scores(g, steps);
  EXPECT_LT((var - b.topRows(n).transpose()).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(Baselines, GlmScoresSatisfyTheOptimalityConditionsOfTheL2LogisticLoss) {
  // The objective sum_t log-loss + |w|^2 / 2 is strictly convex in w: w is
  // the optimum iff, with the intercept c that makes sum sigmoid = sum y
  // (found here by bisection), sum_t (sigmoid(w.x_t + c) - y_t) x_tj + w_j = 0.
  const auto data = testing::simulated({"er:n=35:p=0.06"}, 25, 10, 0.15, 7);
  const GeneratorData& g = data[0];
  const int n = 35, steps = 10;
  const Eigen::MatrixXd w = glm_scores(g, steps);
  auto sigmoid = [](double z) { return 1 / (1 + std::exp(-z)); };
  for (int i = 0; i < n; i += 4) {
    std::vector<double> dot, y;
    for (std::int64_t s = 0; s < g.simulations; ++s)
      for (int t = 0; t + 1 < steps; ++t) {
        double z = 0;
        for (int j = 0; j < n; ++j) z += w(i, j) * g.spike(s, j, t);
        dot.push_back(z);
        y.push_back(g.spike(s, i, t + 1));
      }
    const double positives = std::accumulate(y.begin(), y.end(), 0.0);
    if (positives == 0 || positives == y.size()) {
      EXPECT_EQ(w.row(i).cwiseAbs().maxCoeff(), 0.0);
      continue;
    }
    double lo = -50, hi = 50;
    for (int k = 0; k < 200; ++k) {
      const double c = (lo + hi) / 2;
      double sum = 0;
      for (double z : dot) sum += sigmoid(z + c);
      (sum > positives ? hi : lo) = c;
    }
    for (int j = 0; j < n; ++j) {
      double gradient = w(i, j), k = 0;
      for (std::int64_t s = 0; s < g.simulations; ++s)
        for (int t = 0; t + 1 < steps; ++t, ++k)
          gradient += (sigmoid(dot[k] + lo) - y[k]) * g.spike(s, j, t);
      // The solver stops at |mean gradient| < 1e-5, i.e. |sum| < 1e-5 T.
      EXPECT_LT(std::abs(gradient), 2e-5 * dot.size()) << i << "," << j;
    }
  }
}

TEST(Baselines, LagOneBaselinesRankTheEdgesOfASparseNetworkFirst) {
  const auto data = testing::simulated({"er:n=20:p=0.08"}, 200, 20, 0.1, 9);
  std::vector<double> s;
  std::vector<int> y;
  for (const auto& m :
       {var_scores(data[0], 20), glm_scores(data[0], 20), transfer_entropy_scores(data[0], 20)}) {
    off_diagonal(m, data[0].target, s, y);
    EXPECT_GT(auroc(s, y), 0.99);
  }
}

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
