// The "benchmark model" of 001 §4.1: a dense network from the flattened raster
// (n x b values, neuron by neuron) to the n^2 entries of the adjacency matrix,
//   O = tanh(W2 ReLU(W1 x + b1) + b2),
// whose weights depend on n: it only applies to networks of the size it was
// built for, and unlike the locality model it can memorise a target.
#pragma once

#include "netinfer/reconstruct/model.hpp"

namespace netinfer::reconstruct {

class DenseModel : public Model {
 public:
  DenseModel(int n, int b, int hidden);
  std::string kind() const override { return "dense"; }
  int input_steps() const override { return b_; }
  void save_shape(h5::File& file, const std::string& group) const override;

  std::vector<Eigen::MatrixXd> predict(const std::vector<Example>& batch) const override;
  double loss_gradient(const std::vector<Example>& batch, double weight,
                       Eigen::VectorXd& gradient) const override;

 private:
  Eigen::MatrixXd inputs(const std::vector<Example>& batch) const;  // (n b) x batch

  int n_, b_, hidden_;
  int w1_, b1_, w2_, b2_;
};

}  // namespace netinfer::reconstruct
