#include "netinfer/reconstruct/dense_model.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// An n x n matrix as the column of its n^2 entries, row by row (001 §2.1.2).
Eigen::VectorXd flatten(const Eigen::MatrixXd& m) {
  const RowMajor r = m;
  return Eigen::Map<const Eigen::VectorXd>(r.data(), r.size());
}
}  // namespace

DenseModel::DenseModel(int n, int b, int hidden) : n_(n), b_(b), hidden_(hidden) {
  NI_REQUIRE(n > 0 && b > 0 && hidden > 0, "dense model: n, b and hidden must be positive (n=", n,
             ", b=", b, ", hidden=", hidden, ")");
  w1_ = params_.add("W1", hidden, n * b, false);
  b1_ = params_.add("b1", hidden, 1, true);
  w2_ = params_.add("W2", n * n, hidden, false);
  b2_ = params_.add("b2", n * n, 1, true);
}

void DenseModel::save_shape(h5::File& file, const std::string& group) const {
  file.set_attr(group, "n", n_);
  file.set_attr(group, "b", b_);
  file.set_attr(group, "hidden", hidden_);
}

Eigen::MatrixXd DenseModel::inputs(const std::vector<Example>& batch) const {
  Eigen::MatrixXd x(n_ * b_, batch.size());
  for (std::size_t s = 0; s < batch.size(); ++s) {
    const auto& r = batch[s].raster;
    NI_REQUIRE(r.rows() == n_ && r.cols() == b_, "dense model built for n = ", n_, ", b = ", b_,
               " got a raster of ", r.rows(), " neurons x ", r.cols(),
               " steps (the dense model depends on n)");
    x.col(s) = flatten(r);
  }
  return x;
}

std::vector<Eigen::MatrixXd> DenseModel::predict(const std::vector<Example>& batch) const {
  const auto& p = params_;
  Eigen::MatrixXd hidden = p[w1_] * inputs(batch);
  hidden.colwise() += p[b1_].col(0);
  Eigen::MatrixXd z = p[w2_] * hidden.cwiseMax(0.0);
  z.colwise() += p[b2_].col(0);
  std::vector<Eigen::MatrixXd> out;
  for (Eigen::Index s = 0; s < z.cols(); ++s) {
    const Eigen::VectorXd o = z.col(s).array().tanh();
    out.push_back(Eigen::Map<const RowMajor>(o.data(), n_, n_));
  }
  return out;
}

double DenseModel::loss_gradient(const std::vector<Example>& batch, double weight,
                                 Eigen::VectorXd& gradient) const {
  const auto& p = params_;
  const Eigen::MatrixXd x = inputs(batch);
  Eigen::MatrixXd pre = p[w1_] * x;
  pre.colwise() += p[b1_].col(0);
  const Eigen::MatrixXd hidden = pre.cwiseMax(0.0);
  Eigen::MatrixXd out = p[w2_] * hidden;
  out.colwise() += p[b2_].col(0);
  out = out.array().tanh();

  double loss = 0;
  Eigen::MatrixXd g_z(n_ * n_, batch.size());
  for (std::size_t s = 0; s < batch.size(); ++s) {
    const Eigen::MatrixXd& target = *batch[s].target;
    const Eigen::VectorXd o = out.col(s);
    loss += reconstruction_loss(Eigen::Map<const RowMajor>(o.data(), n_, n_), target);
    const double scale = 2 * weight / std::max(target.sum(), 1.0);
    g_z.col(s) = scale * (o - flatten(target)).array() * (1 - o.array().square());
  }
  p.view(gradient, w2_) += g_z * hidden.transpose();
  p.view(gradient, b2_) += g_z.rowwise().sum();
  const Eigen::MatrixXd g_pre = (pre.array() > 0).select(p[w2_].transpose() * g_z, 0.0);
  p.view(gradient, w1_) += g_pre * x.transpose();
  p.view(gradient, b1_) += g_pre.rowwise().sum();
  return loss;
}

}  // namespace netinfer::reconstruct
