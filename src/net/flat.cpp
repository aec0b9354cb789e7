#include "flat.hpp"

namespace netinfer::net::detail {

ParameterPointers<const double> pointers(const Network& network) {
  ParameterPointers<const double> p;
  for (int l = 0; l < network.architecture().layer_count(); ++l) {
    const LayerParameters& lp = network.parameters(l);
    p.weight.push_back(lp.weight.size() ? lp.weight.data() : nullptr);
    p.bias.push_back(lp.bias.size() ? lp.bias.data() : nullptr);
  }
  return p;
}

template <typename T>
std::vector<T> flatten(const Network& network, const ParameterLayout& layout) {
  std::vector<T> flat(layout.size);
  for (int l = 0; l < network.architecture().layer_count(); ++l) {
    if (!layout.has_parameters(l)) continue;
    const LayerParameters& lp = network.parameters(l);
    Eigen::Map<Mat<T>>(flat.data() + layout.weight_offset[l], layout.rows[l], layout.cols[l]) =
        lp.weight.cast<T>();
    Eigen::Map<Vec<T>>(flat.data() + layout.bias_offset[l], layout.rows[l]) = lp.bias.cast<T>();
  }
  return flat;
}

template <typename T>
void unflatten(const std::vector<T>& flat, const ParameterLayout& layout, Network& network) {
  for (int l = 0; l < network.architecture().layer_count(); ++l) {
    if (!layout.has_parameters(l)) continue;
    LayerParameters& lp = network.parameters(l);
    lp.weight = Eigen::Map<const Mat<T>>(flat.data() + layout.weight_offset[l], layout.rows[l],
                                         layout.cols[l])
                    .template cast<double>();
    lp.bias = Eigen::Map<const Vec<T>>(flat.data() + layout.bias_offset[l], layout.rows[l])
                  .template cast<double>();
  }
}

template std::vector<float> flatten<float>(const Network&, const ParameterLayout&);
template std::vector<double> flatten<double>(const Network&, const ParameterLayout&);
template void unflatten<float>(const std::vector<float>&, const ParameterLayout&, Network&);
template void unflatten<double>(const std::vector<double>&, const ParameterLayout&, Network&);

}  // namespace netinfer::net::detail
