#include <gtest/gtest.h>

#include "netinfer/reconstruct/simulator.hpp"

namespace netinfer::reconstruct {

TEST(Simulator, WorkedStepOfSection2_1_1) {
  // M of Fig. 2.1, S^0 = [1,0,0], R^0 = [0,1,0]: M S^0 + R^0 = [0,2,1], clipped to [0,1,1].
  const Adjacency m = three_neuron_network("chain3");
  Eigen::VectorXi s(3), r(3), expected(3);
  s << 1, 0, 0;
  r << 0, 1, 0;
  expected << 0, 1, 1;
  EXPECT_EQ(next_state(m, s, r), expected);
}

TEST(Simulator, RasterFollowsTheUpdateRuleWithTheStreamsDraws) {
  const Adjacency m = three_neuron_network("cyclic3");
  Stream stream(7, 2, 5), replay(7, 2, 5);
  const Raster raster = simulate(m, 12, 0.3, stream);
  ASSERT_EQ(raster.rows(), 3);
  ASSERT_EQ(raster.cols(), 12);
  // Naive re-run: S^0 from the first 3 uniforms, then R^t from the next 3 per step.
  int state[3];
  for (int& v : state) v = replay.uniform() < 0.3;
  for (int t = 0; t < 12; ++t) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(raster(i, t), state[i]) << "t " << t << " neuron " << i;
    if (t == 11) break;
    int next[3];
    for (int i = 0; i < 3; ++i) {
      int sum = replay.uniform() < 0.3;
      for (int j = 0; j < 3; ++j) sum += m(i, j) * state[j];
      next[i] = sum > 0 ? 1 : 0;
    }
    std::copy(next, next + 3, state);
  }
}

TEST(Simulator, RateZeroIsSilentAndRateOneSaturates) {
  const Adjacency m = three_neuron_network("chain3");
  Stream a(1, 0, 0), b(1, 0, 1);
  EXPECT_EQ(simulate(m, 20, 0.0, a).cast<int>().sum(), 0);
  EXPECT_EQ(simulate(m, 20, 1.0, b).cast<int>().sum(), 60);
}

TEST(Simulator, SpikesPropagateAlongTheChain) {
  // Without random input (R = 0): a spike of neuron 0 reaches 1 and 2 in the
  // next step, 2 once more the step after (through 1), and then dies out.
  const Adjacency m = three_neuron_network("chain3");
  Eigen::VectorXi s(3), zero = Eigen::VectorXi::Zero(3);
  s << 1, 0, 0;
  s = next_state(m, s, zero);
  EXPECT_EQ(s, (Eigen::VectorXi(3) << 0, 1, 1).finished());
  s = next_state(m, s, zero);
  EXPECT_EQ(s, (Eigen::VectorXi(3) << 0, 0, 1).finished());
  s = next_state(m, s, zero);
  EXPECT_EQ(s, zero);
}

}  // namespace netinfer::reconstruct
