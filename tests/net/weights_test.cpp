// Weight files: netinfer's layout round trip, PyTorch state_dict import
// checked against a naive LeNet written directly on the state-dict arrays,
// and clear errors for wrong shapes, missing or extra datasets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "net/reference.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::net {
namespace {

std::string temp_path(const std::string& stem) {
  return ::testing::TempDir() + "netinfer_weights_" + stem + "_" + std::to_string(::getpid()) +
         ".h5";
}

// Expects `f` to throw netinfer::Error whose message contains every part.
template <typename F>
void expect_error(F f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    for (const auto& p : parts) {
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what() << "\nlacks " << p;
    }
  }
}

TEST(Weights, RoundTripKeepsArchitectureAndEveryParameter) {
  const Architecture arch = Architecture::parse(
      "input 2x10x8; conv 3 3 ramp; maxpool 2; linear 6 ramp; linear 4 softmax");
  Network net(arch);
  test::randomise(net, 11);
  const std::string path = temp_path("roundtrip");
  std::remove(path.c_str());
  save_weights(net, path, false);
  EXPECT_NE(::access(path.c_str(), F_OK), -1);
  EXPECT_EQ(::access(h5::Output::partial_name(path).c_str(), F_OK), -1);

  const Network back = load_weights(path);  // the file's architecture wins over LeNet
  ASSERT_EQ(back.architecture().to_string(), arch.to_string());
  for (int l = 0; l < arch.layer_count(); ++l) {
    EXPECT_EQ(back.parameters(l).weight, net.parameters(l).weight) << arch.name(l);
    EXPECT_EQ(back.parameters(l).bias, net.parameters(l).bias) << arch.name(l);
  }
  h5::File file(path, h5::File::Mode::Read);
  EXPECT_EQ(file.dims("/network/CONVRAMP1/weight"), (h5::Dims{3, 2, 3, 3}));
  EXPECT_EQ(file.dims("/network/LINEARRAMP/weight"), (h5::Dims{6, 3 * 4 * 3}));
  // Row-major [out][in][ky][kx]: element (o=1, c=1, ky=2, kx=0).
  EXPECT_EQ(file.read<double>("/network/CONVRAMP1/weight")[((1 * 2 + 1) * 3 + 2) * 3 + 0],
            net.parameters(1).weight(1, (1 * 3 + 2) * 3 + 0));
  file.close();

  expect_error([&] { save_weights(net, path, false); }, {path, "--force"});
  save_weights(net, path, true);
  std::remove(path.c_str());
}

// A PyTorch-style LeNet state dict of random float32 values.
std::map<std::string, std::vector<float>> random_state_dict(std::uint64_t seed) {
  const std::map<std::string, std::size_t> sizes = {
      {"conv1.weight", 20 * 25}, {"conv1.bias", 20},        {"conv2.weight", 50 * 20 * 25},
      {"conv2.bias", 50},        {"fc1.weight", 500 * 800}, {"fc1.bias", 500},
      {"fc2.weight", 10 * 500},  {"fc2.bias", 10}};
  std::map<std::string, std::vector<float>> dict;
  std::uint64_t i = 0;
  for (const auto& [name, n] : sizes) {
    Stream s(seed, purpose_id("state_dict"), i++);
    const double scale = name.find("bias") != std::string::npos ? 0.1 : 0.2;
    for (std::size_t k = 0; k < n; ++k)
      dict[name].push_back(static_cast<float>(scale * s.normal()));
  }
  return dict;
}

void write_state_dict(const std::string& path, const std::map<std::string, std::vector<float>>& d,
                      const std::map<std::string, h5::Dims>& shape_override = {}) {
  const std::map<std::string, h5::Dims> shapes = {
      {"conv1.weight", {20, 1, 5, 5}},  {"conv1.bias", {20}},
      {"conv2.weight", {50, 20, 5, 5}}, {"conv2.bias", {50}},
      {"fc1.weight", {500, 800}},       {"fc1.bias", {500}},
      {"fc2.weight", {10, 500}},        {"fc2.bias", {10}}};
  h5::File file(path, h5::File::Mode::Create);
  for (const auto& [name, values] : d) {
    const auto o = shape_override.find(name);
    h5::Dims dims = o != shape_override.end() ? o->second : shapes.at(name);
    std::vector<float> v = values;
    std::uint64_t n = 1;
    for (auto x : dims) n *= x;
    v.resize(n);
    file.write("/" + name, v.data(), dims);
  }
}

// LeNet straight from PyTorch's definitions on the state-dict arrays:
// conv (cross-correlation), relu, max_pool2d(2), flatten(C,H,W), linear.
std::vector<double> naive_lenet(const std::map<std::string, std::vector<float>>& d,
                                const double* image) {
  auto conv = [&](const std::vector<double>& in, int c_in, int size, const std::string& layer,
                  int c_out) {
    const int k = 5, o_size = size - k + 1;
    const auto& w = d.at(layer + ".weight");
    const auto& b = d.at(layer + ".bias");
    std::vector<double> out(c_out * o_size * o_size);
    for (int o = 0; o < c_out; ++o)
      for (int y = 0; y < o_size; ++y)
        for (int x = 0; x < o_size; ++x) {
          double v = b[o];
          for (int c = 0; c < c_in; ++c)
            for (int ky = 0; ky < k; ++ky)
              for (int kx = 0; kx < k; ++kx)
                v += double(w[((o * c_in + c) * k + ky) * k + kx]) *
                     in[(c * size + y + ky) * size + x + kx];
          out[(o * o_size + y) * o_size + x] = std::max(0.0, v);
        }
    return out;
  };
  auto pool = [](const std::vector<double>& in, int c_n, int size) {
    const int h = size / 2;
    std::vector<double> out(c_n * h * h);
    for (int c = 0; c < c_n; ++c)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < h; ++x) {
          double m = -INFINITY;
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
              m = std::max(m, in[(c * size + 2 * y + dy) * size + 2 * x + dx]);
          out[(c * h + y) * h + x] = m;
        }
    return out;
  };
  auto fc = [&](const std::vector<double>& in, const std::string& layer, int n_out) {
    const auto& w = d.at(layer + ".weight");
    const auto& b = d.at(layer + ".bias");
    std::vector<double> out(n_out);
    for (int o = 0; o < n_out; ++o) {
      out[o] = b[o];
      for (std::size_t i = 0; i < in.size(); ++i) out[o] += double(w[o * in.size() + i]) * in[i];
    }
    return out;
  };
  std::vector<double> all(image, image + 784);
  auto append = [&](const std::vector<double>& v) {
    all.insert(all.end(), v.begin(), v.end());
    return v;
  };
  const auto c1 = append(conv(std::vector<double>(image, image + 784), 1, 28, "conv1", 20));
  const auto p1 = append(pool(c1, 20, 24));
  const auto c2 = append(conv(p1, 20, 12, "conv2", 50));
  const auto p2 = append(pool(c2, 50, 8));
  auto f1 = fc(p2, "fc1", 500);
  for (auto& v : f1) v = std::max(0.0, v);
  append(f1);
  auto f2 = fc(f1, "fc2", 10);
  const double m = *std::max_element(f2.begin(), f2.end());
  double sum = 0;
  for (auto& v : f2) sum += (v = std::exp(v - m));
  for (auto& v : f2) v /= sum;
  append(f2);
  return all;
}

TEST(Weights, PyTorchStateDictImportMatchesNaiveLeNet) {
  const auto dict = random_state_dict(3);
  const std::string path = temp_path("pytorch");
  std::remove(path.c_str());
  write_state_dict(path, dict);
  const Network net = load_weights(path);
  ASSERT_EQ(net.architecture().to_string(), Architecture::lenet().to_string());

  const Matrix images = test::random_images(net.architecture(), 3, 9);
  Matrix acts;
  net.forward(images, acts);
  for (int i = 0; i < 3; ++i) {
    const std::vector<double> ref = naive_lenet(dict, images.col(i).data());
    ASSERT_EQ(static_cast<std::int64_t>(ref.size()), net.architecture().neuron_count());
    for (std::size_t n = 0; n < ref.size(); ++n) {
      ASSERT_NEAR(acts(n, i), ref[n], 1e-9 * (1 + std::abs(ref[n])))
          << "image " << i << " neuron " << n;
    }
  }
  std::remove(path.c_str());
}

TEST(Weights, WrongShapeNamesDatasetAndBothShapes) {
  auto dict = random_state_dict(4);
  const std::string path = temp_path("wrongshape");
  std::remove(path.c_str());
  write_state_dict(path, dict, {{"conv2.weight", {50, 20, 3, 3}}});
  expect_error([&] { load_weights(path); }, {path, "conv2.weight", "[50,20,3,3]", "[50,20,5,5]"});
  std::remove(path.c_str());
}

TEST(Weights, MissingExtraAndNonFiniteDatasetsAreNamed) {
  const std::string path = temp_path("bad");
  auto dict = random_state_dict(5);
  dict.erase("fc2.bias");
  std::remove(path.c_str());
  write_state_dict(path, dict);
  expect_error([&] { load_weights(path); }, {path, "missing dataset /fc2.bias", "[10]"});

  dict = random_state_dict(5);
  dict["fc1.bias"][7] = NAN;
  std::remove(path.c_str());
  write_state_dict(path, dict);
  expect_error([&] { load_weights(path); }, {"/fc1.bias", "non-finite", "element 7"});

  // A three-conv state dict does not fit LeNet's two conv layers.
  dict = random_state_dict(5);
  dict["conv3.weight"] = {1.0f};
  std::remove(path.c_str());
  write_state_dict(path, dict, {{"conv3.weight", {1}}});
  expect_error([&] { load_weights(path); }, {"conv3.weight", "2 conv layers"});

  std::remove(path.c_str());
  { h5::File empty(path, h5::File::Mode::Create); }
  expect_error([&] { load_weights(path); }, {path, "neither"});
  std::remove(path.c_str());
  expect_error([&] { load_weights(path); }, {path});
}

TEST(Weights, StrideThatTheArchitectureTextCannotHoldIsRefused) {
  const Architecture strided({1, 9, 9},
                             {test::conv(2, 3, 2), test::linear(3, Activation::Softmax)});
  const std::string path = temp_path("stride");
  std::remove(path.c_str());
  expect_error([&] { save_weights(Network(strided), path, false); }, {"CONVRAMP1", "stride 2"});
  std::remove(h5::Output::partial_name(path).c_str());
}

}  // namespace
}  // namespace netinfer::net
