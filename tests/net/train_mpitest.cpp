// Data-parallel training over MPI ranks: the gradient it steps along is the
// mean gradient of the mini-batch (checked through plain SGD steps against the
// serial double-precision gradient, which backward_test checks against finite
// differences), and the weights end the same on every rank, equal to one
// process's training up to rounding. Adam alone could not show a wrongly
// normalised gradient: its step ignores a constant scale of the gradient.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "net/synthetic.hpp"
#include "netinfer/net/train.hpp"

namespace netinfer::net {
namespace {

// Every weight and bias in layer order.
std::vector<double> flat(const std::vector<LayerParameters>& layers) {
  std::vector<double> v;
  for (const auto& p : layers) {
    v.insert(v.end(), p.weight.data(), p.weight.data() + p.weight.size());
    v.insert(v.end(), p.bias.data(), p.bias.data() + p.bias.size());
  }
  return v;
}
std::vector<double> flat(const Network& net) {
  std::vector<LayerParameters> layers;
  for (int l = 0; l < net.architecture().layer_count(); ++l) layers.push_back(net.parameters(l));
  return flat(layers);
}
void set_flat(Network& net, const std::vector<double>& v) {
  std::size_t i = 0;
  for (int l = 0; l < net.architecture().layer_count(); ++l) {
    LayerParameters& p = net.parameters(l);
    for (Eigen::Index j = 0; j < p.weight.size(); ++j) p.weight.data()[j] = v[i++];
    for (Eigen::Index j = 0; j < p.bias.size(); ++j) p.bias.data()[j] = v[i++];
  }
}

// train() starts from initialise(seed) rounded to float (it trains in float).
Network initial(const TrainOptions& o) {
  Network net(test::synthetic_architecture());
  net.initialise(o.seed);
  std::vector<double> w = flat(net);
  for (double& x : w) x = static_cast<float>(x);
  set_flat(net, w);
  return net;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::abs(x));
  return m;
}

// One step of SGD without momentum over the whole set (batch 128 > 100
// images: four micro-batches of 32, 32, 32 and 4 images, shared by up to four
// ranks) moves the weights by exactly -learning_rate times the mean gradient
// over the 100 images. A gradient divided by the batch option (128), by the
// rank count or by the micro-batch, or not divided, fails.
TEST(TrainMpi, SgdStepIsTheMeanGradientOfTheBatch) {
  const auto set = test::synthetic_set(100, 4, 3);
  TrainOptions o;
  o.epochs = 1;
  o.batch = 128;
  o.optimizer = Optimizer::Sgd;
  o.momentum = 0;
  o.learning_rate = 0.5;
  o.seed = 7;
  o.threads = 1;
  const Network start = initial(o);
  Network stepped(test::synthetic_architecture());
  const auto reports = train(stepped, set, {}, o, {}, MPI_COMM_WORLD);
  const LossGradient want = loss_gradient(start, set.images.cast<double>(), set.labels);

  const std::vector<double> w0 = flat(start), w1 = flat(stepped), g = flat(want.gradient);
  ASSERT_EQ(w0.size(), g.size());
  // Rounding: the gradient is computed in float and the step w0 - 0.5 g is
  // rounded to float (half an ulp of w1, 6e-8 |w1|). Measured: at most 1.2e-7
  // of max |g| at 1, 2 and 4 ranks. Tolerance 1e-5 of max |g|; a
  // mis-normalised step is off by at least 22% (100 images against 128).
  const double scale = max_abs(g);
  ASSERT_GT(scale, 1e-3);
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double got = (w0[i] - w1[i]) / o.learning_rate;
    ASSERT_NEAR(got, g[i], 1e-5 * scale + 6e-8 * std::abs(w1[i]) / o.learning_rate)
        << "parameter " << i;
  }
  // The epoch's loss is the mean cross-entropy at the starting weights.
  EXPECT_NEAR(reports[0].loss, want.loss, 1e-6 * want.loss);
}

// Mini-batches of different sizes, with momentum: 80 copies of one image and
// batch 48 give a step over 48 copies then one over 32, each of whose mean
// gradient is that image's gradient, whatever the shuffle. With PyTorch's
// momentum, v1 = g(w0), w1 = w0 - lr v1, v2 = mu v1 + g(w1), w2 = w1 - lr v2.
TEST(TrainMpi, SgdWithMomentumOverUnequalBatches) {
  auto one = test::synthetic_set(1, 4, 5);
  LabelledImages set;
  set.images = one.images.replicate(1, 80);
  set.labels.assign(80, one.labels[0]);
  TrainOptions o;
  o.epochs = 1;
  o.batch = 48;
  o.optimizer = Optimizer::Sgd;
  o.momentum = 0.9;
  o.learning_rate = 0.05;
  o.seed = 9;
  o.threads = 1;
  const Matrix image = one.images.cast<double>();
  // The two steps in double, each batch's mean gradient scaled by s1 and s2
  // (1 and 1 when each batch is normalised by its own size).
  const auto two_steps = [&](double s1, double s2) {
    Network net = initial(o);
    const std::vector<double> w0 = flat(net);
    const std::vector<double> g0 = flat(loss_gradient(net, image, one.labels).gradient);
    std::vector<double> w1(w0.size()), w2(w0.size());
    for (std::size_t i = 0; i < w0.size(); ++i) w1[i] = w0[i] - o.learning_rate * s1 * g0[i];
    set_flat(net, w1);
    const std::vector<double> g1 = flat(loss_gradient(net, image, one.labels).gradient);
    for (std::size_t i = 0; i < w0.size(); ++i)
      w2[i] = w1[i] - o.learning_rate * (o.momentum * s1 * g0[i] + s2 * g1[i]);
    return w2;
  };
  const auto distance = [](const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
  };
  const std::vector<double> want = two_steps(1, 1);
  // Float rounding of weights and gradients: measured 1e-7 of the weights'
  // scale (5.6e-8 absolute) at 1, 2 and 4 ranks; tolerance 1e-6.
  const double tolerance = 1e-6 * std::max(1.0, max_abs(want));
  // Wrong normalisations this must tell apart: by the batch option (the
  // second step 32/48 as long) or by the set size (48/80 and 32/80); they
  // are 1.7e-3 and 2.8e-2 away.
  ASSERT_GT(distance(two_steps(1, 32.0 / 48), want), 10 * tolerance);
  ASSERT_GT(distance(two_steps(48.0 / 80, 32.0 / 80), want), 10 * tolerance);

  Network trained(test::synthetic_architecture());
  train(trained, set, {}, o, {}, MPI_COMM_WORLD);
  const double error = distance(flat(trained), want);
  EXPECT_LT(error, tolerance);
}

TEST(TrainMpi, RanksAgreeWithOneProcess) {
  const auto train_set = test::synthetic_set(600, 4, 1), test_set = test::synthetic_set(200, 4, 2);
  TrainOptions o;
  o.epochs = 2;
  o.batch = 128;  // four micro-batches per step, so up to four ranks share each step
  o.learning_rate = 0.01;
  o.threads = 1;
  Network alone(test::synthetic_architecture()), shared(test::synthetic_architecture());
  const auto single = train(alone, train_set, test_set, o, {}, MPI_COMM_SELF);
  const auto parallel = train(shared, train_set, test_set, o, {}, MPI_COMM_WORLD);
  EXPECT_NEAR(parallel.back().loss, single.back().loss, 1e-5);
  EXPECT_NEAR(parallel.back().test_accuracy, single.back().test_accuracy,
              1.0 / 200);  // one image may flip
  for (int l = 0; l < alone.architecture().layer_count(); ++l) {
    const Matrix& w = shared.parameters(l).weight;
    if (w.size() == 0) continue;  // INPUT and pooling
    EXPECT_LE((w - alone.parameters(l).weight).cwiseAbs().maxCoeff(), 1e-4) << l;
    // Every rank holds rank 0's weights exactly.
    Matrix root = w;
    MPI_Bcast(root.data(), static_cast<int>(root.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    EXPECT_EQ(root, w) << l;
  }
}

}  // namespace
}  // namespace netinfer::net
