// fit_predict: input checks, label compaction (absent classes get
// probability 0 and cost nothing), feature standardisation for the
// gradient-trained methods, and dispatch to the method.
#include <algorithm>
#include <cmath>
#include <map>

#include "classifier_methods.hpp"
#include "netinfer/core/error.hpp"

namespace netinfer::localize {

namespace {

const std::map<std::string, Method>& method_names() {
  static const std::map<std::string, Method> names = {
      {"rf", Method::RandomForest},       {"random-forest", Method::RandomForest},
      {"dt", Method::DecisionTree},       {"decision-tree", Method::DecisionTree},
      {"lr", Method::LogisticRegression}, {"logistic-regression", Method::LogisticRegression},
      {"nn", Method::NeuralNetwork},      {"neural-network", Method::NeuralNetwork}};
  return names;
}

void require_finite(const RowMatrix& x, const char* which) {
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      NI_REQUIRE(std::isfinite(x(i, j)), "classifier: ", which, " feature (row ", i, ", column ", j,
                 ") is not finite: ", x(i, j));
    }
  }
}

void check_options(const ClassifierOptions& o, Eigen::Index features) {
  NI_REQUIRE(o.threads >= 1, "classifier: threads must be >= 1, got ", o.threads);
  NI_REQUIRE(o.trees >= 1, "classifier: trees must be >= 1, got ", o.trees);
  NI_REQUIRE(o.max_depth >= 0, "classifier: max depth must be >= 0 (0 = unlimited), got ",
             o.max_depth);
  NI_REQUIRE(o.min_samples_leaf >= 1, "classifier: min samples per leaf must be >= 1, got ",
             o.min_samples_leaf);
  NI_REQUIRE(o.features_per_split >= 0 && o.features_per_split <= features,
             "classifier: features per split must be in [0, ", features, "] (0 = default), got ",
             o.features_per_split);
  NI_REQUIRE(o.bins >= 2 && o.bins <= 256, "classifier: bins must be in [2, 256], got ", o.bins);
  NI_REQUIRE(o.logistic_l2 >= 0, "classifier: logistic l2 must be >= 0, got ", o.logistic_l2);
  NI_REQUIRE(o.logistic_iterations >= 1, "classifier: logistic iterations must be >= 1, got ",
             o.logistic_iterations);
  NI_REQUIRE(o.logistic_tolerance > 0, "classifier: logistic tolerance must be > 0, got ",
             o.logistic_tolerance);
  NI_REQUIRE(o.hidden >= 1, "classifier: hidden units must be >= 1, got ", o.hidden);
  NI_REQUIRE(o.epochs >= 1, "classifier: epochs must be >= 1, got ", o.epochs);
  NI_REQUIRE(o.batch >= 1, "classifier: batch size must be >= 1, got ", o.batch);
  NI_REQUIRE(o.learning_rate > 0, "classifier: learning rate must be > 0, got ", o.learning_rate);
  NI_REQUIRE(o.nn_l2 >= 0, "classifier: neural-network l2 must be >= 0, got ", o.nn_l2);
}

// Both matrices shifted and scaled by the training rows' mean and standard
// deviation. A feature constant in training carries no information: it
// becomes 0 in both, so test values never seen in training cannot matter.
void standardise(RowMatrix& train, RowMatrix& test) {
  const Eigen::RowVectorXd mean = train.colwise().mean();
  const Eigen::Array<bool, 1, Eigen::Dynamic> constant =
      train.colwise().maxCoeff().array() == train.colwise().minCoeff().array();
  train.rowwise() -= mean;
  test.rowwise() -= mean;
  const Eigen::RowVectorXd sd = (train.colwise().squaredNorm() / double(train.rows())).cwiseSqrt();
  const Eigen::RowVectorXd factor = constant.select(0.0, sd.cwiseInverse());
  train.array().rowwise() *= factor.array();
  test.array().rowwise() *= factor.array();
}

// Eigen's matrix products use `threads` OpenMP threads within the scope
// (otherwise every rank would start one per core of the node, and the
// products of logistic regression and the MLP are too small to gain).
class EigenThreads {
 public:
  explicit EigenThreads(int threads) : saved_(Eigen::nbThreads()) { Eigen::setNbThreads(threads); }
  ~EigenThreads() { Eigen::setNbThreads(saved_); }
  EigenThreads(const EigenThreads&) = delete;
  EigenThreads& operator=(const EigenThreads&) = delete;

 private:
  int saved_;
};

}  // namespace

Method parse_method(const std::string& name) {
  const auto it = method_names().find(name);
  NI_REQUIRE(it != method_names().end(), "classifier method '", name,
             "' is unknown (expected rf, dt, lr or nn)");
  return it->second;
}

std::string method_name(Method method) {
  switch (method) {
    case Method::RandomForest:
      return "rf";
    case Method::DecisionTree:
      return "dt";
    case Method::LogisticRegression:
      return "lr";
    case Method::NeuralNetwork:
      return "nn";
  }
  NI_FAIL("classifier: invalid method value ", static_cast<int>(method));
}

RowMatrix fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train, int classes,
                      const RowMatrix& x_test, const ClassifierOptions& options) {
  NI_REQUIRE(classes >= 1, "classifier: class count must be positive, got ", classes);
  NI_REQUIRE(x_train.rows() > 0, "classifier: empty training set");
  NI_REQUIRE(x_train.cols() > 0, "classifier: training rows have no features");
  NI_REQUIRE(Eigen::Index(y_train.size()) == x_train.rows(), "classifier: ", y_train.size(),
             " training labels for ", x_train.rows(), " training rows");
  NI_REQUIRE(x_test.cols() == x_train.cols(), "classifier: test rows have ", x_test.cols(),
             " features, training rows ", x_train.cols());
  check_options(options, x_train.cols());
  require_finite(x_train, "training");
  require_finite(x_test, "test");

  // Compact labels: class c of the caller is compact class index[c] (or -1).
  std::vector<int> index(classes, -1), present;
  std::vector<int> y(y_train.size());
  detail::check_labels(y_train, classes, "classifier: training");
  for (const int c : y_train) {
    if (index[c] < 0) {
      index[c] = 0;  // marked; numbered in class order below
      present.push_back(c);
    }
  }
  std::sort(present.begin(), present.end());
  for (std::size_t k = 0; k < present.size(); ++k) index[present[k]] = int(k);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = index[y_train[i]];
  const int k = int(present.size());

  RowMatrix p;
  if (k == 1) {
    p = RowMatrix::Ones(x_test.rows(), 1);
  } else if (x_test.rows() == 0) {
    p.resize(0, k);
  } else if (options.method == Method::RandomForest || options.method == Method::DecisionTree) {
    p = detail::forest_fit_predict(x_train, y, k, x_test, options,
                                   options.method == Method::DecisionTree);
  } else {
    const EigenThreads scope(1);
    RowMatrix train = x_train, test = x_test;
    standardise(train, test);
    p = options.method == Method::LogisticRegression
            ? detail::logistic_fit_predict(train, y, k, test, options)
            : detail::mlp_fit_predict(train, y, k, test, options);
  }

  RowMatrix out = RowMatrix::Zero(x_test.rows(), classes);
  for (int c = 0; c < k; ++c) out.col(present[c]) = p.col(c);
  return out;
}

namespace detail {

void check_labels(const std::vector<int>& y, int classes, const char* who) {
  for (std::size_t i = 0; i < y.size(); ++i) {
    NI_REQUIRE(y[i] >= 0 && y[i] < classes, who, " label ", y[i], " of row ", i, " is outside [0, ",
               classes, ")");
  }
}

void softmax_rows(RowMatrix& logits) {
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    auto row = logits.row(i);
    row.array() = (row.array() - row.maxCoeff()).exp();
    row /= row.sum();
  }
}

}  // namespace detail

}  // namespace netinfer::localize
