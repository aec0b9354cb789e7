#include "netinfer/core/log.hpp"

#include <mpi.h>

#include <cstdio>

namespace netinfer {

namespace {
bool is_root() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) return true;
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank == 0;
}
}  // namespace

void say(const std::string& line) {
  if (!is_root()) return;
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

Progress::Progress(std::string stage, std::int64_t total, std::string unit, double interval)
    : stage_(std::move(stage)), unit_(std::move(unit)), total_(total), interval_(interval) {}

void Progress::update(std::int64_t done) {
  const double t = clock_.seconds();
  if (t - last_ < interval_) return;
  last_ = t;
  const double rate = t > 0 ? done / t : 0.0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %s: %lld/%lld %s (%.0f%%), %.0f %s/s, eta %.0f s",
                stage_.c_str(), static_cast<long long>(done), static_cast<long long>(total_),
                unit_.c_str(), total_ ? 100.0 * done / total_ : 100.0, rate, unit_.c_str(), eta);
  say(buf);
}

void Progress::finish() {
  const double t = clock_.seconds();
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %s: %lld %s in %.2f s (%.0f %s/s)", stage_.c_str(),
                static_cast<long long>(total_), unit_.c_str(), t, t > 0 ? total_ / t : 0.0,
                unit_.c_str());
  say(buf);
}

}  // namespace netinfer
