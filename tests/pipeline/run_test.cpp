// feature_set_inputs against hand-worked sets: a neuron is silent for a
// feature set only when it is silent in every one of its image sets, its
// activation rate is the image-weighted mean of its sets' rates, and the
// features are each set's moments then eigenvectors, sets in spec order.
#include "netinfer/pipeline/run.hpp"

#include <gtest/gtest.h>

namespace netinfer::pipeline {

namespace {

SetData set_of(std::int64_t images, std::vector<std::uint8_t> silent, std::vector<double> rate,
               double offset) {
  SetData d;
  const auto n = static_cast<Eigen::Index>(silent.size());
  d.moments.images = images;
  d.moments.mean = net::Vector::LinSpaced(n, offset, offset + n - 1);
  d.moments.std = d.moments.mean * 10;
  d.moments.skewness = d.moments.mean * 100;
  d.moments.kurtosis = d.moments.mean * 1000;
  d.moments.silent = std::move(silent);
  d.moments.activation_rate = std::move(rate);
  d.spectrum.eigenvectors = Eigen::MatrixXd::Constant(n, 2, -offset);
  d.spectrum.eigenvectors(0, 1) = offset + 0.5;
  return d;
}

}  // namespace

TEST(FeatureSetInputs, SilentOnlyWhereSilentInEverySetRatesWeightedByImages) {
  const SetData a = set_of(100, {1, 1, 0, 0}, {0, 0, 0.5, 1}, 1);
  const SetData b = set_of(300, {1, 0, 1, 0}, {0, 0.25, 0, 0.5}, 2);
  localize::FeatureOptions o;
  o.moments = 2;
  o.eigenvectors = 1;
  const FeatureSetInputs in = feature_set_inputs({&a, &b}, o);
  EXPECT_EQ(in.silent, (std::vector<std::uint8_t>{1, 0, 0, 0}));
  // (100 r_a + 300 r_b) / 400
  EXPECT_EQ(in.activation_rate, (std::vector<double>{0, 0.1875, 0.125, 0.625}));
  ASSERT_EQ(in.features.rows(), 4);
  ASSERT_EQ(in.features.cols(), 6);
  // Neuron 0: mean and std of a, its first eigenvector entry, then b's.
  EXPECT_EQ(in.features(0, 0), 1);
  EXPECT_EQ(in.features(0, 1), 10);
  EXPECT_EQ(in.features(0, 2), -1);
  EXPECT_EQ(in.features(0, 3), 2);
  EXPECT_EQ(in.features(0, 4), 20);
  EXPECT_EQ(in.features(0, 5), -2);
  EXPECT_EQ(in.features(3, 3), 5);
  // A set without activation rates (an older responses file): none.
  SetData old = b;
  old.moments.activation_rate.clear();
  EXPECT_TRUE(feature_set_inputs({&a, &old}, o).activation_rate.empty());
}

}  // namespace netinfer::pipeline
