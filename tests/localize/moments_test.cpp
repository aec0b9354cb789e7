// reduce_moments on one rank against plain formulas, and on responses so
// small (1e-124, softmax outputs under some PATCH sets) that their third and
// fourth powers underflow unless deviations are scaled.
#include <gtest/gtest.h>

#include <cmath>

#include "netinfer/core/random.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::localize {

namespace {

// Neurons 0 and 1: INPUT; neuron 2: the linear output.
ResponseShard shard_of(const std::vector<std::vector<double>>& rows) {
  ResponseShard shard;
  shard.spec = "test";
  shard.total_images = static_cast<std::int64_t>(rows[0].size());
  shard.matrix.resize(static_cast<Eigen::Index>(rows.size()), shard.total_images);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < rows[i].size(); ++j) shard.matrix(i, j) = rows[i][j];
  }
  return shard;
}

}  // namespace

TEST(Moments, PlainFormulasAndTinyResponses) {
  const auto arch = net::Architecture::parse("input 1x1x2; linear 1 ramp");
  Stream s(3, purpose_id("moments-test"), 0);
  std::vector<double> x(700), tiny(700), constant(700, 0.25);
  for (std::size_t j = 0; j < x.size(); ++j) {
    x[j] = std::exp(s.normal());  // skewed
    tiny[j] = 1e-124 * x[j];
  }
  const Moments mo =
      reduce_moments(shard_of({x, constant, tiny}), net::Recording(arch), MPI_COMM_SELF);
  double mean = 0;
  for (double v : x) mean += v / x.size();
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    const double d = v - mean;
    m2 += d * d / x.size();
    m3 += d * d * d / x.size();
    m4 += d * d * d * d / x.size();
  }
  EXPECT_NEAR(mo.mean[0], mean, 1e-12 * mean);
  EXPECT_NEAR(mo.std[0], std::sqrt(m2), 1e-12 * std::sqrt(m2));
  EXPECT_NEAR(mo.skewness[0], m3 / std::pow(m2, 1.5), 1e-10);
  EXPECT_NEAR(mo.kurtosis[0], m4 / (m2 * m2), 1e-10);
  EXPECT_EQ(mo.silent[0], 0);
  EXPECT_EQ(mo.silent[1], 1);  // constant
  // Scale invariance of skewness and kurtosis, where the powers of 1e-124
  // deviations (1e-372, 1e-496) are below the smallest double.
  EXPECT_EQ(mo.silent[2], 0);
  ASSERT_TRUE(std::isfinite(mo.skewness[2]) && std::isfinite(mo.kurtosis[2]));
  EXPECT_NEAR(mo.skewness[2], mo.skewness[0], 1e-10);
  EXPECT_NEAR(mo.kurtosis[2], mo.kurtosis[0], 1e-10);
  EXPECT_NEAR(mo.std[2], 1e-124 * mo.std[0], 1e-134);
}

}  // namespace netinfer::localize
