// Max pooling over k x k windows with a stride, each family separately.
#include "layers.hpp"

namespace netinfer::net::detail {

namespace {

// Offset (within an image) of the first pixel of output (c, oy, ox)'s window.
Eigen::Index window_start(const Geometry& g, int c, int oy, int ox) {
  return (static_cast<Eigen::Index>(c) * g.in.height + oy * g.stride) * g.in.width +
         static_cast<Eigen::Index>(ox) * g.stride;
}

// Offset of the first maximum of the window, in row-major window order.
template <typename T>
Eigen::Index argmax(const Geometry& g, const T* image, Eigen::Index start) {
  Eigen::Index best = start;
  for (int ky = 0; ky < g.kernel; ++ky) {
    const Eigen::Index row = start + static_cast<Eigen::Index>(ky) * g.in.width;
    for (int kx = 0; kx < g.kernel; ++kx) {
      if (image[row + kx] > image[best]) best = row + kx;
    }
  }
  return best;
}

}  // namespace

template <typename T>
void maxpool_forward(const Geometry& g, const In<T>& in, Out<T> out) {
  const int k = g.kernel, w = g.in.width;
  for (Eigen::Index b = 0; b < in.cols(); ++b) {
    const T* image = in.col(b).data();
    T* o = out.col(b).data();
    for (int c = 0; c < g.out.families; ++c) {
      for (int oy = 0; oy < g.out.height; ++oy) {
        for (int ox = 0; ox < g.out.width; ++ox) {
          const T* window = image + window_start(g, c, oy, ox);
          T m = window[0];
          for (int ky = 0; ky < k; ++ky) {
            for (int kx = 0; kx < k; ++kx) m = std::max(m, window[ky * w + kx]);
          }
          *o++ = m;
        }
      }
    }
  }
}

template <typename T>
void maxpool_backward(const Geometry& g, const In<T>& in, const In<T>& dout, Out<T> din) {
  din.setZero();
  for (Eigen::Index b = 0; b < in.cols(); ++b) {
    const T* image = in.col(b).data();
    const T* d = dout.col(b).data();
    T* di = din.col(b).data();
    for (int c = 0; c < g.out.families; ++c) {
      for (int oy = 0; oy < g.out.height; ++oy) {
        for (int ox = 0; ox < g.out.width; ++ox) {
          di[argmax(g, image, window_start(g, c, oy, ox))] += *d++;
        }
      }
    }
  }
}

template void maxpool_forward<float>(const Geometry&, const In<float>&, Out<float>);
template void maxpool_forward<double>(const Geometry&, const In<double>&, Out<double>);
template void maxpool_backward<float>(const Geometry&, const In<float>&, const In<float>&,
                                      Out<float>);
template void maxpool_backward<double>(const Geometry&, const In<double>&, const In<double>&,
                                       Out<double>);

}  // namespace netinfer::net::detail
