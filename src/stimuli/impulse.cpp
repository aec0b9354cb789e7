// IMPULSE (000 §5.3): zeros except one value of +1e9 or -1e9; every input
// position with both signs, image 2p (+) and 2p+1 (-) for position p in CHW
// order: 1,568 images for 1x28x28, whatever options.images says.
#include <algorithm>

#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class Impulse : public ImageSet {
 public:
  Impulse(const std::string& spec, const ImageSetOptions& o) : ImageSet(spec, o.shape) {}
  std::int64_t size() const override { return 2 * shape().size(); }

 protected:
  void fill(std::int64_t i, double* out) const override {
    std::fill_n(out, shape().size(), 0.0);
    out[i / 2] = i % 2 == 0 ? kImpulse : -kImpulse;
  }
};

}  // namespace

SetPtr make_impulse(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<Impulse>(spec, options);
}

}  // namespace netinfer::stimuli::detail
