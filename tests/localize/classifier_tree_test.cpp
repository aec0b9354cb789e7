// The CART trees against an exact CART written from the definition: at each
// node try every threshold (midpoints between neighbouring distinct training
// values) of every feature, keep the largest Gini decrease (ties: lowest
// feature, then lowest threshold), recurse on the side the point falls on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "localize/classifier_problem.hpp"
#include "netinfer/localize/classifier.hpp"

namespace netinfer::localize {

namespace {

using synthetic::synthetic_problem;

struct ExactCart {
  const RowMatrix& x;
  const std::vector<int>& y;
  int classes, max_depth, min_leaf;
  std::vector<std::vector<double>> thresholds;

  ExactCart(const RowMatrix& x_, const std::vector<int>& y_, int classes_, int max_depth_,
            int min_leaf_)
      : x(x_), y(y_), classes(classes_), max_depth(max_depth_), min_leaf(min_leaf_) {
    for (Eigen::Index f = 0; f < x.cols(); ++f) {
      std::vector<double> v(x.rows());
      for (Eigen::Index i = 0; i < x.rows(); ++i) v[i] = x(i, f);
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
      thresholds.emplace_back();
      for (std::size_t i = 1; i < v.size(); ++i) thresholds.back().push_back((v[i - 1] + v[i]) / 2);
    }
  }

  Eigen::RowVectorXd predict(const Eigen::RowVectorXd& point) const {
    std::vector<int> rows(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i) rows[i] = int(i);
    for (int depth = 0;; ++depth) {
      Eigen::RowVectorXd count = Eigen::RowVectorXd::Zero(classes);
      for (int r : rows) count(y[r]) += 1;
      const bool pure = (count.array() > 0).count() <= 1;
      int best_f = -1;
      double best_t = 0, best_gain = -1;
      if (!pure && (max_depth == 0 || depth < max_depth)) {
        for (Eigen::Index f = 0; f < x.cols(); ++f) {
          for (double t : thresholds[f]) {
            Eigen::RowVectorXd left = Eigen::RowVectorXd::Zero(classes);
            for (int r : rows) {
              if (x(r, f) <= t) left(y[r]) += 1;
            }
            const Eigen::RowVectorXd right = count - left;
            const double n_left = left.sum(), n_right = right.sum();
            if (n_left < min_leaf || n_right < min_leaf) continue;
            const double gain = left.squaredNorm() / n_left + right.squaredNorm() / n_right;
            if (gain > best_gain) best_gain = gain, best_f = int(f), best_t = t;
          }
        }
      }
      if (best_f < 0) return count / count.sum();
      std::vector<int> side;
      for (int r : rows) {
        if ((x(r, best_f) <= best_t) == (point(best_f) <= best_t)) side.push_back(r);
      }
      rows.swap(side);
    }
  }
};

// A problem whose features take few distinct values (one decimal), so many
// ties between rows; test points on the same grid and between grid values.
synthetic::Problem rounded_problem(int rows, int classes, std::uint64_t seed) {
  auto p = synthetic_problem(rows, 4, classes, 0.6, seed);
  p.x = (p.x * 10).array().round() / 10;
  return p;
}

}  // namespace

// 600 rows of ~50 distinct values per feature and 3 classes: the split search
// takes all three of its paths (histogram, counting sort, comparison sort).
TEST(ClassifierTree, DecisionTreeEqualsExactCart) {
  const auto train = rounded_problem(600, 3, 11);
  auto test = synthetic_problem(80, 4, 3, 0.6, 12);
  test.x.topRows(40) = (test.x.topRows(40) * 10).array().round() / 10;
  const int settings[][2] = {{0, 1}, {3, 1}, {0, 4}, {5, 2}};  // max depth, min leaf
  for (const auto& s : settings) {
    SCOPED_TRACE(testing::Message() << "max depth " << s[0] << ", min leaf " << s[1]);
    ClassifierOptions o;
    o.method = Method::DecisionTree;
    o.max_depth = s[0];
    o.min_samples_leaf = s[1];
    const RowMatrix p = fit_predict(train.x, train.y, 3, test.x, o);
    const ExactCart cart(train.x, train.y, 3, s[0], s[1]);
    for (Eigen::Index i = 0; i < test.x.rows(); ++i) {
      const Eigen::RowVectorXd expected = cart.predict(test.x.row(i));
      ASSERT_LT((p.row(i) - expected).cwiseAbs().maxCoeff(), 1e-9)
          << "row " << i << ": " << p.row(i) << " vs " << expected;
    }
  }
}

// Without bootstrap and with every feature at every split, all trees of a
// forest are the decision tree, and so is their average.
TEST(ClassifierTree, ForestOfIdenticalTreesIsTheTree) {
  const auto train = rounded_problem(200, 4, 13);
  const auto test = synthetic_problem(100, 4, 4, 0.6, 14);
  ClassifierOptions o;
  o.method = Method::DecisionTree;
  const RowMatrix tree = fit_predict(train.x, train.y, 4, test.x, o);
  o.method = Method::RandomForest;
  o.trees = 7;
  o.bootstrap = false;
  o.features_per_split = 4;
  EXPECT_EQ(fit_predict(train.x, train.y, 4, test.x, o), tree);
  // With bootstrap the trees differ and the forest's probabilities are
  // averages of 7 leaf frequencies, not the tree's mostly 0/1 leaves.
  o.bootstrap = true;
  const RowMatrix forest = fit_predict(train.x, train.y, 4, test.x, o);
  EXPECT_NE(forest, tree);
  EXPECT_GT(((forest.array() > 0) && (forest.array() < 1)).count(),
            ((tree.array() > 0) && (tree.array() < 1)).count());
}

// Many distinct values: quantile bins still place a threshold within a bin
// width of the true boundary.
TEST(ClassifierTree, QuantileBinsFindAThreshold) {
  const int n = 4000;
  RowMatrix x(n, 1), t(1000, 1);
  std::vector<int> y(n), yt(1000);
  Stream s(3, purpose_id("quantile-test"), 0);
  for (int i = 0; i < n; ++i) y[i] = (x(i, 0) = s.uniform()) > 0.37;
  for (int i = 0; i < 1000; ++i) yt[i] = (t(i, 0) = s.uniform()) > 0.37;
  ClassifierOptions o;
  o.method = Method::DecisionTree;
  EXPECT_GT(synthetic::accuracy(fit_predict(x, y, 2, t, o), yt), 0.995);
  o.bins = 4;  // thresholds only near the quartiles: 0.37 is 0.12 from the nearest
  const double coarse = synthetic::accuracy(fit_predict(x, y, 2, t, o), yt);
  EXPECT_GT(coarse, 0.83);
  EXPECT_LT(coarse, 0.93);
}

}  // namespace netinfer::localize
