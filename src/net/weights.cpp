// Weights in HDF5 (or ONNX, read by onnx.cpp).
//
// netinfer's layout (written by save_weights / write_weights):
//   /network                  group; attribute "architecture" = Architecture::to_string()
//   /network/<LAYER>/weight   conv: [out, in_channels, k, k]; linear: [out, in] (double)
//   /network/<LAYER>/bias     [out]
// with <LAYER> the paper's layer name (CONVRAMP1, ..., LINEARSOFT) and an
// "axes" attribute on each dataset. A linear layer's `in` axis follows the
// global (CHW) neuron order of the layer before it.
//
// PyTorch state_dict layout (read only): root datasets conv1.weight,
// conv1.bias, conv2.*, ..., fc1.weight, fc1.bias, ... in the same shapes,
// float32 or float64; convN is the N-th conv layer and fcN the N-th linear
// layer of the architecture given as fallback. PyTorch's flatten of (C, H, W)
// is the CHW order, so fc1's columns need no permutation.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net {

namespace {

h5::Dims weight_dims(const Architecture& arch, int layer) {
  const LayerSpec& s = arch.spec(layer);
  if (s.kind == LayerKind::Conv) {
    const auto k = static_cast<std::uint64_t>(s.kernel);
    return {static_cast<std::uint64_t>(s.out),
            static_cast<std::uint64_t>(arch.shape(layer - 1).families), k, k};
  }
  return {static_cast<std::uint64_t>(s.out),
          static_cast<std::uint64_t>(arch.shape(layer - 1).size())};
}

bool has_parameters(const Architecture& arch, int layer) {
  return arch.spec(layer).kind == LayerKind::Conv || arch.spec(layer).kind == LayerKind::Linear;
}

std::string dims_text(const h5::Dims& d) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < d.size(); ++i) out << (i ? "," : "") << d[i];
  out << "]";
  return out.str();
}

// Reads one parameter dataset, checking presence, shape and finiteness.
std::vector<double> read_parameter(const h5::File& file, const std::string& name,
                                   const h5::Dims& expected) {
  NI_REQUIRE(file.exists(name), "weights file ", file.path(), ": missing dataset ", name,
             " (the architecture needs ", dims_text(expected), ")");
  const h5::Dims found = file.dims(name);
  NI_REQUIRE(found == expected, "weights file ", file.path(), ": dataset ", name, " has shape ",
             dims_text(found), ", the architecture needs ", dims_text(expected));
  std::vector<double> values = file.read<double>(name);
  const auto bad =
      std::find_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
  NI_REQUIRE(bad == values.end(), "weights file ", file.path(), ": dataset ", name,
             " holds a non-finite value at element ", bad - values.begin());
  return values;
}

void load_layer(const h5::File& file, const std::string& weight_name, const std::string& bias_name,
                int layer, Network& network) {
  const Architecture& arch = network.architecture();
  const h5::Dims wd = weight_dims(arch, layer);
  LayerParameters& p = network.parameters(layer);
  const std::vector<double> w = read_parameter(file, weight_name, wd);
  // Row-major [out][fan_in] in the file, column-major out x fan_in in memory.
  p.weight =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          w.data(), p.weight.rows(), p.weight.cols());
  const std::vector<double> b = read_parameter(file, bias_name, {wd[0]});
  p.bias = Eigen::Map<const Vector>(b.data(), p.bias.size());
}

void load_netinfer_layout(const h5::File& file, Network& network) {
  const Architecture& arch = network.architecture();
  for (int l = 1; l < arch.layer_count(); ++l) {
    if (!has_parameters(arch, l)) continue;
    const std::string group = "/network/" + arch.name(l);
    load_layer(file, group + "/weight", group + "/bias", l, network);
  }
}

void load_pytorch_layout(const h5::File& file, Network& network) {
  const Architecture& arch = network.architecture();
  int convs = 0, linears = 0;
  for (int l = 1; l < arch.layer_count(); ++l) {
    if (!has_parameters(arch, l)) continue;
    const bool conv = arch.spec(l).kind == LayerKind::Conv;
    const std::string stem =
        conv ? "/conv" + std::to_string(++convs) : "/fc" + std::to_string(++linears);
    load_layer(file, stem + ".weight", stem + ".bias", l, network);
  }
  // Parameters the architecture has no place for mean the wrong architecture.
  const std::regex parameter(R"((conv|fc)(\d+)\.(weight|bias))");
  for (const std::string& name : file.children("/")) {
    std::smatch m;
    if (!std::regex_match(name, m, parameter)) continue;
    const int index = std::stoi(m[2]), have = m[1] == "conv" ? convs : linears;
    NI_REQUIRE(index >= 1 && index <= have, "weights file ", file.path(), ": dataset ", name,
               " has no layer in architecture '", arch.to_string(), "' (", have, " ", m[1],
               " layers)");
  }
}

}  // namespace

void write_weights(const Network& network, h5::File& file) {
  const Architecture& arch = network.architecture();
  NI_REQUIRE(!arch.general(),
             "a general network's weights stay in its ONNX file; netinfer's "
             "HDF5 layout holds sequential architectures only");
  const Architecture reparsed = Architecture::parse(arch.to_string());
  for (int l = 1; l < arch.layer_count(); ++l) {
    NI_REQUIRE(reparsed.spec(l).stride == arch.spec(l).stride, "cannot store weights of layer ",
               arch.name(l), ": its stride ", arch.spec(l).stride,
               " has no place in the architecture text '", arch.to_string(), "'");
  }
  file.make_groups("/network");
  file.set_attr("/network", "architecture", arch.to_string());
  for (int l = 1; l < arch.layer_count(); ++l) {
    if (!has_parameters(arch, l)) continue;
    const std::string group = "/network/" + arch.name(l);
    const LayerParameters& p = network.parameters(l);
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w = p.weight;
    file.write(group + "/weight", w.data(), weight_dims(arch, l));
    file.set_attr(
        group + "/weight", "axes",
        std::string(arch.spec(l).kind == LayerKind::Conv ? "out,in_channel,ky,kx" : "out,in"));
    file.write(group + "/bias", p.bias.data(), {static_cast<std::uint64_t>(p.bias.size())});
    file.set_attr(group + "/bias", "axes", std::string("out"));
  }
}

void save_weights(const Network& network, const std::string& path, bool force) {
  h5::Output out(path, force);
  write_weights(network, out.file());
  out.commit();
}

namespace {

// ONNX by name, or by its first byte: a ModelProto opens with field 1
// (ir_version, a varint: tag 0x08), where HDF5 opens with 0x89.
bool is_onnx(const std::string& path) {
  if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".onnx") == 0) return true;
  std::ifstream in(path, std::ios::binary);
  char first = 0;
  return in.get(first) && first == 0x08;
}

}  // namespace

Network load_weights(const std::string& path, const Architecture& fallback) {
  if (is_onnx(path)) return read_onnx(path);
  const h5::File file(path, h5::File::Mode::Read);
  if (file.exists("/network")) {
    NI_REQUIRE(file.has_attr("/network", "architecture"), "weights file ", path,
               ": group /network has no 'architecture' attribute");
    Network network(Architecture::parse(file.attr_string("/network", "architecture")));
    load_netinfer_layout(file, network);
    return network;
  }
  NI_REQUIRE(file.exists("/conv1.weight") || file.exists("/fc1.weight"), "weights file ", path,
             ": neither netinfer's /network group nor PyTorch-style datasets (conv1.weight, "
             "fc1.weight, ...)");
  Network network(fallback);
  load_pytorch_layout(file, network);
  return network;
}

}  // namespace netinfer::net
