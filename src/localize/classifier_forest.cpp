// CART random forest and decision tree (Breiman 2001; scikit-learn's
// semantics: Gini criterion, best split among `features_per_split` randomly
// drawn features that are not constant in the node, leaves predict the
// (bootstrap-weighted) class frequencies of their training rows, the forest
// averages its trees).
//
// Features are binned once (at most 256 bins per feature, thresholds at
// midpoints between neighbouring values), so a node's split search is a
// histogram sweep, or a sort of the node's rows when it is small. Trees are
// grown depth-first together with the test rows: a node partitions both, a
// leaf adds its class frequencies to the test rows it holds, and a subtree
// that no test row reaches is never grown. Ties between splits go to the
// lowest feature index, then the lowest threshold, so a tree does not depend
// on the order features were drawn in.
//
// Randomness: tree t's bootstrap sample comes from (seed, "forest-bootstrap",
// t) and a node's feature draw from (seed, "forest-node", node key), the key
// derived from t and the path to the node, so the tree is a function of the
// training data and seed alone. Leaf frequencies are summed in 2^-40 fixed
// point, so the sum over trees is exact and independent of thread count.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "classifier_methods.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::localize::detail {

namespace {

constexpr double kFixedOne = 1099511627776.0;  // 2^40

// Feature values replaced by bin codes, column-major: code(i, f) = number of
// thresholds of f below x(i, f); a split (f, b) sends code <= b left, i.e.
// x <= thresholds[f][b].
struct Codes {
  Eigen::Index rows = 0;
  std::vector<std::uint8_t> code;
  const std::uint8_t* feature(int f) const { return code.data() + f * rows; }
};

// Thresholds of one feature: midpoints between neighbouring distinct values
// when there are at most `bins` of them, else between the values at the
// bins-quantiles and their next lower distinct value.
std::vector<double> thresholds(std::vector<double> values, int bins) {
  std::sort(values.begin(), values.end());
  std::vector<double> distinct = values;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<double> t;
  if (int(distinct.size()) <= bins) {
    for (std::size_t i = 1; i < distinct.size(); ++i) {
      t.push_back(distinct[i - 1] + (distinct[i] - distinct[i - 1]) / 2);
    }
    return t;
  }
  const std::size_t n = values.size();
  for (int j = 1; j < bins; ++j) {
    const double v = values[j * n / bins];
    const auto at = std::lower_bound(distinct.begin(), distinct.end(), v);
    if (at == distinct.begin()) continue;
    const double u = *(at - 1);
    t.push_back(u + (v - u) / 2);
  }
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

Codes encode(const RowMatrix& x, const std::vector<std::vector<double>>& t) {
  Codes c;
  c.rows = x.rows();
  c.code.resize(std::size_t(x.rows()) * x.cols());
  for (Eigen::Index f = 0; f < x.cols(); ++f) {
    const auto& tf = t[f];
    std::uint8_t* out = c.code.data() + f * x.rows();
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      out[i] = std::uint8_t(std::lower_bound(tf.begin(), tf.end(), x(i, f)) - tf.begin());
    }
  }
  return c;
}

struct Split {
  int feature = -1, bin = -1;
  double gain = -1;  // sum_c L_c^2 / n_L + sum_c R_c^2 / n_R: Gini decrease up to constants
  bool better_than(const Split& o) const {
    return gain > o.gain || (gain == o.gain && feature < o.feature);
  }
};

// Everything one tree needs; one per thread.
class TreeGrower {
 public:
  TreeGrower(const Codes& train, const std::vector<int>& y, const std::vector<int>& bins_of,
             const Codes& test, int classes, const ClassifierOptions& options, bool single_tree)
      : train_(train),
        y_(y),
        bins_of_(bins_of),
        test_(test),
        k_(classes),
        features_(int(bins_of.size())),
        options_(options),
        single_tree_(single_tree),
        weight_(train.rows),
        hist_(256 * std::size_t(classes)),
        bin_total_(256),
        count_(classes),
        left_(classes),
        right_(classes),
        order_(features_),
        sum_(std::size_t(test.rows) * classes, 0) {
    mtry_ = options.features_per_split > 0 ? options.features_per_split
            : single_tree                  ? features_
                                           : std::max(1, int(std::sqrt(double(features_))));
  }

  // Grows tree t and adds its leaf frequencies (fixed point) to sum().
  void grow(int t) {
    rows_.clear();
    std::fill(weight_.begin(), weight_.end(), 0);
    if (single_tree_ || !options_.bootstrap) {
      std::fill(weight_.begin(), weight_.end(), 1);
    } else {
      Stream s(options_.seed, purpose_id("forest-bootstrap"), t);
      for (Eigen::Index i = 0; i < train_.rows; ++i) ++weight_[s.below(train_.rows)];
    }
    for (Eigen::Index i = 0; i < train_.rows; ++i) {
      if (weight_[i] > 0) rows_.push_back(int(i));
    }
    tests_.resize(test_.rows);
    for (Eigen::Index i = 0; i < test_.rows; ++i) tests_[i] = int(i);

    stack_.clear();
    stack_.push_back({0, int(rows_.size()), 0, int(tests_.size()), 0, std::uint64_t(t)});
    while (!stack_.empty()) {
      const Node node = stack_.back();
      stack_.pop_back();
      split_or_leaf(node);
    }
  }

  const std::vector<std::int64_t>& sum() const { return sum_; }

 private:
  struct Node {
    int begin, end;            // rows_[begin, end): in-bag training rows
    int test_begin, test_end;  // tests_[test_begin, test_end)
    int depth;
    std::uint64_t key;
  };

  void split_or_leaf(const Node& node) {
    std::fill(count_.begin(), count_.end(), 0);
    std::int64_t total = 0;
    for (int r = node.begin; r < node.end; ++r) {
      count_[y_[rows_[r]]] += weight_[rows_[r]];
      total += weight_[rows_[r]];
    }
    const int nonzero = int(std::count_if(count_.begin(), count_.end(), [](auto c) { return c; }));
    const bool stop = nonzero <= 1 ||
                      (options_.max_depth > 0 && node.depth >= options_.max_depth) ||
                      total < 2 * std::int64_t(options_.min_samples_leaf);
    const Split best = stop ? Split{} : best_split(node, total);
    if (best.feature < 0) {
      leaf(node, total);
      return;
    }
    const std::uint8_t* code = train_.feature(best.feature);
    const std::uint8_t* test_code = test_.feature(best.feature);
    const int b = best.bin;
    const int mid = int(std::partition(rows_.begin() + node.begin, rows_.begin() + node.end,
                                       [&](int r) { return code[r] <= b; }) -
                        rows_.begin());
    const int test_mid =
        int(std::partition(tests_.begin() + node.test_begin, tests_.begin() + node.test_end,
                           [&](int r) { return test_code[r] <= b; }) -
            tests_.begin());
    const std::uint64_t left_key = Stream::mix(2 * node.key + 1);
    const std::uint64_t right_key = Stream::mix(2 * node.key + 2);
    if (test_mid < node.test_end) {
      stack_.push_back({mid, node.end, test_mid, node.test_end, node.depth + 1, right_key});
    }
    if (node.test_begin < test_mid) {
      stack_.push_back({node.begin, mid, node.test_begin, test_mid, node.depth + 1, left_key});
    }
  }

  void leaf(const Node& node, std::int64_t total) {
    for (int c = 0; c < k_; ++c) {
      const std::int64_t q = std::llround(double(count_[c]) / double(total) * kFixedOne);
      if (q == 0) continue;
      for (int i = node.test_begin; i < node.test_end; ++i) {
        sum_[std::size_t(tests_[i]) * k_ + c] += q;
      }
    }
  }

  // Draws features in random order until mtry non-constant ones are scored.
  Split best_split(const Node& node, std::int64_t total) {
    Stream s(options_.seed, purpose_id("forest-node"), node.key);
    for (int f = 0; f < features_; ++f) order_[f] = f;
    Split best;
    int scored = 0;
    for (int i = 0; i < features_ && scored < mtry_; ++i) {
      std::swap(order_[i], order_[i + s.below(features_ - i)]);
      const int f = order_[i];
      Split candidate{f, -1, -1};
      const bool varies = node.end - node.begin < bins_of_[f] * k_
                              ? score_ordered(node, f, total, candidate)
                              : score_histogram(node, f, total, candidate);
      if (!varies) continue;
      ++scored;
      if (candidate.bin >= 0 && candidate.better_than(best)) best = candidate;
    }
    return best;
  }

  // Moves weight w of class c from the right child to the left one, keeping
  // the sums of squared class weights of both sides.
  void move_left(int c, std::int64_t w) {
    sum_sq_left_ += (2 * left_[c] + w) * w;
    sum_sq_right_ += (w - 2 * right_[c]) * w;
    left_[c] += w;
    right_[c] -= w;
  }

  void start_sweep(std::int64_t total) {
    std::fill(left_.begin(), left_.end(), 0);
    right_ = count_;
    sum_sq_left_ = 0;
    sum_sq_right_ = 0;
    for (auto c : count_) sum_sq_right_ += c * c;
    n_left_ = 0;
    n_right_ = total;
  }

  // After all rows with code <= b moved left: scores the split at b.
  void consider(int b, Split& s) const {
    const std::int64_t min_leaf = options_.min_samples_leaf;
    if (n_left_ < min_leaf || n_right_ < min_leaf) return;
    const double gain =
        double(sum_sq_left_) / double(n_left_) + double(sum_sq_right_) / double(n_right_);
    if (gain > s.gain) {
      s.gain = gain;
      s.bin = b;
    }
  }

  // Large nodes: class histogram over the feature's bins, then one sweep.
  bool score_histogram(const Node& node, int f, std::int64_t total, Split& s) {
    const int bins = bins_of_[f];
    const std::uint8_t* code = train_.feature(f);
    std::fill(hist_.begin(), hist_.begin() + std::size_t(bins) * k_, 0);
    std::fill(bin_total_.begin(), bin_total_.begin() + bins, 0);
    for (int r = node.begin; r < node.end; ++r) {
      const int row = rows_[r];
      hist_[std::size_t(code[row]) * k_ + y_[row]] += weight_[row];
      bin_total_[code[row]] += weight_[row];
    }
    start_sweep(total);
    bool varies = false;
    for (int b = 0; b < bins; ++b) {
      const std::int64_t w = bin_total_[b];
      if (w == 0) continue;
      if (w == n_right_) break;  // the last occupied bin: no split after it
      varies = true;
      const std::int64_t* h = hist_.data() + std::size_t(b) * k_;
      for (int c = 0; c < k_; ++c) {
        if (h[c] != 0) move_left(c, h[c]);
      }
      n_left_ += w;
      n_right_ -= w;
      consider(b, s);
    }
    return varies;
  }

  // Smaller nodes: the node's rows ordered by code (a comparison sort when
  // tiny, else a counting sort over the bins), then one sweep over the rows.
  bool score_ordered(const Node& node, int f, std::int64_t total, Split& s) {
    constexpr int kSortBelow = 64;
    const std::uint8_t* code = train_.feature(f);
    const int m = node.end - node.begin;
    auto key = [&](int row) {
      return std::uint64_t(code[row]) << 56 | std::uint64_t(y_[row]) << 32 |
             std::uint32_t(weight_[row]);
    };
    keys_.resize(m);
    if (m < kSortBelow) {
      for (int r = 0; r < m; ++r) keys_[r] = key(rows_[node.begin + r]);
      std::sort(keys_.begin(), keys_.end());
    } else {
      const int bins = bins_of_[f];
      std::fill(bin_start_.begin(), bin_start_.begin() + bins + 1, 0);
      for (int r = node.begin; r < node.end; ++r) ++bin_start_[code[rows_[r]] + 1];
      for (int b = 0; b < bins; ++b) bin_start_[b + 1] += bin_start_[b];
      for (int r = node.begin; r < node.end; ++r) {
        const int row = rows_[r];
        keys_[bin_start_[code[row]]++] = key(row);
      }
    }
    if (keys_.front() >> 56 == keys_.back() >> 56) return false;
    start_sweep(total);
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      const int c = int((keys_[i] >> 32) & 0xffffff);
      const std::int64_t w = std::int64_t(keys_[i] & 0xffffffff);
      move_left(c, w);
      n_left_ += w;
      n_right_ -= w;
      const int b = int(keys_[i] >> 56);
      if (i + 1 < keys_.size() && int(keys_[i + 1] >> 56) != b) consider(b, s);
    }
    return true;
  }

  const Codes& train_;
  const std::vector<int>& y_;
  const std::vector<int>& bins_of_;
  const Codes& test_;
  const int k_, features_;
  const ClassifierOptions& options_;
  const bool single_tree_;
  int mtry_ = 1;

  std::vector<int> weight_, rows_, tests_;
  std::vector<Node> stack_;
  std::vector<std::int64_t> hist_, bin_total_, count_, left_, right_;
  std::vector<int> order_;
  std::vector<std::uint64_t> keys_;
  std::vector<int> bin_start_ = std::vector<int>(257);
  std::int64_t sum_sq_left_ = 0, sum_sq_right_ = 0, n_left_ = 0, n_right_ = 0;
  std::vector<std::int64_t> sum_;
};

}  // namespace

RowMatrix forest_fit_predict(const RowMatrix& x_train, const std::vector<int>& y_train, int classes,
                             const RowMatrix& x_test, const ClassifierOptions& options,
                             bool single_tree) {
  const int features = int(x_train.cols());
  std::vector<std::vector<double>> t(features);
  std::vector<int> bins_of(features);
  for (int f = 0; f < features; ++f) {
    const Eigen::VectorXd column = x_train.col(f);
    t[f] =
        thresholds(std::vector<double>(column.data(), column.data() + column.size()), options.bins);
    bins_of[f] = int(t[f].size()) + 1;
  }
  const Codes train = encode(x_train, t), test = encode(x_test, t);

  const int trees = single_tree ? 1 : options.trees;
  const int threads = std::min(options.threads, trees);
  std::vector<std::int64_t> sum(std::size_t(x_test.rows()) * classes, 0);
#pragma omp parallel num_threads(threads)
  {
    TreeGrower grower(train, y_train, bins_of, test, classes, options, single_tree);
#pragma omp for schedule(dynamic)
    for (int tree = 0; tree < trees; ++tree) grower.grow(tree);
#pragma omp critical
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += grower.sum()[i];
  }

  RowMatrix p(x_test.rows(), classes);
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    for (int c = 0; c < classes; ++c) p(i, c) = double(sum[std::size_t(i) * classes + c]);
    p.row(i) /= p.row(i).sum();
  }
  return p;
}

}  // namespace netinfer::localize::detail
