// Rank-0 console output: run headers, stage progress and timings. Other ranks
// stay quiet so that mpirun output reads like a single program's.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace netinfer {

// Prints a line on rank 0 of MPI_COMM_WORLD (stdout, flushed).
void say(const std::string& line);

// Wall-clock seconds since construction.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Progress of a long stage on rank 0: "stage: done/total (pct) rate/s eta".
// Prints at most every `interval` seconds, plus a final line from finish().
class Progress {
 public:
  Progress(std::string stage, std::int64_t total, std::string unit, double interval = 2.0);
  void update(std::int64_t done);  // call with this rank's local progress scaled to total
  void finish();

 private:
  std::string stage_, unit_;
  std::int64_t total_;
  double interval_, last_ = -1e9;
  Stopwatch clock_;
};

}  // namespace netinfer
