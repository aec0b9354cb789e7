// The backward pass against central finite differences of the mean
// cross-entropy computed from the forward pass, for every parameter tensor.
#include <gtest/gtest.h>

#include <cmath>

#include "net/reference.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/net/train.hpp"

namespace netinfer::net {
namespace {

using test::conv;
using test::linear;
using test::maxpool;

double mean_cross_entropy(const Network& net, const Matrix& images,
                          const std::vector<int>& labels) {
  Matrix acts;
  net.forward(images, acts);
  const Architecture& a = net.architecture();
  const std::int64_t out = a.offset(a.layer_count() - 1);
  double loss = 0;
  for (Eigen::Index i = 0; i < images.cols(); ++i) loss -= std::log(acts(out + labels[i], i));
  return loss / static_cast<double>(images.cols());
}

void expect_gradient_matches_differences(const Architecture& arch, std::uint64_t seed) {
  Network net(arch);
  test::randomise(net, seed);
  const int batch = 5;
  const Matrix images = test::random_images(arch, batch, seed);
  const int classes = static_cast<int>(arch.shape(arch.layer_count() - 1).size());
  std::vector<int> labels;
  for (int i = 0; i < batch; ++i) labels.push_back((i * 7 + 1) % classes);

  const LossGradient g = loss_gradient(net, images, labels);
  EXPECT_NEAR(g.loss, mean_cross_entropy(net, images, labels), 1e-12);
  const double h = 1e-6;
  int checked = 0;
  for (int l = 1; l < arch.layer_count(); ++l) {
    auto check = [&](double* values, const double* analytic, Eigen::Index size, const char* what) {
      for (Eigen::Index i = 0; i < size; ++i) {
        const double keep = values[i];
        values[i] = keep + h;
        const double up = mean_cross_entropy(net, images, labels);
        values[i] = keep - h;
        const double down = mean_cross_entropy(net, images, labels);
        values[i] = keep;
        const double numeric = (up - down) / (2 * h);
        EXPECT_NEAR(analytic[i], numeric, 1e-6 * (1 + std::abs(numeric)))
            << arch.name(l) << what << i;
        ++checked;
      }
    };
    LayerParameters& p = net.parameters(l);
    check(p.weight.data(), g.gradient[l].weight.data(), p.weight.size(), " weight ");
    check(p.bias.data(), g.gradient[l].bias.data(), p.bias.size(), " bias ");
  }
  EXPECT_EQ(checked, net.parameter_count());
}

TEST(Backward, ConvStridePoolLinearMatchFiniteDifferences) {
  // 2x9x8 -> conv 3@3 stride 2 (3x4x3) -> maxpool 2 stride 1 (3x3x2) ->
  // conv 4@2 without activation (4x2x1) -> linear 5 ramp -> linear 3 softmax.
  expect_gradient_matches_differences(
      Architecture({2, 9, 8}, {conv(3, 3, 2), maxpool(2, 1), conv(4, 2, 1, Activation::None),
                               linear(5, Activation::Ramp), linear(3, Activation::Softmax)}),
      21);
}

TEST(Backward, SoftmaxAndIdentityInsideTheNetwork) {
  expect_gradient_matches_differences(
      Architecture({1, 4, 3}, {linear(6, Activation::None), linear(5, Activation::Softmax),
                               linear(4, Activation::Ramp), linear(3, Activation::Softmax)}),
      22);
}

TEST(Backward, RejectsNonSoftmaxOutputAndBadLabels) {
  Network net(Architecture({1, 2, 2}, {linear(3, Activation::Ramp)}));
  EXPECT_THROW(loss_gradient(net, Matrix::Zero(4, 1), {0}), Error);
  Network soft(Architecture({1, 2, 2}, {linear(3, Activation::Softmax)}));
  EXPECT_THROW(loss_gradient(soft, Matrix::Zero(4, 1), {3}), Error);
  EXPECT_THROW(loss_gradient(soft, Matrix::Zero(4, 2), {0}), Error);
}

}  // namespace
}  // namespace netinfer::net
