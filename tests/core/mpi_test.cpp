#include <gtest/gtest.h>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"

namespace netinfer {

TEST(BlockRange, CoversEveryItemOnceWithBalancedSizes) {
  for (int parts : {1, 2, 3, 4, 7}) {
    for (std::int64_t count : {0, 1, 5, 10, 1568}) {
      std::int64_t next = 0;
      for (int r = 0; r < parts; ++r) {
        const Range range = block_range(count, parts, r);
        EXPECT_EQ(range.begin, next);
        EXPECT_LE(range.size(), count / parts + 1);
        EXPECT_GE(range.size(), count / parts);
        next = range.end;
      }
      EXPECT_EQ(next, count);
    }
  }
}

TEST(Error, RequireThrowsWithMessageAndLocation) {
  try {
    NI_REQUIRE(1 + 1 == 3, "arithmetic is ", "broken");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("arithmetic is broken"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("mpi_test.cpp"), std::string::npos);
  }
}

}  // namespace netinfer
