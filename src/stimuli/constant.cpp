// CONSTANT (000 §6.3): every pixel of image i equals one N(0,1) draw.
#include <algorithm>

#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class Constant : public RandomSet {
 public:
  Constant(const std::string& spec, const ImageSetOptions& o) : RandomSet(spec, o, "CONSTANT") {}

 protected:
  void fill(std::int64_t i, double* out) const override {
    std::fill_n(out, shape().size(), stream(i).normal());
  }
};

}  // namespace

SetPtr make_constant(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<Constant>(spec, options);
}

}  // namespace netinfer::stimuli::detail
