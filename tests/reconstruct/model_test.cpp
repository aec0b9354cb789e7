#include <gtest/gtest.h>

#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/reconstruct/dense_model.hpp"
#include "netinfer/reconstruct/locality_model.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {

// Random 0/1 rasters and targets of the given sizes (targets own their storage).
struct RandomBatch {
  std::vector<Eigen::MatrixXd> targets;
  std::vector<Example> examples;
  RandomBatch(const std::vector<int>& sizes, int b, std::uint64_t seed) {
    Stream rng(seed, purpose_id("test"), 0);
    targets.reserve(sizes.size());
    for (int n : sizes) {
      Eigen::MatrixXd t(n, n), x(n, b);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) t(i, j) = i != j && rng.uniform() < 0.4;
      for (int i = 0; i < n; ++i)
        for (int k = 0; k < b; ++k) x(i, k) = rng.uniform() < 0.4;
      targets.push_back(t);
      examples.push_back({x, nullptr});
    }
    for (std::size_t s = 0; s < sizes.size(); ++s) examples[s].target = &targets[s];
  }
};

Eigen::MatrixXd block(const Model& model, const std::string& name) {
  const auto& blocks = model.parameters().blocks();
  for (int k = 0; k < static_cast<int>(blocks.size()); ++k)
    if (blocks[k].name == name) return model.parameters()[k];
  ADD_FAILURE() << "no block " << name;
  return {};
}

Eigen::VectorXd relu(const Eigen::VectorXd& v) {
  return v.cwiseMax(0.0);
}

// The conceptual, per-pair model of 001 §2.2.2, written with explicit loops.
Eigen::MatrixXd naive_locality(const LocalityModel& model, const Eigen::MatrixXd& x) {
  const int n = static_cast<int>(x.rows()), b = static_cast<int>(x.cols()), d = model.d();
  const Eigen::MatrixXd w = block(model, "W"), bias = block(model, "B");
  std::vector<std::vector<Eigen::VectorXd>> dd(n, std::vector<Eigen::VectorXd>(n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      Eigen::VectorXd pair(2 * b);
      pair << x.row(i).transpose(), x.row(j).transpose();
      dd[i][j] = relu(w * pair + bias);
    }
  for (int l = 0; l < model.layers(); ++l) {
    const std::string p = "layer" + std::to_string(l) + "/";
    const Eigen::MatrixXd w_in = block(model, p + "W_in"), w_out = block(model, p + "W_out"),
                          w_tot = block(model, p + "W_tot"), b2 = block(model, p + "B");
    auto next = dd;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        Eigen::VectorXd in = Eigen::VectorXd::Zero(d), out = Eigen::VectorXd::Zero(d);
        for (int k = 0; k < n; ++k) {
          in += dd[j][k] / n;   // (2.1a): inputs of j
          out += dd[k][i] / n;  // outputs of i
        }
        Eigen::VectorXd cat(2 * d);
        cat << w_in * in.cwiseProduct(dd[i][j]), w_out * out.cwiseProduct(dd[i][j]);  // (2.1b)
        next[i][j] = relu(w_tot * cat + b2);                                          // (2.1c)
      }
    dd = next;
  }
  const Eigen::MatrixXd w_f = block(model, "W_f");
  Eigen::MatrixXd o(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) o(i, j) = std::tanh((w_f * dd[i][j])(0));
  return o;
}

double batch_loss(const Model& model, const std::vector<Example>& batch) {
  const auto outputs = model.predict(batch);
  double sum = 0;
  for (std::size_t s = 0; s < batch.size(); ++s)
    sum += reconstruction_loss(outputs[s], *batch[s].target);
  return sum;
}

// Every entry of the hand-written gradient against central differences of the loss.
void check_gradient(Model& model, const std::vector<Example>& batch) {
  Eigen::VectorXd& theta = model.parameters().values();
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(theta.size());
  const double weight = 0.5;
  const double loss = model.loss_gradient(batch, weight, gradient);
  EXPECT_NEAR(loss, batch_loss(model, batch), 1e-12);
  const double h = 1e-6;
  for (const auto& blk : model.parameters().blocks()) {
    double worst = 0;
    for (std::int64_t k = blk.offset; k < blk.offset + blk.rows * blk.cols; ++k) {
      const double keep = theta(k);
      theta(k) = keep + h;
      const double up = batch_loss(model, batch);
      theta(k) = keep - h;
      const double down = batch_loss(model, batch);
      theta(k) = keep;
      const double fd = weight * (up - down) / (2 * h);
      worst = std::max(worst, std::abs(fd - gradient(k)) / std::max(1.0, std::abs(fd)));
    }
    EXPECT_LT(worst, 1e-6) << "block " << blk.name;
  }
  EXPECT_GT(gradient.norm(), 1e-3);  // the check is not vacuous
}

}  // namespace

TEST(Loss, WorkedExampleOfSection3_2_1) {
  Eigen::MatrixXd o(3, 3), t(3, 3);
  o << 0, 0, 0, 1, 0, 0, 1, 0, 1;
  t << 0, 0, 0, 1, 0, 0, 1, 1, 0;
  EXPECT_NEAR(reconstruction_loss(o, t), 2.0 / 3.0, 1e-15);
}

TEST(LocalityModel, BatchedForwardEqualsThePerPairModel) {
  for (int layers : {0, 1, 2}) {
    LocalityModel model(4, 3, layers);
    model.initialise(11 + layers);
    RandomBatch batch({3, 5, 1, 4}, 4, 2);
    const auto outputs = model.predict(batch.examples);
    for (std::size_t s = 0; s < outputs.size(); ++s) {
      const Eigen::MatrixXd expected = naive_locality(model, batch.examples[s].raster);
      EXPECT_LT((outputs[s] - expected).cwiseAbs().maxCoeff(), 1e-12) << "layers " << layers;
    }
  }
}

TEST(LocalityModel, GradientsMatchFiniteDifferences) {
  for (int layers : {0, 1, 2}) {
    LocalityModel model(4, 3, layers);
    model.initialise(21 + layers);
    RandomBatch batch({3, 4, 2}, 4, 5);
    check_gradient(model, batch.examples);
  }
}

TEST(LocalityModel, PermutingNeuronsPermutesTheOutput) {
  LocalityModel model(5, 4, 1);
  model.initialise(3);
  RandomBatch batch({6}, 5, 9);
  const std::vector<int> perm{3, 0, 5, 1, 4, 2};
  Eigen::MatrixXd permuted(6, 5);
  for (int i = 0; i < 6; ++i) permuted.row(i) = batch.examples[0].raster.row(perm[i]);
  const Eigen::MatrixXd a = model.predict(batch.examples)[0];
  const Eigen::MatrixXd b = model.predict({{permuted, batch.examples[0].target}})[0];
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) EXPECT_NEAR(b(i, j), a(perm[i], perm[j]), 1e-12);
}

TEST(DenseModel, GradientsMatchFiniteDifferences) {
  DenseModel model(3, 4, 6);
  model.initialise(8);
  RandomBatch batch({3, 3, 3}, 4, 6);
  check_gradient(model, batch.examples);
}

TEST(DenseModel, ForwardIsTheDenseFormula) {
  DenseModel model(3, 2, 4);
  model.initialise(4);
  RandomBatch batch({3}, 2, 1);
  const Eigen::MatrixXd& x = batch.examples[0].raster;
  Eigen::VectorXd flat(6);
  flat << x(0, 0), x(0, 1), x(1, 0), x(1, 1), x(2, 0), x(2, 1);
  const Eigen::VectorXd h = relu(block(model, "W1") * flat + block(model, "b1"));
  const Eigen::VectorXd o = (block(model, "W2") * h + block(model, "b2")).array().tanh();
  const Eigen::MatrixXd out = model.predict(batch.examples)[0];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(out(i, j), o(3 * i + j), 1e-14);
  RandomBatch wrong({4}, 2, 1);
  EXPECT_THROW(model.predict(wrong.examples), Error);
}

}  // namespace netinfer::reconstruct
