#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/dist/block_cyclic.hpp"
#include "netinfer/dist/grid.hpp"

namespace netinfer::dist {

TEST(GridShape, AsSquareAsPossibleWithRowsAtLeastColumns) {
  const std::map<int, std::pair<int, int>> expected = {
      {1, {1, 1}}, {2, {2, 1}},  {3, {3, 1}},  {4, {2, 2}},  {5, {5, 1}},  {6, {3, 2}},
      {8, {4, 2}}, {9, {3, 3}},  {12, {4, 3}}, {16, {4, 4}}, {18, {6, 3}}, {64, {8, 8}},
      {7, {7, 1}}, {24, {6, 4}}, {36, {6, 6}}, {96, {12, 8}}};
  for (const auto& [ranks, shape] : expected) {
    const GridShape g = grid_shape(ranks);
    EXPECT_EQ(g.rows, shape.first) << ranks;
    EXPECT_EQ(g.cols, shape.second) << ranks;
  }
  EXPECT_THROW(grid_shape(0), Error);
}

// Deals the blocks of an axis out by hand and checks every index map against
// the result: owner, local index, global index and numroc's local size.
TEST(Axis, IndexMapsMatchDealingBlocksByHand) {
  for (int n : {0, 1, 7, 64, 100, 129}) {
    for (int nb : {1, 3, 16, 64, 200}) {
      for (int procs : {1, 2, 3, 4}) {
        std::vector<std::vector<int>> held(procs);  // global indices per process, in order
        for (int g = 0; g < n; ++g) held[(g / nb) % procs].push_back(g);
        for (int me = 0; me < procs; ++me) {
          const Axis axis{n, nb, procs, me};
          ASSERT_EQ(axis.local_size(), static_cast<int>(held[me].size()))
              << n << " " << nb << " " << procs << " " << me;
          for (int g = 0, below = 0; g <= n; ++g) {
            ASSERT_EQ(axis.local_below(g), below) << n << " " << nb << " " << procs << " " << g;
            if (g < n && axis.owner(g) == me) ++below;
          }
          for (int l = 0; l < axis.local_size(); ++l) {
            const int g = held[me][l];
            EXPECT_EQ(axis.global(l), g);
            EXPECT_EQ(axis.owner(g), me);
            EXPECT_EQ(axis.local(g), l);
          }
        }
      }
    }
  }
}

}  // namespace netinfer::dist
