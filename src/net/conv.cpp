// Convolution by im2col + GEMM: the patches of a batch form one matrix whose
// row b*positions + p holds the input window of output position p of image b,
// so the whole batch is a single GEMM with the weights.
#include <Eigen/Dense>
#include <algorithm>

#include "layers.hpp"

namespace netinfer::net::detail {

namespace {

// Calls f(patch_column, image, output row oy, offset, ox_begin, ox_end) for
// every (patch column j = (c*k + ky)*k + kx, image b, output row oy) whose
// input row lies inside the input, with the outputs [ox_begin, ox_end) whose
// input pixel does and the offset of ox_begin's input pixel; consecutive
// outputs are `stride` apart. Without padding every window lies inside.
template <typename F>
void for_each_window_row(const Geometry& g, Eigen::Index batch, F f) {
  const int k = g.kernel, s = g.stride;
  for (int c = 0; c < g.in.families; ++c) {
    for (int ky = 0; ky < k; ++ky) {
      for (int kx = 0; kx < k; ++kx) {
        const Eigen::Index j = (static_cast<Eigen::Index>(c) * k + ky) * k + kx;
        // Input column ox * s + kx - pad_left in [0, width).
        const int shift = kx - g.pad_left;
        const int begin = shift >= 0 ? 0 : (-shift + s - 1) / s;
        const int last = g.in.width - 1 - shift;  // ox * s <= last
        const int end = last < 0 ? 0 : std::min(g.out.width, last / s + 1);
        if (begin >= end) continue;
        for (Eigen::Index b = 0; b < batch; ++b) {
          for (int oy = 0; oy < g.out.height; ++oy) {
            const int iy = oy * s + ky - g.pad_top;
            if (iy < 0 || iy >= g.in.height) continue;
            f(j, b, oy,
              (static_cast<Eigen::Index>(c) * g.in.height + iy) * g.in.width + begin * s + shift,
              begin, end);
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
  if (g.pad_top > 0 || g.pad_left > 0 || (g.out.height - 1) * g.stride + g.kernel > g.in.height ||
      (g.out.width - 1) * g.stride + g.kernel > g.in.width) {
    patches.setZero();  // windows reaching into the padding
  }
  const int ow = g.out.width, s = g.stride;
  for_each_window_row(
      g, in.cols(),
      [&](Eigen::Index j, Eigen::Index b, int oy, Eigen::Index at, int begin, int end) {
        const T* src = in.col(b).data() + at;
        T* dst = patches.col(j).data() + b * p + static_cast<Eigen::Index>(oy) * ow + begin;
        for (int ox = 0; ox < end - begin; ++ox) dst[ox] = src[ox * s];
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

std::uint64_t conv_forward_values(const Geometry& g, Eigen::Index batch) {
  // conv_forward's two shapes: patches (batch * positions) x fan_in, product
  // (batch * positions) x out families.
  return static_cast<std::uint64_t>(batch) * g.positions() * (g.fan_in() + g.out.families);
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
  for_each_window_row(
      g, batch, [&](Eigen::Index j, Eigen::Index b, int oy, Eigen::Index at, int begin, int end) {
        T* dst = din.col(b).data() + at;
        const T* src =
            patch_gradient.col(j).data() + b * p + static_cast<Eigen::Index>(oy) * ow + begin;
        for (int ox = 0; ox < end - begin; ++ox) dst[ox * s] += src[ox];
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
