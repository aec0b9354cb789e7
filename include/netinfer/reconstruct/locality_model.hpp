// The graph-locality model of 001 §2.2, as whole-matrix operations on a batch.
// For each ordered pair (i, j) of one sample (row i of the output = target i):
//   first transition  d'_ij = ReLU(W [I_i; I_j] + B)                 W: d x 2b
//   locality layer    I = mean_k d'_jk,  O = mean_k d'_ki                  (2.1a)
//                     I_D = W_in (I . d'_ij),  O_D = W_out (O . d'_ij)     (2.1b)
//                     d''_ij = ReLU(W_tot [I_D; O_D] + B')                 (2.1c)
//   final transition  O_ij = tanh(W_f d''_ij)                         (2.2, 3.1.2)
// Several locality layers may be stacked, each with its own weights. No weight
// depends on n, so one model applies to networks of any size (§2.2.4).
//
// Batched layout: the activations of a batch form one (pairs x d) matrix whose
// rows are the pairs of sample 0 (row-major, i * n + j), then of sample 1, ...;
// feature f of sample s is then a contiguous n x n row-major plane, so every
// mean and broadcast is a row/column operation on a plane, and every weight
// product is one GEMM over the whole batch.
#pragma once

#include "netinfer/reconstruct/model.hpp"
#include "netinfer/reconstruct/workspace.hpp"

namespace netinfer::reconstruct {

class LocalityModel : public Model {
 public:
  LocalityModel(int b, int d, int layers);
  std::string kind() const override { return "locality"; }
  int input_steps() const override { return b_; }
  int d() const { return d_; }
  int layers() const { return static_cast<int>(w_in_.size()); }
  void save_shape(h5::File& file, const std::string& group) const override;

  std::vector<Eigen::MatrixXd> predict(const std::vector<Example>& batch) const override;
  double loss_gradient(const std::vector<Example>& batch, double weight,
                       Eigen::VectorXd& gradient) const override;

 private:
  struct Forward;
  Forward forward(const std::vector<Example>& batch) const;

  int b_, d_;
  int w_, bias_, w_f_;                                  // first and final transitions
  std::vector<int> w_in_, w_out_, w_tot_, bias_layer_;  // one per locality layer
  mutable Workspace work_;                              // activations of the last call
};

}  // namespace netinfer::reconstruct
