// trMNIST (000 §5.3) and trMNIST-<sigma> (000 §6.3): MNIST image i shifted by
// (dx, dy) with wrap-around. trMNIST draws dx and dy uniformly over the image;
// trMNIST-<sigma> rounds sigma * N(0,1) per axis, from draws shared by every
// sigma so that a sweep over sigma changes nothing but the scale.
#include <cmath>

#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

// round(t) modulo n, in [0, n), exact for any finite t.
int wrap(double t, int n) {
  const int r = static_cast<int>(std::fmod(std::round(t), n));
  return r < 0 ? r + n : r;
}

class TranslatedMnist : public ImageSet {
 public:
  // sigma < 0: uniform translations.
  TranslatedMnist(const std::string& spec, const ImageSetOptions& o, double sigma)
      : ImageSet(spec, o.shape), images_(load_test_images(spec, o)), seed_(o.seed), sigma_(sigma) {}
  std::int64_t size() const override { return images_.count; }

 protected:
  void fill(std::int64_t i, double* out) const override {
    const int h = shape().height, w = shape().width;
    int dx = 0, dy = 0;
    if (sigma_ < 0) {
      Stream s(seed_, purpose_id("trMNIST"), i);
      dx = static_cast<int>(s.below(w));
      dy = static_cast<int>(s.below(h));
    } else {
      Stream s(seed_, purpose_id("trMNIST-sigma"), i);
      dx = wrap(sigma_ * s.normal(), w);
      dy = wrap(sigma_ * s.normal(), h);
    }
    const std::uint8_t* in = images_.pixels.data() + i * shape().size();
    for (int y = 0; y < h; ++y) {
      const std::uint8_t* row = in + ((y - dy + h) % h) * w;
      for (int x = 0; x < w; ++x) out[y * w + x] = row[(x - dx + w) % w] / 255.0;
    }
  }

 private:
  IdxImages images_;
  std::uint64_t seed_;
  double sigma_;
};

}  // namespace

SetPtr make_uniform_translated_mnist(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<TranslatedMnist>(spec, options, -1.0);
}

SetPtr make_normal_translated_mnist(const std::string& spec, const ImageSetOptions& options,
                                    double sigma) {
  return std::make_unique<TranslatedMnist>(spec, options, sigma);
}

}  // namespace netinfer::stimuli::detail
