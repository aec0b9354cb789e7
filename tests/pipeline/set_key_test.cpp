#include "netinfer/pipeline/set_key.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace netinfer::pipeline {

TEST(SetKey, FileStemsAreSafeAndDistinct) {
  const std::string a = file_stem("set=MIXED(GAUSSIAN+IMPULSE*); images=10");
  const std::string b = file_stem("set=MIXED(GAUSSIAN+IMPULSE*); images=20");
  EXPECT_NE(a, b);
  for (char c : a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  EXPECT_EQ(a.rfind("set_MIXED_GAUSSIAN_IMPULSE__", 0), 0u) << a;
}

TEST(SetKey, TextNamesEverythingTheSetDependsOn) {
  SpectrumKey key;
  key.responses = {"GAUSSIAN", 300, 7, "/data"};
  key.transform = "cm^2";
  key.solver = "elpa2";
  key.precision = "single";
  key.k = 5;
  EXPECT_EQ(key.text(),
            "set=GAUSSIAN; images=300; seed=7; data-dir=/data; transform=cm^2; solver=elpa2; "
            "precision=single; k=5");
  const spectral::SpectralOptions so = spectral_options(key);
  EXPECT_EQ(so.k, 5);
  EXPECT_EQ(so.seed, 7u);
  EXPECT_EQ(so.transform, spectral::Transform::cm2);
  EXPECT_EQ(so.solver, spectral::Solver::elpa2);
  EXPECT_EQ(so.precision, spectral::Precision::single_precision);
}

}  // namespace netinfer::pipeline
