// Fully connected layers: z = W x + b for a batch of columns x.
#include "layers.hpp"

namespace netinfer::net::detail {

template <typename T>
void linear_forward(const T* weight, const T* bias, const In<T>& in, Out<T> z) {
  const Eigen::Map<const Mat<T>> w(weight, z.rows(), in.rows());
  const Eigen::Map<const Vec<T>> b(bias, z.rows());
  z.noalias() = w * in;
  z.colwise() += b;
}

template <typename T>
void linear_backward(const T* weight, const In<T>& in, const In<T>& dz, T* weight_gradient,
                     T* bias_gradient, bool input_gradient, Out<T> din) {
  Eigen::Map<Mat<T>> dw(weight_gradient, dz.rows(), in.rows());
  Eigen::Map<Vec<T>> db(bias_gradient, dz.rows());
  dw.noalias() = dz * in.transpose();
  // Column by column, so every element is summed in image order. (Eigen's
  // rowwise().sum() adds in a different order in its vector and scalar
  // paths, and which elements take which path follows the alignment of
  // `bias_gradient`: the rounding would change from run to run.)
  db.setZero();
  for (Eigen::Index b = 0; b < dz.cols(); ++b) db += dz.col(b);
  if (!input_gradient) return;
  const Eigen::Map<const Mat<T>> w(weight, dz.rows(), in.rows());
  din.noalias() = w.transpose() * dz;
}

template void linear_forward<float>(const float*, const float*, const In<float>&, Out<float>);
template void linear_forward<double>(const double*, const double*, const In<double>&, Out<double>);
template void linear_backward<float>(const float*, const In<float>&, const In<float>&, float*,
                                     float*, bool, Out<float>);
template void linear_backward<double>(const double*, const In<double>&, const In<double>&, double*,
                                      double*, bool, Out<double>);

}  // namespace netinfer::net::detail
