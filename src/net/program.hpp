// A general network's forward pass (a DAG read from ONNX): ops over tensors,
// some of which are layers of neurons (rows of the activation matrix), the
// others scratch (pre-activations, sums, padded maps) held per chunk.
#pragma once

#include <cstdint>
#include <vector>

#include "layers.hpp"
#include "netinfer/net/architecture.hpp"

namespace netinfer::net::detail {

struct Op {
  enum class Kind { Conv, MaxPool, AvgPool, GlobalAvgPool, Pad, Dense, Add, Relu, Softmax };
  Kind kind = Kind::Add;
  std::vector<int> inputs;  // tensor ids
  int output = -1;
  Geometry geometry;  // Conv, MaxPool, AvgPool, Pad (kernel 1: out (y, x) = in (y - top, x - left))
  bool count_pad = true;  // AvgPool: divide by kernel^2, else by the pixels inside the input
  Mat<double> weight;     // Conv: out x (in_channels * k * k); Dense: out x in
  Vec<double> bias;       // Conv, Dense
};

struct Program {
  std::vector<Shape> shapes;  // per tensor; tensor 0 is INPUT
  std::vector<int> layer;     // per tensor: its layer of neurons, or -1
  std::vector<Op> ops;        // in execution order
  std::int64_t parameter_count() const;
};

// Runs a Program on chunks of images; one per thread (it owns scratch space).
class ProgramRunner {
 public:
  ProgramRunner(const Program& program, const Architecture& arch);
  // The values one runner holds after forward() of `batch` images: its
  // scratch tensors and every conv op's workspace.
  static std::uint64_t forward_values(const Program& program, Eigen::Index batch);
  // Fills every layer after INPUT; the INPUT rows of `acts` hold the images.
  void forward(Out<double> acts);

 private:
  const Program& program_;
  const Architecture& arch_;
  std::vector<Mat<double>> scratch_;       // per tensor that is not a layer
  std::vector<ConvWorkspace<double>> ws_;  // per op
};

}  // namespace netinfer::net::detail
