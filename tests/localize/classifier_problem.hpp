// Synthetic classification problems for the classifier tests and benchmark:
// feature j of a row of class c is sin(a_j c + phi_j) + noise * N(0, 1), with
// a_j and phi_j fixed per feature, so every feature is a noisy, non-monotone
// function of the class (as a neuron's location shapes its response features).
#pragma once

#include <cmath>
#include <vector>

#include "netinfer/core/random.hpp"
#include "netinfer/localize/assignment.hpp"

namespace netinfer::localize::synthetic {

struct Problem {
  RowMatrix x;
  std::vector<int> y;
};

inline Problem synthetic_problem(int rows, int features, int classes, double noise,
                                 std::uint64_t seed) {
  std::vector<double> a(features), phi(features);
  for (int j = 0; j < features; ++j) {
    Stream s(0, purpose_id("problem-shape"), j);
    a[j] = 0.2 + 1.3 * s.uniform();
    phi[j] = 2 * M_PI * s.uniform();
  }
  Problem p{RowMatrix(rows, features), std::vector<int>(rows)};
  for (int i = 0; i < rows; ++i) {
    Stream s(seed, purpose_id("problem-row"), i);
    const int c = int(s.below(classes));
    p.y[i] = c;
    for (int j = 0; j < features; ++j) p.x(i, j) = std::sin(a[j] * c + phi[j]) + noise * s.normal();
  }
  return p;
}

// Fraction of rows whose most probable class is the label.
inline double accuracy(const RowMatrix& probabilities, const std::vector<int>& y) {
  int right = 0;
  for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
    Eigen::Index best = 0;
    probabilities.row(i).maxCoeff(&best);
    right += best == y[i];
  }
  return double(right) / double(probabilities.rows());
}

}  // namespace netinfer::localize::synthetic
