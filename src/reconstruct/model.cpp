#include "netinfer/reconstruct/model.hpp"

#include <algorithm>
#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/reconstruct/dense_model.hpp"
#include "netinfer/reconstruct/locality_model.hpp"

namespace netinfer::reconstruct {

namespace {
const char* const kGroup = "/reconstruct/model";
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}  // namespace

int Parameters::add(const std::string& name, int rows, int cols, bool bias) {
  blocks_.push_back({name, rows, cols, values_.size(), bias});
  values_.conservativeResize(values_.size() + static_cast<Eigen::Index>(rows) * cols);
  values_.tail(static_cast<Eigen::Index>(rows) * cols).setZero();
  return static_cast<int>(blocks_.size()) - 1;
}

Eigen::Map<Eigen::MatrixXd> Parameters::view(Eigen::VectorXd& flat, int index) const {
  const Block& b = blocks_[index];
  return Eigen::Map<Eigen::MatrixXd>(flat.data() + b.offset, b.rows, b.cols);
}

Eigen::Map<const Eigen::MatrixXd> Parameters::view(const Eigen::VectorXd& flat, int index) const {
  const Block& b = blocks_[index];
  return Eigen::Map<const Eigen::MatrixXd>(flat.data() + b.offset, b.rows, b.cols);
}

void Model::initialise(std::uint64_t seed) {
  for (int k = 0; k < static_cast<int>(params_.blocks().size()); ++k) {
    const auto& block = params_.blocks()[k];
    Stream rng(seed, purpose_id("init"), k);
    const double sd = block.bias ? 0.1 : std::sqrt(2.0 / block.cols);
    auto view = params_.view(params_.values(), k);
    for (int j = 0; j < block.cols; ++j)
      for (int i = 0; i < block.rows; ++i) view(i, j) = sd * rng.normal();
  }
}

std::int64_t examples_per_call(int n) {
  return std::max<std::int64_t>(1, 200000 / (static_cast<std::int64_t>(n) * n));
}

void save_model(const Model& model, h5::File& file) {
  file.make_groups(kGroup);
  file.set_attr(kGroup, "kind", model.kind());
  model.save_shape(file, kGroup);
  const Parameters& p = model.parameters();
  for (int k = 0; k < static_cast<int>(p.blocks().size()); ++k) {
    const auto& block = p.blocks()[k];
    const RowMajor values = p[k];
    const std::string name = std::string(kGroup) + "/" + block.name;
    file.write(name, values.data(),
               {static_cast<std::uint64_t>(block.rows), static_cast<std::uint64_t>(block.cols)});
    file.set_attr(name, "axes", std::string("row,column (the parameter block's)"));
  }
}

std::unique_ptr<Model> load_model(const h5::File& file) {
  NI_REQUIRE(
      file.exists(kGroup), file.path(),
      ": not a model file (no /reconstruct/model; write one with netinfer reconstruct train)");
  const std::string kind = file.attr_string(kGroup, "kind");
  auto get = [&](const char* key) { return static_cast<int>(file.attr_int(kGroup, key)); };
  std::unique_ptr<Model> model;
  if (kind == "locality") {
    model = std::make_unique<LocalityModel>(get("b"), get("d"), get("layers"));
  } else if (kind == "dense") {
    model = std::make_unique<DenseModel>(get("n"), get("b"), get("hidden"));
  } else {
    NI_FAIL(file.path(), ":", kGroup, ": unknown model kind '", kind, "'");
  }
  Parameters& p = model->parameters();
  for (int k = 0; k < static_cast<int>(p.blocks().size()); ++k) {
    const auto& block = p.blocks()[k];
    const auto values = file.read<double>(
        std::string(kGroup) + "/" + block.name,
        {static_cast<std::uint64_t>(block.rows), static_cast<std::uint64_t>(block.cols)});
    p.view(p.values(), k) = Eigen::Map<const RowMajor>(values.data(), block.rows, block.cols);
  }
  NI_REQUIRE(p.values().allFinite(), file.path(), ":", kGroup, ": parameters are not finite");
  return model;
}

}  // namespace netinfer::reconstruct
