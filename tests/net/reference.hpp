// Naive references for the net tests: direct loops over the definitions of
// conv, maxpool, linear, ramp and softmax, one image at a time, sharing no
// code with the im2col + GEMM implementation.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "netinfer/core/random.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net::test {

// Every neuron of one image in the global order.
inline std::vector<double> naive_forward(const Network& net, const double* image) {
  const Architecture& a = net.architecture();
  std::vector<double> all(a.neuron_count());
  std::copy(image, image + a.shape(0).size(), all.begin());
  for (int l = 1; l < a.layer_count(); ++l) {
    const Shape in = a.shape(l - 1), out = a.shape(l);
    const LayerSpec& s = a.spec(l);
    const double* x = &all[a.offset(l - 1)];
    double* y = &all[a.offset(l)];
    const Matrix& w = net.parameters(l).weight;
    const Vector& b = net.parameters(l).bias;
    for (int f = 0; f < out.families; ++f) {
      for (int oy = 0; oy < out.height; ++oy) {
        for (int ox = 0; ox < out.width; ++ox) {
          double v = 0;
          if (s.kind == LayerKind::Conv) {
            v = b(f);
            for (int c = 0; c < in.families; ++c)
              for (int ky = 0; ky < s.kernel; ++ky)
                for (int kx = 0; kx < s.kernel; ++kx)
                  v += w(f, (c * s.kernel + ky) * s.kernel + kx) *
                       x[(c * in.height + oy * s.stride + ky) * in.width + ox * s.stride + kx];
          } else if (s.kind == LayerKind::MaxPool) {
            v = -INFINITY;
            for (int ky = 0; ky < s.kernel; ++ky)
              for (int kx = 0; kx < s.kernel; ++kx)
                v = std::max(
                    v, x[(f * in.height + oy * s.stride + ky) * in.width + ox * s.stride + kx]);
          } else {
            v = b(f);
            for (int i = 0; i < in.size(); ++i) v += w(f, i) * x[i];
          }
          y[(f * out.height + oy) * out.width + ox] = v;
        }
      }
    }
    const int n = static_cast<int>(out.size());
    if (s.activation == Activation::Ramp) {
      for (int i = 0; i < n; ++i) y[i] = std::max(0.0, y[i]);
    } else if (s.activation == Activation::Softmax) {
      double m = -INFINITY, sum = 0;
      for (int i = 0; i < n; ++i) m = std::max(m, y[i]);
      for (int i = 0; i < n; ++i) sum += std::exp(y[i] - m);
      for (int i = 0; i < n; ++i) y[i] = std::exp(y[i] - m) / sum;
    }
  }
  return all;
}

// Random weights and biases (biases nonzero, unlike Network::initialise).
inline void randomise(Network& net, std::uint64_t seed, double scale = 0.5) {
  for (int l = 0; l < net.architecture().layer_count(); ++l) {
    Stream s(seed, purpose_id("test.weights"), l);
    LayerParameters& p = net.parameters(l);
    for (Eigen::Index i = 0; i < p.weight.size(); ++i) p.weight.data()[i] = scale * s.normal();
    for (Eigen::Index i = 0; i < p.bias.size(); ++i) p.bias(i) = 0.1 * s.normal();
  }
}

inline Matrix random_images(const Architecture& a, int count, std::uint64_t seed) {
  Matrix images(a.shape(0).size(), count);
  Stream s(seed, purpose_id("test.images"), 0);
  for (Eigen::Index i = 0; i < images.size(); ++i) images.data()[i] = s.normal();
  return images;
}

inline LayerSpec conv(int out, int kernel, int stride, Activation act = Activation::Ramp) {
  return LayerSpec{LayerKind::Conv, out, kernel, stride, act};
}
inline LayerSpec maxpool(int window, int stride) {
  return LayerSpec{LayerKind::MaxPool, 0, window, stride, Activation::None};
}
inline LayerSpec linear(int out, Activation act) {
  return LayerSpec{LayerKind::Linear, out, 0, 1, act};
}

}  // namespace netinfer::net::test
