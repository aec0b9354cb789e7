// PATCH against a brute-force enumeration of (width, top, left) placements.
#include <gtest/gtest.h>

#include <algorithm>

#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

using test_support::image_of;

// Checks every image of `set` against the placements enumerated here: value f
// exactly where the w x w square at (top, left) covers a pixel (in every
// channel), b elsewhere; and that each width covers each pixel w*w times.
void expect_patches(const ImageSet& set, const std::vector<int>& widths, double f, double b) {
  const net::Shape s = set.shape();
  std::int64_t i = 0;
  for (int w : widths) {
    std::vector<int> coverage(s.height * s.width, 0);
    for (int top = 1 - w; top < s.height; ++top)
      for (int left = 1 - w; left < s.width; ++left, ++i) {
        ASSERT_LT(i, set.size());
        const std::vector<double> im = image_of(set, i);
        int at_f = 0;
        for (int c = 0; c < s.families; ++c)
          for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) {
              const bool inside = y >= top && y < top + w && x >= left && x < left + w;
              const double v = im[(c * s.height + y) * s.width + x];
              ASSERT_EQ(v, inside ? f : b) << "image " << i << " w " << w << " at " << top << ","
                                           << left << " pixel " << c << "," << y << "," << x;
              at_f += v == f;
              if (c == 0 && inside) ++coverage[y * s.width + x];
            }
        const int overlap = (std::min(top + w, s.height) - std::max(top, 0)) *
                            (std::min(left + w, s.width) - std::max(left, 0));
        ASSERT_EQ(at_f, s.families * overlap);
        ASSERT_GT(overlap, 0);
      }
    for (int n : coverage) ASSERT_EQ(n, w * w) << "width " << w;  // spatially uniform
  }
  EXPECT_EQ(i, set.size());
}

TEST(Patch, PaperWidthsGive9367Images) {
  const auto set = make_image_set("PATCH", {});
  EXPECT_EQ(set->size(), 9367);
  EXPECT_EQ(28 * 28 + 32 * 32 + 33 * 33 + 41 * 41 + 42 * 42 + 55 * 55, 9367);  // (27+w)^2 summed
  expect_patches(*set, {1, 5, 6, 14, 15, 28}, 1.0, 0.0);
  const auto explicit_set = make_image_set("PATCH(w=1:5:6:14:15:28,f=1,b=0)", {});
  EXPECT_EQ(image_of(*explicit_set, 4321), image_of(*set, 4321));
}

TEST(Patch, ParametersRangesAndChannels) {
  ImageSetOptions o;
  o.shape = {2, 5, 7};  // non-square, two channels
  const auto set = make_image_set("PATCH(b=0.5, w=2-4:1, f=-1)", o);
  EXPECT_EQ(set->size(), 6 * 8 + 7 * 9 + 8 * 10 + 5 * 7);
  expect_patches(*set, {2, 3, 4, 1}, -1.0, 0.5);
  // The paper's other (f, b) pairs.
  expect_patches(*make_image_set("PATCH(w=7,f=0,b=-1)", o), {7}, 0.0, -1.0);
}

TEST(Patch, RejectsBadParameters) {
  using test_support::error_of;
  for (const char* spec : {"PATCH(w=0)", "PATCH(w=29)", "PATCH(w=5-3)", "PATCH(w=1:)", "PATCH(w=x)",
                           "PATCH(q=1)", "PATCH(w=1,w=2)", "PATCH(f=1,b=1)", "PATCH(f=one)",
                           "PATCH(w)", "PATCH(f=inf)", "PATCH(w=1.5)"}) {
    const std::string msg = error_of([&] { make_image_set(spec, {}); });
    EXPECT_NE(msg.find(std::string("image set '") + spec + "'"), std::string::npos)
        << spec << ": " << msg;
  }
  ImageSetOptions small;
  small.shape = {1, 8, 8};
  EXPECT_NE(error_of([&] { make_image_set("PATCH", small); }).find("default width 14"),
            std::string::npos);
  // (7+w)^2 for w = 1..8: 64+81+100+121+144+169+196+225.
  EXPECT_EQ(make_image_set("PATCH(w=1-8)", small)->size(), 1100);
}

}  // namespace
}  // namespace netinfer::stimuli
