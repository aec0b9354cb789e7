// Results must not depend on the number of ranks: each test runs the
// distributed code on MPI_COMM_WORLD (1, 2 or 4 ranks under ctest) and
// compares with the same computation on one rank (MPI_COMM_SELF).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

#include "netinfer/core/mpi.hpp"
#include "netinfer/reconstruct/baselines.hpp"
#include "netinfer/reconstruct/dense_model.hpp"
#include "netinfer/reconstruct/inference.hpp"
#include "netinfer/reconstruct/locality_model.hpp"
#include "netinfer/reconstruct/simulator.hpp"
#include "netinfer/reconstruct/training.hpp"
#include "spike_files.hpp"

namespace netinfer::reconstruct {

namespace {

// A file name every rank agrees on.
std::string shared_path(const char* stem) {
  long pid = ::getpid();
  NI_MPI(MPI_Bcast(&pid, 1, MPI_LONG, 0, MPI_COMM_WORLD));
  return "/tmp/netinfer_reconstruct_mpitest_" + std::to_string(pid) + "_" + stem + ".h5";
}

std::vector<Example> examples(const std::vector<GeneratorData>& data, int b) {
  std::vector<Example> out;
  for (const auto& index : enumerate_samples(data, b, 1, "test"))
    out.push_back(make_example(data, index, b));
  return out;
}

}  // namespace

TEST(Distributed, SpikeFileIsTheSameForAnyRankCount) {
  const std::string path = shared_path("spikes");
  const SimulateOptions options{{"chain3", "er:n=7:p=0.3:count=2"}, 13, 9, 0.3, 42};
  std::vector<SimulatedGenerator> made;
  {
    h5::File file(path, h5::File::Mode::Create, MPI_COMM_WORLD);
    made = simulate_to_file(options, file, MPI_COMM_WORLD);
  }
  const auto data = read_spike_file(path);
  const auto generators = make_generators(options.generators, options.seed);
  ASSERT_EQ(data.size(), 3u);
  for (std::size_t g = 0; g < 3; ++g) {
    ASSERT_EQ(data[g].simulations, 13);
    EXPECT_EQ(data[g].target, generators[g].adjacency.cast<double>());
    std::int64_t spikes = 0;
    for (std::int64_t s = 0; s < 13; ++s) {
      Stream stream(options.seed, g, s);
      const Raster expected = simulate(generators[g].adjacency, 9, 0.3, stream);
      for (int i = 0; i < data[g].n; ++i)
        for (int t = 0; t < 9; ++t)
          ASSERT_EQ(data[g].spike(s, i, t), expected(i, t)) << g << " " << s;
      spikes += expected.cast<int>().sum();
    }
    EXPECT_DOUBLE_EQ(made[g].mean_activity, spikes / (13.0 * data[g].n * 9));
    EXPECT_DOUBLE_EQ(data[g].mean_activity, made[g].mean_activity);
  }
  NI_MPI(MPI_Barrier(MPI_COMM_WORLD));
  if (mpi_rank() == 0) std::remove(path.c_str());
}

TEST(Distributed, DataParallelTrainingEqualsOneRankTraining) {
  const auto data = testing::simulated({"chain3", "er:n=5:p=0.3"}, 40, 6, 0.25, 3);
  const auto all = examples(data, 6);
  const std::vector<Example> training(all.begin(), all.begin() + 60),
      validation(all.begin() + 60, all.end());
  TrainOptions options;
  options.steps = 60;
  options.batch = 7;  // uneven blocks over 2 and 4 ranks
  options.learning_rate = 5e-3;
  options.validate_every = 20;
  LocalityModel world(6, 4, 2), self(6, 4, 2);
  world.initialise(5);
  self.initialise(5);
  const auto log_world = train(world, training, validation, options, MPI_COMM_WORLD);
  const auto log_self = train(self, training, validation, options, MPI_COMM_SELF);
  const Eigen::VectorXd& a = world.parameters().values();
  const Eigen::VectorXd& b = self.parameters().values();
  EXPECT_EQ(a, b);  // bit for bit: chunk gradients added in a fixed order
  EXPECT_GT((a -
             [&] {
               LocalityModel fresh(6, 4, 2);
               fresh.initialise(5);
               return fresh.parameters().values();
             }())
                .norm(),
            0.1);  // training moved the parameters
  ASSERT_EQ(log_world.validation_loss.size(), 3u);
  EXPECT_EQ(log_world.validation_loss, log_self.validation_loss);
  EXPECT_EQ(log_world.loss, log_self.loss);

  // Every rank holds the same parameters.
  Eigen::VectorXd low = a, high = a;
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, low.data(), low.size(), MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD));
  NI_MPI(
      MPI_Allreduce(MPI_IN_PLACE, high.data(), high.size(), MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD));
  EXPECT_EQ(low, high);
}

TEST(Distributed, DenseModelTrainsTheSameOnAnyRankCount) {
  const auto data = testing::simulated({"chain3"}, 50, 5, 0.25, 4);
  const auto all = examples(data, 5);
  TrainOptions options;
  options.steps = 40;
  options.batch = 6;
  options.learning_rate = 1e-2;
  DenseModel world(3, 5, 8), self(3, 5, 8);
  world.initialise(2);
  self.initialise(2);
  train(world, all, {}, options, MPI_COMM_WORLD);
  train(self, all, {}, options, MPI_COMM_SELF);
  EXPECT_EQ(world.parameters().values(), self.parameters().values());
}

TEST(Distributed, InferenceIsTheSameForAnyRankCount) {
  const auto data = testing::simulated({"chain3", "er:n=6:p=0.3"}, 11, 12, 0.3, 6);
  LocalityModel model(4, 3, 1);
  model.initialise(7);
  const auto world = infer(model, data, 3, "test", MPI_COMM_WORLD);
  const auto self = infer(model, data, 3, "test", MPI_COMM_SELF);
  for (std::size_t g = 0; g < data.size(); ++g) {
    ASSERT_EQ(world[g].sample_loss.size(), 33u);
    EXPECT_EQ(world[g].mean_output, self[g].mean_output);
    EXPECT_EQ(world[g].sample_loss, self[g].sample_loss);
    EXPECT_EQ(world[g].sample_correct, self[g].sample_correct);
  }
}

TEST(Distributed, BaselinesAreBitIdenticalOnAnyRankCountAndOnEveryRank) {
  // n = 70: three tiles of targets, the last one short.
  const auto data = testing::simulated({"er:n=70:p=0.03"}, 12, 10, 0.2, 8);
  for (const Baseline& b : baselines()) {
    const Eigen::MatrixXd world = b.scores(data[0], 10, MPI_COMM_WORLD);
    const Eigen::MatrixXd self = b.scores(data[0], 10, MPI_COMM_SELF);
    EXPECT_TRUE(world.allFinite()) << b.name;
    EXPECT_EQ(world, self) << b.name;
    Eigen::MatrixXd low = world, high = world;
    NI_MPI(
        MPI_Allreduce(MPI_IN_PLACE, low.data(), low.size(), MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD));
    NI_MPI(
        MPI_Allreduce(MPI_IN_PLACE, high.data(), high.size(), MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD));
    EXPECT_EQ(low, high) << b.name;
  }
}

}  // namespace netinfer::reconstruct
