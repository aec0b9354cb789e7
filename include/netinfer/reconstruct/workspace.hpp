// Scratch matrices that keep their storage between calls. A model allocating
// fresh (pairs x d) temporaries on every step spent most of its time in page
// faults once they passed glibc's trim/mmap thresholds (~128 KiB, n >= 10 at
// batch 32: 30x slower); with a workspace, steady-state training and inference
// allocate nothing. Not thread-safe: one workspace per model object.
// Storage is aligned as Eigen's own matrices are: Eigen vectorises a view
// from its first aligned element, so a view's reductions would otherwise
// round differently with the address the allocator returned (and training
// would differ between rank counts).
#pragma once

#include <Eigen/Core>
#include <vector>

namespace netinfer::reconstruct {

class Workspace {
 public:
  // A rows x cols view of slot `slot`, grown (never shrunk) as needed. The
  // contents are unspecified; views of other slots stay valid.
  Eigen::Map<Eigen::MatrixXd> matrix(std::size_t slot, Eigen::Index rows, Eigen::Index cols) {
    if (slot >= slots_.size()) slots_.resize(slot + 1);
    auto& storage = slots_[slot];
    if (storage.size() < static_cast<std::size_t>(rows * cols)) storage.resize(rows * cols);
    return Eigen::Map<Eigen::MatrixXd>(storage.data(), rows, cols);
  }

 private:
  std::vector<std::vector<double, Eigen::aligned_allocator<double>>> slots_;
};

}  // namespace netinfer::reconstruct
