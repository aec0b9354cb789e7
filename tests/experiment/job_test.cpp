#include "netinfer/experiment/job.hpp"

#include <gtest/gtest.h>

#include <set>

#include "netinfer/core/error.hpp"

namespace netinfer::experiment {

TEST(Job, Fig14ExpandsToFeatureSetsTimesElevenSplits) {
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN", "MNIST", "CONCAT=GAUSSIAN,MNIST"};
  axes.splits = {"perfect", "random*10"};
  const auto runs = expand(axes);
  ASSERT_EQ(runs.size(), 33u);
  // Feature sets outermost, then splits with seeds 1..10.
  EXPECT_EQ(runs[0].feature_set.name, "GAUSSIAN");
  EXPECT_EQ(runs[0].split, "perfect");
  EXPECT_EQ(runs[1].split, "random");
  EXPECT_EQ(runs[1].split_seed, 1);
  EXPECT_EQ(runs[10].split_seed, 10);
  EXPECT_EQ(runs[11].feature_set.name, "MNIST");
  EXPECT_EQ(runs[22].feature_set.name, "CONCAT");
  EXPECT_EQ(runs[22].feature_set.sets, (std::vector<std::string>{"GAUSSIAN", "MNIST"}));
  // Defaults of the other axes.
  EXPECT_EQ(runs[5].moments, 2);
  EXPECT_EQ(runs[5].eigenvectors, 16);
  EXPECT_EQ(runs[5].transform, "abs");
  EXPECT_EQ(runs[5].method, "rf");
  EXPECT_TRUE(runs[5].balance);
  EXPECT_EQ(runs[5].images, 10000);
  std::set<std::string> keys;
  for (const auto& r : runs) keys.insert(r.key());
  EXPECT_EQ(keys.size(), runs.size()) << "keys must name runs uniquely";
}

TEST(Job, AxesMultiplyAndKeepTheirOrder) {
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN"};
  axes.eigenvectors = {"1..3", "10"};
  axes.methods = {"random-forest", "nn"};
  axes.balance = {"true", "false"};
  const auto runs = expand(axes);
  ASSERT_EQ(runs.size(), 4u * 2u * 2u);
  // Order: eigenvectors, then method, then balance (innermost).
  EXPECT_EQ(runs[0].eigenvectors, 1);
  EXPECT_EQ(runs[0].method, "rf");  // canonical short name
  EXPECT_TRUE(runs[0].balance);
  EXPECT_FALSE(runs[1].balance);
  EXPECT_EQ(runs[2].method, "nn");
  EXPECT_EQ(runs[4].eigenvectors, 2);
  EXPECT_EQ(runs[12].eigenvectors, 10);
}

TEST(Job, IntegerListsAndRanges) {
  EXPECT_EQ(parse_integers("3", "x"), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(parse_integers("1, 2,4", "x"), (std::vector<std::int64_t>{1, 2, 4}));
  EXPECT_EQ(parse_integers("0..3,7", "x"), (std::vector<std::int64_t>{0, 1, 2, 3, 7}));
  EXPECT_THROW(parse_integers("4..2", "x"), Error);
  EXPECT_THROW(parse_integers("1,,2", "x"), Error);
  EXPECT_THROW(parse_integers("two", "x"), Error);
  EXPECT_THROW(parse_integers("2.5", "x"), Error);
}

TEST(Job, BadAxesFailWithTheOptionNamed) {
  auto fails = [](JobAxes axes, const std::string& fragment) {
    if (axes.feature_sets.empty()) axes.feature_sets = {"GAUSSIAN"};
    try {
      expand(axes);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      return;
    }
    ADD_FAILURE() << "no error, expected " << fragment;
  };
  JobAxes a;
  a.moments = {"5"};
  fails(a, "--moments");
  a = {};
  a.moments = {"0"};
  a.eigenvectors = {"0"};
  fails(a, "no features");
  a = {};
  a.splits = {"perfect*3"};
  fails(a, "only random splits");
  a = {};
  a.splits = {"random*2", "random"};
  fails(a, "repeats");
  a = {};
  a.eigenvectors = {"1..4", "3"};
  fails(a, "listed twice");
  a = {};
  a.transforms = {"sqrt"};
  fails(a, "sqrt");
  a = {};
  a.balance = {"maybe"};
  fails(a, "--balance");
  a = {};
  a.feature_sets = {"A=GAUSSIAN", "A=MNIST"};
  fails(a, "used twice");
  EXPECT_THROW(expand(JobAxes{}), Error);  // no feature set
}

TEST(Job, RunSeedsDependOnTheKeyOnly) {
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN", "MNIST"};
  axes.splits = {"random*2"};
  const auto runs = expand(axes);
  std::set<std::uint64_t> seeds;
  for (const auto& r : runs) seeds.insert(r.seed(1));
  EXPECT_EQ(seeds.size(), runs.size());
  EXPECT_NE(runs[0].seed(1), runs[0].seed(2));
  // The same run in another job (other axes around it) has the same seed.
  JobAxes other;
  other.feature_sets = {"MNIST"};
  other.splits = {"perfect", "random*2"};
  EXPECT_EQ(expand(other)[1].key(), runs[2].key());
  EXPECT_EQ(expand(other)[1].seed(1), runs[2].seed(1));
}

TEST(Job, ForestSeedsChangeOnlyTheBankSeedAndLeaveOldKeysAlone) {
  JobAxes plain;
  plain.feature_sets = {"GAUSSIAN", "MNIST"};
  plain.splits = {"perfect", "random*2"};
  const auto before = expand(plain);
  // A job without the axis keeps the keys (and so the seeds) of the files
  // written before the axis existed: this exact text, and the bank takes the
  // run's seed.
  EXPECT_EQ(before[1].key(),
            "feature-set=GAUSSIAN; split=random; split-seed=1; moments=2; eigenvectors=16; "
            "transform=abs; method=rf; balance=1; images=10000");
  for (const auto& r : before) EXPECT_EQ(r.bank_seed(7), r.seed(7));

  JobAxes seeded = plain;
  seeded.forest_seeds = {"1..3", "9"};
  const auto runs = expand(seeded);
  ASSERT_EQ(runs.size(), before.size() * 4);
  // Forest seeds innermost; each run is its axis-free run plus a forest seed.
  std::set<std::string> keys;
  std::set<std::uint64_t> bank_seeds;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunSpec& r = runs[i];
    const RunSpec& base = before[i / 4];
    const int forest_seeds[] = {1, 2, 3, 9};
    EXPECT_EQ(r.forest_seed, forest_seeds[i % 4]);
    EXPECT_EQ(r.key(), base.key() + "; forest-seed=" + std::to_string(r.forest_seed));
    // Same split, images, spectra and test shuffle; another classifier bank.
    EXPECT_EQ(r.seed(7), base.seed(7));
    EXPECT_NE(r.bank_seed(7), r.seed(7));
    keys.insert(r.key());
    bank_seeds.insert(r.bank_seed(7));
  }
  EXPECT_EQ(keys.size(), runs.size());
  EXPECT_EQ(bank_seeds.size(), runs.size());
  EXPECT_EQ(plan(runs, {}).spectra.size(), plan(before, {}).spectra.size());
  // The axis round-trips through a results file's axes text, and an old text
  // (without it) still reads.
  EXPECT_EQ(expand(JobAxes::parse(seeded.text())).size(), runs.size());
  EXPECT_EQ(expand(JobAxes::parse(plain.text()))[1].key(), before[1].key());

  JobAxes bad = plain;
  bad.forest_seeds = {"0"};
  EXPECT_THROW(expand(bad), Error);
  bad.forest_seeds = {"2", "1..3"};
  EXPECT_THROW(expand(bad), Error);
}

TEST(Job, PlanSharesSpectraAndTakesTheLargestK) {
  JobAxes axes;
  axes.feature_sets = {"GAUSSIAN", "MNIST", "BOTH=GAUSSIAN,MNIST"};
  axes.eigenvectors = {"4", "9"};
  axes.transforms = {"abs", "cm^2"};
  JobSettings settings;
  const auto runs = expand(axes);
  const Plan p = plan(runs, settings);
  ASSERT_EQ(p.run_sets.size(), runs.size());
  // Two image sets x two transforms; responses only per image set.
  EXPECT_EQ(p.spectra.size(), 4u);
  EXPECT_EQ(p.responses.size(), 2u);
  for (const auto& k : p.spectra) EXPECT_EQ(k.k, 9);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ASSERT_EQ(p.run_sets[i].size(), runs[i].feature_set.sets.size());
    for (std::size_t s = 0; s < runs[i].feature_set.sets.size(); ++s) {
      EXPECT_EQ(p.run_sets[i][s].responses.set, runs[i].feature_set.sets[s]);
      EXPECT_EQ(p.run_sets[i][s].transform, runs[i].transform);
    }
  }
  // The images axis separates responses.
  axes.images = {"100", "200"};
  EXPECT_EQ(plan(expand(axes), settings).responses.size(), 4u);
}

}  // namespace netinfer::experiment
