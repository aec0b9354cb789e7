// GAUSSIAN, CONSTANT, offGAUSSIAN and tiGAUSSIAN: structure exactly, moments
// against their distributions.
#include <gtest/gtest.h>

#include <cmath>

#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

using test_support::image_of;

struct Moments {
  double mean = 0, variance = 0;
};
Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.mean += x;
  m.mean /= v.size();
  for (double x : v) m.variance += (x - m.mean) * (x - m.mean);
  m.variance /= v.size() - 1;
  return m;
}

ImageSetOptions with_images(std::int64_t n) {
  ImageSetOptions o;
  o.images = n;
  return o;
}

TEST(Gaussian, StandardNormalIndependentPixels) {
  const auto set = make_image_set("GAUSSIAN", with_images(500));
  ASSERT_EQ(set->size(), 500);
  std::vector<double> all;
  double neighbours = 0;  // sum of x(y, x) * x(y, x+1)
  for (std::int64_t i = 0; i < set->size(); ++i) {
    const std::vector<double> im = image_of(*set, i);
    all.insert(all.end(), im.begin(), im.end());
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x + 1 < 28; ++x) neighbours += im[y * 28 + x] * im[y * 28 + x + 1];
  }
  const Moments m = moments(all);  // 392,000 values: standard errors ~0.0016 and ~0.0023
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 1.0, 0.015);
  EXPECT_NEAR(neighbours / (500.0 * 28 * 27), 0.0, 0.01);
}

TEST(Constant, OneNormalDrawPerImage) {
  const auto set = make_image_set("CONSTANT", with_images(4000));
  std::vector<double> values;
  for (std::int64_t i = 0; i < set->size(); ++i) {
    const std::vector<double> im = image_of(*set, i);
    for (double v : im) ASSERT_EQ(v, im[0]);
    values.push_back(im[0]);
  }
  const Moments m = moments(values);
  EXPECT_NEAR(m.mean, 0.0, 0.06);
  EXPECT_NEAR(m.variance, 1.0, 0.09);
}

TEST(OffGaussian, GaussianPlusScaledPerImageOffset) {
  const ImageSetOptions o = with_images(3000);
  const auto zero = make_image_set("offGAUSSIAN-0", o), one = make_image_set("offGAUSSIAN", o),
             three = make_image_set("offGAUSSIAN-3", o);
  EXPECT_EQ(image_of(*one, 17), image_of(*make_image_set("offGAUSSIAN-1", o), 17));
  std::vector<double> offsets, noise;
  for (std::int64_t i = 0; i < o.images; ++i) {
    const std::vector<double> a = image_of(*zero, i), b = image_of(*one, i),
                              c = image_of(*three, i);
    // Same noise for every sigma: the difference is one offset z * sigma.
    const double z = b[0] - a[0];
    for (std::size_t k = 0; k < a.size(); ++k) {
      ASSERT_NEAR(b[k] - a[k], z, 1e-12);
      ASSERT_NEAR(c[k] - a[k], 3 * z, 1e-12);
    }
    offsets.push_back(z);
    noise.push_back(a[i % a.size()]);
  }
  const Moments off = moments(offsets), pix = moments(noise);
  EXPECT_NEAR(off.mean, 0.0, 0.07);
  EXPECT_NEAR(off.variance, 1.0, 0.1);
  EXPECT_NEAR(pix.mean, 0.0, 0.07);
  EXPECT_NEAR(pix.variance, 1.0, 0.1);
}

TEST(TiledGaussian, FourIdenticalTilesOfNoise) {
  for (const net::Shape shape : {net::Shape{1, 28, 28}, net::Shape{3, 6, 10}}) {
    ImageSetOptions o = with_images(50);
    o.shape = shape;
    const auto set = make_image_set("tiGAUSSIAN", o);
    const int h = shape.height / 2, w = shape.width / 2;
    std::vector<double> tiles;
    for (std::int64_t i = 0; i < set->size(); ++i) {
      const std::vector<double> im = image_of(*set, i);
      for (int c = 0; c < shape.families; ++c)
        for (int y = 0; y < h; ++y)
          for (int x = 0; x < w; ++x) {
            const auto at = [&](int yy, int xx) {
              return im[(c * shape.height + yy) * shape.width + xx];
            };
            ASSERT_EQ(at(y, x + w), at(y, x));
            ASSERT_EQ(at(y + h, x), at(y, x));
            ASSERT_EQ(at(y + h, x + w), at(y, x));
            tiles.push_back(at(y, x));
          }
    }
    const Moments m = moments(tiles);  // the tile itself is standard normal noise
    EXPECT_NEAR(m.mean, 0.0, 0.1);
    EXPECT_NEAR(m.variance, 1.0, 0.15);
  }
  ImageSetOptions odd;
  odd.shape = {1, 7, 8};
  EXPECT_NE(test_support::error_of([&] { make_image_set("tiGAUSSIAN", odd); }).find("even"),
            std::string::npos);
}

}  // namespace
}  // namespace netinfer::stimuli
