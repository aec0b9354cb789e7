// The multi-class classifiers of the localisation bank (000 §5.1; Table 2
// compares the four methods). Each bank classifier is one call of
// fit_predict: train on the training neurons' feature rows, return class
// probabilities for the test neurons' rows.
//
// Random forest (the paper's default) and decision tree are our own CART
// (Gini, best split over histogram bins of the features, leaves holding class
// frequencies, as scikit-learn's predict_proba). XGBoost's random-forest mode
// was measured first (classifier_bench, BM_XgboostForest) and was slower than
// this fully grown forest even at limited depth; and its softprob output
// is a softmax of averaged Newton leaf values, whose sharpness depends on the
// class count rather than on class frequencies. This forest predicts while it
// grows: each node routes the test rows with the training rows and skips
// subtrees that no test row reaches, so no tree is stored.
//
// Logistic regression is a softmax model on standardised features fitted by
// L-BFGS, which converged faster than XGBoost's coordinate-descent gblinear.
// The neural network is a one-hidden-layer MLP (ramp, softmax) trained by Adam
// on minibatches.
//
// The four methods rank as in the paper's Table 2 (jobs/table2_method.ini).
// Minimum leaf sizes did not help consistently across feature sets, so the
// forest keeps scikit-learn's fully grown trees. The figures behind these
// choices are in docs/performance.md ("Classifiers") and docs/results.md
// ("Choosing the random forest").
//
// Probabilities are what each method estimates: a fully grown forest gives 0
// to classes no tree voted for, a single tree gives 0 to every class but its
// leaf's, so the caller must floor them before taking logarithms (the bank
// mixes in a uniform prior, see confidence.hpp).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/localize/assignment.hpp"

namespace netinfer::localize {

enum class Method { RandomForest, DecisionTree, LogisticRegression, NeuralNetwork };

// "rf" | "dt" | "lr" | "nn", or "random-forest" | "decision-tree" |
// "logistic-regression" | "neural-network"; throws naming the value otherwise.
Method parse_method(const std::string& name);
// The short name ("rf", ...).
std::string method_name(Method method);

struct ClassifierOptions {
  Method method = Method::RandomForest;
  std::uint64_t seed = 1;  // every random choice derives from (seed, purpose, index)
  int threads = 1;         // forest trees in parallel (results do not depend on it);
                           // lr and nn run on one thread

  // Random forest and decision tree (scikit-learn's defaults: 100 fully grown
  // trees on bootstrap samples, sqrt(features) candidates per split; the
  // decision tree is one tree on all rows and all features).
  int trees = 100;             // forest size (the decision tree has 1)
  int max_depth = 0;           // 0: grow until leaves are pure
  int min_samples_leaf = 1;    // least (bootstrap-weighted) training rows in a leaf
  int features_per_split = 0;  // 0: floor(sqrt(features)) for the forest, all for a tree
  int bins = 256;              // feature histogram bins (2..256); exact splits when a
                               // feature has at most this many distinct values
  bool bootstrap = true;       // forest trees see a bootstrap sample of the rows

  // Logistic regression: minimises mean cross-entropy + l2/2 |W|^2 (biases not
  // penalised) by L-BFGS until max |gradient| < tolerance.
  double logistic_l2 = 1e-4;
  int logistic_iterations = 500;
  double logistic_tolerance = 1e-6;

  // Neural network: features -> hidden ramp units -> softmax, Glorot-uniform
  // initialisation, Adam on minibatches of mean cross-entropy + l2/2 |W|^2;
  // stops after `epochs` or when the epoch loss has not improved by 1e-4 for
  // 10 epochs (scikit-learn's MLPClassifier rule).
  int hidden = 100;
  int epochs = 200;
  int batch = 200;
  double learning_rate = 1e-3;
  double nn_l2 = 1e-5;
};

// Trains a multi-class classifier on rows of x_train with labels y_train in
// [0, classes) and returns class probabilities for each row of x_test:
// x_test.rows() x classes, rows summing to 1. Classes with no training sample
// get probability 0 (the caller applies a uniform prior). Deterministic for a
// fixed seed, whatever the thread count; a test row's probabilities do not
// depend on the other test rows.
RowMatrix fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train, int classes,
                      const RowMatrix& x_test, const ClassifierOptions& options);

// The objectives of the two gradient-trained methods, exposed for their
// finite-difference tests. Labels are in [0, K); returns the objective and,
// when `gradient` is given, writes its gradient (same layout as the weights).
//
// Softmax regression: weights (F + 1) x K, the last row holding the biases.
double softmax_objective(const RowMatrix& weights, const RowMatrix& x, const std::vector<int>& y,
                         double l2, RowMatrix* gradient);

// MLP with parameters packed in one vector: W1 (F x H, row-major), b1 (H),
// W2 (H x K, row-major), b2 (K); mlp_parameter_count gives its length.
Eigen::Index mlp_parameter_count(int features, int hidden, int classes);
double mlp_objective(const Eigen::VectorXd& parameters, int hidden, int classes, const RowMatrix& x,
                     const std::vector<int>& y, double l2, Eigen::VectorXd* gradient);

}  // namespace netinfer::localize
