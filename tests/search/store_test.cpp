#include "netinfer/search/store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "netinfer/core/error.hpp"
#include "netinfer/io/h5.hpp"

namespace netinfer::search {

namespace {

namespace fs = std::filesystem;

Record record(std::int64_t index, double sym_a, double sym_b) {
  Candidate c;
  c.index = index;
  c.sets = {PatchSet{{1, 5}, {1, 0}}, PatchSet{{28}, {0, -1}}};
  c.moments = 2;
  c.eigenvectors = 7;
  std::vector<Evaluation> e(2);
  e[0].score.overall = 0.5 + sym_a;
  e[0].score.overall_symmetric = sym_a;
  e[0].score.active = 0.25;
  e[0].score.silent = 0.125;
  e[0].score.layer = {0, 1.5, NAN, 2};
  e[0].score.layer_symmetric = {0, 0.5, NAN, 0};
  e[0].sets_computed = 2;
  e[0].inputs_seconds = 3;
  e[0].localize_seconds = 1;
  e[1].score.overall = 0.75 + sym_b;
  e[1].score.overall_symmetric = sym_b;
  e[1].score.layer = {0.1, 0.2, 0.3, 0.4};
  e[1].score.layer_symmetric = {0, 0, 0, 0};
  e[1].sets_cached = 2;
  e[1].inputs_seconds = 0.5;
  return make_record(c, e, 9.5);
}

class SearchStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("search_store_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    options_.out = (dir_ / "s.h5").string();
    options_.settings = "seed = 1\npool = 8";
    options_.networks = "a.h5\nb.h5";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  Store::Options options_;
  const net::Architecture arch_ =
      net::Architecture::parse("input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax");
};

}  // namespace

TEST(SearchRecord, TheWorstNetworkDecides) {
  const Record r = record(4, 0, 0.25);
  EXPECT_EQ(r.key, "PATCH(w=1:5,f=1,b=0)+PATCH(w=28,f=0,b=-1); moments=2; eigenvectors=7");
  EXPECT_EQ(r.features, 18);
  EXPECT_DOUBLE_EQ(r.error(), 1.0);  // max(0.5, 1.0)
  EXPECT_DOUBLE_EQ(r.error_symmetric(), 0.25);
  EXPECT_FALSE(r.perfect());
  EXPECT_TRUE(record(4, 0, 0).perfect());
  EXPECT_EQ(r.sets_computed, 2);
  EXPECT_EQ(r.sets_cached, 2);
  EXPECT_DOUBLE_EQ(r.inputs_seconds, 3.5);
  EXPECT_TRUE(better(record(9, 0, 0.1), record(2, 0, 0.2)));  // lower symmetric error
  EXPECT_TRUE(better(record(2, 0, 0.1), record(9, 0, 0.1)));  // tie: the earlier
  EXPECT_FALSE(better(record(9, 0, 0.1), record(2, 0, 0.1)));
}

TEST_F(SearchStore, RecordsSurviveAResumeAndCutGroupsAreDropped) {
  {
    Store s(options_, arch_);
    s.append(record(0, 0.5, 0.25));
    s.append(record(3, 0.125, 0.375));
  }
  EXPECT_TRUE(fs::exists(options_.out + ".partial"));
  {  // a candidate cut short by a kill
    h5::File f(options_.out + ".partial", h5::File::Mode::ReadWrite);
    f.make_groups("/search/candidates/00000007");
    f.set_attr("/search/candidates/00000007", "index", std::int64_t{7});
  }
  Store again(options_, arch_);
  ASSERT_EQ(again.records().size(), 2u);
  const Record& r = again.records()[1];
  EXPECT_EQ(r.index, 3);
  EXPECT_EQ(r.key, record(3, 0, 0).key);
  EXPECT_EQ(r.overall_symmetric, (std::vector<double>{0.125, 0.375}));
  EXPECT_EQ(r.overall, (std::vector<double>{0.625, 1.125}));
  ASSERT_EQ(r.layer_error.size(), 2u);
  EXPECT_DOUBLE_EQ(r.layer_error[0][1], 1.5);
  EXPECT_TRUE(std::isnan(r.layer_error[0][2]));
  EXPECT_DOUBLE_EQ(r.layer_error[1][3], 0.4);
  EXPECT_DOUBLE_EQ(r.seconds, 9.5);
  EXPECT_EQ(r.sets_computed, 2);
  again.finish("the budget of 2 candidates", 12.0);
  EXPECT_TRUE(fs::exists(options_.out));
  EXPECT_FALSE(fs::exists(options_.out + ".partial"));
  const h5::File f(options_.out, h5::File::Mode::Read);
  EXPECT_FALSE(f.exists("/search/candidates/00000007"));
  EXPECT_EQ(f.attr_string("/search", "stop"), "the budget of 2 candidates");
  EXPECT_EQ(f.attr_int("/search", "candidates"), 2);
  EXPECT_DOUBLE_EQ(f.attr_double("/search", "seconds"), 12.0);
}

TEST_F(SearchStore, AFinishedFileReopensAndOtherSettingsAreRefused) {
  {
    Store s(options_, arch_);
    s.append(record(1, 0.5, 0.5));
    s.finish("the budget of 1 candidates", 1.0);
  }
  {
    Store s(options_, arch_);  // more budget: work in progress again
    EXPECT_EQ(s.records().size(), 1u);
    EXPECT_TRUE(fs::exists(options_.out + ".partial"));
    EXPECT_FALSE(fs::exists(options_.out));
  }
  Store::Options other = options_;
  other.settings = "seed = 2\npool = 8";
  try {
    Store s(other, arch_);
    FAIL() << "other settings accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("made with other settings (was seed = 1, now seed = 2)"),
              std::string::npos)
        << e.what();
  }
  other = options_;
  other.force = true;
  Store fresh(other, arch_);
  EXPECT_TRUE(fresh.records().empty());
}

}  // namespace netinfer::search
