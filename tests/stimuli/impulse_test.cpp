// IMPULSE and IMPULSE*: one nonzero of magnitude 1e9 per image, coverage and
// sign balance.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

using test_support::image_of;

// The (position, sign) of an image's single nonzero; fails unless there is
// exactly one and its magnitude is 1e9.
std::pair<std::int64_t, int> the_impulse(const std::vector<double>& im) {
  std::int64_t position = -1;
  int nonzeros = 0;
  for (std::size_t k = 0; k < im.size(); ++k)
    if (im[k] != 0) {
      ++nonzeros;
      position = static_cast<std::int64_t>(k);
    }
  EXPECT_EQ(nonzeros, 1);
  if (nonzeros != 1) return {-1, 0};
  EXPECT_EQ(std::abs(im[position]), 1e9);
  return {position, im[position] > 0 ? 1 : -1};
}

TEST(Impulse, EveryPositionWithBothSignsOnce) {
  for (const net::Shape shape : {net::Shape{1, 28, 28}, net::Shape{3, 5, 4}}) {
    ImageSetOptions o;
    o.shape = shape;
    o.images = 7;  // ignored: IMPULSE has a fixed size
    const auto set = make_image_set("IMPULSE", o);
    ASSERT_EQ(set->size(), 2 * shape.size());
    std::set<std::pair<std::int64_t, int>> seen;
    for (std::int64_t i = 0; i < set->size(); ++i) seen.insert(the_impulse(image_of(*set, i)));
    EXPECT_EQ(static_cast<std::int64_t>(seen.size()), 2 * shape.size());
    EXPECT_EQ(seen.begin()->first, 0);
    EXPECT_EQ(seen.rbegin()->first, shape.size() - 1);
  }
  EXPECT_EQ(make_image_set("IMPULSE", {})->size(), 1568);
}

TEST(Impulse, RandomPositionsBalancedSigns) {
  ImageSetOptions o;
  o.images = 2000;
  const auto set = make_image_set("IMPULSE*", o);
  ASSERT_EQ(set->size(), 2000);
  int positive = 0;
  std::vector<int> hits(784, 0);
  for (std::int64_t i = 0; i < set->size(); ++i) {
    const auto [position, sign] = the_impulse(image_of(*set, i));
    ASSERT_GE(position, 0);
    positive += sign > 0;
    ++hits[position];
  }
  EXPECT_EQ(positive, 1000);  // exactly balanced
  // Uniform positions: 2000 draws over 784 pixels leave about 784 e^(-2.55)
  // = 61 pixels unhit (sd ~7); a pixel gets ~2.6 hits, rarely more than 10.
  const int unhit = static_cast<int>(std::count(hits.begin(), hits.end(), 0));
  EXPECT_GT(unhit, 30);
  EXPECT_LT(unhit, 100);
  EXPECT_LE(*std::max_element(hits.begin(), hits.end()), 12);
}

}  // namespace
}  // namespace netinfer::stimuli
