// Convolution by im2col + GEMM: the patches of a batch form one matrix whose
// row b*positions + p holds the input window of output position p of image b,
// so the whole batch is a single GEMM with the weights.
#include <Eigen/Dense>

#include "layers.hpp"

namespace netinfer::net::detail {

namespace {

// Calls f(patch_column, image, row_offset_in_image) for every (patch column
// j = (c*k + ky)*k + kx, image b, output row oy) with the offset of the first
// input pixel of that output row; consecutive outputs are `stride` apart.
template <typename F>
void for_each_window_row(const Geometry& g, Eigen::Index batch, F f) {
  const int k = g.kernel;
  for (int c = 0; c < g.in.families; ++c) {
    for (int ky = 0; ky < k; ++ky) {
      for (int kx = 0; kx < k; ++kx) {
        const Eigen::Index j = (static_cast<Eigen::Index>(c) * k + ky) * k + kx;
        for (Eigen::Index b = 0; b < batch; ++b) {
          for (int oy = 0; oy < g.out.height; ++oy) {
            f(j, b, oy,
              (static_cast<Eigen::Index>(c) * g.in.height + oy * g.stride + ky) * g.in.width + kx);
          }
        }
      }
    }
  }
}

template <typename T>
Eigen::Map<Mat<T>> im2col(const Geometry& g, const In<T>& in, Scratch<T>& scratch) {
  const Eigen::Index p = g.positions();
  auto patches = scratch.shape(in.cols() * p, g.fan_in());
  const int ow = g.out.width, s = g.stride;
  for_each_window_row(g, in.cols(), [&](Eigen::Index j, Eigen::Index b, int oy, Eigen::Index at) {
    const T* src = in.col(b).data() + at;
    T* dst = patches.col(j).data() + b * p + static_cast<Eigen::Index>(oy) * ow;
    for (int ox = 0; ox < ow; ++ox) dst[ox] = src[ox * s];
  });
  return patches;
}

}  // namespace

template <typename T>
void conv_forward(const Geometry& g, const T* weight, const T* bias, const In<T>& in, Out<T> z,
                  ConvWorkspace<T>& ws) {
  const Eigen::Map<const Mat<T>> w(weight, g.out.families, g.fan_in());
  const auto patches = im2col(g, in, ws.patches);
  auto product = ws.product.shape(patches.rows(), g.out.families);
  product.noalias() = patches * w.transpose();
  const Eigen::Index p = g.positions();
  for (Eigen::Index b = 0; b < in.cols(); ++b) {
    for (int o = 0; o < g.out.families; ++o) {
      z.col(b).segment(o * p, p) = product.col(o).segment(b * p, p).array() + bias[o];
    }
  }
}

template <typename T>
void conv_backward(const Geometry& g, const T* weight, const In<T>& dz, T* weight_gradient,
                   T* bias_gradient, bool input_gradient, Out<T> din, ConvWorkspace<T>& ws) {
  const Eigen::Index p = g.positions(), batch = dz.cols();
  const int families = g.out.families;
  auto product = ws.product.shape(batch * p, families);
  for (Eigen::Index b = 0; b < batch; ++b) {
    for (int o = 0; o < families; ++o) {
      product.col(o).segment(b * p, p) = dz.col(b).segment(o * p, p);
    }
  }
  const auto patches = ws.patches.shape(batch * p, g.fan_in());
  Eigen::Map<Mat<T>> dw(weight_gradient, families, g.fan_in());
  dw.noalias() = product.transpose() * patches;
  for (int o = 0; o < families; ++o) bias_gradient[o] = product.col(o).sum();
  if (!input_gradient) return;

  const Eigen::Map<const Mat<T>> w(weight, families, g.fan_in());
  auto patch_gradient = ws.patch_gradient.shape(batch * p, g.fan_in());
  patch_gradient.noalias() = product * w;
  din.setZero();
  const int ow = g.out.width, s = g.stride;
  for_each_window_row(g, batch, [&](Eigen::Index j, Eigen::Index b, int oy, Eigen::Index at) {
    T* dst = din.col(b).data() + at;
    const T* src = patch_gradient.col(j).data() + b * p + static_cast<Eigen::Index>(oy) * ow;
    for (int ox = 0; ox < ow; ++ox) dst[ox * s] += src[ox];
  });
}

template void conv_forward<float>(const Geometry&, const float*, const float*, const In<float>&,
                                  Out<float>, ConvWorkspace<float>&);
template void conv_forward<double>(const Geometry&, const double*, const double*, const In<double>&,
                                   Out<double>, ConvWorkspace<double>&);
template void conv_backward<float>(const Geometry&, const float*, const In<float>&, float*, float*,
                                   bool, Out<float>, ConvWorkspace<float>&);
template void conv_backward<double>(const Geometry&, const double*, const In<double>&, double*,
                                    double*, bool, Out<double>, ConvWorkspace<double>&);

}  // namespace netinfer::net::detail
