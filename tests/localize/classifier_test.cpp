// The bank's classifiers as the bank uses them: valid probabilities, far
// better than chance on a learnable problem, deterministic, and clear errors.
#include "netinfer/localize/classifier.hpp"

#include <gtest/gtest.h>

#include "localize/classifier_problem.hpp"
#include "netinfer/core/error.hpp"

namespace netinfer::localize {

namespace {

using synthetic::accuracy;
using synthetic::synthetic_problem;

const Method kMethods[] = {Method::RandomForest, Method::DecisionTree, Method::LogisticRegression,
                           Method::NeuralNetwork};

ClassifierOptions options_for(Method method) {
  ClassifierOptions o;
  o.method = method;
  o.trees = 30;
  o.epochs = 60;
  return o;
}

// Runs fit_predict and expects netinfer::Error whose message contains `part`.
void expect_error(const RowMatrix& x, const std::vector<int>& y, int classes, const RowMatrix& t,
                  const ClassifierOptions& o, const std::string& part) {
  try {
    fit_predict(x, y, classes, t, o);
    ADD_FAILURE() << "no error; expected one mentioning '" << part << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Classifier, ParsesMethodNames) {
  EXPECT_EQ(parse_method("rf"), Method::RandomForest);
  EXPECT_EQ(parse_method("random-forest"), Method::RandomForest);
  EXPECT_EQ(parse_method("dt"), Method::DecisionTree);
  EXPECT_EQ(parse_method("decision-tree"), Method::DecisionTree);
  EXPECT_EQ(parse_method("lr"), Method::LogisticRegression);
  EXPECT_EQ(parse_method("logistic-regression"), Method::LogisticRegression);
  EXPECT_EQ(parse_method("nn"), Method::NeuralNetwork);
  EXPECT_EQ(parse_method("neural-network"), Method::NeuralNetwork);
  for (Method m : kMethods) EXPECT_EQ(parse_method(method_name(m)), m);
  try {
    parse_method("svm");
    ADD_FAILURE() << "svm accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'svm'"), std::string::npos) << e.what();
  }
}

// Classes 0 and 5 of 6 have no training row: their probability is exactly 0;
// every row is a probability vector; accuracy is far above chance (1/4).
TEST(Classifier, ValidProbabilitiesAndAccuracyForEveryMethod) {
  auto train = synthetic_problem(1200, 6, 4, 0.3, 1);
  auto test = synthetic_problem(400, 6, 4, 0.3, 2);
  for (auto& c : train.y) ++c;  // labels 1..4 of 0..5
  for (auto& c : test.y) ++c;
  const double floor[] = {0.9, 0.8, 0.9, 0.9};  // rf, dt, lr, nn
  for (int m = 0; m < 4; ++m) {
    SCOPED_TRACE(method_name(kMethods[m]));
    const RowMatrix p = fit_predict(train.x, train.y, 6, test.x, options_for(kMethods[m]));
    ASSERT_EQ(p.rows(), 400);
    ASSERT_EQ(p.cols(), 6);
    EXPECT_GE(p.minCoeff(), 0.0);
    EXPECT_EQ(p.col(0).cwiseAbs().maxCoeff(), 0.0);
    EXPECT_EQ(p.col(5).cwiseAbs().maxCoeff(), 0.0);
    for (Eigen::Index i = 0; i < p.rows(); ++i) EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
    EXPECT_GT(accuracy(p, test.y), floor[m]);
  }
}

// More classes than a forest's trees can separate by chance, fewer rows than
// classes times ten: the regime of the x/y classifiers of small layers.
TEST(Classifier, ManyClassesFewRows) {
  const auto train = synthetic_problem(500, 18, 24, 0.15, 3);
  const auto test = synthetic_problem(300, 18, 24, 0.15, 4);
  for (Method m : kMethods) {
    SCOPED_TRACE(method_name(m));
    ClassifierOptions o = options_for(m);
    o.epochs = 150;
    const RowMatrix p = fit_predict(train.x, train.y, 24, test.x, o);
    EXPECT_GT(accuracy(p, test.y), 0.7);  // chance: 1/24
  }
}

TEST(Classifier, DeterministicForASeedAndIndependentOfThreadsAndOtherRows) {
  const auto train = synthetic_problem(600, 5, 5, 0.5, 5);
  const auto test = synthetic_problem(200, 5, 5, 0.5, 6);
  const RowMatrix head = test.x.topRows(50);
  for (Method m : kMethods) {
    SCOPED_TRACE(method_name(m));
    ClassifierOptions o = options_for(m);
    const RowMatrix a = fit_predict(train.x, train.y, 5, test.x, o);
    EXPECT_EQ(a, fit_predict(train.x, train.y, 5, test.x, o));
    o.threads = 3;
    EXPECT_EQ(a, fit_predict(train.x, train.y, 5, test.x, o));
    EXPECT_LT((a.topRows(50) - fit_predict(train.x, train.y, 5, head, o)).cwiseAbs().maxCoeff(),
              1e-12);
    o.seed = 2;
    const RowMatrix b = fit_predict(train.x, train.y, 5, test.x, o);
    if (m == Method::DecisionTree || m == Method::LogisticRegression) {
      EXPECT_EQ(a, b);  // no randomness: every feature at every split; a convex fit from zero
    } else {
      EXPECT_NE(a, b);
    }
  }
}

TEST(Classifier, DegenerateInputs) {
  const auto train = synthetic_problem(50, 3, 3, 0.2, 7);
  const auto test = synthetic_problem(10, 3, 3, 0.2, 8);
  for (Method m : kMethods) {
    SCOPED_TRACE(method_name(m));
    const ClassifierOptions o = options_for(m);
    // One class present: probability 1 for it.
    const std::vector<int> twos(50, 2);
    const RowMatrix one = fit_predict(train.x, twos, 4, test.x, o);
    EXPECT_EQ(one.col(2), Eigen::VectorXd::Ones(10));
    EXPECT_EQ(one.col(0).cwiseAbs().sum() + one.col(1).cwiseAbs().sum() + one.col(3).sum(), 0.0);
    // No test rows.
    const RowMatrix none = fit_predict(train.x, train.y, 3, RowMatrix(0, 3), o);
    EXPECT_EQ(none.rows(), 0);
    EXPECT_EQ(none.cols(), 3);
    // Constant features: nothing to learn. The tree and the regression
    // predict the training class frequencies, the forest the mean of its
    // bootstrap samples' frequencies, the MLP (which stops early) close to them.
    const RowMatrix flat = RowMatrix::Constant(50, 3, 0.1);
    const RowMatrix p = fit_predict(flat, train.y, 3, test.x, o);
    Eigen::RowVectorXd frequency = Eigen::RowVectorXd::Zero(3);
    for (int c : train.y) frequency(c) += 1.0 / 50;
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
      const double tolerance = m == Method::DecisionTree         ? 1e-12
                               : m == Method::LogisticRegression ? 1e-5
                                                                 : 0.05;
      EXPECT_LT((p.row(i) - frequency).cwiseAbs().maxCoeff(), tolerance);
    }
  }
}

TEST(Classifier, BadInputGivesClearErrors) {
  const auto train = synthetic_problem(40, 3, 3, 0.2, 9);
  const auto test = synthetic_problem(10, 3, 3, 0.2, 10);
  const ClassifierOptions o;
  expect_error(RowMatrix(0, 3), {}, 3, test.x, o, "empty training set");
  expect_error(train.x, std::vector<int>(39, 0), 3, test.x, o, "39 training labels for 40");
  expect_error(train.x, train.y, 3, RowMatrix::Zero(5, 4), o, "test rows have 4 features");
  std::vector<int> bad = train.y;
  bad[7] = 3;
  expect_error(train.x, bad, 3, test.x, o, "label 3 of row 7 is outside [0, 3)");
  bad[7] = -1;
  expect_error(train.x, bad, 3, test.x, o, "label -1 of row 7");
  expect_error(train.x, train.y, 0, test.x, o, "class count must be positive");
  RowMatrix nan = test.x;
  nan(4, 1) = std::nan("");
  expect_error(train.x, train.y, 3, nan, o, "test feature (row 4, column 1) is not finite");
  ClassifierOptions bad_options;
  bad_options.trees = 0;
  expect_error(train.x, train.y, 3, test.x, bad_options, "trees must be >= 1");
  bad_options = ClassifierOptions{};
  bad_options.bins = 300;
  expect_error(train.x, train.y, 3, test.x, bad_options, "bins must be in [2, 256]");
  bad_options = ClassifierOptions{};
  bad_options.features_per_split = 4;
  expect_error(train.x, train.y, 3, test.x, bad_options, "features per split must be in [0, 3]");
}

}  // namespace netinfer::localize
