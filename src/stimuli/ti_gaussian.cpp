// tiGAUSSIAN (000 §6.3): one (H/2)x(W/2) array of N(0,1) noise per channel,
// tiled 2x2 into identical copies: GAUSSIAN's point statistics with perfect
// correlation between each pixel and its copies in the other tiles.
#include "netinfer/core/error.hpp"
#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class TiledGaussian : public RandomSet {
 public:
  TiledGaussian(const std::string& spec, const ImageSetOptions& o)
      : RandomSet(spec, o, "tiGAUSSIAN") {
    NI_REQUIRE(o.shape.height % 2 == 0 && o.shape.width % 2 == 0, "image set '", spec,
               "': needs an even input height and width to tile 2x2, got ", o.shape.height, "x",
               o.shape.width);
  }

 protected:
  void fill(std::int64_t i, double* out) const override {
    Stream s = stream(i);
    const int h = shape().height, w = shape().width, th = h / 2, tw = w / 2;
    for (int c = 0; c < shape().families; ++c) {
      double* plane = out + static_cast<std::int64_t>(c) * h * w;
      for (int y = 0; y < th; ++y)
        for (int x = 0; x < tw; ++x) {
          const double v = s.normal();
          plane[y * w + x] = plane[y * w + x + tw] = v;
          plane[(y + th) * w + x] = plane[(y + th) * w + x + tw] = v;
        }
    }
  }
};

}  // namespace

SetPtr make_ti_gaussian(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<TiledGaussian>(spec, options);
}

}  // namespace netinfer::stimuli::detail
