#include "engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "netinfer/core/error.hpp"

namespace netinfer::net::detail {

ParameterLayout::ParameterLayout(const Architecture& arch) {
  for (int l = 0; l < arch.layer_count(); ++l) {
    const LayerSpec& s = arch.spec(l);
    int r = 0, c = 0;
    if (arch.general()) {
      // A general network's parameters live in its program (program.hpp).
    } else if (s.kind == LayerKind::Conv) {
      r = s.out;
      c = arch.shape(l - 1).families * s.kernel * s.kernel;
    } else if (s.kind == LayerKind::Linear) {
      r = s.out;
      c = static_cast<int>(arch.shape(l - 1).size());
    }
    rows.push_back(r);
    cols.push_back(c);
    if (r == 0) {
      weight_offset.push_back(-1);
      bias_offset.push_back(-1);
      continue;
    }
    weight_offset.push_back(size);
    size += static_cast<std::int64_t>(r) * c;
    bias_offset.push_back(size);
    size += r;
  }
}

Geometry geometry(const Architecture& arch, int layer) {
  return Geometry{arch.shape(layer - 1), arch.shape(layer), arch.spec(layer).kernel,
                  arch.spec(layer).stride};
}

template <typename T>
Engine<T>::Engine(const Architecture& arch) : arch_(arch) {
  geometry_.resize(arch.layer_count());
  ws_.resize(arch.layer_count());
  for (int l = 1; l < arch.layer_count(); ++l) geometry_[l] = geometry(arch, l);
}

template <typename T>
std::uint64_t Engine<T>::forward_values(const Architecture& arch, Eigen::Index batch) {
  std::uint64_t values = 0;  // a conv workspace per conv layer; layers live in `acts`
  for (int l = 1; l < arch.layer_count(); ++l) {
    if (arch.spec(l).kind == LayerKind::Conv)
      values += conv_forward_values(geometry(arch, l), batch);
  }
  return values;
}

template <typename T>
void Engine<T>::forward(const ParameterPointers<const T>& params, Out<T> acts) {
  for (int l = 1; l < arch_.layer_count(); ++l) {
    const auto in = acts.middleRows(arch_.offset(l - 1), arch_.shape(l - 1).size());
    auto out = acts.middleRows(arch_.offset(l), arch_.shape(l).size());
    switch (arch_.spec(l).kind) {
      case LayerKind::Conv:
        conv_forward<T>(geometry_[l], params.weight[l], params.bias[l], in, out, ws_[l]);
        break;
      case LayerKind::MaxPool:
        maxpool_forward<T>(geometry_[l], in, out);
        break;
      case LayerKind::Linear:
        linear_forward<T>(params.weight[l], params.bias[l], in, out);
        break;
      default:
        NI_FAIL("the sequential engine has no layer kind ", static_cast<int>(arch_.spec(l).kind));
    }
    activation_forward<T>(arch_.spec(l).activation, out);
  }
}

template <typename T>
double Engine<T>::backward(const ParameterPointers<const T>& params, const In<T>& acts,
                           const int* labels, T scale, const ParameterPointers<T>& gradient) {
  const int last = arch_.layer_count() - 1;
  NI_REQUIRE(arch_.spec(last).activation == Activation::Softmax,
             "training needs a softmax output layer (architecture '", arch_.to_string(), "')");
  const Eigen::Index batch = acts.cols(), classes = arch_.shape(last).size();
  delta_.resize(arch_.neuron_count(), batch);

  // Softmax with cross-entropy: dL/dz = p - onehot(label).
  double loss = 0;
  auto d_last = delta_.middleRows(arch_.offset(last), classes);
  d_last = acts.middleRows(arch_.offset(last), classes) * scale;
  for (Eigen::Index b = 0; b < batch; ++b) {
    NI_REQUIRE(labels[b] >= 0 && labels[b] < classes, "label ", labels[b], " outside 0..",
               classes - 1);
    const T p = acts(arch_.offset(last) + labels[b], b);
    loss -= std::log(std::max<double>(p, std::numeric_limits<T>::min()));
    d_last(labels[b], b) -= scale;
  }

  for (int l = last; l >= 1; --l) {
    const auto in = acts.middleRows(arch_.offset(l - 1), arch_.shape(l - 1).size());
    const auto dz = delta_.middleRows(arch_.offset(l), arch_.shape(l).size());
    auto din = delta_.middleRows(arch_.offset(l - 1), arch_.shape(l - 1).size());
    const bool input_gradient = l > 1;  // nothing upstream of INPUT to train
    switch (arch_.spec(l).kind) {
      case LayerKind::Conv:
        conv_backward<T>(geometry_[l], params.weight[l], dz, gradient.weight[l], gradient.bias[l],
                         input_gradient, din, ws_[l]);
        break;
      case LayerKind::MaxPool:
        if (input_gradient) maxpool_backward<T>(geometry_[l], in, dz, din);
        break;
      case LayerKind::Linear:
        linear_backward<T>(params.weight[l], in, dz, gradient.weight[l], gradient.bias[l],
                           input_gradient, din);
        break;
      default:
        NI_FAIL("the sequential engine has no layer kind ", static_cast<int>(arch_.spec(l).kind));
    }
    if (input_gradient) activation_backward<T>(arch_.spec(l - 1).activation, in, din);
  }
  return loss;
}

template class Engine<float>;
template class Engine<double>;

}  // namespace netinfer::net::detail
