// build_features against hand-worked matrices: per image set, the first
// `moments` moments (mean, std, skewness, kurtosis in that order) then the
// leading `eigenvectors` columns, sets concatenated in spec order.
#include "netinfer/localize/features.hpp"

#include <gtest/gtest.h>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

namespace {

// Three neurons; every value distinct and its origin legible: set s's moment
// m of neuron i is 100 s + 10 m + i, its eigenvector entry (i, c) is
// -(100 s + 10 c + i) - 0.5.
SetFeatures set_features(int s, int eigenvectors) {
  SetFeatures f;
  f.moments.assign(4, std::vector<double>(3));
  for (int m = 0; m < 4; ++m)
    for (int i = 0; i < 3; ++i) f.moments[m][i] = 100 * s + 10 * m + i;
  f.eigenvectors.resize(3, eigenvectors);
  for (int c = 0; c < eigenvectors; ++c)
    for (int i = 0; i < 3; ++i) f.eigenvectors(i, c) = -(100 * s + 10 * c + i) - 0.5;
  f.silent = {0, 1, 0};
  return f;
}

}  // namespace

TEST(BuildFeatures, TwoSetsTwoMomentsOneEigenvector) {
  const SetFeatures a = set_features(1, 3), b = set_features(2, 2);
  const RowMatrix x = build_features({&a, &b}, {2, 1});
  // Columns: mean_a std_a ev_a0 | mean_b std_b ev_b0.
  RowMatrix want(3, 6);
  want << 100, 110, -100.5, 200, 210, -200.5,  //
      101, 111, -101.5, 201, 211, -201.5,      //
      102, 112, -102.5, 202, 212, -202.5;
  EXPECT_EQ(x, want);
}

TEST(BuildFeatures, AllFourMomentsInOrderAndNoEigenvectors) {
  const SetFeatures a = set_features(3, 1);
  const RowMatrix x = build_features({&a}, {4, 0});
  RowMatrix want(3, 4);
  want << 300, 310, 320, 330,  //
      301, 311, 321, 331,      //
      302, 312, 322, 332;
  EXPECT_EQ(x, want);
}

TEST(BuildFeatures, EigenvectorsOnlyTakeTheLeadingColumns) {
  const SetFeatures a = set_features(0, 4), b = set_features(5, 2);
  const RowMatrix x = build_features({&b, &a}, {0, 2});  // spec order b, a
  RowMatrix want(3, 4);
  want << -500.5, -510.5, -0.5, -10.5,  //
      -501.5, -511.5, -1.5, -11.5,      //
      -502.5, -512.5, -2.5, -12.5;
  EXPECT_EQ(x, want);
}

// Requests that would read outside the inputs are refused, not read.
TEST(BuildFeatures, RefusesWhatTheInputsCannotGive) {
  const SetFeatures a = set_features(1, 2);
  SetFeatures fewer = set_features(2, 2);
  fewer.silent.pop_back();
  fewer.eigenvectors.conservativeResize(2, 2);
  for (auto& m : fewer.moments) m.pop_back();
  EXPECT_THROW(build_features({&a}, {2, 3}), Error);          // 3 of 2 eigenvectors
  EXPECT_THROW(build_features({&a}, {5, 1}), Error);          // a fifth moment
  EXPECT_THROW(build_features({&a}, {0, 0}), Error);          // no feature at all
  EXPECT_THROW(build_features({}, {2, 1}), Error);            // no image set
  EXPECT_THROW(build_features({&a, &fewer}, {2, 1}), Error);  // 3 neurons against 2
}

}  // namespace netinfer::localize
