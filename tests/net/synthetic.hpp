// A synthetic, separable classification problem for training tests: class k
// of `classes` is a bright 2x2 square at a class-specific place of an 8x8
// image, jittered by one pixel, plus Gaussian noise.
#pragma once

#include "netinfer/core/random.hpp"
#include "netinfer/net/train.hpp"

namespace netinfer::net::test {

inline LabelledImages synthetic_set(int count, int classes, std::uint64_t seed) {
  LabelledImages set;
  set.images.setZero(64, count);
  for (int i = 0; i < count; ++i) {
    Stream s(seed, purpose_id("test.synthetic"), i);
    const int k = static_cast<int>(s.below(classes));
    const int x0 = 1 + (k * 3) % 5 + static_cast<int>(s.below(2));
    const int y0 = 1 + (k * 2) % 5 + static_cast<int>(s.below(2));
    for (int p = 0; p < 64; ++p) set.images(p, i) = static_cast<float>(0.3 * s.normal());
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) set.images((y0 + dy) * 8 + x0 + dx, i) += 1.0f;
    set.labels.push_back(k);
  }
  return set;
}

inline Architecture synthetic_architecture() {
  return Architecture::parse(
      "input 1x8x8; conv 6 3 ramp; maxpool 2; linear 16 ramp; linear 4 softmax");
}

}  // namespace netinfer::net::test
