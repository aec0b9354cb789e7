// Network architectures as data: an input shape and an ordered list of conv /
// maxpool / linear layers. Every layer of neurons (INPUT included) has a name
// from the paper (INPUT, CONVRAMP1, POOLING1, ..., LINEARRAMP, LINEARSOFT) and
// a shape (families × height × width; linear layers are families × 1 × 1).
//
// Global neuron order (used by every matrix in netinfer): layers in depth
// order; within a layer, index = (family * height + y) * width + x, i.e.
// PyTorch's CHW flatten. Location (layer, family, x, y) is 0-based here; the
// paper's example (3,10,5,6) is 1-based.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netinfer::net {

enum class LayerKind { Input, Conv, MaxPool, Linear };
enum class Activation { None, Ramp, Softmax };

struct Shape {
  int families = 1, height = 1, width = 1;
  std::int64_t size() const { return static_cast<std::int64_t>(families) * height * width; }
  bool operator==(const Shape& o) const {
    return families == o.families && height == o.height && width == o.width;
  }
};

struct LayerSpec {
  LayerKind kind = LayerKind::Input;
  int out = 0;     // conv: output channels (families); linear: output neurons
  int kernel = 0;  // conv: kernel size; maxpool: window size
  int stride = 1;  // conv: stride; maxpool: defaults to the window size
  Activation activation = Activation::None;
};

struct Location {
  int layer = 0, family = 0, x = 0, y = 0;
  bool operator==(const Location& o) const {
    return layer == o.layer && family == o.family && x == o.x && y == o.y;
  }
};

class Architecture {
 public:
  // Builds from an input shape and the layers after INPUT; validates sizes.
  Architecture(Shape input, std::vector<LayerSpec> layers);

  // LeNet of Table 1 (000): conv 20@5x5 ramp, maxpool 2, conv 50@5x5 ramp,
  // maxpool 2, linear 500 ramp, linear 10 softmax on 1x28x28: 19,694 neurons.
  static Architecture lenet();
  // Parses "input 1x28x28; conv 20 5 ramp; maxpool 2; conv 50 5 ramp;
  // maxpool 2; linear 500 ramp; linear 10 softmax" (also the name "lenet").
  static Architecture parse(const std::string& text);
  std::string to_string() const;  // the parse() form

  // Layers of neurons, INPUT first: count, names, shapes, specs.
  int layer_count() const { return static_cast<int>(shapes_.size()); }
  const Shape& shape(int layer) const { return shapes_[layer]; }
  const LayerSpec& spec(int layer) const { return specs_[layer]; }  // specs_[0] is Input
  const std::string& name(int layer) const { return names_[layer]; }
  bool spatial(int layer) const { return specs_[layer].kind != LayerKind::Linear; }

  std::int64_t neuron_count() const { return offsets_.back(); }
  std::int64_t offset(int layer) const { return offsets_[layer]; }  // first neuron of layer
  int layer_of(std::int64_t neuron) const;
  Location location(std::int64_t neuron) const;
  std::int64_t index(const Location& loc) const;

  bool operator==(const Architecture& o) const { return to_string() == o.to_string(); }

 private:
  std::vector<LayerSpec> specs_;
  std::vector<Shape> shapes_;
  std::vector<std::string> names_;
  std::vector<std::int64_t> offsets_;  // size layer_count() + 1
};

}  // namespace netinfer::net
