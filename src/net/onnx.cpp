// Reads an ONNX model (Debian's libonnx protobuf classes) into a general
// Architecture and the Program that runs it.
//
// Supported, as torch.onnx.export writes them in eval mode (opsets 11-17), on
// one input of shape [batch, C, H, W] or [batch, F]:
//   Conv                 square kernel, equal strides, any pads, dilation 1,
//                        group 1, bias optional
//   BatchNormalization   folded into the Conv or Gemm/MatMul before it
//   Relu, Softmax        (Softmax over a vector) -> a layer of neurons
//   MaxPool, AveragePool square kernel, equal strides, any pads, ceil_mode 0
//                        -> a layer of neurons
//   GlobalAveragePool    -> a layer of neurons
//   Add                  of two tensors of one shape (residual), or of a
//                        constant bias after Conv, Gemm or MatMul
//   Flatten (axis 1), Reshape to [batch, size]
//   Gemm (transA 0), MatMul by a constant matrix
//   Identity, Dropout    no-ops
//   Constant, and Pad in constant mode with value 0 over H and W
// The graph's output is a layer of neurons too (a final linear op without
// activation). Anything else fails with one line naming node, op and why.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "netinfer/core/error.hpp"
#include "netinfer/net/network.hpp"
#include "program.hpp"

namespace netinfer::net {

namespace {

using detail::Geometry;
using detail::Op;

// An initializer or Constant: its dims and values (as double; int64 tensors
// hold small integers such as shapes and pads).
struct Constant {
  std::vector<std::int64_t> dims;
  std::vector<double> values;
};

// A value of the graph: a program tensor, seen as C x H x W or as a vector.
struct Value {
  int tensor = -1;
  bool vector = false;
};

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}
  Network read();

 private:
  [[noreturn]] void fail_node(const onnx::NodeProto& node, const std::string& why) const {
    NI_FAIL(path_, ": node '", node.name(), "' (", node.op_type(), "): ", why);
  }
  Constant to_constant(const onnx::TensorProto& t, const std::string& where) const;
  void read_input(const onnx::GraphProto& graph);
  void read_node(const onnx::NodeProto& node);

  const Constant* constant(const std::string& name) const {
    const auto it = constants_.find(name);
    return it == constants_.end() ? nullptr : &it->second;
  }
  Value value(const onnx::NodeProto& node, int input) const;
  const Constant& constant_input(const onnx::NodeProto& node, int input) const;
  int new_tensor(Shape shape);
  void add_op(Op op, const onnx::NodeProto& node, Value out);
  // The op producing `tensor` if only one node reads it (so it may be folded into).
  Op* foldable(const std::string& name, int tensor);
  Geometry window(const onnx::NodeProto& node, const Value& in, bool pool) const;

  std::vector<Link> links_into(int tensor) const;
  std::vector<Link> links_through(const Op& op) const;
  Architecture architecture(const std::string& output, std::vector<int>& layer_tensors) const;

  std::string path_;
  std::map<std::string, Constant> constants_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> readers_;  // how many nodes (and graph outputs) read each name
  std::shared_ptr<detail::Program> program_ = std::make_shared<detail::Program>();
  std::vector<int> producer_;  // per tensor: its op, or -1
  std::vector<bool> layer_;    // per tensor: a layer of neurons
};

Constant Reader::to_constant(const onnx::TensorProto& t, const std::string& where) const {
  NI_REQUIRE(t.data_location() != onnx::TensorProto::EXTERNAL, path_, ": ", where,
             ": tensor data stored outside the model file is not supported");
  Constant c;
  std::int64_t n = 1;
  for (auto d : t.dims()) {
    c.dims.push_back(d);
    n *= d;
  }
  const std::string& raw = t.raw_data();
  const auto from_raw = [&](auto sample) {
    using T = decltype(sample);
    NI_REQUIRE(raw.size() == static_cast<std::size_t>(n) * sizeof(T), path_, ": ", where,
               ": raw data of ", raw.size(), " bytes for ", n, " values");
    for (std::int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // little-endian, as the host
      c.values.push_back(static_cast<double>(v));
    }
  };
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) {
        from_raw(float{});
      } else {
        c.values.assign(t.float_data().begin(), t.float_data().end());
      }
      break;
    case onnx::TensorProto::DOUBLE:
      if (t.has_raw_data()) {
        from_raw(double{});
      } else {
        c.values.assign(t.double_data().begin(), t.double_data().end());
      }
      break;
    case onnx::TensorProto::INT64:
      if (t.has_raw_data()) {
        from_raw(std::int64_t{});
      } else {
        c.values.assign(t.int64_data().begin(), t.int64_data().end());
      }
      break;
    case onnx::TensorProto::INT32:
      if (t.has_raw_data()) {
        from_raw(std::int32_t{});
      } else {
        c.values.assign(t.int32_data().begin(), t.int32_data().end());
      }
      break;
    default:
      NI_FAIL(path_, ": ", where, ": tensor element type ", t.data_type(),
              " is not supported (float, double, int32, int64)");
  }
  NI_REQUIRE(static_cast<std::int64_t>(c.values.size()) == n, path_, ": ", where, ": ",
             c.values.size(), " values for a tensor of ", n);
  for (double v : c.values) {
    NI_REQUIRE(std::isfinite(v), path_, ": ", where, ": a non-finite value");
  }
  return c;
}

void Reader::read_input(const onnx::GraphProto& graph) {
  std::set<std::string> initialisers;
  for (const auto& t : graph.initializer()) {
    initialisers.insert(t.name());
    constants_[t.name()] = to_constant(t, "initializer '" + t.name() + "'");
  }
  const onnx::ValueInfoProto* input = nullptr;
  for (const auto& v : graph.input()) {
    if (initialisers.count(v.name())) continue;
    NI_REQUIRE(!input, path_, ": the graph has more than one input ('", input->name(), "', '",
               v.name(), "'); netinfer's networks take one image tensor");
    input = &v;
  }
  NI_REQUIRE(input, path_, ": the graph has no input");
  NI_REQUIRE(input->type().has_tensor_type() && input->type().tensor_type().has_shape(), path_,
             ": input '", input->name(), "' has no tensor shape");
  const auto& dims = input->type().tensor_type().shape().dim();
  NI_REQUIRE(dims.size() == 4 || dims.size() == 2, path_, ": input '", input->name(), "' has ",
             dims.size(), " dimensions; netinfer reads [batch, C, H, W] or [batch, F]");
  std::vector<int> sizes;
  for (int i = 1; i < dims.size(); ++i) {
    NI_REQUIRE(dims[i].has_dim_value() && dims[i].dim_value() > 0, path_, ": input '",
               input->name(), "' has a dynamic or empty dimension ", i,
               " (only the batch, dimension 0, may be dynamic)");
    sizes.push_back(static_cast<int>(dims[i].dim_value()));
  }
  const Shape shape =
      sizes.size() == 3 ? Shape{sizes[0], sizes[1], sizes[2]} : Shape{sizes[0], 1, 1};
  values_[input->name()] = Value{new_tensor(shape), sizes.size() == 1};
  layer_[0] = true;
}

int Reader::new_tensor(Shape shape) {
  program_->shapes.push_back(shape);
  producer_.push_back(-1);
  layer_.push_back(false);
  return static_cast<int>(program_->shapes.size()) - 1;
}

Value Reader::value(const onnx::NodeProto& node, int input) const {
  if (input >= node.input_size() || node.input(input).empty()) fail_node(node, "missing input");
  const auto it = values_.find(node.input(input));
  if (it == values_.end()) {
    fail_node(node, constant(node.input(input))
                        ? "input '" + node.input(input) +
                              "' is a constant where a tensor of "
                              "the network is needed"
                        : "input '" + node.input(input) + "' is not computed before this node");
  }
  return it->second;
}

const Constant& Reader::constant_input(const onnx::NodeProto& node, int input) const {
  if (input >= node.input_size() || !constant(node.input(input))) {
    fail_node(node, "input " + std::to_string(input) +
                        " must be a constant (an initializer or Constant), not computed");
  }
  return *constant(node.input(input));
}

void Reader::add_op(Op op, const onnx::NodeProto& node, Value out) {
  op.output = out.tensor;
  producer_[out.tensor] = static_cast<int>(program_->ops.size());
  program_->ops.push_back(std::move(op));
  values_[node.output(0)] = out;
}

Op* Reader::foldable(const std::string& name, int tensor) {
  const int p = producer_[tensor];
  if (p < 0 || readers_[name] != 1 || layer_[tensor]) return nullptr;
  Op& op = program_->ops[p];
  return op.kind == Op::Kind::Conv || op.kind == Op::Kind::Dense ? &op : nullptr;
}

// Attributes of one node, checked for names netinfer does not read.
class Attributes {
 public:
  Attributes(const onnx::NodeProto& node, std::function<void(const std::string&)> fail)
      : fail_(std::move(fail)) {
    for (const auto& a : node.attribute()) by_name_[a.name()] = &a;
  }
  std::int64_t i(const std::string& name, std::int64_t fallback) {
    const auto* a = take(name);
    return a ? a->i() : fallback;
  }
  float f(const std::string& name, float fallback) {
    const auto* a = take(name);
    return a ? a->f() : fallback;
  }
  std::string s(const std::string& name, const std::string& fallback) {
    const auto* a = take(name);
    return a ? a->s() : fallback;
  }
  std::vector<std::int64_t> ints(const std::string& name, std::vector<std::int64_t> fallback) {
    const auto* a = take(name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : fallback;
  }
  const onnx::AttributeProto* take(const std::string& name) {
    const auto it = by_name_.find(name);
    if (it == by_name_.end()) return nullptr;
    const auto* a = it->second;
    by_name_.erase(it);
    return a;
  }
  // Every attribute must have been read.
  void done() {
    if (!by_name_.empty()) fail_("attribute '" + by_name_.begin()->first + "' is not supported");
  }

 private:
  std::map<std::string, const onnx::AttributeProto*> by_name_;
  std::function<void(const std::string&)> fail_;
};

Geometry Reader::window(const onnx::NodeProto& node, const Value& in, bool pool) const {
  Attributes at(node, [&](const std::string& why) { fail_node(node, why); });
  const Shape s = program_->shapes[in.tensor];
  if (in.vector) fail_node(node, "needs a C x H x W input, not a vector");
  std::vector<std::int64_t> kernel = at.ints("kernel_shape", {});
  if (!pool && kernel.empty()) {
    const Constant& w = constant_input(node, 1);
    if (w.dims.size() == 4) kernel = {w.dims[2], w.dims[3]};
  }
  const auto strides = at.ints("strides", {1, 1});
  const auto pads = at.ints("pads", {0, 0, 0, 0});
  const auto dilations = at.ints("dilations", {1, 1});
  if (kernel.size() != 2 || kernel[0] != kernel[1]) fail_node(node, "kernel must be square 2-D");
  if (strides.size() != 2 || strides[0] != strides[1]) fail_node(node, "strides must be equal");
  if (pads.size() != 4 || *std::min_element(pads.begin(), pads.end()) < 0) {
    fail_node(node, "pads must be 4 non-negative values");
  }
  if (dilations != std::vector<std::int64_t>{1, 1}) fail_node(node, "dilation other than 1");
  if (at.s("auto_pad", "NOTSET") != "NOTSET") fail_node(node, "auto_pad other than NOTSET");
  if (!pool && at.i("group", 1) != 1) fail_node(node, "group other than 1");
  if (pool && at.i("ceil_mode", 0) != 0) fail_node(node, "ceil_mode 1");
  if (pool && at.i("storage_order", 0) != 0) fail_node(node, "storage_order 1");
  at.take("count_include_pad");  // read by the caller
  at.done();
  Geometry g;
  g.in = s;
  g.kernel = static_cast<int>(kernel[0]);
  g.stride = static_cast<int>(strides[0]);
  g.pad_top = static_cast<int>(pads[0]);
  g.pad_left = static_cast<int>(pads[1]);
  if (pool &&
      (pads[0] >= g.kernel || pads[1] >= g.kernel || pads[2] >= g.kernel || pads[3] >= g.kernel)) {
    fail_node(node, "a pad as large as the kernel");
  }
  const std::int64_t h = (s.height + pads[0] + pads[2] - g.kernel) / g.stride + 1;
  const std::int64_t w = (s.width + pads[1] + pads[3] - g.kernel) / g.stride + 1;
  if (s.height + pads[0] + pads[2] < g.kernel || s.width + pads[1] + pads[3] < g.kernel) {
    fail_node(node, "kernel larger than its padded input");
  }
  g.out = Shape{s.families, static_cast<int>(h), static_cast<int>(w)};
  return g;
}

void Reader::read_node(const onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    fail_node(node, "operator domain '" + node.domain() + "' is not supported");
  }
  if (node.output_size() < 1) fail_node(node, "no output");
  for (int i = 1; i < node.output_size(); ++i) {
    if (!node.output(i).empty() && readers_[node.output(i)] > 0) {
      fail_node(node, "its output " + std::to_string(i) + " ('" + node.output(i) +
                          "') is used; netinfer computes the first output only");
    }
  }
  const auto fail = [&](const std::string& why) { fail_node(node, why); };
  const auto alias = [&](const Value& v) { values_[node.output(0)] = v; };

  if (op == "Constant") {
    Attributes at(node, fail);
    const auto* t = at.take("value");
    if (!t) fail("only the 'value' form of Constant is supported");
    at.done();
    constants_[node.output(0)] = to_constant(t->t(), "node '" + node.name() + "'");
  } else if (op == "Identity" || op == "Dropout") {
    Attributes at(node, fail);
    at.take("seed");
    at.done();
    if (op == "Dropout" && node.input_size() > 2 && !node.input(2).empty()) {
      const Constant& training = constant_input(node, 2);
      if (training.values.size() != 1 || training.values[0] != 0) fail("training_mode true");
    }
    if (const Constant* c = constant(node.input(0))) {
      constants_[node.output(0)] = *c;
    } else {
      alias(value(node, 0));
    }
  } else if (op == "Conv") {
    const Value in = value(node, 0);
    Op o;
    o.kind = Op::Kind::Conv;
    o.inputs = {in.tensor};
    o.geometry = window(node, in, false);
    const Constant& w = constant_input(node, 1);
    Geometry& g = o.geometry;
    if (w.dims.size() != 4 || w.dims[1] != g.in.families || w.dims[2] != g.kernel ||
        w.dims[3] != g.kernel) {
      fail("weight shape does not match a " + std::to_string(g.kernel) + "x" +
           std::to_string(g.kernel) + " kernel over " + std::to_string(g.in.families) +
           " channels");
    }
    g.out.families = static_cast<int>(w.dims[0]);
    const int fan_in = g.in.families * g.kernel * g.kernel;
    // [out][in][ky][kx] row-major is out x fan_in row-major.
    o.weight =
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            w.values.data(), g.out.families, fan_in);
    o.bias = Vector::Zero(g.out.families);
    if (node.input_size() > 2 && !node.input(2).empty()) {
      const Constant& b = constant_input(node, 2);
      if (b.values.size() != static_cast<std::size_t>(g.out.families)) fail("bias size");
      o.bias = Eigen::Map<const Vector>(b.values.data(), g.out.families);
    }
    const Shape out = g.out;
    add_op(std::move(o), node, Value{new_tensor(out), false});
  } else if (op == "BatchNormalization") {
    Attributes at(node, fail);
    const double eps = at.f("epsilon", 1e-5f);
    at.take("momentum");
    if (at.i("training_mode", 0) != 0) fail("training_mode 1");
    at.done();
    const Value in = value(node, 0);
    Op* before = foldable(node.input(0), in.tensor);
    if (!before)
      fail(
          "only a BatchNormalization right after a Conv, Gemm or MatMul (read by no "
          "other node) can be folded");
    const std::int64_t n = before->bias.size();
    std::vector<const Constant*> p;
    for (int i = 1; i <= 4; ++i) {
      p.push_back(&constant_input(node, i));
      if (static_cast<std::int64_t>(p.back()->values.size()) != n) fail("parameter sizes");
    }
    for (std::int64_t c = 0; c < n; ++c) {
      const double scale = p[0]->values[c] / std::sqrt(p[3]->values[c] + eps);
      before->weight.row(c) *= scale;
      before->bias(c) = (before->bias(c) - p[2]->values[c]) * scale + p[1]->values[c];
    }
    alias(in);
  } else if (op == "Relu" || op == "Softmax") {
    Attributes at(node, fail);
    const Value in = value(node, 0);
    if (op == "Softmax") {
      const auto axis = at.i("axis", -1);
      if (!in.vector || (axis != 1 && axis != -1)) fail("softmax over anything but a vector");
    }
    at.done();
    Op o;
    o.kind = op == "Relu" ? Op::Kind::Relu : Op::Kind::Softmax;
    o.inputs = {in.tensor};
    const Value out{new_tensor(program_->shapes[in.tensor]), in.vector};
    layer_[out.tensor] = true;
    add_op(std::move(o), node, out);
  } else if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") {
    const Value in = value(node, 0);
    Op o;
    o.inputs = {in.tensor};
    if (op == "GlobalAveragePool") {
      Attributes(node, fail).done();
      if (in.vector) fail("needs a C x H x W input, not a vector");
      o.kind = Op::Kind::GlobalAvgPool;
      o.geometry.in = program_->shapes[in.tensor];
      o.geometry.out = Shape{o.geometry.in.families, 1, 1};
    } else {
      o.kind = op == "MaxPool" ? Op::Kind::MaxPool : Op::Kind::AvgPool;
      o.geometry = window(node, in, true);
      Attributes at(node, fail);
      o.count_pad = at.i("count_include_pad", 0) != 0;
    }
    const Value out{new_tensor(o.geometry.out), false};
    layer_[out.tensor] = true;
    add_op(std::move(o), node, out);
  } else if (op == "Pad") {
    Attributes at(node, fail);
    if (at.s("mode", "constant") != "constant") fail("mode other than constant");
    at.done();
    const Value in = value(node, 0);
    if (in.vector) fail("padding a vector");
    const Constant& pads = constant_input(node, 1);
    if (node.input_size() > 2 && !node.input(2).empty()) {
      const Constant& v = constant_input(node, 2);
      if (v.values.size() != 1 || v.values[0] != 0) fail("a pad value other than 0");
    }
    if (node.input_size() > 3) fail("the axes input");
    const auto& p = pads.values;
    if (p.size() != 8 || p[0] || p[1] || p[4] || p[5]) fail("pads other than on H and W");
    if (*std::min_element(p.begin(), p.end()) < 0) fail("negative pads (cropping)");
    if (p[2] == 0 && p[3] == 0 && p[6] == 0 && p[7] == 0) {
      alias(in);  // torch's AvgPool2d export: a zero Pad before the pool
      return;
    }
    Op o;
    o.kind = Op::Kind::Pad;
    o.inputs = {in.tensor};
    Geometry& g = o.geometry;
    g.in = program_->shapes[in.tensor];
    g.kernel = g.stride = 1;
    g.pad_top = static_cast<int>(p[2]);
    g.pad_left = static_cast<int>(p[3]);
    g.out = Shape{g.in.families, g.in.height + g.pad_top + static_cast<int>(p[6]),
                  g.in.width + g.pad_left + static_cast<int>(p[7])};
    const Shape out = g.out;
    add_op(std::move(o), node, Value{new_tensor(out), false});
  } else if (op == "Flatten") {
    Attributes at(node, fail);
    if (at.i("axis", 1) != 1) fail("axis other than 1");
    at.done();
    alias(Value{value(node, 0).tensor, true});
  } else if (op == "Reshape") {
    Attributes at(node, fail);
    if (at.i("allowzero", 0) != 0) fail("allowzero 1");
    at.done();
    const Value in = value(node, 0);
    const auto& to = constant_input(node, 1).values;
    const double size = static_cast<double>(program_->shapes[in.tensor].size());
    const bool batch = to.size() == 2 && (to[0] == 1 || to[0] == -1 || to[0] == 0);
    if (!batch || !(to[1] == size || (to[1] == -1 && to[0] != -1))) {
      fail("a reshape to anything but [batch, " + std::to_string(static_cast<long>(size)) + "]");
    }
    alias(Value{in.tensor, true});
  } else if (op == "Gemm" || op == "MatMul") {
    Attributes at(node, fail);
    const Value in = value(node, 0);
    if (!in.vector) fail("needs a vector input (Flatten or Reshape first)");
    const Constant& b = constant_input(node, 1);
    const bool trans_b = op == "Gemm" && at.i("transB", 0) != 0;
    if (op == "Gemm" && at.i("transA", 0) != 0) fail("transA 1");
    const double alpha = op == "Gemm" ? at.f("alpha", 1) : 1;
    const double beta = op == "Gemm" ? at.f("beta", 1) : 1;
    at.done();
    const std::int64_t k = program_->shapes[in.tensor].size();
    if (b.dims.size() != 2 || b.dims[trans_b ? 1 : 0] != k) {
      fail("weight shape does not match an input of " + std::to_string(k));
    }
    const int n = static_cast<int>(b.dims[trans_b ? 0 : 1]);
    Op o;
    o.kind = Op::Kind::Dense;
    o.inputs = {in.tensor};
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMajor> m(b.values.data(), b.dims[0], b.dims[1]);
    o.weight = alpha * (trans_b ? Matrix(m) : Matrix(m.transpose()));
    o.bias = Vector::Zero(n);
    if (op == "Gemm" && node.input_size() > 2 && !node.input(2).empty()) {
      const Constant& c = constant_input(node, 2);
      if (c.values.size() == 1) {
        o.bias.setConstant(beta * c.values[0]);
      } else if (c.values.size() == static_cast<std::size_t>(n)) {
        o.bias = beta * Eigen::Map<const Vector>(c.values.data(), n);
      } else {
        fail("C of a shape other than [N] or [1, N]");
      }
    }
    add_op(std::move(o), node, Value{new_tensor(Shape{n, 1, 1}), true});
  } else if (op == "Add") {
    Attributes(node, fail).done();
    const Constant* c0 = constant(node.input(0));
    const Constant* c1 = constant(node.input(1));
    if (c0 && c1) fail("an Add of two constants");
    if (c0 || c1) {
      // A bias after a Conv or Gemm/MatMul: one value per output family.
      const Value in = value(node, c0 ? 1 : 0);
      Op* before = foldable(node.input(c0 ? 1 : 0), in.tensor);
      const Constant& bias = c0 ? *c0 : *c1;
      if (!before || bias.values.size() != static_cast<std::size_t>(before->bias.size())) {
        fail(
            "an Add of a constant is read only as a bias (one value per output family) right "
            "after a Conv, Gemm or MatMul read by no other node");
      }
      before->bias += Eigen::Map<const Vector>(bias.values.data(), before->bias.size());
      alias(in);
      return;
    }
    const Value a = value(node, 0), b = value(node, 1);
    if (!(program_->shapes[a.tensor] == program_->shapes[b.tensor]) || a.vector != b.vector) {
      fail("an Add of tensors of different shapes (broadcasting is not supported)");
    }
    Op o;
    o.kind = Op::Kind::Add;
    o.inputs = {a.tensor, b.tensor};
    add_op(std::move(o), node, Value{new_tensor(program_->shapes[a.tensor]), a.vector});
  } else {
    fail(
        "operator not supported (netinfer reads Conv, BatchNormalization, Relu, MaxPool, "
        "AveragePool, GlobalAveragePool, Add, Flatten, Reshape, Gemm, MatMul, Softmax, "
        "Identity, Dropout, Constant, Pad)");
  }
}

std::vector<Link> Reader::links_into(int tensor) const {
  if (layer_[tensor]) {
    for (std::size_t t = 0, l = 0; t < layer_.size(); ++t) {
      if (!layer_[t]) continue;
      if (static_cast<int>(t) == tensor) return {Link{static_cast<int>(l), {}}};
      ++l;
    }
  }
  return links_through(program_->ops[producer_[tensor]]);
}

std::vector<Link> Reader::links_through(const Op& op) const {
  Step step;
  step.out = program_->shapes[op.output];
  const Geometry& g = op.geometry;
  step.window = Window{g.kernel, g.kernel, g.stride, g.stride, g.pad_top, g.pad_left};
  switch (op.kind) {
    case Op::Kind::Conv:
      step.kind = Step::Kind::Conv;
      break;
    case Op::Kind::MaxPool:
    case Op::Kind::AvgPool:
    case Op::Kind::Pad:
      step.kind = Step::Kind::Pool;
      break;
    case Op::Kind::GlobalAvgPool:
      step.kind = Step::Kind::Pool;
      step.window = Window{g.in.height, g.in.width, 1, 1, 0, 0};
      break;
    case Op::Kind::Dense:
      step.kind = Step::Kind::Dense;
      break;
    case Op::Kind::Add:
    case Op::Kind::Relu:
    case Op::Kind::Softmax:
      step.kind = Step::Kind::Same;
      break;
  }
  std::vector<Link> out;
  for (int t : op.inputs) {
    for (Link link : links_into(t)) {
      link.steps.push_back(step);
      out.push_back(std::move(link));
    }
  }
  return out;
}

Architecture Reader::architecture(const std::string& output,
                                  std::vector<int>& layer_tensors) const {
  std::vector<LayerNode> nodes;
  const int last = values_.at(output).tensor;
  for (int t = 1; t < static_cast<int>(layer_.size()); ++t) {
    if (!layer_[t]) continue;
    const Op& op = program_->ops[producer_[t]];
    LayerNode node;
    node.shape = program_->shapes[t];
    const bool activation = op.kind == Op::Kind::Relu || op.kind == Op::Kind::Softmax;
    node.activation = op.kind == Op::Kind::Relu      ? Activation::Ramp
                      : op.kind == Op::Kind::Softmax ? Activation::Softmax
                                                     : Activation::None;
    // An activation's links are those of its pre-activation; a layer read
    // straight through an activation is joined at the same position.
    node.links = activation ? links_into(op.inputs[0]) : links_through(op);
    for (Link& link : node.links) {
      if (link.steps.empty()) link.steps.push_back(Step{Step::Kind::Same, Window{}, node.shape});
    }
    const int pre = activation ? producer_[op.inputs[0]] : producer_[t];
    const Op::Kind kind =
        pre < 0 || (activation && layer_[op.inputs[0]]) ? Op::Kind::Relu : program_->ops[pre].kind;
    switch (kind) {
      case Op::Kind::MaxPool:
        node.kind = LayerKind::MaxPool;
        break;
      case Op::Kind::AvgPool:
      case Op::Kind::GlobalAvgPool:
        node.kind = LayerKind::AvgPool;
        break;
      case Op::Kind::Add:
        node.kind = LayerKind::Residual;
        break;
      case Op::Kind::Dense:
        node.kind = LayerKind::Linear;
        break;
      case Op::Kind::Conv:
        node.kind = LayerKind::Conv;
        break;
      default:
        node.kind = node.shape.height * node.shape.width > 1 ? LayerKind::Conv : LayerKind::Linear;
    }
    nodes.push_back(node);
    layer_tensors.push_back(t);
    if (t == last) break;
  }
  return Architecture(program_->shapes[0], nodes);
}

Network Reader::read() {
  onnx::ModelProto model;
  {
    std::ifstream in(path_, std::ios::binary);
    NI_REQUIRE(in, "cannot open ONNX file ", path_);
    NI_REQUIRE(model.ParseFromIstream(&in), path_, ": not an ONNX model (protobuf parse failed)");
  }
  for (const auto& opset : model.opset_import()) {
    if (!opset.domain().empty() && opset.domain() != "ai.onnx") continue;
    NI_REQUIRE(opset.version() >= 11 && opset.version() <= 17, path_, ": opset ", opset.version(),
               " is not supported (11-17, as torch.onnx.export writes)");
  }
  const onnx::GraphProto& graph = model.graph();
  NI_REQUIRE(graph.output_size() == 1, path_, ": the graph has ", graph.output_size(),
             " outputs; netinfer reads networks with one");
  for (const auto& node : graph.node()) {
    for (const auto& name : node.input()) ++readers_[name];
  }
  ++readers_[graph.output(0).name()];
  read_input(graph);
  for (const auto& node : graph.node()) read_node(node);
  const std::string& output = graph.output(0).name();
  NI_REQUIRE(values_.count(output), path_, ": the graph's output '", output,
             "' is not computed from its input");
  // The output is a layer of neurons even without an activation.
  const int last = values_[output].tensor;
  NI_REQUIRE(last != 0, path_, ": the graph's output is its input");
  layer_[last] = true;
  // Ops after the output, or feeding nothing that reaches it, are dropped:
  // only layers up to the output count.
  std::vector<int> layer_tensors;
  Architecture arch = architecture(output, layer_tensors);
  program_->layer.assign(program_->shapes.size(), -1);
  program_->layer[0] = 0;
  for (std::size_t l = 0; l < layer_tensors.size(); ++l) {
    program_->layer[layer_tensors[l]] = static_cast<int>(l) + 1;
  }
  for (std::size_t t = 0; t < layer_.size(); ++t) {
    if (layer_[t] && program_->layer[t] < 0) {
      NI_FAIL(path_, ": a layer of neurons is computed after the graph's output '", output,
              "' (netinfer needs the output last)");
    }
  }
  return Network(std::move(arch), program_);
}

}  // namespace

Network read_onnx(const std::string& path) {
  return Reader(path).read();
}

}  // namespace netinfer::net
