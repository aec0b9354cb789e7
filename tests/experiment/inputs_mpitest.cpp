// The shared-input stage at 1, 2 and 4 ranks against a one-process reference:
// each set file's activation rates must be the exact fraction of images with a
// non-zero response in a plain forward pass, its moments the naive ones, and
// a second call must reuse every file.
#include "netinfer/experiment/inputs.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "netinfer/core/mpi.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::experiment {

TEST(Inputs, SetFilesMatchADirectForwardPassAndAreReused) {
  const auto arch = net::Architecture::parse(
      "input 1x8x8; conv 3 3 ramp; maxpool 2; linear 4 ramp; linear 3 softmax");
  net::Network network(arch);
  network.initialise(5);
  std::string scratch = "/tmp/netinfer_inputs_mpitest_" + std::to_string(mpi_size());
  if (mpi_rank() == 0) std::filesystem::remove_all(scratch);

  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN", "IMPULSE"};
  axes.eigenvectors = {"3"};
  axes.images = {"45"};  // uneven shards at 2 and 4 ranks
  JobSettings settings;
  settings.seed = 9;
  const Plan p = plan(expand(axes), settings);
  ASSERT_EQ(p.spectra.size(), 2u);
  const InputTimes first = prepare_inputs(network, p.spectra, scratch, false, MPI_COMM_WORLD);
  EXPECT_EQ(first.responses_computed, 2);
  EXPECT_EQ(first.spectra_computed, 2);

  if (mpi_rank() == 0) {
    for (const auto& key : p.spectra) {
      EXPECT_FALSE(std::filesystem::exists(responses_file(scratch, key.responses)))
          << "response matrices are removed once the set files exist";
      const SetData d = load_set(scratch, key);
      stimuli::ImageSetOptions io;
      io.seed = 9;
      io.images = 45;
      io.shape = arch.shape(0);
      const auto set = stimuli::make_image_set(key.responses.set, io);
      const std::int64_t m = set->size();
      EXPECT_EQ(d.images, m);
      net::Matrix images(arch.shape(0).size(), m), responses;
      for (std::int64_t i = 0; i < m; ++i) set->image(i, images.col(i).data());
      network.forward(images, responses);
      const std::int64_t n = arch.neuron_count();
      ASSERT_EQ(static_cast<std::int64_t>(d.activation_rate.size()), n);
      ASSERT_EQ(d.features.eigenvectors.rows(), n);
      ASSERT_EQ(d.features.eigenvectors.cols(), 3);
      for (std::int64_t i = 0; i < n; ++i) {
        double nonzero = 0, sum = 0;
        for (std::int64_t j = 0; j < m; ++j) {
          nonzero += responses(i, j) != 0;
          sum += responses(i, j);
        }
        EXPECT_EQ(d.activation_rate[i], nonzero / static_cast<double>(m))
            << key.responses.set << " neuron " << i;
        EXPECT_NEAR(d.features.moments[0][i], sum / static_cast<double>(m), 1e-12);
      }
      // IMPULSE drives every input pixel in 2 of its 128 images.
      if (key.responses.set == "IMPULSE") {
        EXPECT_EQ(d.activation_rate[0], 2.0 / 128);
      }
      // Eigenvectors are unit columns.
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(d.features.eigenvectors.col(c).norm(), 1.0, 1e-9);
    }
  }
  const InputTimes again = prepare_inputs(network, p.spectra, scratch, false, MPI_COMM_WORLD);
  EXPECT_EQ(again.responses_computed, 0);
  EXPECT_EQ(again.spectra_computed, 0);
  NI_MPI(MPI_Barrier(MPI_COMM_WORLD));
  if (mpi_rank() == 0) std::filesystem::remove_all(scratch);
}

}  // namespace netinfer::experiment
