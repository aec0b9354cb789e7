// IMPULSE* (000 §6.3): options.images single-pixel impulses of +-1e9 at
// uniformly random positions (any channel), signs alternating + and - by image
// index so that the set is exactly balanced (for an odd count, one more +).
#include <algorithm>

#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class RandomImpulse : public RandomSet {
 public:
  RandomImpulse(const std::string& spec, const ImageSetOptions& o)
      : RandomSet(spec, o, "IMPULSE*") {}

 protected:
  void fill(std::int64_t i, double* out) const override {
    const std::int64_t n = shape().size();
    std::fill_n(out, n, 0.0);
    out[stream(i).below(static_cast<std::uint64_t>(n))] = i % 2 == 0 ? kImpulse : -kImpulse;
  }
};

}  // namespace

SetPtr make_random_impulse(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<RandomImpulse>(spec, options);
}

}  // namespace netinfer::stimuli::detail
