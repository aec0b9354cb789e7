#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "netinfer/reconstruct/simulator.hpp"
#include "netinfer/reconstruct/spike_data.hpp"

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

TEST(Simulator, PartialAndNoisyObservationKeepTheDynamicsAndCorruptAtTheGivenRates) {
  const std::string path = "/tmp/netinfer_observe_test_" + std::to_string(::getpid());
  SimulateOptions full{{"er:n=40:p=0.05"}, 200, 20, 0.2, 3};
  SimulateOptions partial = full, noisy = full;
  partial.recorded = 0.5;
  noisy.recorded = 0.5;
  noisy.missed = 0.2;
  noisy.false_spikes = 0.05;
  std::vector<std::int64_t> recorded;
  for (const auto* options : {&full, &partial, &noisy}) {
    h5::File file(path + std::to_string(options - &full) + ".h5", h5::File::Mode::Create);
    simulate_to_file(*options, file, MPI_COMM_SELF);
  }
  recorded = h5::File(path + "1.h5", h5::File::Mode::Read)
                 .read<std::int64_t>("/reconstruct/generators/g0000/recorded");
  const auto a = read_spike_file(path + "0.h5")[0], b = read_spike_file(path + "1.h5")[0],
             c = read_spike_file(path + "2.h5")[0];
  ASSERT_EQ(recorded.size(), 20u);
  EXPECT_TRUE(std::is_sorted(recorded.begin(), recorded.end()));
  EXPECT_EQ(std::adjacent_find(recorded.begin(), recorded.end()), recorded.end());
  ASSERT_EQ(b.n, 20);
  ASSERT_EQ(c.n, 20);
  double spikes = 0, lost = 0, silent = 0, added = 0;
  for (int i = 0; i < 20; ++i) {
    for (int j = 0; j < 20; ++j) {
      EXPECT_EQ(b.target(i, j), a.target(recorded[i], recorded[j]));
      EXPECT_EQ(c.target(i, j), b.target(i, j));
    }
    for (std::int64_t s = 0; s < 200; ++s)
      for (int t = 0; t < 20; ++t) {
        const int truth = a.spike(s, static_cast<int>(recorded[i]), t);
        ASSERT_EQ(b.spike(s, i, t), truth);  // the same dynamics, only fewer neurons
        (truth ? spikes : silent) += 1;
        (truth ? lost : added) += c.spike(s, i, t) != truth;
      }
  }
  // 80,000 observations: binomial standard errors below 0.005.
  EXPECT_NEAR(lost / spikes, 0.2, 0.02);
  EXPECT_NEAR(added / silent, 0.05, 0.01);
  for (int k = 0; k < 3; ++k) std::remove((path + std::to_string(k) + ".h5").c_str());
}

}  // namespace netinfer::reconstruct
