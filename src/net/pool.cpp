// Max and average pooling over k x k windows with a stride, each family
// separately.
#include <algorithm>

#include "layers.hpp"

namespace netinfer::net::detail {

namespace {

// Offset (within an image) of the first pixel of output (c, oy, ox)'s window
// (training: no padding).
Eigen::Index window_start(const Geometry& g, int c, int oy, int ox) {
  return (static_cast<Eigen::Index>(c) * g.in.height + oy * g.stride) * g.in.width +
         static_cast<Eigen::Index>(ox) * g.stride;
}

// Calls f(output, first pixel of the family's map, rows [y0, y1), columns
// [x0, x1)) for every output of every image, the window clipped to the input.
template <typename T, typename F>
void for_each_window(const Geometry& g, const In<T>& in, Out<T> out, F f) {
  const Eigen::Index map = static_cast<Eigen::Index>(g.in.height) * g.in.width;
  for (Eigen::Index b = 0; b < in.cols(); ++b) {
    T* o = out.col(b).data();
    for (int c = 0; c < g.out.families; ++c) {
      const T* plane = in.col(b).data() + c * map;
      for (int oy = 0; oy < g.out.height; ++oy) {
        const int top = oy * g.stride - g.pad_top;
        const int y0 = std::max(top, 0), y1 = std::min(top + g.kernel, g.in.height);
        for (int ox = 0; ox < g.out.width; ++ox) {
          const int left = ox * g.stride - g.pad_left;
          const int x0 = std::max(left, 0), x1 = std::min(left + g.kernel, g.in.width);
          f(*o++, plane, y0, y1, x0, x1);
        }
      }
    }
  }
}

// True when every window lies inside the input (no padding, no clipped last
// window), as in training and every sequential architecture.
bool windows_inside(const Geometry& g) {
  return g.pad_top == 0 && g.pad_left == 0 &&
         (g.out.height - 1) * g.stride + g.kernel <= g.in.height &&
         (g.out.width - 1) * g.stride + g.kernel <= g.in.width;
}

}  // namespace

template <typename T>
void maxpool_forward(const Geometry& g, const In<T>& in, Out<T> out) {
  const int w = g.in.width;
  if (windows_inside(g)) {
    // A row of outputs at a time with fixed window bounds, so the compiler
    // vectorises over the outputs; the clipped per-window loop below was a
    // quarter of a training step of a 1400-family conv layer.
    const int k = g.kernel, s = g.stride, ow = g.out.width;
    const Eigen::Index map = static_cast<Eigen::Index>(g.in.height) * w;
    for (Eigen::Index b = 0; b < in.cols(); ++b) {
      T* o = out.col(b).data();
      for (int c = 0; c < g.out.families; ++c) {
        const T* plane = in.col(b).data() + c * map;
        for (int oy = 0; oy < g.out.height; ++oy, o += ow) {
          const T* top = plane + static_cast<Eigen::Index>(oy) * s * w;
          for (int ox = 0; ox < ow; ++ox) o[ox] = top[ox * s];
          for (int ky = 0; ky < k; ++ky) {
            const T* row = top + static_cast<Eigen::Index>(ky) * w;
            for (int kx = 0; kx < k; ++kx) {
              for (int ox = 0; ox < ow; ++ox) o[ox] = std::max(o[ox], row[ox * s + kx]);
            }
          }
        }
      }
    }
    return;
  }
  for_each_window<T>(g, in, out, [w](T& o, const T* plane, int y0, int y1, int x0, int x1) {
    T m = plane[y0 * w + x0];
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) m = std::max(m, plane[y * w + x]);
    }
    o = m;
  });
}

template <typename T>
void avgpool_forward(const Geometry& g, bool count_pad, const In<T>& in, Out<T> out) {
  const int w = g.in.width;
  const T full = static_cast<T>(g.kernel * g.kernel);
  for_each_window<T>(g, in, out, [&](T& o, const T* plane, int y0, int y1, int x0, int x1) {
    T sum = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) sum += plane[y * w + x];
    }
    o = sum / (count_pad ? full : static_cast<T>((y1 - y0) * (x1 - x0)));
  });
}

template <typename T>
void global_avgpool_forward(const Shape& in, const In<T>& values, Out<T> out) {
  const Eigen::Index map = static_cast<Eigen::Index>(in.height) * in.width;
  for (Eigen::Index b = 0; b < values.cols(); ++b) {
    for (int c = 0; c < in.families; ++c) {
      out(c, b) = values.col(b).segment(c * map, map).sum() / static_cast<T>(map);
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
template void avgpool_forward<double>(const Geometry&, bool, const In<double>&, Out<double>);
template void global_avgpool_forward<double>(const Shape&, const In<double>&, Out<double>);
template void maxpool_backward<float>(const Geometry&, const In<float>&, const In<float>&,
                                      Out<float>);
template void maxpool_backward<double>(const Geometry&, const In<double>&, const In<double>&,
                                       Out<double>);

}  // namespace netinfer::net::detail
