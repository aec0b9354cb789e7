// Layer kernels shared by the forward pass (double) and training (float).
// Every batch is a column-major matrix with one image per column and a
// layer's neurons in the global CHW order down the rows, so a layer of a
// batch is a block of rows of the whole-network activation matrix.
// Weights are column-major out x fan_in (PyTorch's [out][in][ky][kx] rows).
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "netinfer/net/architecture.hpp"

namespace netinfer::net::detail {

template <typename T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <typename T>
using In = Eigen::Ref<const Mat<T>>;
template <typename T>
using Out = Eigen::Ref<Mat<T>>;

// A weighted or pooling layer between an input of shape `in` and an output
// of shape `out`. Output (y, x) reads the window at input row y * stride -
// pad_top, column x * stride - pad_left; pixels outside the input are zero
// (conv), skipped (max pooling) or counted as zero or skipped (average).
struct Geometry {
  Shape in, out;
  int kernel = 0, stride = 1;
  int pad_top = 0, pad_left = 0;
  int positions() const { return out.height * out.width; }
  int fan_in() const { return in.families * kernel * kernel; }  // conv only
};

// A scratch matrix that keeps its largest allocation, so batches of varying
// size do not reallocate (and page-fault) large buffers again and again.
template <typename T>
class Scratch {
 public:
  Eigen::Map<Mat<T>> shape(Eigen::Index rows, Eigen::Index cols) {
    if (buffer_.size() < rows * cols) buffer_.resize(rows * cols);
    return Eigen::Map<Mat<T>>(buffer_.data(), rows, cols);
  }

 private:
  Vec<T> buffer_;
};

// Scratch matrices of the im2col convolution, reused between calls.
template <typename T>
struct ConvWorkspace {
  Scratch<T> patches;         // (batch * positions) x fan_in
  Scratch<T> product;         // (batch * positions) x out families
  Scratch<T> patch_gradient;  // (batch * positions) x fan_in
};

// Pre-activation z = W * patch + b for every output position.
template <typename T>
void conv_forward(const Geometry& g, const T* weight, const T* bias, const In<T>& in, Out<T> z,
                  ConvWorkspace<T>& ws);
// The values conv_forward leaves in its workspace after a batch of `batch`
// images: the patches and the product (the forward pass's memory plan).
std::uint64_t conv_forward_values(const Geometry& g, Eigen::Index batch);
// Writes dL/dW and dL/db for dL/dz = dz, and dL/d(in) when `input_gradient`.
// Reuses the patches of `in` that conv_forward left in `ws`.
template <typename T>
void conv_backward(const Geometry& g, const T* weight, const In<T>& dz, T* weight_gradient,
                   T* bias_gradient, bool input_gradient, Out<T> din, ConvWorkspace<T>& ws);

template <typename T>
void maxpool_forward(const Geometry& g, const In<T>& in, Out<T> out);
// Routes each output's gradient to the first maximum of its window.
template <typename T>
void maxpool_backward(const Geometry& g, const In<T>& in, const In<T>& dout, Out<T> din);

// Average over each window: divided by kernel^2 when `count_pad`, else by
// the number of the window's pixels inside the input.
template <typename T>
void avgpool_forward(const Geometry& g, bool count_pad, const In<T>& in, Out<T> out);
// The mean of each family's whole map.
template <typename T>
void global_avgpool_forward(const Shape& in, const In<T>& values, Out<T> out);

template <typename T>
void linear_forward(const T* weight, const T* bias, const In<T>& in, Out<T> z);
// Writes dL/dW, dL/db and, when `input_gradient`, dL/d(in).
template <typename T>
void linear_backward(const T* weight, const In<T>& in, const In<T>& dz, T* weight_gradient,
                     T* bias_gradient, bool input_gradient, Out<T> din);

// In place on a layer block: z -> activation(z) (softmax over the layer's
// neurons of each image), and d(out) -> d(z) given the layer's outputs.
template <typename T>
void activation_forward(Activation a, Out<T> values);
template <typename T>
void activation_backward(Activation a, const In<T>& out, Out<T> gradient);

}  // namespace netinfer::net::detail
