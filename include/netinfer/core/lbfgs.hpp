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

// The minimisation as a stepper: the caller evaluates the objective at point()
// and hands the value and gradient to tell() until done(). lbfgs_minimise()
// drives one; a caller with many independent problems on the same data can
// drive several together and evaluate all their points in one pass over the
// data (the logistic GLM baseline does). Either way every problem takes the
// same steps, bit for bit.
class Lbfgs {
 public:
  Lbfgs(Eigen::VectorXd x, const LbfgsOptions& options)
      : options_(options), x_(std::move(x)), g_(x_.size()), trial_x_(x_) {}

  bool done() const { return done_; }
  const Eigen::VectorXd& point() const { return trial_x_; }  // where f is wanted next
  const Eigen::VectorXd& x() const { return x_; }            // the best point so far
  double value() const { return value_; }

  void tell(double value, const Eigen::VectorXd& gradient) {
    if (first_) {
      first_ = false;
      value_ = value;
      g_ = gradient;
      begin_iteration();
      return;
    }
    if (value <= value_ + kArmijo * step_ * slope_) {
      accept(value, gradient);
      ++iteration_;
      begin_iteration();
    } else if (++backtracks_ == kMaxBacktracks) {
      done_ = true;  // no decrease left at double precision
    } else {
      step_ /= 2;
      propose();
    }
  }

 private:
  static constexpr int kMemory = 10;       // correction pairs
  static constexpr double kArmijo = 1e-4;  // sufficient-decrease constant
  static constexpr int kMaxBacktracks = 60;

  void begin_iteration() {
    if (iteration_ >= options_.iterations || g_.size() == 0 ||
        g_.cwiseAbs().maxCoeff() < options_.tolerance) {
      done_ = true;
      return;
    }
    // Two-loop recursion: d = -H g with the initial scaling s'y / y'y.
    d_ = -g_;
    for (int j = int(s_hist_.size()) - 1; j >= 0; --j) {
      alpha_(j) = rho_hist_[j] * s_hist_[j].dot(d_);
      d_ -= alpha_(j) * y_hist_[j];
    }
    if (!s_hist_.empty()) d_ *= s_hist_.back().dot(y_hist_.back()) / y_hist_.back().squaredNorm();
    for (std::size_t j = 0; j < s_hist_.size(); ++j) {
      const double beta = rho_hist_[j] * y_hist_[j].dot(d_);
      d_ += (alpha_(j) - beta) * s_hist_[j];
    }
    slope_ = d_.dot(g_);
    if (!(slope_ < 0)) {  // not a descent direction: restart from steepest descent
      s_hist_.clear(), y_hist_.clear(), rho_hist_.clear();
      d_ = -g_;
      slope_ = -d_.squaredNorm();
    }
    // The first step has no curvature information: limit it to unit length.
    step_ = s_hist_.empty() ? std::min(1.0, 1.0 / d_.norm()) : 1.0;
    backtracks_ = 0;
    propose();
  }

  void propose() {
    trial_x_ = x_;
    trial_x_ += step_ * d_;
  }

  void accept(double value, const Eigen::VectorXd& gradient) {
    Eigen::VectorXd s = trial_x_ - x_, yv = gradient - g_;
    const double sy = s.dot(yv);
    if (sy > 1e-12 * s.norm() * yv.norm()) {
      if (int(s_hist_.size()) == kMemory)
        s_hist_.pop_front(), y_hist_.pop_front(), rho_hist_.pop_front();
      s_hist_.push_back(std::move(s));
      y_hist_.push_back(std::move(yv));
      rho_hist_.push_back(1 / sy);
    }
    x_.swap(trial_x_);
    g_ = gradient;
    value_ = value;
  }

  LbfgsOptions options_;
  Eigen::VectorXd x_, g_, trial_x_, d_;
  double value_ = 0, step_ = 0, slope_ = 0;
  int iteration_ = 0, backtracks_ = 0;
  bool first_ = true, done_ = false;
  std::deque<Eigen::VectorXd> s_hist_, y_hist_;
  std::deque<double> rho_hist_;
  Eigen::VectorXd alpha_ = Eigen::VectorXd(kMemory);
};

// Minimises f from x (updated in place). `f(x, gradient)` returns the objective
// at x and writes its gradient (same size as x). Returns the final objective.
template <class Objective>
double lbfgs_minimise(Eigen::VectorXd& x, Objective&& f, const LbfgsOptions& options) {
  Lbfgs solver(x, options);
  Eigen::VectorXd gradient(x.size());
  while (!solver.done()) {
    const double value = f(solver.point(), gradient);
    solver.tell(value, gradient);
  }
  x = solver.x();
  return solver.value();
}

}  // namespace netinfer
