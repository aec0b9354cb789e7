// L-BFGS (Nocedal & Wright, Algorithm 7.4/7.5) with a backtracking Armijo line
// search, for smooth convex objectives: the logistic classifier of the
// localisation bank and the logistic GLM baseline of reconstruction. Header
// only, so that any module that uses Eigen can call it.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <deque>

namespace netinfer {

struct LbfgsOptions {
  int iterations = 500;     // at most this many L-BFGS steps
  double tolerance = 1e-6;  // stop when every |gradient entry| is below it
};

// Minimises f from x (updated in place). `f(x, gradient)` returns the objective
// at x and writes its gradient (same size as x). Returns the final objective.
template <class Objective>
double lbfgs_minimise(Eigen::VectorXd& x, Objective&& f, const LbfgsOptions& options) {
  constexpr int kMemory = 10;       // correction pairs
  constexpr double kArmijo = 1e-4;  // sufficient-decrease constant
  constexpr int kMaxBacktracks = 60;
  Eigen::VectorXd g(x.size()), trial_x, trial_g(x.size());
  double value = f(x, g);
  std::deque<Eigen::VectorXd> s_hist, y_hist;
  std::deque<double> rho_hist;
  Eigen::VectorXd alpha(kMemory);

  for (int iter = 0; iter < options.iterations; ++iter) {
    if (g.size() == 0 || g.cwiseAbs().maxCoeff() < options.tolerance) break;
    // Two-loop recursion: d = -H g with the initial scaling s'y / y'y.
    Eigen::VectorXd d = -g;
    for (int j = int(s_hist.size()) - 1; j >= 0; --j) {
      alpha(j) = rho_hist[j] * s_hist[j].dot(d);
      d -= alpha(j) * y_hist[j];
    }
    if (!s_hist.empty()) d *= s_hist.back().dot(y_hist.back()) / y_hist.back().squaredNorm();
    for (std::size_t j = 0; j < s_hist.size(); ++j) {
      const double beta = rho_hist[j] * y_hist[j].dot(d);
      d += (alpha(j) - beta) * s_hist[j];
    }
    double slope = d.dot(g);
    if (!(slope < 0)) {  // not a descent direction: restart from steepest descent
      s_hist.clear(), y_hist.clear(), rho_hist.clear();
      d = -g;
      slope = -d.squaredNorm();
    }
    // The first step has no curvature information: limit it to unit length.
    double step = s_hist.empty() ? std::min(1.0, 1.0 / d.norm()) : 1.0;
    double trial_value = 0;
    int backtracks = 0;
    for (; backtracks < kMaxBacktracks; ++backtracks, step /= 2) {
      trial_x = x;
      trial_x += step * d;
      trial_value = f(trial_x, trial_g);
      if (trial_value <= value + kArmijo * step * slope) break;
    }
    if (backtracks == kMaxBacktracks) break;  // no decrease left at double precision
    Eigen::VectorXd s = trial_x - x, yv = trial_g - g;
    const double sy = s.dot(yv);
    if (sy > 1e-12 * s.norm() * yv.norm()) {
      if (int(s_hist.size()) == kMemory)
        s_hist.pop_front(), y_hist.pop_front(), rho_hist.pop_front();
      s_hist.push_back(std::move(s));
      y_hist.push_back(std::move(yv));
      rho_hist.push_back(1 / sy);
    }
    x.swap(trial_x);
    g.swap(trial_g);
    value = trial_value;
  }
  return value;
}

}  // namespace netinfer
