#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/dist/read_matrix.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::spectral {

namespace {

constexpr int kNeurons = 70, kImages = 90;

// Row-major [neuron][image] responses with local structure; neurons 4 and
// 33 are silent.
std::vector<double> make_responses(std::uint64_t seed) {
  std::vector<double> pixel(kImages * 12), r(kNeurons * kImages);
  Stream s(seed, purpose_id("stage test"), 0);
  for (double& p : pixel) p = s.normal();
  for (int i = 0; i < kNeurons; ++i) {
    const double w0 = s.normal(), w1 = s.normal();
    for (int j = 0; j < kImages; ++j) {
      const double v = w0 * pixel[j * 12 + i % 12] + w1 * pixel[j * 12 + (i + 1) % 12];
      r[i * kImages + j] = (i == 4 || i == 33) ? 0.25 : (i % 3 ? std::max(0.0, v) : v);
    }
  }
  return r;
}

// Dense reference: |Pearson| (0 for silent neurons), Eigen's eigensolver, the sign rule.
void reference(const std::vector<double>& r, int k, Eigen::VectorXd& values,
               Eigen::MatrixXd& vectors) {
  Eigen::MatrixXd z(kNeurons, kImages);
  for (int i = 0; i < kNeurons; ++i) {
    double mean = 0, ss = 0;
    bool constant = true;
    for (int j = 0; j < kImages; ++j) {
      mean += r[i * kImages + j] / kImages;
      constant = constant && r[i * kImages + j] == r[i * kImages];
    }
    for (int j = 0; j < kImages; ++j) ss += std::pow(r[i * kImages + j] - mean, 2);
    for (int j = 0; j < kImages; ++j) {
      z(i, j) = constant ? 0.0 : (r[i * kImages + j] - mean) / std::sqrt(ss);
    }
  }
  const Eigen::MatrixXd c = (z * z.transpose()).cwiseAbs();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
  values.resize(k);
  vectors.resize(kNeurons, k);
  for (int i = 0; i < k; ++i) {
    values[i] = eig.eigenvalues()[kNeurons - 1 - i];
    vectors.col(i) = eig.eigenvectors().col(kNeurons - 1 - i);
  }
  apply_sign_rule(vectors);
}

// The stage on a file's response matrix laid out as it takes it.
Spectrum spectrum_of(const h5::File& file, const std::string& set, const SpectralOptions& o) {
  const dist::Grid grid(MPI_COMM_WORLD);
  const std::string matrix = "/responses/" + set + "/matrix";
  check_request(set, kNeurons, kImages, o, MPI_COMM_WORLD);
  if (o.precision == Precision::double_precision)
    return compute_spectrum(
        dist::read_column_major<double>(file, matrix, grid, kImageBlock, o.block), set, o);
  return compute_spectrum(dist::read_column_major<float>(file, matrix, grid, kImageBlock, o.block),
                          set, o);
}

std::string temp_name(const char* what) {
  char name[96];
  std::snprintf(name, sizeof name, "/tmp/netinfer_stage_%s_%d.h5", what,
                static_cast<int>(getppid()));
  return name;
}

class StageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = temp_name("responses");
    if (mpi_rank() == 0) {
      h5::File file(path_, h5::File::Mode::Create);
      file.set_attr("/network", "neuron_count", static_cast<std::int64_t>(kNeurons));
      for (const char* set : {"GAUSSIAN", "PATCH(w=1:5,f=1,b=0)"}) {
        const auto r = make_responses(std::string(set) == "GAUSSIAN" ? 1 : 2);
        file.write(std::string("/responses/") + set + "/matrix", r.data(), {kNeurons, kImages});
      }
    }
    MPI_Barrier(MPI_COMM_WORLD);
  }
  void TearDown() override {
    MPI_Barrier(MPI_COMM_WORLD);
    if (mpi_rank() == 0) {
      std::remove(path_.c_str());
      std::remove(temp_name("out").c_str());
    }
  }
  std::string path_;
};

}  // namespace

TEST_F(StageTest, EverySolverMatchesTheDenseReferenceWithSilentEntriesExactlyZero) {
  const h5::File file(path_, h5::File::Mode::Read, MPI_COMM_WORLD);
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  reference(make_responses(2), 6, values, vectors);
  for (Solver s : {Solver::lanczos, Solver::elpa2, Solver::scalapack}) {
    SpectralOptions o;
    o.k = 6;
    o.solver = s;
    o.block = 16;
    const Spectrum got = spectrum_of(file, "PATCH(w=1:5,f=1,b=0)", o);
    EXPECT_EQ(got.neurons, kNeurons);
    EXPECT_EQ(got.images, kImages);
    EXPECT_EQ(got.silent, 2);
    EXPECT_LT(((got.eigenvalues - values).array() / values.array()).abs().maxCoeff(), 1e-10)
        << solver_name(s);
    EXPECT_LT((got.eigenvectors - vectors).cwiseAbs().maxCoeff(), 1e-6) << solver_name(s);
    EXPECT_EQ(got.eigenvectors.row(4).cwiseAbs().maxCoeff(), 0.0) << solver_name(s);
    EXPECT_EQ(got.eigenvectors.row(33).cwiseAbs().maxCoeff(), 0.0) << solver_name(s);
    EXPECT_GT(got.peak_bytes, 0u);
  }
}

TEST_F(StageTest, WritesEigenpairsWithAttributes) {
  const h5::File file(path_, h5::File::Mode::Read, MPI_COMM_WORLD);
  SpectralOptions o;
  o.k = 4;
  o.precision = Precision::single_precision;
  o.transform = Transform::cm2;
  const Spectrum s = spectrum_of(file, "GAUSSIAN", o);
  {
    h5::Output out(temp_name("out"), true, MPI_COMM_WORLD);
    write_spectrum(out.file(), s, o);
    out.commit();
  }
  const h5::File back(temp_name("out"), h5::File::Mode::Read, MPI_COMM_WORLD);
  const auto values = back.read<double>("/spectral/GAUSSIAN/eigenvalues", {4});
  const auto vectors = back.read<double>("/spectral/GAUSSIAN/eigenvectors", {kNeurons, 4});
  for (int j = 0; j < 4; ++j) {
    EXPECT_EQ(values[j], s.eigenvalues[j]);
    for (int i = 0; i < kNeurons; ++i) EXPECT_EQ(vectors[i * 4 + j], s.eigenvectors(i, j));
  }
  EXPECT_EQ(back.attr_string("/spectral/GAUSSIAN", "transform"), "cm^2");
  EXPECT_EQ(back.attr_string("/spectral/GAUSSIAN", "precision"), "single");
  EXPECT_EQ(back.attr_string("/spectral/GAUSSIAN", "solver"), "lanczos");
  EXPECT_EQ(back.attr_int("/spectral/GAUSSIAN", "k"), 4);
  EXPECT_EQ(back.attr_int("/spectral/GAUSSIAN", "silent_neurons"), 2);
  EXPECT_NE(back.attr_string("/spectral/GAUSSIAN", "sign_rule").find("largest absolute"),
            std::string::npos);
  EXPECT_NE(back.attr_string("/spectral/GAUSSIAN", "silent_handling").find("exactly 0"),
            std::string::npos);
}

TEST(CheckRequest, RefusesWhatTheSetCannotMeetWithAClearMessageOnEveryRank) {
  const auto message = [&](int k, std::int64_t images) {
    SpectralOptions o;
    o.k = k;
    try {
      check_request("GAUSSIAN", kNeurons, images, o, MPI_COMM_WORLD);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(4, kImages), "no error");
  EXPECT_NE(message(71, kImages).find("(k) 71: must be between 1 and the 70 neurons"),
            std::string::npos);
  EXPECT_NE(message(0, kImages).find("(k) 0: must be between 1"), std::string::npos);
  EXPECT_NE(message(4, 1).find("has 1 images; correlations need at least 2"), std::string::npos);
}

TEST(PeakBytes, FollowsTheDocumentedFormula) {
  SpectralOptions o;
  // LeNet, 10,000 images, 2 ranks (a 2 x 1 grid), double, lanczos: the
  // correlation phase peaks, (n m / P + n^2 / P) 8 + 512 (2 n + n / 2 + n) 8
  // plus the replicated result 16 n k, ~2.6 GB; the formula adds up to one
  // block of padding per dimension.
  const double n = 19694, m = 10000;
  const double expected = (n * m / 2 + n * n / 2) * 8 + 512 * (2 * n + n / 2 + n) * 8 + 16 * n * 16;
  const double lenet = peak_bytes_per_rank(19694, 10000, o, 2);
  EXPECT_GT(lenet, expected);
  EXPECT_LT(lenet, 1.06 * expected);
  o.precision = Precision::single_precision;
  EXPECT_LT(peak_bytes_per_rank(19694, 10000, o, 2), 0.55 * lenet);
  o.precision = Precision::double_precision;
  o.solver = Solver::elpa2;  // solving: 2 n^2 / P doubles + the result
  EXPECT_GT(peak_bytes_per_rank(19694, 10000, o, 2), n * n * 8);
}

}  // namespace netinfer::spectral
