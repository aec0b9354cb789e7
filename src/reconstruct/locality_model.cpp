#include "netinfer/reconstruct/locality_model.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/reconstruct/metrics.hpp"

namespace netinfer::reconstruct {

namespace {

using Matrix = Eigen::Map<Eigen::MatrixXd>;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Plane = Eigen::Map<RowMajor>;

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
  Plane plane(Matrix& m, Eigen::Index f, std::size_t s) const {
    return Plane(m.col(f).data() + pair_offset[s], n[s], n[s]);
  }
  // Feature f of sample s's neurons in an (neurons x d) matrix.
  auto neurons_of(Matrix& m, Eigen::Index f, std::size_t s) const {
    return m.col(f).segment(neuron_offset[s], n[s]);
  }
};

// Workspace slots: fixed ones, then kPerLayer for each transition q (0 the
// first transition, l + 1 the locality layer l).
enum Slot : std::size_t {
  kX,
  kA,
  kC,
  kOutput,
  kGradOut,
  kGradZ,
  kGradH,
  kGradPrev,
  kGradPre,
  kGradInD,
  kGradOutD,
  kGradInProd,
  kGradOutProd,
  kGradA,
  kGradC,
  kFirstLayer
};
enum LayerSlot : std::size_t {
  kPre,
  kH,
  kInMean,
  kOutMean,
  kInProd,
  kOutProd,
  kInD,
  kOutD,
  kPerLayer
};

}  // namespace

// Activations of one batch, views into the model's workspace. Index 0 of pre
// and h is the first transition, l + 1 the locality layer l.
struct LocalityModel::Forward {
  Layout layout;
  std::vector<Matrix> x;  // one entry: neurons x b, every sample's rows
  std::vector<Matrix> pre, h;
  // Per locality layer: the means (2.1a) per neuron, the products with d'_ij,
  // and their images under W_in / W_out (2.1b).
  std::vector<Matrix> in_mean, out_mean, in_prod, out_prod, in_d, out_d;
  std::vector<Matrix> output;  // one entry: tanh(W_f d''), pairs x 1
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
  const Eigen::Index pairs = lay.pairs, neurons = lay.neurons;
  auto slot = [&](int q, std::size_t which) { return kFirstLayer + q * kPerLayer + which; };
  auto pair_matrix = [&](int q, std::size_t which) {
    return work_.matrix(slot(q, which), pairs, d_);
  };
  Matrix x = work_.matrix(kX, neurons, b_);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    NI_REQUIRE(batch[s].raster.cols() == b_, "locality model: input has ", batch[s].raster.cols(),
               " steps, the model takes b = ", b_);
    x.middleRows(lay.neuron_offset[s], lay.n[s]) = batch[s].raster;
  }
  f.x.push_back(x);
  const auto& p = params_;
  // First transition: W [I_i; I_j] = W_a I_i + W_b I_j, one GEMM per half.
  Matrix a = work_.matrix(kA, neurons, d_), c = work_.matrix(kC, neurons, d_);
  a.noalias() = x.lazyProduct(p[w_].leftCols(b_).transpose());
  c.noalias() = x.lazyProduct(p[w_].rightCols(b_).transpose());
  f.pre.push_back(pair_matrix(0, kPre));
  f.h.push_back(pair_matrix(0, kH));
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    for (int k = 0; k < d_; ++k) {
      Plane plane = lay.plane(f.pre[0], k, s);
      plane.setConstant(p[bias_](k));
      plane.colwise() += lay.neurons_of(a, k, s);
      plane.rowwise() += lay.neurons_of(c, k, s).transpose();
    }
  }
  f.h[0] = f.pre[0].cwiseMax(0.0);

  for (int l = 0; l < layers(); ++l) {
    Matrix& h = f.h.back();
    Matrix in_mean = work_.matrix(slot(l + 1, kInMean), neurons, d_);
    Matrix out_mean = work_.matrix(slot(l + 1, kOutMean), neurons, d_);
    Matrix in_prod = pair_matrix(l + 1, kInProd), out_prod = pair_matrix(l + 1, kOutProd);
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
    Matrix in_d = pair_matrix(l + 1, kInD), out_d = pair_matrix(l + 1, kOutD);
    in_d.noalias() = in_prod.lazyProduct(p[w_in_[l]].transpose());
    out_d.noalias() = out_prod.lazyProduct(p[w_out_[l]].transpose());
    Matrix pre = pair_matrix(l + 1, kPre);
    pre.noalias() = in_d.lazyProduct(p[w_tot_[l]].leftCols(d_).transpose());
    pre.noalias() += out_d.lazyProduct(p[w_tot_[l]].rightCols(d_).transpose());
    pre.rowwise() += p[bias_layer_[l]].col(0).transpose();
    Matrix next = pair_matrix(l + 1, kH);
    next = pre.cwiseMax(0.0);
    f.pre.push_back(pre);
    f.h.push_back(next);
    f.in_mean.push_back(in_mean);
    f.out_mean.push_back(out_mean);
    f.in_prod.push_back(in_prod);
    f.out_prod.push_back(out_prod);
    f.in_d.push_back(in_d);
    f.out_d.push_back(out_d);
  }
  Matrix output = work_.matrix(kOutput, pairs, 1);
  output.noalias() = f.h.back().lazyProduct(p[w_f_].transpose());
  output = output.array().tanh();
  f.output.push_back(output);
  return f;
}

std::vector<Eigen::MatrixXd> LocalityModel::predict(const std::vector<Example>& batch) const {
  const Forward f = forward(batch);
  std::vector<Eigen::MatrixXd> out;
  for (std::size_t s = 0; s < batch.size(); ++s) {
    const int n = f.layout.n[s];
    out.push_back(Eigen::Map<const RowMajor>(f.output[0].data() + f.layout.pair_offset[s], n, n));
  }
  return out;
}

double LocalityModel::loss_gradient(const std::vector<Example>& batch, double weight,
                                    Eigen::VectorXd& gradient) const {
  Forward f = forward(batch);
  const Layout& lay = f.layout;
  const Eigen::Index pairs = lay.pairs, neurons = lay.neurons;
  const auto& p = params_;
  auto grad = [&](int block) { return p.view(gradient, block); };
  const Matrix& output = f.output[0];

  // Loss (3.1) per sample and its derivative with respect to the outputs.
  double loss = 0;
  Matrix g_out = work_.matrix(kGradOut, pairs, 1);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    const int n = lay.n[s];
    const Eigen::MatrixXd out =
        Eigen::Map<const RowMajor>(output.data() + lay.pair_offset[s], n, n);
    const Eigen::MatrixXd& target = *batch[s].target;
    loss += reconstruction_loss(out, target);
    const double scale = 2 * weight / std::max(target.sum(), 1.0);
    Plane(g_out.data() + lay.pair_offset[s], n, n) = scale * (out - target);
  }
  // Final transition O = tanh(z), z = d'' W_f^T.
  Matrix g_z = work_.matrix(kGradZ, pairs, 1);
  g_z = g_out.array() * (1 - output.array().square());
  grad(w_f_).noalias() += g_z.transpose().lazyProduct(f.h.back());
  // The gradient with respect to the current layer's output, and the buffer
  // its input's gradient goes to; they trade places after each layer.
  Matrix g_h_buffer = work_.matrix(kGradH, pairs, d_);
  Matrix g_prev_buffer = work_.matrix(kGradPrev, pairs, d_);
  Matrix* g_h = &g_h_buffer;
  Matrix* g_prev = &g_prev_buffer;
  Matrix g_pre = work_.matrix(kGradPre, pairs, d_);
  g_h->noalias() = g_z * p[w_f_];

  Matrix g_in_d = work_.matrix(kGradInD, pairs, d_), g_out_d = work_.matrix(kGradOutD, pairs, d_);
  Matrix g_in_prod = work_.matrix(kGradInProd, pairs, d_);
  Matrix g_out_prod = work_.matrix(kGradOutProd, pairs, d_);
  for (int l = layers() - 1; l >= 0; --l) {
    g_pre = (f.pre[l + 1].array() > 0).select(*g_h, 0.0);
    grad(bias_layer_[l]) += g_pre.colwise().sum().transpose();
    auto g_tot = grad(w_tot_[l]);
    g_tot.leftCols(d_).noalias() += g_pre.transpose().lazyProduct(f.in_d[l]);
    g_tot.rightCols(d_).noalias() += g_pre.transpose().lazyProduct(f.out_d[l]);
    g_in_d.noalias() = g_pre.lazyProduct(p[w_tot_[l]].leftCols(d_));
    g_out_d.noalias() = g_pre.lazyProduct(p[w_tot_[l]].rightCols(d_));
    grad(w_in_[l]).noalias() += g_in_d.transpose().lazyProduct(f.in_prod[l]);
    grad(w_out_[l]).noalias() += g_out_d.transpose().lazyProduct(f.out_prod[l]);
    g_in_prod.noalias() = g_in_d.lazyProduct(p[w_in_[l]]);
    g_out_prod.noalias() = g_out_d.lazyProduct(p[w_out_[l]]);

    // Back through in_prod(i,j) = h(i,j) I(j) and out_prod(i,j) = h(i,j) O(i),
    // with I(j) = mean_k h(j,k) and O(i) = mean_k h(k,i).
    for (std::size_t s = 0; s < lay.samples(); ++s) {
      const double inv_n = 1.0 / lay.n[s];
      for (int k = 0; k < d_; ++k) {
        const Plane hp = lay.plane(f.h[l], k, s);
        const Plane gi = lay.plane(g_in_prod, k, s), go = lay.plane(g_out_prod, k, s);
        const auto in = lay.neurons_of(f.in_mean[l], k, s);
        const auto out = lay.neurons_of(f.out_mean[l], k, s);
        const Eigen::VectorXd g_in = (gi.array() * hp.array()).colwise().sum().transpose();
        const Eigen::VectorXd g_out_mean = (go.array() * hp.array()).rowwise().sum();
        Plane gp = lay.plane(*g_prev, k, s);
        gp = (gi.array().rowwise() * in.transpose().array()) + (go.array().colwise() * out.array());
        gp.colwise() += inv_n * g_in;
        gp.rowwise() += inv_n * g_out_mean.transpose();
      }
    }
    std::swap(g_h, g_prev);
  }

  // First transition.
  g_pre = (f.pre[0].array() > 0).select(*g_h, 0.0);
  grad(bias_) += g_pre.colwise().sum().transpose();
  Matrix g_a = work_.matrix(kGradA, neurons, d_), g_c = work_.matrix(kGradC, neurons, d_);
  for (std::size_t s = 0; s < lay.samples(); ++s) {
    for (int k = 0; k < d_; ++k) {
      const Plane gp = lay.plane(g_pre, k, s);
      lay.neurons_of(g_a, k, s) = gp.rowwise().sum();
      lay.neurons_of(g_c, k, s) = gp.colwise().sum().transpose();
    }
  }
  auto g_w = grad(w_);
  g_w.leftCols(b_).noalias() += g_a.transpose().lazyProduct(f.x[0]);
  g_w.rightCols(b_).noalias() += g_c.transpose().lazyProduct(f.x[0]);
  return loss;
}

}  // namespace netinfer::reconstruct
