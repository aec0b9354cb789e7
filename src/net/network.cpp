#include "netinfer/net/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <omp.h>

#include "engine.hpp"
#include "flat.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/random.hpp"
#include "program.hpp"

namespace netinfer::net {

namespace {
// Images per forward chunk, each run by one thread with its own scratch.
constexpr Eigen::Index kChunk = 64;
}  // namespace

Network::Network(Architecture arch) : arch_(std::move(arch)) {
  const detail::ParameterLayout layout(arch_);
  params_.resize(arch_.layer_count());
  for (int l = 0; l < arch_.layer_count(); ++l) {
    params_[l].weight = Matrix::Zero(layout.rows[l], layout.cols[l]);
    params_[l].bias = Vector::Zero(layout.rows[l]);
  }
}

Network::Network(Architecture arch, std::shared_ptr<const detail::Program> program)
    : Network(std::move(arch)) {
  NI_REQUIRE(arch_.general() && program, "a program runs a general network only");
  program_ = std::move(program);
}

std::int64_t Network::parameter_count() const {
  return program_ ? program_->parameter_count() : detail::ParameterLayout(arch_).size;
}

void Network::initialise(std::uint64_t seed) {
  for (int l = 0; l < arch_.layer_count(); ++l) {
    Matrix& w = params_[l].weight;
    if (w.size() == 0) continue;
    // He-uniform: U(-b, b) with b = sqrt(6 / fan_in) keeps the variance of
    // ramp layers' outputs roughly constant with depth. Drawn row by row
    // (PyTorch's order), biases zero.
    Stream stream(seed, purpose_id("net.initialise"), static_cast<std::uint64_t>(l));
    const double bound = std::sqrt(6.0 / static_cast<double>(w.cols()));
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      for (Eigen::Index c = 0; c < w.cols(); ++c) w(r, c) = (2 * stream.uniform() - 1) * bound;
    }
    params_[l].bias.setZero();
  }
}

void Network::forward(const Matrix& images, Matrix& activations) const {
  activations.resize(arch_.neuron_count(), images.cols());
  advise_huge_pages(activations.data(), sizeof(double) * activations.size());
  forward_into(images, activations);
}

void Network::forward_into(const Matrix& images, Eigen::Ref<Matrix> activations) const {
  const std::int64_t inputs = arch_.shape(0).size();
  NI_REQUIRE(images.rows() == inputs, "forward pass: images have ", images.rows(),
             " values each, but the architecture's INPUT needs ", inputs);
  NI_REQUIRE(activations.rows() == arch_.neuron_count() && activations.cols() == images.cols(),
             "forward pass: activation block is ", activations.rows(), "x", activations.cols(),
             ", needs ", arch_.neuron_count(), "x", images.cols());
  NI_REQUIRE(program_ || !arch_.general(), "forward pass: a general network (", arch_.layer_count(),
             " layers) runs only as read from its ONNX file");
  const Eigen::Index n = images.cols(), chunk = kChunk, chunks = (n + chunk - 1) / chunk;
  activations.topRows(inputs) = images;
  if (program_) {
#pragma omp parallel
    {
      detail::ProgramRunner runner(*program_, arch_);
#pragma omp for schedule(dynamic)
      for (Eigen::Index c = 0; c < chunks; ++c) {
        const Eigen::Index begin = c * chunk;
        runner.forward(activations.middleCols(begin, std::min(chunk, n - begin)));
      }
    }
    return;
  }
  const auto params = detail::pointers(*this);
#pragma omp parallel
  {
    detail::Engine<double> engine(arch_);
#pragma omp for schedule(dynamic)
    for (Eigen::Index c = 0; c < chunks; ++c) {
      const Eigen::Index begin = c * chunk;
      engine.forward(params, activations.middleCols(begin, std::min(chunk, n - begin)));
    }
  }
}

std::uint64_t Network::forward_scratch_bytes(std::int64_t images) const {
  const Eigen::Index chunk = std::min<Eigen::Index>(kChunk, images);
  if (chunk <= 0) return 0;
  const Eigen::Index chunks = (images + kChunk - 1) / kChunk;
  const auto threads = std::min<Eigen::Index>(omp_get_max_threads(), chunks);
  const std::uint64_t values = program_ ? detail::ProgramRunner::forward_values(*program_, chunk)
                                        : detail::Engine<double>::forward_values(arch_, chunk);
  return static_cast<std::uint64_t>(threads) * values * sizeof(double);
}

}  // namespace netinfer::net
