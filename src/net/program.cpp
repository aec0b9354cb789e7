#include "program.hpp"

namespace netinfer::net::detail {

std::int64_t Program::parameter_count() const {
  std::int64_t n = 0;
  for (const Op& op : ops) n += op.weight.size() + op.bias.size();
  return n;
}

ProgramRunner::ProgramRunner(const Program& program, const Architecture& arch)
    : program_(program), arch_(arch), scratch_(program.shapes.size()), ws_(program.ops.size()) {}

std::uint64_t ProgramRunner::forward_values(const Program& program, Eigen::Index batch) {
  // forward() gives scratch to the tensors the ops read or write that are
  // not layers of neurons.
  std::vector<bool> scratch(program.shapes.size(), false);
  std::uint64_t values = 0;
  for (const Op& op : program.ops) {
    for (int t : op.inputs) scratch[t] = program.layer[t] < 0;
    scratch[op.output] = program.layer[op.output] < 0;
    if (op.kind == Op::Kind::Conv) values += conv_forward_values(op.geometry, batch);
  }
  for (std::size_t t = 0; t < scratch.size(); ++t) {
    if (scratch[t]) values += static_cast<std::uint64_t>(program.shapes[t].size()) * batch;
  }
  return values;
}

void ProgramRunner::forward(Out<double> acts) {
  const Eigen::Index batch = acts.cols();
  using Block = Eigen::Map<Mat<double>, 0, Eigen::OuterStride<>>;
  const auto tensor = [&](int t) {
    const std::int64_t size = program_.shapes[t].size();
    const int l = program_.layer[t];
    if (l >= 0) {
      return Block(acts.data() + arch_.offset(l), size, batch,
                   Eigen::OuterStride<>(acts.outerStride()));
    }
    scratch_[t].resize(size, batch);
    return Block(scratch_[t].data(), size, batch, Eigen::OuterStride<>(size));
  };
  for (std::size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    const Block in = tensor(op.inputs[0]);
    Block out = tensor(op.output);
    switch (op.kind) {
      case Op::Kind::Conv:
        conv_forward<double>(op.geometry, op.weight.data(), op.bias.data(), in, out, ws_[i]);
        break;
      case Op::Kind::MaxPool:
        maxpool_forward<double>(op.geometry, in, out);
        break;
      case Op::Kind::AvgPool:
        avgpool_forward<double>(op.geometry, op.count_pad, in, out);
        break;
      case Op::Kind::GlobalAvgPool:
        global_avgpool_forward<double>(program_.shapes[op.inputs[0]], in, out);
        break;
      case Op::Kind::Pad: {
        const Geometry& g = op.geometry;
        out.setZero();
        for (Eigen::Index b = 0; b < batch; ++b) {
          for (int c = 0; c < g.in.families; ++c) {
            for (int y = 0; y < g.in.height; ++y) {
              const Eigen::Index from =
                  (static_cast<Eigen::Index>(c) * g.in.height + y) * g.in.width;
              const Eigen::Index to =
                  (static_cast<Eigen::Index>(c) * g.out.height + y + g.pad_top) * g.out.width +
                  g.pad_left;
              out.col(b).segment(to, g.in.width) = in.col(b).segment(from, g.in.width);
            }
          }
        }
        break;
      }
      case Op::Kind::Dense:
        linear_forward<double>(op.weight.data(), op.bias.data(), in, out);
        break;
      case Op::Kind::Add:
        out = in + tensor(op.inputs[1]);
        break;
      case Op::Kind::Relu:
        out = in;
        activation_forward<double>(Activation::Ramp, out);
        break;
      case Op::Kind::Softmax:
        out = in;
        activation_forward<double>(Activation::Softmax, out);
        break;
    }
  }
}

}  // namespace netinfer::net::detail
