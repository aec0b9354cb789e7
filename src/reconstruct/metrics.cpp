#include "netinfer/reconstruct/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "netinfer/core/error.hpp"

namespace netinfer::reconstruct {

double reconstruction_loss(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target) {
  NI_REQUIRE(output.rows() == target.rows() && output.cols() == target.cols(), "loss: output is ",
             output.rows(), "x", output.cols(), ", target ", target.rows(), "x", target.cols());
  return (output - target).squaredNorm() / std::max(target.sum(), 1.0);
}

void off_diagonal(const Eigen::MatrixXd& score, const Eigen::MatrixXd& target,
                  std::vector<double>& scores, std::vector<int>& labels) {
  NI_REQUIRE(score.rows() == target.rows() && score.cols() == target.cols(), "scores are ",
             score.rows(), "x", score.cols(), ", target ", target.rows(), "x", target.cols());
  scores.clear();
  labels.clear();
  for (Eigen::Index i = 0; i < score.rows(); ++i)
    for (Eigen::Index j = 0; j < score.cols(); ++j)
      if (i != j) {
        scores.push_back(score(i, j));
        labels.push_back(target(i, j) > 0.5);
      }
}

namespace {
// Indices sorted by decreasing score.
std::vector<std::size_t> by_score(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}
}  // namespace

double auroc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const auto order = by_score(scores);
  // Walk groups of tied scores from the top: each positive in the group beats
  // every negative below it and ties with the negatives of its group.
  double wins = 0, positives = 0, negatives = 0;
  for (std::size_t a = 0; a < order.size();) {
    std::size_t b = a;
    double pos = 0, neg = 0;
    while (b < order.size() && scores[order[b]] == scores[order[a]]) {
      (labels[order[b]] ? pos : neg) += 1;
      ++b;
    }
    wins += neg * positives + 0.5 * pos * neg;  // negatives of this group lose to positives above
    positives += pos;
    negatives += neg;
    a = b;
  }
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  return wins / (positives * negatives);
}

double auprc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const auto order = by_score(scores);
  const double total = std::count(labels.begin(), labels.end(), 1);
  if (total == 0) return std::numeric_limits<double>::quiet_NaN();
  double tp = 0, fp = 0, ap = 0;
  for (std::size_t a = 0; a < order.size();) {
    std::size_t b = a;
    double pos = 0;
    while (b < order.size() && scores[order[b]] == scores[order[a]]) {
      (labels[order[b]] ? pos : fp) += 1;
      ++b;
    }
    tp += pos;
    ap += (pos / total) * (tp / (tp + fp));
    a = b;
  }
  return ap;
}

std::int64_t correct_pairs(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target,
                           double threshold) {
  std::int64_t correct = 0;
  for (Eigen::Index i = 0; i < output.rows(); ++i)
    for (Eigen::Index j = 0; j < output.cols(); ++j)
      if (i != j) correct += (output(i, j) > threshold) == (target(i, j) > 0.5);
  return correct;
}

}  // namespace netinfer::reconstruct
