#include "netinfer/experiment/record.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "netinfer/core/error.hpp"
#include "temp_file.hpp"

namespace netinfer::experiment {

namespace {

RunRecord example() {
  RunRecord r;
  r.index = 17;
  auto& x = r.result;
  x.tests = {5, 3, 9007199254740000};  // large indices survive: below 2^53
  x.assigned = {3, 5, 1};
  x.silent = {0, 1, 1};
  x.score.distance = {2, 2, 7};
  x.score.distance_symmetric = {2, 0, 7};
  x.score.overall = 1.25;
  x.score.active = 0.5;
  x.score.silent = 1.0 / 3;
  x.score.overall_symmetric = 0.75;
  x.score.layer = {1.5, NAN, 1.0};
  x.score.layer_active = {0.5, NAN, 0};
  x.score.layer_silent = {1.4, NAN, 1};
  x.score.layer_symmetric = {1.5, NAN, 0.1};
  x.bank_seconds = 3.5;
  x.confidence_seconds = 0.25;
  x.assignment_seconds = 0.125;
  x.score_seconds = 0.0625;
  r.floor.layer = {0.3, NAN, 0.2};
  r.floor.overall = 0.25;
  r.activation_rate = {1, 0, 0.123456789};
  r.silent_neurons = 42;
  r.floor_seconds = 0.01;
  r.total_seconds = 4.5;
  return r;
}

void expect_same(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i])) {
      EXPECT_TRUE(std::isnan(b[i]));
    } else {
      EXPECT_EQ(a[i], b[i]);
    }
  }
}

}  // namespace

TEST(Record, PackingIsExact) {
  const RunRecord r = example();
  const auto packed = pack(r);
  const RunRecord u = unpack(packed);
  EXPECT_EQ(u.index, 17);
  EXPECT_EQ(u.result.tests, r.result.tests);
  EXPECT_EQ(u.result.assigned, r.result.assigned);
  EXPECT_EQ(u.result.silent, r.result.silent);
  EXPECT_EQ(u.result.score.distance, r.result.score.distance);
  EXPECT_EQ(u.result.score.distance_symmetric, r.result.score.distance_symmetric);
  EXPECT_EQ(u.result.score.overall, 1.25);
  EXPECT_EQ(u.result.score.silent, 1.0 / 3);
  expect_same(u.result.score.layer, r.result.score.layer);
  expect_same(u.floor.layer, r.floor.layer);
  EXPECT_EQ(u.activation_rate, r.activation_rate);
  EXPECT_EQ(u.silent_neurons, 42);
  EXPECT_EQ(u.result.bank_seconds, 3.5);
  EXPECT_EQ(u.total_seconds, 4.5);
  expect_same(pack(u), packed);
  // A truncated or padded message is refused.
  auto shorter = packed;
  shorter.pop_back();
  EXPECT_THROW(unpack(shorter), Error);
  auto longer = packed;
  longer.push_back(0);
  EXPECT_THROW(unpack(longer), Error);
}

TEST(Record, ForestSeedIsStoredOnlyWithItsAxisAndReadsBack) {
  const TempFile tmp;
  const std::string& path = tmp.path();
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN"};
  const RunSpec plain = expand(axes)[0];
  axes.forest_seeds = {"4"};
  const RunSpec seeded = expand(axes)[0];
  {
    h5::File f(path, h5::File::Mode::Create);
    write_run(f, "000000", plain, 5, example());
    write_run(f, "000001", seeded, 5, example());
  }
  const h5::File f(path, h5::File::Mode::Read);
  // A run of a job without the axis is stored as before (no attribute).
  EXPECT_FALSE(f.has_attr("/runs/000000", "forest_seed"));
  EXPECT_EQ(f.attr_int("/runs/000001", "forest_seed"), 4);
  const auto runs = read_runs(f, false);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].spec.forest_seed, 0);
  EXPECT_EQ(runs[0].spec.key(), plain.key());
  EXPECT_EQ(runs[1].spec.forest_seed, 4);
  EXPECT_EQ(runs[1].spec.key(), seeded.key());
}

TEST(Record, WrittenRunsReadBackAndIncompleteOnesAreFound) {
  const TempFile tmp;
  const std::string& path = tmp.path();
  JobAxes axes;
  axes.feature_sets = {"BOTH=GAUSSIAN,IMPULSE"};
  axes.splits = {"random:0.3:0.2*2"};
  const auto specs = expand(axes);
  {
    h5::File f(path, h5::File::Mode::Create);
    write_run(f, "000000", specs[1], 99, example());
    f.make_groups("/runs/000001");  // a run cut short: no `complete`
    f.set_attr("/runs/000001", "key", specs[0].key());
  }
  const h5::File f(path, h5::File::Mode::Read);
  EXPECT_EQ(incomplete_runs(f), std::vector<std::string>{"000001"});
  const auto runs = read_runs(f, true);
  ASSERT_EQ(runs.size(), 1u);
  const auto& r = runs[0];
  EXPECT_EQ(r.name, "000000");
  EXPECT_EQ(r.spec.key(), specs[1].key());
  EXPECT_EQ(r.spec.feature_set.sets, (std::vector<std::string>{"GAUSSIAN", "IMPULSE"}));
  EXPECT_EQ(r.spec.split_seed, 2);
  const RunRecord& x = r.run;
  EXPECT_EQ(x.index, 17);
  EXPECT_EQ(x.result.score.overall, 1.25);
  EXPECT_EQ(x.result.score.silent, 1.0 / 3);
  EXPECT_EQ(x.result.bank_seconds, 3.5);
  EXPECT_EQ(x.floor.overall, 0.25);
  EXPECT_EQ(r.silent_tests, 2);
  EXPECT_EQ(x.silent_neurons, 42);
  EXPECT_EQ(x.total_seconds, 4.5);
  expect_same(x.result.score.layer, example().result.score.layer);
  expect_same(x.result.score.layer_silent, example().result.score.layer_silent);
  expect_same(x.floor.layer, example().floor.layer);
  EXPECT_EQ(x.result.tests, example().result.tests);
  EXPECT_EQ(x.result.assigned, example().result.assigned);
  EXPECT_EQ(x.result.score.distance, (std::vector<int>{2, 2, 7}));
  EXPECT_EQ(x.result.score.distance_symmetric, (std::vector<int>{2, 0, 7}));
  EXPECT_EQ(x.activation_rate, example().activation_rate);
  // Without details the per-test arrays stay empty; the rest is read.
  const auto brief = read_runs(f, false);
  EXPECT_TRUE(brief[0].run.result.tests.empty());
  EXPECT_TRUE(brief[0].run.activation_rate.empty());
  EXPECT_EQ(brief[0].run.floor.layer.size(), 3u);
  EXPECT_EQ(brief[0].run.result.score.overall_symmetric, 0.75);
}

}  // namespace netinfer::experiment
