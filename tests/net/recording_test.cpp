// The recorded neurons (net/recording.hpp): counts per layer, the spread over
// families and positions counted by brute force, rows against a linear
// search, and every refusal of a bad --record.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "netinfer/core/error.hpp"
#include "netinfer/net/recording.hpp"

namespace netinfer::net {

namespace {

std::vector<std::int64_t> per_layer(const Architecture& a, const Recording& r) {
  std::vector<std::int64_t> count(a.layer_count(), 0);
  for (auto n : r.neurons()) ++count[a.layer_of(n)];
  return count;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST(Recording, AllIsEveryNeuronWithRowsTheGlobalOrder) {
  const auto a = Architecture::lenet();
  const Recording r = make_recording(a, "all", 1);
  EXPECT_TRUE(r.complete());
  EXPECT_EQ(r.size(), a.neuron_count());
  EXPECT_EQ(r.key(), "all");
  for (std::int64_t n : {0L, 784L, 19693L}) EXPECT_EQ(r.row(n), n);
  EXPECT_EQ(r.row(19694), -1);
  // A fraction of 1.0 of every layer is every neuron, named "all".
  EXPECT_EQ(make_recording(a, "1.0", 3).key(), "all");
}

TEST(Recording, FractionAndCountPerLayer) {
  const auto a = Architecture::lenet();
  const Recording q = make_recording(a, "0.25", 1);
  const auto count = per_layer(a, q);
  for (int l = 0; l < a.layer_count(); ++l)
    EXPECT_EQ(count[l], std::max<std::int64_t>(1, std::llround(0.25 * a.shape(l).size())))
        << a.name(l);
  EXPECT_FALSE(q.complete());
  EXPECT_EQ(q.key(), "0.25; record-seed=1");

  const auto c = per_layer(a, make_recording(a, "100", 1));
  for (int l = 0; l < a.layer_count(); ++l)
    EXPECT_EQ(c[l], std::min<std::int64_t>(100, a.shape(l).size())) << a.name(l);

  const auto o = per_layer(a, make_recording(a, "0.1,LINEARSOFT=10,INPUT=1.0", 1));
  EXPECT_EQ(o[0], 784);
  EXPECT_EQ(o[1], 1152);  // 10% of CONVRAMP1's 11,520
  EXPECT_EQ(o[6], 10);
}

TEST(Recording, SpreadEvenlyOverFamiliesAndPositions) {
  const auto a = Architecture::lenet();
  for (const char* spec : {"0.05", "0.3", "700"}) {
    const Recording r = make_recording(a, spec, 7);
    for (int l : {1, 2, 3, 4}) {  // the conv and pooling layers
      const Shape& s = a.shape(l);
      std::map<int, int> family, position;
      std::int64_t count = 0;
      for (auto n : r.neurons()) {
        const auto loc = a.location(n);
        if (loc.layer != l) continue;
        ++count;
        ++family[loc.family];
        ++position[loc.y * s.width + loc.x];
      }
      int fmin = 1 << 30, fmax = 0, pmax = 0;
      for (int f = 0; f < s.families; ++f) {
        fmin = std::min(fmin, family[f]);
        fmax = std::max(fmax, family[f]);
      }
      for (const auto& [p, k] : position) pmax = std::max(pmax, k);
      const std::int64_t positions = static_cast<std::int64_t>(s.height) * s.width;
      // Each round of `positions` picks visits every position once.
      EXPECT_EQ(pmax, (count + positions - 1) / positions) << spec << " " << a.name(l);
      // Families cycle: within a round they differ by at most one pick, and
      // rounds shift the cycle, so over r rounds by at most r.
      EXPECT_LE(fmax - fmin, (count + positions - 1) / positions) << spec << " " << a.name(l);
    }
  }
}

TEST(Recording, SeededAndDistinct) {
  const auto a = Architecture::lenet();
  const Recording r = make_recording(a, "0.2", 4);
  EXPECT_EQ(make_recording(a, "0.2", 4).neurons(), r.neurons());
  EXPECT_NE(make_recording(a, "0.2", 5).neurons(), r.neurons());
  EXPECT_TRUE(std::is_sorted(r.neurons().begin(), r.neurons().end()));
  EXPECT_EQ(std::set<std::int64_t>(r.neurons().begin(), r.neurons().end()).size(),
            r.neurons().size());
}

TEST(Recording, RowsAndLayersAgreeWithALinearSearch) {
  const auto a = Architecture::parse("input 1x6x6; conv 3 3 ramp; maxpool 2; linear 5 softmax");
  const Recording r = make_recording(a, "0.4", 2);
  for (std::int64_t n = 0; n < a.neuron_count(); ++n) {
    const auto it = std::find(r.neurons().begin(), r.neurons().end(), n);
    EXPECT_EQ(r.row(n), it == r.neurons().end() ? -1 : it - r.neurons().begin());
  }
  for (std::int64_t row = 0; row < r.size(); ++row) {
    EXPECT_EQ(r.layer_of_row(row), a.layer_of(r.neuron(row)));
    const int l = r.layer_of_row(row);
    EXPECT_GE(row, r.layer_begin(l));
    EXPECT_LT(row, r.layer_begin(l + 1));
  }
  const std::vector<std::int64_t> some{0, 5, 40, 60};
  std::vector<std::int64_t> kept;
  for (auto n : some)
    if (r.row(n) >= 0) kept.push_back(n);
  EXPECT_EQ(r.keep(some), kept);
}

TEST(Recording, FileOfIndicesAndLocations) {
  const auto a = Architecture::lenet();
  // Neuron 800 is CONVRAMP1 family 0, y 0, x 16; LINEARSOFT 3 is the last layer's 4th.
  const std::string path =
      write_file("record.txt", "# recorded\n800\n\n6 3 0 0   # a location\n5\n");
  const Recording r = make_recording(a, path, 1);
  const std::int64_t soft3 = a.index({6, 3, 0, 0});
  EXPECT_EQ(r.neurons(), (std::vector<std::int64_t>{5, 800, soft3}));
  EXPECT_EQ(a.location(800), (Location{1, 0, 16, 0}));
  EXPECT_EQ(r.key().substr(0, 5), "list-");
}

TEST(Recording, BadSpecsFailWithOneClearLine) {
  const auto a = Architecture::lenet();
  auto message = [&](const std::string& spec) {
    try {
      make_recording(a, spec, 1);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("1.5").find("exceeds 1"), std::string::npos);
  EXPECT_NE(message("0.1,CONV9=3").find("no layer CONV9"), std::string::npos);
  EXPECT_NE(message("INPUT=5").find("no amount for layer CONVRAMP1"), std::string::npos);
  EXPECT_NE(message("2.5x").find("neither a count, a fraction nor a readable file"),
            std::string::npos);
  EXPECT_NE(message(write_file("twice.txt", "3\n3\n")).find("listed twice"), std::string::npos);
  EXPECT_NE(message(write_file("range.txt", "19694\n")).find("not in the network"),
            std::string::npos);
  EXPECT_NE(message(write_file("loc.txt", "1 20 0 0\n")).find("no location"), std::string::npos);
  EXPECT_NE(message(write_file("word.txt", "12 x\n")).find("'x' is not an integer"),
            std::string::npos);
  EXPECT_NE(message(write_file("three.txt", "1 2 3\n")).find("expected a neuron index"),
            std::string::npos);
  EXPECT_NE(message(write_file("empty.txt", "# none\n")).find("lists no neuron"),
            std::string::npos);
}

}  // namespace netinfer::net
