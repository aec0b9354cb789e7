// The report's tables against numbers worked by hand: a results file is
// written run by run (write_run) and format_report must show the perfect
// split, the mean and sample sd over random splits, the paper's figures, the
// per-layer table and the Fig. 17 grid.
#include "netinfer/experiment/report.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "netinfer/experiment/record.hpp"
#include "netinfer/localize/responses.hpp"
#include "temp_file.hpp"

namespace netinfer::experiment {

namespace {

const net::Architecture kArch =
    net::Architecture::parse("input 1x6x6; conv 2 3 ramp; maxpool 2; linear 3 softmax");

void start(h5::File& f) {
  localize::write_network(f, kArch);
  f.make_groups("/experiment");
  f.set_attr("/experiment", "name", std::string("handmade"));
  f.write("/experiment/baseline_layer_rms", std::vector<double>{3.5, 3.25, 3.0, 2.5});
  f.set_attr("/experiment", "baseline_rms", 3.125);
  f.set_attr("/experiment", "runs_in_job", 8);
  f.set_attr("/experiment", "complete", 1);
}

// A run whose overall error is `overall`, with layer errors around it.
RunRecord record(double overall) {
  RunRecord r;
  r.result.tests = {1, 40, 70};
  r.result.assigned = {1, 40, 70};
  r.result.silent = {0, 1, 0};
  r.result.score.distance = {0, 2, 1};
  r.result.score.distance_symmetric = {0, 2, 1};
  r.result.score.overall = overall;
  r.result.score.active = overall / 2;
  r.result.score.silent = overall / 4;
  r.result.score.overall_symmetric = overall / 8;
  r.result.score.layer = {overall, overall + 1, overall + 2, NAN};
  r.result.score.layer_active = r.result.score.layer_silent = r.result.score.layer_symmetric =
      r.result.score.layer;
  r.floor.layer = {0.125, 0.25, 0, NAN};
  r.floor.overall = 0.125;
  r.activation_rate = {1.0, 0.0, 0.5};
  r.silent_neurons = 7;
  return r;
}

// Writes runs[i] as run i with overall error overall[i], for every i.
void write_runs(h5::File& f, const std::vector<RunSpec>& runs, const std::vector<double>& overall) {
  for (std::size_t i = 0; i < overall.size(); ++i) {
    char name[24];
    std::snprintf(name, sizeof name, "%06zu", i);
    write_run(f, name, runs.at(i), 1, record(overall[i]));
  }
}

}  // namespace

TEST(Report, FeatureSetTableShowsPerfectSplitRandomMeanSdAndThePaper) {
  TempFile tmp;
  {
    h5::File f(tmp.path(), h5::File::Mode::Create);
    start(f);
    JobAxes axes;
    axes.feature_sets = {"GAUSSIAN", "IMPULSE"};
    axes.splits = {"perfect", "random*3"};
    const auto runs = expand(axes);
    // GAUSSIAN: perfect 1.5; random 1, 2, 4 (mean 7/3, sd sqrt(7/3) = 1.528).
    // IMPULSE: perfect 0.75; random 0.5, 0.5, 0.5 (sd 0).
    write_runs(f, runs, {1.5, 1, 2, 4, 0.75, 0.5, 0.5, 0.5});
  }
  const h5::File f(tmp.path(), h5::File::Mode::Read);
  ASSERT_TRUE(has_report(f));
  const std::string text = format_report(f);
  EXPECT_NE(text.find("Experiment handmade: 8 runs of 8 (complete)"), std::string::npos) << text;
  EXPECT_NE(text.find("2.333 +- 1.528, 3"), std::string::npos) << text;
  EXPECT_NE(text.find("0.500 +- 0.000, 3"), std::string::npos) << text;
  // Perfect split row: error, active (half), silent (quarter), sym (eighth), floor.
  EXPECT_NE(text.find("1.500   0.750   0.375    0.188  0.125"), std::string::npos) << text;
  EXPECT_NE(text.find("| 1.50 (2609 silent)"), std::string::npos) << text;  // paper, GAUSSIAN
  EXPECT_NE(text.find("| 0.80 (0 silent)"), std::string::npos) << text;     // paper, IMPULSE
  EXPECT_NE(text.find("Random assignment scores 3.125"), std::string::npos) << text;
  // Per-layer table: baseline row, GAUSSIAN 1.5 2.5 3.5 -, floor row.
  EXPECT_NE(text.find("3.50        3.25        3.00        2.50"), std::string::npos) << text;
  EXPECT_NE(text.find("1.50        2.50        3.50           -"), std::string::npos) << text;
  EXPECT_NE(text.find("0.12        0.25        0.00           -"), std::string::npos) << text;
  // Activation rates 1, 0, 0.5 with distances 0, 2, 1: one neuron per bin.
  EXPECT_NE(text.find("2.00 (1)"), std::string::npos) << text;
  EXPECT_EQ(text.find("Fig. 17"), std::string::npos) << "one random split size: no grid";
}

TEST(Report, SeveralRandomSizesGiveTheFig17Grid) {
  TempFile tmp;
  {
    h5::File f(tmp.path(), h5::File::Mode::Create);
    start(f);
    JobAxes axes;
    axes.feature_sets = {"GAUSSIAN"};
    axes.splits = {"random:0.1:0.2*2", "random:0.3:0.2*2", "random:0.3:0.5"};
    const auto runs = expand(axes);
    write_runs(f, runs, {3, 4, 2, 2.5, 1});
  }
  const std::string text = format_report(h5::File(tmp.path(), h5::File::Mode::Read));
  EXPECT_NE(text.find("(Fig. 17)"), std::string::npos) << text;
  // Rows 10% and 30% training; columns 20% and 50% test.
  EXPECT_NE(text.find("10%             3.50 +- 0.71               -"), std::string::npos) << text;
  EXPECT_NE(text.find("30%             2.25 +- 0.35    1.00 +- 0.00"), std::string::npos) << text;
}

TEST(Report, ForestSeedSpreadIsMeanMinMaxOverSeeds) {
  TempFile tmp;
  {
    h5::File f(tmp.path(), h5::File::Mode::Create);
    start(f);
    JobAxes axes;
    axes.feature_sets = {"GAUSSIAN", "IMPULSE"};
    axes.splits = {"perfect", "random*2"};
    axes.forest_seeds = {"1..3"};
    const auto runs = expand(axes);  // set, split, forest seed (innermost)
    ASSERT_EQ(runs.size(), 18u);
    // GAUSSIAN perfect over seeds 1.5, 1.0, 2.0 (mean 1.5); random splits
    // (seed: split 1, split 2) 1: 1, 3 -> 2; 2: 2, 2 -> 2; 3: 4, 6 -> 5
    // (mean 3). IMPULSE perfect 0.5, 0.5, 0.75 (mean 0.5833); random all 1.
    write_runs(f, runs, {1.5, 1.0, 2.0, 1, 2, 4, 3, 2, 6, 0.5, 0.5, 0.75, 1, 1, 1, 1, 1, 1});
  }
  const std::string text = format_report(h5::File(tmp.path(), h5::File::Mode::Read));
  EXPECT_NE(text.find("Spread over forest seeds"), std::string::npos) << text;
  // sym.err is an eighth of the error: GAUSSIAN 0.1875 [0.125, 0.25].
  EXPECT_NE(text.find("\nGAUSSIAN" + std::string(17, ' ') +
                      "1.500 [1.000, 2.000] n=3      0.188 [0.125, 0.250] n=3      "
                      "3.000 [2.000, 5.000] n=3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nIMPULSE" + std::string(18, ' ') +
                      "0.583 [0.500, 0.750] n=3      0.073 [0.062, 0.094] n=3      "
                      "1.000 [1.000, 1.000] n=3\n"),
            std::string::npos)
      << text;
  // The settings table has a row per forest seed.
  EXPECT_NE(text.find("GAUSSIAN, forest-seed=2"), std::string::npos) << text;
}

TEST(Report, Table2AxisRowsCarryThePapersNumbers) {
  TempFile tmp;
  {
    h5::File f(tmp.path(), h5::File::Mode::Create);
    start(f);
    JobAxes axes;
    axes.feature_sets = {"GAUSSIAN"};
    axes.methods = {"rf", "dt"};
    const auto runs = expand(axes);
    write_run(f, "000000", runs[0], 1, record(1.25));
    write_run(f, "000001", runs[1], 1, record(2.5));
  }
  const std::string text = format_report(h5::File(tmp.path(), h5::File::Mode::Read));
  EXPECT_NE(text.find("method=rf"), std::string::npos) << text;
  EXPECT_NE(text.find("| 1.54"), std::string::npos) << text;  // Table 2: random forest
  EXPECT_NE(text.find("| 2.30"), std::string::npos) << text;  // Table 2: decision tree
}

}  // namespace netinfer::experiment
