// offGAUSSIAN and offGAUSSIAN-<sigma> (000 §6.3): GAUSSIAN images plus a
// per-image offset sigma * z, z ~ N(0,1). The draws do not depend on sigma, so
// a sweep over sigma changes nothing but the offsets' scale.
#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class OffGaussian : public RandomSet {
 public:
  OffGaussian(const std::string& spec, const ImageSetOptions& o, double sigma)
      : RandomSet(spec, o, "offGAUSSIAN"), sigma_(sigma) {}

 protected:
  void fill(std::int64_t i, double* out) const override {
    Stream s = stream(i);
    const double offset = sigma_ * s.normal();
    for (std::int64_t k = 0; k < shape().size(); ++k) out[k] = s.normal() + offset;
  }

 private:
  double sigma_;
};

}  // namespace

SetPtr make_off_gaussian(const std::string& spec, const ImageSetOptions& options, double sigma) {
  return std::make_unique<OffGaussian>(spec, options, sigma);
}

}  // namespace netinfer::stimuli::detail
