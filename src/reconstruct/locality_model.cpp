#include "netinfer/reconstruct/locality_model.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {

using Plane = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

// Where each sample's neurons and pairs sit in the batched matrices.
struct Layout {
  std::vector<int> n;
  std::vector<Eigen::Index> neuron_offset, pair_offset;
  Eigen::Index neurons = 0, pairs = 0;

  explicit Layout(const std::vector<Example>& batch) {
    for (const auto& e : batch) {
      const int size = static_cast<int>(e.raster.rows());
      n.push_back(size);
      neuron_offset.push_back(neurons);
      pair_offset.push_back(pairs);
      neurons += size;
      pairs += static_cast<Eigen::Index>(size) * size;
    }
  }
  std::size_t samples() const { return n.size(); }
  // Feature f of sample s: the n x n plane of pairs (i, j), row-major.
  Plane plane(Eigen::MatrixXd& m, Eigen::Index f, std::size_t s) const {
    return Plane(m.col(f).data() + pair_offset[s], n[s], n[s]);
  }
  // Feature f of sample s's neurons in an (neurons x d) matrix.
  auto neurons_of(Eigen::MatrixXd& m, Eigen::Index f, std::size_t s) const {
    return m.col(f).segment(neuron_offset[s], n[s]);
  }
};

Eigen::MatrixXd relu(const Eigen::MatrixXd& x) {
  return x.cwiseMax(0.0);
}
Eigen::MatrixXd relu_gate(const Eigen::MatrixXd& gradient, const Eigen::MatrixXd& pre) {
  return (pre.array() > 0).select(gradient, 0.0);
}

}  // namespace

struct LocalityModel::Forward {
  Layout layout;
  Eigen::MatrixXd x;                 // neurons x b: every sample's rows
  std::vector<Eigen::MatrixXd> pre;  // pre-activations, pairs x d: first transition, then layers
  std::vector<Eigen::MatrixXd> h;    // ReLU(pre)
  // Per locality layer: the means (2.1a) per neuron, the products with d'_ij,
  // and their images under W_in / W_out (2.1b).
  std::vector<Eigen::MatrixXd> in_mean, out_mean, in_prod, out_prod, in_d, out_d;
  Eigen::VectorXd output;  // tanh(W_f d''), pairs
};

LocalityModel::LocalityModel(int b, int d, int layers) : b_(b), d_(d) {
  NI_REQUIRE(b > 0 && d > 0 && layers >= 0,
             "locality model: b, d must be positive and layers >= 0 (b=", b, ", d=", d,
             ", layers=", layers, ")");
  w_ = params_.add("W", d, 2 * b, false);
  bias_ = params_.add("B", d, 1, true);
  for (int l = 0; l < layers; ++l) {
    const std::string prefix = "layer" + std::to_string(l) + "/";
    w_in_.push_back(params_.add(prefix + "W_in", d, d, false));
    w_out_.push_back(params_.add(prefix + "W_out", d, d, false));
    w_tot_.push_back(params_.add(prefix + "W_tot", d, 2 * d, false));
    bias_layer_.push_back(params_.add(prefix + "B", d, 1, true));
  }
  w_f_ = params_.add("W_f", 1, d, false);
}

void LocalityModel::save_shape(h5::File& file, const std::string& group) const {
  file.set_attr(group, "b", b_);
  file.set_attr(group, "d", d_);
  file.set_attr(group, "layers", layers());
}

LocalityModel::Forward LocalityModel::forward(const std::vector<Example>& batch) const {
  Forward f{Layout(batch), {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  const Layout& lay = f.layout;
  f.x.resize(lay.neurons, b_);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    NI_REQUIRE(batch[s].raster.cols() == b_, "locality model: input has ", batch[s].raster.cols(),
               " steps, the model takes b = ", b_);
    f.x.middleRows(lay.neuron_offset[s], lay.n[s]) = batch[s].raster;
  }
  const auto& p = params_;
  // First transition: W [I_i; I_j] = W_a I_i + W_b I_j, one GEMM per half.
  const Eigen::MatrixXd a = f.x * p[w_].leftCols(b_).transpose();
  const Eigen::MatrixXd c = f.x * p[w_].rightCols(b_).transpose();
  f.pre.emplace_back(lay.pairs, d_);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    for (int k = 0; k < d_; ++k) {
      Plane plane = lay.plane(f.pre[0], k, s);
      plane.setConstant(p[bias_](k));
      plane.colwise() += a.col(k).segment(lay.neuron_offset[s], lay.n[s]);
      plane.rowwise() += c.col(k).segment(lay.neuron_offset[s], lay.n[s]).transpose();
    }
  }
  f.h.push_back(relu(f.pre[0]));

  for (int l = 0; l < layers(); ++l) {
    Eigen::MatrixXd& h = f.h.back();
    Eigen::MatrixXd in_mean(lay.neurons, d_), out_mean(lay.neurons, d_);
    Eigen::MatrixXd in_prod(lay.pairs, d_), out_prod(lay.pairs, d_);
    for (std::size_t s = 0; s < lay.samples(); ++s) {
      for (int k = 0; k < d_; ++k) {
        const Plane hp = lay.plane(h, k, s);
        auto in = lay.neurons_of(in_mean, k, s);    // I for target j: mean_k d'_jk (row means)
        auto out = lay.neurons_of(out_mean, k, s);  // O for source i: mean_k d'_ki (column means)
        in = hp.rowwise().mean();
        out = hp.colwise().mean().transpose();
        lay.plane(in_prod, k, s) = hp.array().rowwise() * in.transpose().array();
        lay.plane(out_prod, k, s) = hp.array().colwise() * out.array();
      }
    }
    Eigen::MatrixXd in_d = in_prod * p[w_in_[l]].transpose();
    Eigen::MatrixXd out_d = out_prod * p[w_out_[l]].transpose();
    Eigen::MatrixXd pre = in_d * p[w_tot_[l]].leftCols(d_).transpose() +
                          out_d * p[w_tot_[l]].rightCols(d_).transpose();
    pre.rowwise() += p[bias_layer_[l]].col(0).transpose();
    f.h.push_back(relu(pre));
    f.pre.push_back(std::move(pre));
    f.in_mean.push_back(std::move(in_mean));
    f.out_mean.push_back(std::move(out_mean));
    f.in_prod.push_back(std::move(in_prod));
    f.out_prod.push_back(std::move(out_prod));
    f.in_d.push_back(std::move(in_d));
    f.out_d.push_back(std::move(out_d));
  }
  f.output = (f.h.back() * p[w_f_].transpose()).array().tanh();
  return f;
}

std::vector<Eigen::MatrixXd> LocalityModel::predict(const std::vector<Example>& batch) const {
  const Forward f = forward(batch);
  std::vector<Eigen::MatrixXd> out;
  for (std::size_t s = 0; s < batch.size(); ++s) {
    const int n = f.layout.n[s];
    out.push_back(
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            f.output.data() + f.layout.pair_offset[s], n, n));
  }
  return out;
}

double LocalityModel::loss_gradient(const std::vector<Example>& batch, double weight,
                                    Eigen::VectorXd& gradient) const {
  Forward f = forward(batch);
  const Layout& lay = f.layout;
  const auto& p = params_;
  auto grad = [&](int block) { return p.view(gradient, block); };

  // Loss (3.1) per sample and its derivative with respect to the outputs.
  double loss = 0;
  Eigen::VectorXd g_out(lay.pairs);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    const int n = lay.n[s];
    const Eigen::MatrixXd out =
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            f.output.data() + lay.pair_offset[s], n, n);
    const Eigen::MatrixXd& target = *batch[s].target;
    loss += reconstruction_loss(out, target);
    const double scale = 2 * weight / std::max(target.sum(), 1.0);
    Plane(g_out.data() + lay.pair_offset[s], n, n) = scale * (out - target);
  }
  // Final transition O = tanh(z), z = d'' W_f^T.
  const Eigen::VectorXd g_z = g_out.array() * (1 - f.output.array().square());
  grad(w_f_) += g_z.transpose() * f.h.back();
  Eigen::MatrixXd g_h = g_z * p[w_f_];

  for (int l = layers() - 1; l >= 0; --l) {
    const Eigen::MatrixXd g_pre = relu_gate(g_h, f.pre[l + 1]);
    grad(bias_layer_[l]) += g_pre.colwise().sum().transpose();
    auto g_tot = grad(w_tot_[l]);
    g_tot.leftCols(d_) += g_pre.transpose() * f.in_d[l];
    g_tot.rightCols(d_) += g_pre.transpose() * f.out_d[l];
    const Eigen::MatrixXd g_in_d = g_pre * p[w_tot_[l]].leftCols(d_);
    const Eigen::MatrixXd g_out_d = g_pre * p[w_tot_[l]].rightCols(d_);
    grad(w_in_[l]) += g_in_d.transpose() * f.in_prod[l];
    grad(w_out_[l]) += g_out_d.transpose() * f.out_prod[l];
    Eigen::MatrixXd g_in_prod = g_in_d * p[w_in_[l]];
    Eigen::MatrixXd g_out_prod = g_out_d * p[w_out_[l]];

    // Back through in_prod(i,j) = h(i,j) I(j) and out_prod(i,j) = h(i,j) O(i),
    // with I(j) = mean_k h(j,k) and O(i) = mean_k h(k,i).
    Eigen::MatrixXd& h = f.h[l];
    Eigen::MatrixXd g_prev(lay.pairs, d_);
    for (std::size_t s = 0; s < lay.samples(); ++s) {
      const double inv_n = 1.0 / lay.n[s];
      for (int k = 0; k < d_; ++k) {
        const Plane hp = lay.plane(h, k, s);
        const Plane gi = lay.plane(g_in_prod, k, s), go = lay.plane(g_out_prod, k, s);
        const auto in = lay.neurons_of(f.in_mean[l], k, s);
        const auto out = lay.neurons_of(f.out_mean[l], k, s);
        const Eigen::VectorXd g_in = (gi.array() * hp.array()).colwise().sum().transpose();
        const Eigen::VectorXd g_out_mean = (go.array() * hp.array()).rowwise().sum();
        Plane gp = lay.plane(g_prev, k, s);
        gp = (gi.array().rowwise() * in.transpose().array()) + (go.array().colwise() * out.array());
        gp.colwise() += inv_n * g_in;
        gp.rowwise() += inv_n * g_out_mean.transpose();
      }
    }
    g_h = std::move(g_prev);
  }

  // First transition.
  Eigen::MatrixXd g_pre = relu_gate(g_h, f.pre[0]);
  grad(bias_) += g_pre.colwise().sum().transpose();
  Eigen::MatrixXd g_a(lay.neurons, d_), g_c(lay.neurons, d_);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    for (int k = 0; k < d_; ++k) {
      const Plane gp = lay.plane(g_pre, k, s);
      lay.neurons_of(g_a, k, s) = gp.rowwise().sum();
      lay.neurons_of(g_c, k, s) = gp.colwise().sum().transpose();
    }
  }
  auto g_w = grad(w_);
  g_w.leftCols(b_) += g_a.transpose() * f.x;
  g_w.rightCols(b_) += g_c.transpose() * f.x;
  return loss;
}

}  // namespace netinfer::reconstruct
