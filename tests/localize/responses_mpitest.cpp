// The response stage at 1, 2 and 4 ranks against a one-process reference:
// the response matrix read back from the collectively written file must equal
// a plain forward pass, and the moments naive per-neuron sums.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::localize {

TEST(Responses, ShardedFileMatchesSerialReference) {
  const auto arch =
      net::Architecture::parse("input 1x8x8; conv 3 3 ramp; maxpool 2; linear 5 softmax");
  net::Network network(arch);
  network.initialise(3);
  stimuli::ImageSetOptions options;
  options.images = 37;  // not divisible by 2 or 4: uneven shards
  options.shape = arch.shape(0);
  options.seed = 11;
  const auto set = stimuli::make_image_set("GAUSSIAN", options);

  const net::Recording all(arch);
  const auto shard = compute_responses(network, *set, all, MPI_COMM_WORLD);
  const auto moments = reduce_moments(shard, all, MPI_COMM_WORLD);
  const std::string path = "/tmp/netinfer_responses_mpitest_" + std::to_string(mpi_size()) + ".h5";
  {
    h5::Output out(path, true, MPI_COMM_WORLD);
    write_network(out.file(), arch);
    write_responses(out.file(), shard, moments, options);
    out.commit();
  }
  if (mpi_rank() == 0) {
    net::Matrix images(arch.shape(0).size(), options.images), reference;
    for (int i = 0; i < options.images; ++i) set->image(i, images.col(i).data());
    network.forward(images, reference);
    h5::File file(path, h5::File::Mode::Read);
    const std::uint64_t n = arch.neuron_count();
    const auto matrix = file.read<double>("/responses/GAUSSIAN/matrix", {n, 37});
    const auto mean = file.read<double>("/responses/GAUSSIAN/mean", {n});
    const auto sd = file.read<double>("/responses/GAUSSIAN/std", {n});
    const auto kurt = file.read<double>("/responses/GAUSSIAN/kurtosis", {n});
    const auto silent = file.read<std::uint8_t>("/responses/GAUSSIAN/silent", {n});
    std::int64_t silent_count = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      double s = 0, s2 = 0, s4 = 0;
      bool constant = true;
      for (int j = 0; j < 37; ++j) {
        ASSERT_EQ(matrix[i * 37 + j], reference(i, j)) << "neuron " << i << " image " << j;
        s += reference(i, j);
        constant = constant && reference(i, j) == reference(i, 0);
      }
      const double mu = s / 37;
      for (int j = 0; j < 37; ++j) {
        const double d = reference(i, j) - mu;
        s2 += d * d;
        s4 += d * d * d * d;
      }
      EXPECT_NEAR(mean[i], mu, 1e-12);
      EXPECT_NEAR(sd[i], std::sqrt(s2 / 37), 1e-12);
      if (!constant) {
        EXPECT_NEAR(kurt[i], (s4 / 37) / (s2 / 37 * s2 / 37), 1e-9);
      }
      EXPECT_EQ(silent[i], constant ? 1 : 0);
      silent_count += constant;
    }
    const auto per_layer = file.read<std::int64_t>("/responses/GAUSSIAN/silent_per_layer");
    std::int64_t total = 0;
    for (auto c : per_layer) total += c;
    EXPECT_EQ(total, silent_count);
    EXPECT_EQ(file.attr_int("/network", "neuron_count"), arch.neuron_count());
    std::remove(path.c_str());
  }
}

// The in-memory route to the correlation's layout (one redistribution of the
// dealt chunks) gives the same matrix, bit for bit, as reading it back from
// the file; a file without the set or without /responses is refused clearly.
TEST(Responses, InMemoryLayoutEqualsTheFileRouteAndBadFilesAreRefused) {
  const auto arch = net::Architecture::parse("input 1x6x6; conv 2 3 ramp; linear 3 softmax");
  net::Network network(arch);
  network.initialise(4);
  stimuli::ImageSetOptions options;
  options.images = 700;  // three chunks: uneven at 2 and 4 ranks
  options.shape = arch.shape(0);
  const auto set = stimuli::make_image_set("GAUSSIAN", options);
  const std::string path = "/tmp/netinfer_responses_layout_" + std::to_string(mpi_size()) + ".h5";
  {
    h5::Output out(path, true, MPI_COMM_WORLD);
    respond_sets(network, net::Recording(arch), {"GAUSSIAN"}, options, out.file(), MPI_COMM_WORLD);
    out.commit();
  }
  const dist::Grid grid(MPI_COMM_WORLD);
  const h5::File file(path, h5::File::Mode::Read, MPI_COMM_WORLD);
  const auto from_file = read_response_columns<float>(file, "GAUSSIAN", grid, 64, 5);
  const auto in_memory = response_columns<float>(
      compute_responses(network, *set, net::Recording(arch), MPI_COMM_WORLD), grid, 64, 5);
  ASSERT_EQ(in_memory.rows(), 700);
  ASSERT_EQ(in_memory.cols(), arch.neuron_count());
  ASSERT_EQ(in_memory.local_rows(), from_file.local_rows());
  ASSERT_EQ(in_memory.local_cols(), from_file.local_cols());
  for (int j = 0; j < in_memory.local_cols(); ++j)
    for (int i = 0; i < in_memory.local_rows(); ++i)
      ASSERT_EQ(in_memory.local(i, j), from_file.local(i, j)) << i << ", " << j;
  const auto refused = [&](const h5::File& f) {
    try {
      read_moments(f, "MNIST");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(refused(file).find("no responses for image set 'MNIST' (it has: GAUSSIAN;"),
            std::string::npos);
  const std::string other = path + ".other";
  {
    h5::Output out(other, true, MPI_COMM_WORLD);
    out.file().write("/something", std::vector<double>{1.0});
    out.commit();
  }
  const h5::File not_responses(other, h5::File::Mode::Read, MPI_COMM_WORLD);
  EXPECT_NE(refused(not_responses).find("no /responses group"), std::string::npos);
  NI_MPI(MPI_Barrier(MPI_COMM_WORLD));
  if (mpi_rank() == 0) {
    std::remove(path.c_str());
    std::remove(other.c_str());
  }
}

}  // namespace netinfer::localize
