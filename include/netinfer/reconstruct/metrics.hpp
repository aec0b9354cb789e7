// How well a score matrix reconstructs an adjacency matrix (001 §3.2.1 and the
// usual ranking metrics). AUROC, AUPRC and exact edges count the off-diagonal
// pairs only: the generators have no self-loops.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace netinfer::reconstruct {

// Loss (3.1): sum (O - T)^2 / sum T. For a target without edges the divisor is
// taken as 1 (the thesis leaves 0/0 undefined).
double reconstruction_loss(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target);

// Scores and 0/1 labels of the off-diagonal pairs, row by row.
void off_diagonal(const Eigen::MatrixXd& score, const Eigen::MatrixXd& target,
                  std::vector<double>& scores, std::vector<int>& labels);

// Area under the ROC curve: P(score of a random edge > score of a random
// non-edge), ties counting one half. NaN when either class is empty.
double auroc(const std::vector<double>& scores, const std::vector<int>& labels);

// Area under the precision-recall curve as average precision: sum over
// distinct thresholds (high to low) of (recall step) x precision. NaN without edges.
double auprc(const std::vector<double>& scores, const std::vector<int>& labels);

// Off-diagonal pairs whose thresholded output (> threshold) equals the target.
std::int64_t correct_pairs(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target,
                           double threshold = 0.5);

}  // namespace netinfer::reconstruct
