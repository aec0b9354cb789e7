#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/replicate.hpp"
#include "netinfer/spectral/correlation.hpp"

namespace netinfer::spectral {

namespace {

constexpr int kNeurons = 37, kImages = 53;

// Responses [neuron][image] with structure (shared inputs, ramps) and silent
// neurons: 3 is always 0, 20 is constant 2.5, 36 is constant -1.
std::vector<std::vector<double>> make_responses() {
  std::vector<std::vector<double>> r(kNeurons, std::vector<double>(kImages));
  std::vector<double> pixel(kImages * 8);
  Stream s(7, purpose_id("correlation test"), 0);
  for (double& p : pixel) p = s.normal();
  for (int i = 0; i < kNeurons; ++i) {
    for (int j = 0; j < kImages; ++j) {
      const double drive = pixel[j * 8 + i % 8] + 0.5 * pixel[j * 8 + (i + 1) % 8] - 0.02 * i;
      r[i][j] = i % 2 ? std::max(0.0, drive) : drive;
    }
  }
  for (int j = 0; j < kImages; ++j) {
    r[3][j] = 0.0;
    r[20][j] = 2.5;
    r[36][j] = -1.0;
  }
  return r;
}

bool constant(const std::vector<double>& a) {
  for (double v : a) {
    if (v != a[0]) return false;
  }
  return true;
}

// Pearson correlation by the textbook formula; 0 where either neuron is
// silent (constant: its mean may round, so its variance need not be 0).
double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  if (constant(a) || constant(b)) return 0.0;
  double ma = 0, mb = 0;
  for (int j = 0; j < kImages; ++j) {
    ma += a[j] / kImages;
    mb += b[j] / kImages;
  }
  double sab = 0, saa = 0, sbb = 0;
  for (int j = 0; j < kImages; ++j) {
    sab += (a[j] - ma) * (b[j] - mb);
    saa += (a[j] - ma) * (a[j] - ma);
    sbb += (b[j] - mb) * (b[j] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

template <typename T>
dist::BlockCyclic<T> distribute(const dist::Grid& grid, const std::vector<std::vector<double>>& r,
                                int nb) {
  dist::BlockCyclic<T> z(grid, kImages, kNeurons, nb, nb);  // images x neurons
  for (int j = 0; j < z.local_cols(); ++j) {
    for (int i = 0; i < z.local_rows(); ++i) {
      z.local(i, j) = static_cast<T>(r[z.col_axis().global(j)][z.row_axis().global(i)]);
    }
  }
  return z;
}

// The upper triangle of the result against the naive computation; the lower
// triangle is not part of the contract.
template <typename T>
double max_error(const Correlation<T>& c, const std::vector<std::vector<double>>& r, Transform t) {
  const Eigen::MatrixXd dense = dist::replicate_columns(c.matrix, kNeurons);
  double worst = 0;
  for (int j = 0; j < kNeurons; ++j) {
    for (int i = 0; i <= j; ++i) {
      worst = std::max(worst, std::abs(dense(i, j) - apply(t, pearson(r[i], r[j]))));
    }
  }
  return worst;
}

}  // namespace

TEST(Correlation, EveryTransformMatchesNaivePearsonWithSilentNeurons) {
  const dist::Grid grid(MPI_COMM_WORLD);
  const auto r = make_responses();
  for (int nb : {4, 5, 64}) {
    for (Transform t :
         {Transform::cm, Transform::abs, Transform::cm2, Transform::abs_cm3, Transform::cm4}) {
      CorrelationOptions options;
      options.transform = t;
      const Correlation<double> c = correlation(distribute<double>(grid, r, nb), options);
      EXPECT_LT(max_error(c, r, t), 1e-13) << transform_name(t) << " nb " << nb;
      ASSERT_EQ(c.silent.size(), static_cast<std::size_t>(kNeurons));
      for (int i = 0; i < kNeurons; ++i) EXPECT_EQ(c.silent[i], constant(r[i])) << i;
      EXPECT_TRUE(c.silent[3] && c.silent[20] && c.silent[36]);
      // Silent rows and columns (diagonal included) are exactly zero.
      const Eigen::MatrixXd dense = dist::replicate_columns(c.matrix, kNeurons);
      for (int s : {3, 20, 36}) {
        for (int j = s; j < kNeurons; ++j) EXPECT_EQ(dense(s, j), 0.0);
        for (int i = 0; i <= s; ++i) EXPECT_EQ(dense(i, s), 0.0);
      }
    }
    CorrelationOptions pblas;
    pblas.product = Product::pdsyrk;
    const Correlation<double> p = correlation(distribute<double>(grid, r, nb), pblas);
    EXPECT_LT(max_error(p, r, Transform::abs), 1e-13) << "PDSYRK, nb " << nb;
    const Correlation<float> f = correlation(distribute<float>(grid, r, nb), CorrelationOptions{});
    EXPECT_LT(max_error(f, r, Transform::abs), 1e-5) << "single, nb " << nb;
  }
}

TEST(Correlation, PaperPerturbationMatchesNaiveAndDoesNotDependOnRanks) {
  const dist::Grid grid(MPI_COMM_WORLD);
  auto r = make_responses();
  CorrelationOptions options;
  options.silent = Silent::perturb;
  options.seed = 11;
  const Correlation<double> c = correlation(distribute<double>(grid, r, 6), options);
  for (int i = 0; i < kNeurons; ++i) {
    for (int j = 0; j < kImages; ++j) r[i][j] += perturbation(11, i, j, kImages);
  }
  // Silent neurons are now noise: correlated with everyone a little, 1 with
  // themselves. The noise is a function of (seed, neuron, image) only.
  EXPECT_LT(max_error(c, r, Transform::abs), 1e-9);
  const Eigen::MatrixXd dense = dist::replicate_columns(c.matrix, kNeurons);
  EXPECT_NEAR(dense(3, 3), 1.0, 1e-12);
  EXPECT_GT(dense(3, 4), 0.0);
  for (int i = 0; i < kNeurons; ++i) EXPECT_EQ(c.silent[i], 0);
  EXPECT_LE(std::abs(perturbation(11, 5, 7, kImages)), 1e-9);
  EXPECT_NE(perturbation(11, 5, 7, kImages), perturbation(12, 5, 7, kImages));
}

TEST(Correlation, NonFiniteResponseIsReportedOnEveryRank) {
  const dist::Grid grid(MPI_COMM_WORLD);
  auto r = make_responses();
  r[17][40] = NAN;
  try {
    correlation(distribute<double>(grid, r, 4), CorrelationOptions{});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("neuron 17 to image 40 is not a finite"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace netinfer::spectral
