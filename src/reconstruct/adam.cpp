#include "netinfer/reconstruct/adam.hpp"

#include <cmath>

#include "netinfer/core/error.hpp"

namespace netinfer::reconstruct {

Adam::Adam(Eigen::Index size, double learning_rate, double beta1, double beta2, double epsilon)
    : lr_(learning_rate),
      beta1_(beta1),
      beta2_(beta2),
      epsilon_(epsilon),
      m_(Eigen::VectorXd::Zero(size)),
      v_(Eigen::VectorXd::Zero(size)) {
  NI_REQUIRE(learning_rate > 0, "--learning-rate must be positive, got ", learning_rate);
}

void Adam::step(Eigen::VectorXd& parameters, const Eigen::VectorXd& gradient) {
  ++t_;
  m_ = beta1_ * m_ + (1 - beta1_) * gradient;
  v_ = beta2_ * v_ + (1 - beta2_) * gradient.cwiseAbs2();
  const double lr_t = lr_ * std::sqrt(1 - std::pow(beta2_, t_)) / (1 - std::pow(beta1_, t_));
  parameters.array() -= lr_t * m_.array() / (v_.array().sqrt() + epsilon_);
}

}  // namespace netinfer::reconstruct
