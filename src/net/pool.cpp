// Max pooling over k x k windows with a stride, each family separately.
#include "layers.hpp"

namespace netinfer::net::detail {

namespace {

// Offset (within an image) of the first pixel of output (c, oy, ox)'s window.
Eigen::Index window_start(const Geometry& g, int c, int oy, int ox) {
  return (static_cast<Eigen::Index>(c) * g.in.height + oy * g.stride) * g.in.width +
         static_cast<Eigen::Index>(ox) * g.stride;
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
  const int k = g.kernel, w = g.in.width;
  for (Eigen::Index b = 0; b < in.cols(); ++b) {
    const T* image = in.col(b).data();
    const T* d = dout.col(b).data();
    T* di = din.col(b).data();
    for (int c = 0; c < g.out.families; ++c) {
      for (int oy = 0; oy < g.out.height; ++oy) {
        for (int ox = 0; ox < g.out.width; ++ox) {
          // The first maximum of the window in row-major order gets the gradient.
          const Eigen::Index start = window_start(g, c, oy, ox);
          // Written without branches: ties and random order mispredict them.
          Eigen::Index best = start;
          T top = image[start];
          for (int ky = 0; ky < k; ++ky) {
            for (int kx = 0; kx < k; ++kx) {
              const Eigen::Index at = start + ky * w + kx;
              const bool above = image[at] > top;
              best = above ? at : best;
              top = above ? image[at] : top;
            }
          }
          di[best] += *d++;
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
