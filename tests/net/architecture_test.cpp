#include "netinfer/net/architecture.hpp"

#include <gtest/gtest.h>

#include "netinfer/core/error.hpp"

namespace netinfer::net {

TEST(Architecture, LeNetMatchesTable1) {
  const Architecture a = Architecture::lenet();
  ASSERT_EQ(a.layer_count(), 7);
  const char* names[] = {"INPUT",    "CONVRAMP1",  "POOLING1",  "CONVRAMP2",
                         "POOLING2", "LINEARRAMP", "LINEARSOFT"};
  const Shape shapes[] = {{1, 28, 28}, {20, 24, 24}, {20, 12, 12}, {50, 8, 8},
                          {50, 4, 4},  {500, 1, 1},  {10, 1, 1}};
  for (int l = 0; l < 7; ++l) {
    EXPECT_EQ(a.name(l), names[l]);
    EXPECT_EQ(a.shape(l), shapes[l]) << names[l];
  }
  EXPECT_EQ(a.neuron_count(), 19694);  // the paper's count
}

TEST(Architecture, LocationAndIndexAreInverse) {
  const Architecture a = Architecture::lenet();
  for (std::int64_t n = 0; n < a.neuron_count(); n += 7) {
    EXPECT_EQ(a.index(a.location(n)), n);
  }
  // Paper's example (3,10,5,6), 1-based: POOLING1, family 10, x 5, y 6.
  const Location loc{2, 9, 4, 5};
  const std::int64_t n = a.index(loc);
  EXPECT_EQ(n, 784 + 11520 + (9 * 12 + 5) * 12 + 4);
  EXPECT_EQ(a.location(n), loc);
}

TEST(Architecture, ParseRoundTripsAndRejectsNonsense) {
  const Architecture a =
      Architecture::parse("input 3x32x32; conv 8 3 ramp; maxpool 2; linear 7 softmax");
  EXPECT_EQ(a.shape(1), (Shape{8, 30, 30}));
  EXPECT_EQ(a.shape(2), (Shape{8, 15, 15}));
  EXPECT_EQ(Architecture::parse(a.to_string()).to_string(), a.to_string());
  EXPECT_THROW(Architecture::parse("input 1x4x4; conv 2 5 ramp"), Error);
  EXPECT_THROW(Architecture::parse("conv 2 5 ramp"), Error);
  EXPECT_THROW(Architecture::parse("input 1x8x8; linear 4 ramp; conv 2 3"), Error);
  EXPECT_THROW(Architecture::parse("input 1x8x8; dense 4"), Error);
}

}  // namespace netinfer::net
