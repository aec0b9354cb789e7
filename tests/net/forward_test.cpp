// The im2col + GEMM forward pass against naive loops, layer kind by layer kind.
#include <gtest/gtest.h>

#include "net/reference.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net {
namespace {

using test::conv;
using test::linear;
using test::maxpool;

void expect_matches_naive(const Architecture& arch, int images, std::uint64_t seed) {
  Network net(arch);
  test::randomise(net, seed);
  const Matrix x = test::random_images(arch, images, seed);
  Matrix acts;
  net.forward(x, acts);
  ASSERT_EQ(acts.rows(), arch.neuron_count());
  ASSERT_EQ(acts.cols(), images);
  for (int i = 0; i < images; ++i) {
    const std::vector<double> ref = test::naive_forward(net, x.col(i).data());
    for (std::int64_t n = 0; n < arch.neuron_count(); ++n) {
      ASSERT_NEAR(acts(n, i), ref[n], 1e-10 * (1 + std::abs(ref[n])))
          << "image " << i << " neuron " << n << " layer " << arch.name(arch.layer_of(n));
    }
  }
}

TEST(Forward, ConvWithStrideOnNonSquareInput) {
  // 3x11x9 input, conv 4@3x3 stride 2 (5x4), conv 2@2x2 stride 1 without ramp.
  expect_matches_naive(Architecture({3, 11, 9}, {conv(4, 3, 2), conv(2, 2, 1, Activation::None)}),
                       5, 1);
}

TEST(Forward, MaxPoolWithWindowUnequalToStride) {
  // Overlapping windows (3, stride 2) and a non-square 2x9x7 input.
  expect_matches_naive(Architecture({2, 9, 7}, {maxpool(3, 2), maxpool(2, 1)}), 4, 2);
}

TEST(Forward, LinearRampAndSoftmax) {
  expect_matches_naive(
      Architecture({1, 3, 5}, {linear(7, Activation::Ramp), linear(4, Activation::Softmax)}), 6, 3);
}

TEST(Forward, LeNetOnMoreImagesThanOneChunk) {
  // 130 images: two full internal chunks of 64 and a partial one.
  expect_matches_naive(Architecture::lenet(), 130, 4);
}

TEST(Forward, IntoAColumnBlockEqualsForward) {
  Network net(Architecture::lenet());
  test::randomise(net, 6);
  const Matrix x = test::random_images(net.architecture(), 70, 6);
  Matrix whole, wide = Matrix::Constant(net.architecture().neuron_count(), 100, -7.0);
  net.forward(x, whole);
  net.forward_into(x, wide.middleCols(20, 70));
  EXPECT_EQ(wide.middleCols(20, 70), whole);
  EXPECT_TRUE((wide.leftCols(20).array() == -7.0).all());
  EXPECT_TRUE((wide.rightCols(10).array() == -7.0).all());
  EXPECT_THROW(net.forward_into(x, wide.leftCols(69)), Error);
}

TEST(Forward, SoftmaxColumnsAreDistributions) {
  Network net(Architecture::lenet());
  test::randomise(net, 5);
  Matrix acts;
  net.forward(test::random_images(net.architecture(), 3, 5), acts);
  const auto last = net.architecture().layer_count() - 1;
  const auto out = acts.middleRows(net.architecture().offset(last), 10);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(out.col(i).sum(), 1.0, 1e-12);
    EXPECT_GE(out.col(i).minCoeff(), 0.0);
  }
}

TEST(Forward, RejectsImagesOfTheWrongSize) {
  Network net(Architecture::lenet());
  Matrix acts;
  try {
    net.forward(Matrix::Zero(100, 2), acts);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("784"), std::string::npos) << e.what();
  }
}

TEST(Initialise, HeUniformBoundsAndDeterminism) {
  Network a(Architecture::lenet()), b(Architecture::lenet());
  a.initialise(7);
  b.initialise(7);
  EXPECT_EQ(a.parameters(5).weight, b.parameters(5).weight);
  EXPECT_EQ(a.parameter_count(), 20 * 25 + 20 + 50 * 500 + 50 + 500 * 800 + 500 + 10 * 500 + 10);
  const Matrix& w = a.parameters(3).weight;  // fan_in 500
  const double bound = std::sqrt(6.0 / 500);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(w.cwiseAbs().maxCoeff(), 0.95 * bound);
  EXPECT_NEAR(w.mean(), 0.0, 0.02 * bound);
  b.initialise(8);
  EXPECT_NE(a.parameters(1).weight, b.parameters(1).weight);
}

}  // namespace
}  // namespace netinfer::net
