// Adam (Kingma & Ba) in the form of 001 eq. (3.2), as TensorFlow implements it:
//   m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,
//   lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),  theta <- theta - lr_t m / (sqrt(v) + eps).
#pragma once

#include <Eigen/Core>

namespace netinfer::reconstruct {

class Adam {
 public:
  Adam(Eigen::Index size, double learning_rate, double beta1 = 0.9, double beta2 = 0.999,
       double epsilon = 1e-7);
  void step(Eigen::VectorXd& parameters, const Eigen::VectorXd& gradient);
  long steps() const { return t_; }

 private:
  double lr_, beta1_, beta2_, epsilon_;
  long t_ = 0;
  Eigen::VectorXd m_, v_;
};

}  // namespace netinfer::reconstruct
