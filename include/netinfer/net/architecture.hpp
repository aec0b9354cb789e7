// Network architectures as data: an input shape and an ordered list of conv /
// maxpool / linear layers. Every layer of neurons (INPUT included) has a name
// from the paper (INPUT, CONVRAMP1, POOLING1, ..., LINEARRAMP, LINEARSOFT) and
// a shape (families × height × width; linear layers are families × 1 × 1).
//
// A general network (one read from ONNX: padding, strides, average pooling,
// residual blocks) is a DAG of layers of neurons: each layer after INPUT is
// fed by links, each a chain of linear steps (conv window, pooling window,
// dense, same position) from an earlier layer. A sequential architecture has
// one link per layer, from the layer before. links() is what the network
// graph (graph.hpp) is built from; the forward pass of a general network
// lives in its Network (read from ONNX, onnx.cpp).
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

// AvgPool (average or global average pooling) and Residual (a sum of links,
// e.g. relu(x + F(x))) occur in general networks only.
enum class LayerKind { Input, Conv, MaxPool, Linear, AvgPool, Residual };
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

// A window of a conv or pooling step: output (y, x) reads input rows
// y*stride_h - pad_top + [0, kernel_h), columns likewise.
struct Window {
  int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0;
};

// One linear step of a link, producing a map of shape `out`. Conv: every
// input family in the window; Pool: the same family in the window (also a
// zero Pad: a 1x1 window with pads); Dense: every input; Same: the same index
// (an Add's operand, a flatten).
struct Step {
  enum class Kind { Conv, Pool, Dense, Same };
  Kind kind = Kind::Same;
  Window window;
  Shape out;
};

struct Link {
  int from = 0;             // the layer of neurons the chain starts at
  std::vector<Step> steps;  // in order; the last step's `out` is the layer's shape
};

// A layer of a general network, as the ONNX reader builds it.
struct LayerNode {
  LayerKind kind = LayerKind::Conv;
  Activation activation = Activation::None;
  Shape shape;
  std::vector<Link> links;
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
  // A general network's layers after INPUT, in an order where every link
  // comes from an earlier layer; validates the steps' shapes.
  Architecture(Shape input, std::vector<LayerNode> layers);

  // LeNet of Table 1 (000): conv 20@5x5 ramp, maxpool 2, conv 50@5x5 ramp,
  // maxpool 2, linear 500 ramp, linear 10 softmax on 1x28x28: 19,694 neurons.
  static Architecture lenet();
  // Parses "input 1x28x28; conv 20 5 ramp; maxpool 2; conv 50 5 ramp;
  // maxpool 2; linear 500 ramp; linear 10 softmax" (also the name "lenet"),
  // or a general network's to_string() form (items "layer KIND ACT CxHxW
  // from L STEP... [from L STEP...]"; see architecture.cpp).
  static Architecture parse(const std::string& text);
  std::string to_string() const;  // the parse() form

  // Layers of neurons, INPUT first: count, names, shapes, specs.
  int layer_count() const { return static_cast<int>(shapes_.size()); }
  const Shape& shape(int layer) const { return shapes_[layer]; }
  // specs_[0] is Input. For a general network: kind, activation, out =
  // families, kernel and stride of the link's last conv or pooling step.
  const LayerSpec& spec(int layer) const { return specs_[layer]; }
  const std::string& name(int layer) const { return names_[layer]; }
  // Linear layers are split odd/even by family, spatial ones as a
  // checkerboard; a general network's 1x1 maps (global pooling) count as linear.
  bool spatial(int layer) const;
  bool general() const { return general_; }
  const std::vector<Link>& links(int layer) const { return links_[layer]; }  // empty for INPUT

  std::int64_t neuron_count() const { return offsets_.back(); }
  std::int64_t offset(int layer) const { return offsets_[layer]; }  // first neuron of layer
  int layer_of(std::int64_t neuron) const;
  Location location(std::int64_t neuron) const;
  std::int64_t index(const Location& loc) const;

  bool operator==(const Architecture& o) const { return to_string() == o.to_string(); }

 private:
  void finish();  // names and offsets from specs_ and shapes_

  bool general_ = false;
  std::vector<LayerSpec> specs_;
  std::vector<std::vector<Link>> links_;
  std::vector<Shape> shapes_;
  std::vector<std::string> names_;
  std::vector<std::int64_t> offsets_;  // size layer_count() + 1
};

// The symmetry classes of 000 §6.4: sets of layers whose families one
// automorphism of the graph must permute together (a conv or linear layer and
// the pooling layers that keep its families; a residual layer and the layer
// it adds at the same positions). INPUT's class is left out: its families
// are fixed by the images. Classes are sorted by first layer.
std::vector<std::vector<int>> family_classes(const Architecture& arch);

}  // namespace netinfer::net
