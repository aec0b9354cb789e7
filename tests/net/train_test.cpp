// Training on a synthetic separable problem: far above chance, deterministic
// for a fixed seed, independent of the thread count, and `accuracy` agrees
// with the argmax of the forward pass.
#include <gtest/gtest.h>

#include "net/synthetic.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/net/train.hpp"

namespace netinfer::net {
namespace {

TrainOptions small_options(Optimizer optimizer, int threads) {
  TrainOptions o;
  o.epochs = 4;
  o.batch = 50;  // two micro-batches, the second partial
  o.optimizer = optimizer;
  o.learning_rate = optimizer == Optimizer::Adam ? 0.01 : 0.05;
  o.seed = 5;
  o.threads = threads;
  return o;
}

TEST(Train, AdamLearnsSyntheticProblemDeterministically) {
  const auto train_set = test::synthetic_set(800, 4, 1), test_set = test::synthetic_set(400, 4, 2);
  Network a(test::synthetic_architecture()), b(test::synthetic_architecture());
  std::vector<EpochReport> seen;
  const auto reports = train(a, train_set, test_set, small_options(Optimizer::Adam, 1),
                             [&](const EpochReport& r) { seen.push_back(r); });
  ASSERT_EQ(reports.size(), 4u);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen.back().epoch, 4);
  EXPECT_LT(reports.back().loss, reports.front().loss);
  EXPECT_GT(reports.back().test_accuracy, 0.9);  // chance is 0.25
  EXPECT_GT(reports.back().images_per_second, 0.0);

  // Same seed, two threads instead of one: bit-identical weights.
  train(b, train_set, test_set, small_options(Optimizer::Adam, 2));
  for (int l = 0; l < a.architecture().layer_count(); ++l) {
    EXPECT_EQ(a.parameters(l).weight, b.parameters(l).weight) << l;
    EXPECT_EQ(a.parameters(l).bias, b.parameters(l).bias) << l;
  }
  // The final double-precision accuracy equals counting the forward argmax.
  Matrix acts;
  a.forward(test_set.images.cast<double>(), acts);
  const auto out = acts.bottomRows(4);
  int correct = 0;
  for (Eigen::Index i = 0; i < out.cols(); ++i) {
    Eigen::Index best = 0;
    out.col(i).maxCoeff(&best);
    correct += best == test_set.labels[i];
  }
  EXPECT_DOUBLE_EQ(accuracy(a, test_set), correct / 400.0);
  EXPECT_NEAR(accuracy(a, test_set), reports.back().test_accuracy, 0.01);
}

TEST(Train, SgdWithMomentumLearnsAndSeedsDiffer) {
  const auto train_set = test::synthetic_set(800, 4, 1), test_set = test::synthetic_set(400, 4, 2);
  Network a(test::synthetic_architecture()), b(test::synthetic_architecture());
  const auto reports = train(a, train_set, test_set, small_options(Optimizer::Sgd, 2));
  EXPECT_GT(reports.back().test_accuracy, 0.9);
  auto other = small_options(Optimizer::Sgd, 2);
  other.seed = 6;
  train(b, train_set, test_set, other);
  EXPECT_NE(a.parameters(1).weight, b.parameters(1).weight);
}

TEST(Train, RejectsBadInput) {
  const auto set = test::synthetic_set(10, 4, 1);
  Network net(test::synthetic_architecture());
  auto o = small_options(Optimizer::Adam, 1);
  o.epochs = 0;
  EXPECT_THROW(train(net, set, set, o), Error);
  o = small_options(Optimizer::Adam, 1);
  Network wide(Architecture::parse("input 1x8x8; linear 3 softmax"));  // labels reach 3
  EXPECT_THROW(train(wide, set, set, o), Error);
  Network lenet(Architecture::lenet());
  EXPECT_THROW(train(lenet, set, set, o), Error);  // 64 values per image, LeNet needs 784
}

}  // namespace
}  // namespace netinfer::net
