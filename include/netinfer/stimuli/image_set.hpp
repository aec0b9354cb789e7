// The stimulus image sets of 000 (§4.2, §5.3, §6.3, §6.4). A set is named by a
// spec string:
//   GAUSSIAN  MNIST  trMNIST  trMNIST-<sigma>  IMPULSE  IMPULSE*  CONSTANT
//   offGAUSSIAN  tiGAUSSIAN  PATCH(w=1/5/6/14/15/28,f=1,b=0)  MIXED(A+B+...)
// Image i of a set depends only on (seed, spec, i): any rank can make any
// shard. "MNIST" is the held-out test set of the IDX data directory
// (Fashion-MNIST by default).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::stimuli {

struct ImageSetOptions {
  std::uint64_t seed = 1;
  std::int64_t images = 10000;  // size of sets that are not fixed-size
  std::string data_dir;         // IDX directory for MNIST-based sets; empty: the default
  net::Shape shape{1, 28, 28};  // the network's input shape
};

class ImageSet {
 public:
  virtual ~ImageSet() = default;
  virtual std::int64_t size() const = 0;
  // Writes image i (shape().size() values, CHW order) to out.
  virtual void image(std::int64_t i, double* out) const = 0;
  const std::string& spec() const { return spec_; }
  const net::Shape& shape() const { return shape_; }

 protected:
  ImageSet(std::string spec, net::Shape shape) : spec_(std::move(spec)), shape_(shape) {}

 private:
  std::string spec_;
  net::Shape shape_;
};

// Builds a set from its spec; throws netinfer::Error on an unknown name or
// bad parameters, naming the spec.
std::unique_ptr<ImageSet> make_image_set(const std::string& spec, const ImageSetOptions& options);

// Splits a --sets list at top-level commas (commas inside parentheses belong
// to the set's parameters).
std::vector<std::string> split_set_list(const std::string& text);

}  // namespace netinfer::stimuli
