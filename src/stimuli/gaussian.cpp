// GAUSSIAN (000 §4.2): i.i.d. N(0,1) pixels.
#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class Gaussian : public RandomSet {
 public:
  Gaussian(const std::string& spec, const ImageSetOptions& o) : RandomSet(spec, o, "GAUSSIAN") {}

 protected:
  void fill(std::int64_t i, double* out) const override {
    Stream s = stream(i);
    for (std::int64_t k = 0; k < shape().size(); ++k) out[k] = s.normal();
  }
};

}  // namespace

SetPtr make_gaussian(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<Gaussian>(spec, options);
}

}  // namespace netinfer::stimuli::detail
