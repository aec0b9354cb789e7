#include <gtest/gtest.h>

#include "netinfer/core/error.hpp"
#include "netinfer/spectral/eigensolver.hpp"
#include "netinfer/spectral/stage.hpp"
#include "netinfer/spectral/transform.hpp"

namespace netinfer::spectral {

TEST(Transform, Table2TransformsOnHandWorkedValues) {
  EXPECT_EQ(apply(Transform::cm, -0.5), -0.5);
  EXPECT_EQ(apply(Transform::abs, -0.5), 0.5);
  EXPECT_EQ(apply(Transform::cm2, -0.5), 0.25);
  EXPECT_EQ(apply(Transform::abs_cm3, -0.5), 0.125);
  EXPECT_EQ(apply(Transform::cm4, -0.5), 0.0625);
  EXPECT_EQ(apply(Transform::abs_cm3, 0.5f), 0.125f);
}

TEST(Transform, NamesRoundTripAndUnknownNamesFail) {
  for (Transform t :
       {Transform::cm, Transform::abs, Transform::cm2, Transform::abs_cm3, Transform::cm4}) {
    EXPECT_EQ(parse_transform(transform_name(t)), t);
  }
  EXPECT_EQ(parse_transform("abs(cm^3)"), Transform::abs_cm3);
  EXPECT_THROW(parse_transform("cm^3"), Error);
  for (Solver s : {Solver::lanczos, Solver::elpa2, Solver::elpa1, Solver::scalapack}) {
    EXPECT_EQ(parse_solver(solver_name(s)), s);
  }
  EXPECT_THROW(parse_solver("arpack"), Error);
  EXPECT_EQ(parse_precision("single"), Precision::single_precision);
  EXPECT_THROW(parse_precision("half"), Error);
}

TEST(SignRule, LargestEntryBecomesPositiveFirstOnTies) {
  Eigen::MatrixXd v(4, 3);
  v << 0.1, 0.5, -0.5,  //
      -0.7, 0.2, 0.5,   //
      0.3, -0.6, 0.1,   //
      0.2, 0.1, 0.2;
  apply_sign_rule(v);
  EXPECT_EQ(v(1, 0), 0.7);   // -0.7 was largest: flipped
  EXPECT_EQ(v(0, 0), -0.1);  // and the rest with it
  EXPECT_EQ(v(2, 1), 0.6);
  EXPECT_EQ(v(0, 2), 0.5);  // exact tie |-0.5| = |0.5|: the first decides
  EXPECT_EQ(v(1, 2), -0.5);
}

}  // namespace netinfer::spectral
