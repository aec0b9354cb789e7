#include "netinfer/experiment/slice.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "netinfer/core/error.hpp"

namespace netinfer::experiment {

namespace {

// 3 feature sets x 4 splits x 2 methods (rf and the 10x costlier nn): 24 runs.
std::vector<RunSpec> job() {
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN", "IMPULSE", "BOTH=GAUSSIAN,IMPULSE"};
  axes.splits = {"perfect", "random*3"};
  axes.methods = {"rf", "nn"};
  return expand(axes);
}

}  // namespace

TEST(Slice, ParsesIOfN) {
  EXPECT_EQ(parse_slice("0/1"), Slice());
  const Slice s = parse_slice("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(s.text(), "2/5");
  EXPECT_FALSE(s.whole());
  for (const char* bad : {"", "3", "3/3", "-1/3", "1/0", "1/2x", "a/2", "1/ 2/3"}) {
    EXPECT_THROW(parse_slice(bad), Error) << bad;
  }
}

TEST(Slice, SlicesPartitionTheJobAndBalanceItsCost) {
  const auto runs = job();
  ASSERT_EQ(runs.size(), 24u);
  for (int n : {1, 2, 3, 5, 24, 30}) {
    std::vector<std::int64_t> all;
    double least = 1e300, most = 0;
    for (int i = 0; i < n; ++i) {
      const auto mine = slice_runs(runs, Slice{i, n});
      // Costliest first within a slice.
      for (std::size_t k = 1; k < mine.size(); ++k)
        EXPECT_GE(run_cost(runs[mine[k - 1]]), run_cost(runs[mine[k]]));
      double cost = 0;
      for (auto r : mine) cost += run_cost(runs[r]);
      least = std::min(least, cost);
      most = std::max(most, cost);
      all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<std::int64_t> every(runs.size());
    std::iota(every.begin(), every.end(), 0);
    EXPECT_EQ(all, every) << n << " slices";
    // Round-robin over decreasing costs: slices differ by at most one costliest run.
    if (n <= 12) {
      EXPECT_LE(most - least, run_cost(runs[slice_runs(runs, Slice{0, 1})[0]])) << n;
    }
  }
  // The whole job: all runs, the costly nn runs first, ties in job order.
  const auto whole = slice_runs(runs, Slice{});
  EXPECT_EQ(runs[whole[0]].method, "nn");
  EXPECT_EQ(runs[whole.back()].method, "rf");
  EXPECT_LT(whole[0], whole[1]);
}

TEST(Slice, JobAxesTextRoundTrips) {
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN", "BOTH=GAUSSIAN,IMPULSE"};
  axes.splits = {"perfect", "random:0.1:0.2*3"};
  axes.moments = {"1..4"};
  axes.eigenvectors = {"0,8"};
  axes.transforms = {"abs"};
  axes.methods = {"rf"};
  axes.balance = {"false"};
  axes.images = {"300"};
  const std::string text = axes.text();
  EXPECT_NE(text.find("feature-set = BOTH=GAUSSIAN,IMPULSE\n"), std::string::npos);
  EXPECT_EQ(JobAxes::parse(text).text(), text);
  std::vector<std::string> keys, again;
  for (const auto& r : expand(axes)) keys.push_back(r.key());
  for (const auto& r : expand(JobAxes::parse(text))) again.push_back(r.key());
  EXPECT_EQ(keys, again);
  EXPECT_EQ(JobAxes::parse("").text(), "");
  EXPECT_THROW(JobAxes::parse("colour = blue\n"), Error);
  EXPECT_THROW(JobAxes::parse("split=perfect\n"), Error);
}

}  // namespace netinfer::experiment
