// A recording only selects rows: the responses and moments of the recorded
// neurons are bitwise the rows of the whole network's, and Algorithm 1 on the
// recorded rows gives the same placement as on every neuron's features with
// the same (recorded) split. The whole-network path is the reference.
#include <gtest/gtest.h>

#include <algorithm>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/localize/localize.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/net/graph.hpp"

namespace netinfer::localize {

namespace {

const char* const kArch = "input 1x8x10; conv 3 3 ramp; maxpool 2; linear 6 ramp; linear 4 softmax";

}  // namespace

TEST(Recording, ResponsesAndMomentsAreTheRecordedRows) {
  const auto arch = net::Architecture::parse(kArch);
  net::Network network(arch);
  network.initialise(5);
  stimuli::ImageSetOptions options;
  options.images = 700;  // three chunks: uneven at 2 and 4 ranks
  options.shape = arch.shape(0);
  const auto set = stimuli::make_image_set("GAUSSIAN", options);
  const net::Recording all(arch), some = net::make_recording(arch, "0.3,LINEARSOFT=1", 2);
  ASSERT_LT(some.size(), all.size());
  const auto full = compute_responses(network, *set, all, MPI_COMM_WORLD);
  const auto part = compute_responses(network, *set, some, MPI_COMM_WORLD);
  ASSERT_EQ(part.matrix.rows(), some.size());
  ASSERT_EQ(part.matrix.cols(), full.matrix.cols());
  const Moments mf = reduce_moments(full, all, MPI_COMM_WORLD);
  const Moments mp = reduce_moments(part, some, MPI_COMM_WORLD);
  std::vector<std::int64_t> silent_per_layer(arch.layer_count(), 0);
  for (std::int64_t r = 0; r < some.size(); ++r) {
    const std::int64_t n = some.neuron(r);
    ASSERT_TRUE((part.matrix.row(r).array() == full.matrix.row(n).array()).all()) << n;
    EXPECT_EQ(mp.mean[r], mf.mean[n]);
    EXPECT_EQ(mp.std[r], mf.std[n]);
    EXPECT_EQ(mp.skewness[r], mf.skewness[n]);
    EXPECT_EQ(mp.kurtosis[r], mf.kurtosis[n]);
    EXPECT_EQ(mp.activation_rate[r], mf.activation_rate[n]);
    EXPECT_EQ(mp.silent[r], mf.silent[n]);
    silent_per_layer[arch.layer_of(n)] += mf.silent[n];
  }
  EXPECT_EQ(mp.silent_per_layer, silent_per_layer);
}

TEST(Recording, LocalizingTheRecordedRowsIsLocalizingTheirNeurons) {
  const auto arch = net::Architecture::parse(kArch);
  const net::Recording all(arch), some = net::make_recording(arch, "0.5", 3);
  // Every neuron's features: its location plus noise, so the bank has work.
  Stream s(9, purpose_id("recording-test"), 0);
  RowMatrix features(arch.neuron_count(), 5);
  std::vector<std::uint8_t> silent(arch.neuron_count(), 0);
  for (std::int64_t n = 0; n < arch.neuron_count(); ++n) {
    const auto loc = arch.location(n);
    features.row(n) << loc.layer, loc.family, loc.x, loc.y, 0;
    for (int c = 0; c < 5; ++c) features(n, c) += 0.7 * s.normal();
    silent[n] = s.uniform() < 0.1;
  }
  RowMatrix recorded(some.size(), 5);
  std::vector<std::uint8_t> recorded_silent;
  for (std::int64_t r = 0; r < some.size(); ++r) {
    recorded.row(r) = features.row(some.neuron(r));
    recorded_silent.push_back(silent[some.neuron(r)]);
  }
  const Split split = perfect_split(arch, some);
  // The split covers exactly the recorded neurons.
  std::vector<std::int64_t> covered = split.train;
  covered.insert(covered.end(), split.test.begin(), split.test.end());
  std::sort(covered.begin(), covered.end());
  EXPECT_EQ(covered, some.neurons());

  LocalizeOptions o;
  o.seed = 5;
  o.bank.seed = 6;
  o.bank.classifier.trees = 20;
  const net::Graph graph(arch);
  const LocalizeResult a =
      localize(graph, some, recorded, recorded_silent, split, o, MPI_COMM_WORLD);
  const LocalizeResult b = localize(graph, all, features, silent, split, o, MPI_COMM_WORLD);
  EXPECT_EQ(a.tests, b.tests);
  EXPECT_EQ(a.assigned, b.assigned);
  EXPECT_EQ(a.silent, b.silent);
  EXPECT_EQ(a.score.overall, b.score.overall);
  EXPECT_EQ(a.score.layer_symmetric, b.score.layer_symmetric);
  // Placed among the recorded test locations only.
  for (auto n : a.assigned)
    EXPECT_TRUE(std::binary_search(split.test.begin(), split.test.end(), n));
  // A test neuron that is not recorded has no row: refused.
  Split wrong = split;
  wrong.test.push_back(arch.neuron_count() - 1);
  if (!some.recorded(arch.neuron_count() - 1)) {
    EXPECT_THROW(localize(graph, some, recorded, recorded_silent, wrong, o, MPI_COMM_WORLD),
                 netinfer::Error);
  }
}

}  // namespace netinfer::localize
