// Activations applied in place to a layer block: ramp = max(0, z) and softmax
// over all of the layer's neurons of one image.
#include "layers.hpp"

namespace netinfer::net::detail {

template <typename T>
void activation_forward(Activation a, Out<T> values) {
  if (a == Activation::Ramp) {
    values = values.cwiseMax(T(0));
  } else if (a == Activation::Softmax) {
    for (Eigen::Index b = 0; b < values.cols(); ++b) {
      auto v = values.col(b);
      v = (v.array() - v.maxCoeff()).exp();  // shifted so exp cannot overflow
      v /= v.sum();
    }
  }
}

template <typename T>
void activation_backward(Activation a, const In<T>& out, Out<T> gradient) {
  if (a == Activation::Ramp) {
    gradient = (out.array() > T(0)).select(gradient, T(0));
  } else if (a == Activation::Softmax) {
    // dz = s .* (da - <da, s>), the softmax Jacobian (diag(s) - s s^T) applied to da.
    for (Eigen::Index b = 0; b < out.cols(); ++b) {
      const T inner = gradient.col(b).dot(out.col(b));
      gradient.col(b) = out.col(b).cwiseProduct((gradient.col(b).array() - inner).matrix());
    }
  }
}

template void activation_forward<float>(Activation, Out<float>);
template void activation_forward<double>(Activation, Out<double>);
template void activation_backward<float>(Activation, const In<float>&, Out<float>);
template void activation_backward<double>(Activation, const In<double>&, Out<double>);

}  // namespace netinfer::net::detail
