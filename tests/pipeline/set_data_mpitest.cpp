// The set stage at 1, 2 and 4 ranks against a one-process reference: the
// moments and activation rates of responses kept in memory must be the naive
// ones of a plain forward pass, the spectrum the leading eigenpairs of a dense
// solve of |corr|, the same bits as the route through a responses file, and
// a second call must take every set from the cache.
#include "netinfer/pipeline/set_data.hpp"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <filesystem>

#include "netinfer/core/mpi.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::pipeline {

namespace {

// |corr| of a neurons x images response matrix, silent neurons' rows and
// columns zero (the spectral stage's convention).
Eigen::MatrixXd abs_correlation(const net::Matrix& r) {
  const Eigen::Index n = r.rows(), m = r.cols();
  Eigen::MatrixXd z(n, m);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double mean = r.row(i).mean();
    const double sd = std::sqrt((r.row(i).array() - mean).square().mean());
    const bool silent = r.row(i).maxCoeff() == r.row(i).minCoeff();
    if (silent) {
      z.row(i).setZero();
    } else {
      z.row(i) = (r.row(i).array() - mean) / sd;
    }
  }
  return (z * z.transpose() / static_cast<double>(m)).cwiseAbs();
}

}  // namespace

TEST(SetData, InMemoryMatchesForwardPassDenseSolveFileRouteAndCache) {
  const auto arch = net::Architecture::parse(
      "input 1x8x8; conv 3 3 ramp; maxpool 2; linear 4 ramp; linear 3 softmax");
  net::Network network(arch);
  network.initialise(5);
  const std::string dir = "/tmp/netinfer_set_data_mpitest_" + std::to_string(mpi_size());
  if (mpi_rank() == 0) std::filesystem::remove_all(dir);
  NI_MPI(MPI_Barrier(MPI_COMM_WORLD));

  std::vector<SpectrumKey> keys;
  for (const char* set : {"GAUSSIAN", "IMPULSE"}) {
    SpectrumKey key;
    key.responses = {set, 600, 9, ""};  // 600 images: three chunks, uneven at 2 and 4 ranks
    key.k = 3;
    keys.push_back(key);
  }
  SetSource from_network;
  from_network.network = &network;
  SetTimes first;
  const auto sets = prepare_sets(from_network, keys, SetCache(dir), MPI_COMM_WORLD, &first);
  EXPECT_EQ(first.computed, 2);
  EXPECT_EQ(first.cached, 0);

  // The same sets through a responses file.
  const std::string file = dir + "/responses.h5";
  {
    h5::Output out(file, true, MPI_COMM_WORLD);
    stimuli::ImageSetOptions io;
    io.seed = 9;
    io.images = 600;
    io.shape = arch.shape(0);
    localize::respond_sets(network, net::Recording(arch), {"GAUSSIAN", "IMPULSE"}, io, out.file(),
                           MPI_COMM_WORLD);
    out.commit();
  }
  {
    const h5::File responses(file, h5::File::Mode::Read, MPI_COMM_WORLD);
    SetSource from_file;
    from_file.responses = &responses;
    const auto read = prepare_sets(from_file, keys, SetCache(), MPI_COMM_WORLD);
    for (const auto& key : keys) {
      const SetData& a = sets.at(key.text());
      const SetData& b = read.at(key.text());
      EXPECT_EQ(a.spectrum.eigenvalues, b.spectrum.eigenvalues) << key.text();
      EXPECT_EQ(a.spectrum.eigenvectors, b.spectrum.eigenvectors) << key.text();
      EXPECT_EQ(a.moments.mean, b.moments.mean);
      EXPECT_EQ(a.moments.kurtosis, b.moments.kurtosis);
    }
  }

  if (mpi_rank() == 0) {
    for (const auto& key : keys) {
      const SetData& d = sets.at(key.text());
      stimuli::ImageSetOptions io;
      io.seed = 9;
      io.images = 600;
      io.shape = arch.shape(0);
      const auto set = stimuli::make_image_set(key.responses.set, io);
      const std::int64_t m = set->size();
      EXPECT_EQ(d.moments.images, m);
      net::Matrix images(arch.shape(0).size(), m), responses;
      for (std::int64_t i = 0; i < m; ++i) set->image(i, images.col(i).data());
      network.forward(images, responses);
      const std::int64_t n = arch.neuron_count();
      ASSERT_EQ(static_cast<std::int64_t>(d.moments.activation_rate.size()), n);
      for (std::int64_t i = 0; i < n; ++i) {
        double nonzero = 0, sum = 0;
        for (std::int64_t j = 0; j < m; ++j) {
          nonzero += responses(i, j) != 0;
          sum += responses(i, j);
        }
        EXPECT_EQ(d.moments.activation_rate[i], nonzero / static_cast<double>(m))
            << key.responses.set << " neuron " << i;
        EXPECT_NEAR(d.moments.mean[i], sum / static_cast<double>(m), 1e-12);
      }
      // IMPULSE drives every input pixel in 2 of its 128 images.
      if (key.responses.set == "IMPULSE") {
        EXPECT_EQ(d.moments.activation_rate[0], 2.0 / 128);
      }
      // The spectrum against a dense solve of |corr|.
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> dense(abs_correlation(responses));
      ASSERT_EQ(d.spectrum.eigenvectors.rows(), n);
      ASSERT_EQ(d.spectrum.eigenvectors.cols(), 3);
      for (int c = 0; c < 3; ++c) {
        const Eigen::Index j = n - 1 - c;
        EXPECT_NEAR(d.spectrum.eigenvalues[c], dense.eigenvalues()[j],
                    1e-9 * dense.eigenvalues()[n - 1]);
        EXPECT_NEAR(std::abs(d.spectrum.eigenvectors.col(c).dot(dense.eigenvectors().col(j))), 1.0,
                    1e-7)
            << key.responses.set << " eigenvector " << c;
      }
      EXPECT_FALSE(
          std::filesystem::exists(dir + "/responses-" + file_stem(key.responses.text()) + ".h5"))
          << "responses are not written unless asked";
    }
  }
  SetTimes again;
  const auto cached = prepare_sets(from_network, keys, SetCache(dir), MPI_COMM_WORLD, &again);
  EXPECT_EQ(again.computed, 0);
  EXPECT_EQ(again.cached, 2);
  for (const auto& key : keys) {
    EXPECT_EQ(cached.at(key.text()).spectrum.eigenvectors,
              sets.at(key.text()).spectrum.eigenvectors);
    EXPECT_EQ(cached.at(key.text()).moments.activation_rate,
              sets.at(key.text()).moments.activation_rate);
  }
  NI_MPI(MPI_Barrier(MPI_COMM_WORLD));
  if (mpi_rank() == 0) std::filesystem::remove_all(dir);
}

}  // namespace netinfer::pipeline
