// The classifiers at the shapes of LeNet's bank (2 moments + 16 eigenvector
// entries = 18 features, 50% split, 9,847 test neurons, all of which every
// classifier scores). Synthetic features: noisy functions of the class.
//   BM_Classifier/<method>/<shape>: one classifier (rf dt lr nn = 0 1 2 3)
//   BM_Bank/<method>: all 15 in turn; total_s, and two_ranks_s, the busier
//     rank of a 2-rank split (largest first onto the less loaded rank)
//   BM_XgboostForest/<depth>: XGBoost's random-forest mode on the layer
//     classifier's shape, the alternative measured for the forest
// Quality counters (bank: means over the 15): accuracy; zero_true, the
// fraction of test rows whose true class got probability 0; log_loss, mean
// -log p(true class) after the bank's 1e-3 uniform-prior mixing
// (confidence.hpp). One thread per classifier, as one rank runs it.
#include <benchmark/benchmark.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <string>

#include "localize/classifier_problem.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/localize/classifier.hpp"

namespace {

using netinfer::localize::ClassifierOptions;
using netinfer::localize::Method;
using netinfer::localize::RowMatrix;
using netinfer::localize::synthetic::accuracy;
using netinfer::localize::synthetic::Problem;
using netinfer::localize::synthetic::synthetic_problem;

constexpr int kFeatures = 18, kTestRows = 9847;
constexpr double kNoise = 0.6;

struct Shape {
  const char* name;
  int rows, classes;
};
// LeNet: INPUT 28x28, CONVRAMP1 20x24x24, POOLING1 20x12x12, CONVRAMP2
// 50x8x8, POOLING2 50x4x4, LINEARRAMP 500, LINEARSOFT 10; half of each trains.
const Shape kBank[] = {{"layer", 40320, 7},           {"family|CONVRAMP1", 5760, 20},
                       {"family|POOLING1", 1440, 20}, {"family|CONVRAMP2", 1600, 50},
                       {"family|POOLING2", 400, 50},  {"x|INPUT", 392, 28},
                       {"y|INPUT", 392, 28},          {"x|CONVRAMP1", 5760, 24},
                       {"y|CONVRAMP1", 5760, 24},     {"x|POOLING1", 1440, 12},
                       {"y|POOLING1", 1440, 12},      {"x|CONVRAMP2", 1600, 8},
                       {"y|CONVRAMP2", 1600, 8},      {"x|POOLING2", 400, 4},
                       {"y|POOLING2", 400, 4}};
const Method kMethods[] = {Method::RandomForest, Method::DecisionTree, Method::LogisticRegression,
                           Method::NeuralNetwork};

const std::pair<Problem, Problem>& data(int shape) {
  static std::map<int, std::pair<Problem, Problem>> cache;
  auto it = cache.find(shape);
  if (it == cache.end()) {
    const Shape& s = kBank[shape];
    it =
        cache
            .emplace(shape,
                     std::make_pair(
                         synthetic_problem(s.rows, kFeatures, s.classes, kNoise, 2 * shape + 1),
                         synthetic_problem(kTestRows, kFeatures, s.classes, kNoise, 2 * shape + 2)))
            .first;
  }
  return it->second;
}

struct Quality {
  double accuracy = 0;
  double zero_true = 0;  // fraction of rows whose true class got probability 0
  double log_loss = 0;   // mean -log p(true class), p mixed with a 1e-3 uniform prior as the bank
};

Quality quality(const RowMatrix& p, const std::vector<int>& y) {
  Quality q;
  q.accuracy = accuracy(p, y);
  const double w = 1e-3;
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const double t = p(i, y[i]);
    q.zero_true += t == 0;
    q.log_loss -= std::log((1 - w) * t + w / double(p.cols()));
  }
  q.zero_true /= double(p.rows());
  q.log_loss /= double(p.rows());
  return q;
}

void report(benchmark::State& state, const Quality& q) {
  state.counters["accuracy"] = q.accuracy;
  state.counters["zero_true"] = q.zero_true;
  state.counters["log_loss"] = q.log_loss;
}

double run(Method method, int shape, Quality* q) {
  const auto& [train, test] = data(shape);
  ClassifierOptions o;
  o.method = method;
  const auto start = std::chrono::steady_clock::now();
  const RowMatrix p =
      netinfer::localize::fit_predict(train.x, train.y, kBank[shape].classes, test.x, o);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  *q = quality(p, test.y);
  return seconds;
}

void BM_Classifier(benchmark::State& state) {
  const Method method = kMethods[state.range(0)];
  const int shape = int(state.range(1));
  state.SetLabel(netinfer::localize::method_name(method) + " " + kBank[shape].name);
  Quality q;
  for (auto _ : state) run(method, shape, &q);
  report(state, q);
}
BENCHMARK(BM_Classifier)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1, 7}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_Bank(benchmark::State& state) {
  const Method method = kMethods[state.range(0)];
  state.SetLabel(netinfer::localize::method_name(method));
  std::vector<double> seconds;
  Quality mean;
  for (auto _ : state) {
    seconds.clear();
    mean = Quality{};
    for (int shape = 0; shape < 15; ++shape) {
      Quality q;
      seconds.push_back(run(method, shape, &q));
      mean.accuracy += q.accuracy / 15;
      mean.zero_true += q.zero_true / 15;
      mean.log_loss += q.log_loss / 15;
    }
  }
  std::sort(seconds.rbegin(), seconds.rend());
  double rank[2] = {0, 0};
  for (double s : seconds) *std::min_element(rank, rank + 2) += s;
  state.counters["total_s"] = std::accumulate(seconds.begin(), seconds.end(), 0.0);
  state.counters["two_ranks_s"] = std::max(rank[0], rank[1]);
  report(state, mean);
}
BENCHMARK(BM_Bank)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->Iterations(1);

#define XGB(call) NI_REQUIRE((call) == 0, "xgboost: ", XGBGetLastError())

void BM_XgboostForest(benchmark::State& state) {
  const auto& [train, test] = data(0);
  const int classes = kBank[0].classes;
  const std::vector<float> xf(train.x.data(), train.x.data() + train.x.size());
  const std::vector<float> tf(test.x.data(), test.x.data() + test.x.size());
  const std::vector<float> label(train.y.begin(), train.y.end());
  Quality q;
  for (auto _ : state) {
    DMatrixHandle dtrain, dtest;
    BoosterHandle booster;
    XGB(XGDMatrixCreateFromMat(xf.data(), train.x.rows(), kFeatures, NAN, &dtrain));
    XGB(XGDMatrixSetFloatInfo(dtrain, "label", label.data(), label.size()));
    XGB(XGDMatrixCreateFromMat(tf.data(), test.x.rows(), kFeatures, NAN, &dtest));
    XGB(XGBoosterCreate(&dtrain, 1, &booster));
    const std::pair<const char*, std::string> params[] = {
        {"objective", "multi:softprob"},
        {"num_class", std::to_string(classes)},
        {"nthread", "1"},
        {"verbosity", "0"},
        {"tree_method", "hist"},
        {"max_depth", std::to_string(state.range(0))},
        {"num_parallel_tree", "100"},
        {"subsample", "0.632"},
        {"colsample_bynode", "0.25"},
        {"learning_rate", "1"},
        {"min_child_weight", "0"},
        {"reg_lambda", "1e-5"}};
    for (const auto& [key, value] : params) XGB(XGBoosterSetParam(booster, key, value.c_str()));
    XGB(XGBoosterUpdateOneIter(booster, 0, dtrain));
    bst_ulong length = 0;
    const float* out = nullptr;
    XGB(XGBoosterPredict(booster, dtest, 0, 0, 0, &length, &out));
    RowMatrix p(test.x.rows(), classes);
    for (Eigen::Index i = 0; i < p.size(); ++i) p.data()[i] = out[i];
    q = quality(p, test.y);
    XGB(XGBoosterFree(booster));
    XGB(XGDMatrixFree(dtest));
    XGB(XGDMatrixFree(dtrain));
  }
  report(state, q);
}
BENCHMARK(BM_XgboostForest)->Arg(6)->Arg(10)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
