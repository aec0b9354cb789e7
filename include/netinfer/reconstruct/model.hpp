// Models that map spike rasters to adjacency matrices, trained on loss (3.1).
// Trainable values live in one flat vector (what Adam updates and what
// MPI_Allreduce sums), viewed as named matrices.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "netinfer/io/h5.hpp"
#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct {

class Parameters {
 public:
  struct Block {
    std::string name;
    int rows = 0, cols = 0;
    std::int64_t offset = 0;
    bool bias = false;
  };
  // Appends a rows x cols block; returns its index.
  int add(const std::string& name, int rows, int cols, bool bias);
  const std::vector<Block>& blocks() const { return blocks_; }
  Eigen::VectorXd& values() { return values_; }
  const Eigen::VectorXd& values() const { return values_; }
  // Block `index` of a vector laid out like values() (the values or a gradient).
  Eigen::Map<Eigen::MatrixXd> view(Eigen::VectorXd& flat, int index) const;
  Eigen::Map<const Eigen::MatrixXd> view(const Eigen::VectorXd& flat, int index) const;
  Eigen::Map<const Eigen::MatrixXd> operator[](int index) const { return view(values_, index); }

 private:
  std::vector<Block> blocks_;
  Eigen::VectorXd values_;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string kind() const = 0;
  virtual int input_steps() const = 0;  // b
  // Hyperparameters as attributes of `group` (parameters are written by save_model).
  virtual void save_shape(h5::File& file, const std::string& group) const = 0;

  // Outputs O (n x n per example, entries in (-1, 1)).
  virtual std::vector<Eigen::MatrixXd> predict(const std::vector<Example>& batch) const = 0;
  // Returns the sum over the batch of loss (3.1) and adds `weight` times its
  // gradient with respect to parameters().values() to `gradient`.
  virtual double loss_gradient(const std::vector<Example>& batch, double weight,
                               Eigen::VectorXd& gradient) const = 0;

  Parameters& parameters() { return params_; }
  const Parameters& parameters() const { return params_; }
  // Weights ~ N(0, 2 / fan-in) (He), biases ~ N(0, 0.1^2); block k from
  // Stream(seed, purpose_id("init"), k).
  void initialise(std::uint64_t seed);

 protected:
  Parameters params_;
};

// Examples of n neurons per predict() call when evaluating many: about 2e5
// pairs, which bounds the memory of the batched activations.
std::int64_t examples_per_call(int n);

// Model files: /reconstruct/model with attribute kind, the hyperparameters and
// one dataset per parameter block.
void save_model(const Model& model, h5::File& file);
std::unique_ptr<Model> load_model(const h5::File& file);

}  // namespace netinfer::reconstruct
