#include <gtest/gtest.h>
#include <unistd.h>

#include "netinfer/reconstruct/baselines.hpp"
#include "netinfer/reconstruct/evaluation.hpp"
#include "netinfer/reconstruct/inference.hpp"
#include "netinfer/reconstruct/locality_model.hpp"
#include "netinfer/reconstruct/metrics.hpp"
#include "netinfer/reconstruct/report.hpp"
#include "spike_files.hpp"

namespace netinfer::reconstruct {

// infer -> write_predictions -> evaluate -> write_results -> report, checked
// against the metrics computed directly from the model's outputs.
TEST(Evaluation, ScoresThePredictionsAndTheBaselinesOfEveryGenerator) {
  const auto data = testing::simulated({"chain3", "er:n=6:p=0.3"}, 20, 12, 0.3, 8);
  LocalityModel model(4, 3, 1);
  model.initialise(2);
  const int windows = 2;
  const auto predictions = infer(model, data, windows, "test", MPI_COMM_SELF);
  const std::string pred_path = "/tmp/netinfer_eval_test_" + std::to_string(::getpid()) + ".h5";
  const std::string result_path = pred_path + ".results.h5";
  {
    h5::File file(pred_path, h5::File::Mode::Create);
    write_predictions(file, model, data, predictions, windows);
  }
  const auto results = evaluate(h5::File(pred_path, h5::File::Mode::Read), data);
  ASSERT_EQ(results.size(), 2u);
  for (std::size_t g = 0; g < 2; ++g) {
    const GeneratorData& d = data[g];
    const GeneratorResult& r = results[g];
    // Direct computation over the 40 samples.
    double loss = 0, exact = 0, spikes = 0;
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(d.n, d.n);
    for (const auto& index : enumerate_samples(data, 4, windows, "test")) {
      if (index.generator != static_cast<int>(g)) continue;
      const Example e = make_example(data, index, 4);
      const Eigen::MatrixXd o = model.predict({e})[0];
      mean += o / 40;
      loss += reconstruction_loss(o, d.target) / 40;
      exact += (correct_pairs(o, d.target) == d.n * (d.n - 1)) / 40.0;
      spikes += e.raster.sum();
    }
    EXPECT_EQ(r.samples, 40);
    EXPECT_NEAR(r.loss, loss, 1e-12);
    EXPECT_NEAR(r.exact, exact, 1e-12);
    EXPECT_NEAR(r.mean_activity, spikes / (20.0 * d.n * 8), 1e-12);
    EXPECT_LT((r.mean_output - mean).cwiseAbs().maxCoeff(), 1e-12);
    std::vector<double> s;
    std::vector<int> y;
    off_diagonal(mean, d.target, s, y);
    ASSERT_EQ(r.methods.size(), 1 + baselines().size());
    EXPECT_EQ(r.methods[0].method, "model");
    EXPECT_NEAR(r.methods[0].auroc, auroc(s, y), 1e-12);
    EXPECT_NEAR(r.methods[0].auprc, auprc(s, y), 1e-12);
    off_diagonal(lagged_scores(d, 8), d.target, s, y);  // the same 8 steps as the model
    EXPECT_EQ(r.methods[2].method, "lagged");
    EXPECT_NEAR(r.methods[2].auroc, auroc(s, y), 1e-12);
  }
  {
    h5::File file(result_path, h5::File::Mode::Create);
    write_results(file, results);
  }
  const std::string report = format_report(h5::File(result_path, h5::File::Mode::Read));
  EXPECT_NE(report.find("er:n=6:p=0.3"), std::string::npos) << report;
  EXPECT_NE(report.find("AUPRC"), std::string::npos) << report;
  std::remove(pred_path.c_str());
  std::remove(result_path.c_str());
}

}  // namespace netinfer::reconstruct
