#include "netinfer/dist/memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"

namespace netinfer::dist {

std::uint64_t available_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  std::uint64_t value = 0;
  while (in >> key >> value >> unit) {
    if (key == "MemAvailable:") return value * 1024;
  }
  NI_FAIL("/proc/meminfo: no MemAvailable line (cannot check memory)");
}

namespace {

// The largest high-water mark of the stages before the last reset.
std::uint64_t earlier_stages_peak = 0;

// A "Vm...:" line of /proc/self/status, bytes.
std::uint64_t status_bytes(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(key.size())) * 1024;  // kB
  }
  return 0;
}

// The high-water mark that clear_refs resets, bytes.
std::uint64_t high_water_mark() {
  return status_bytes("VmHWM:");
}

}  // namespace

std::uint64_t resident_bytes() {
  return status_bytes("VmRSS:");
}

std::uint64_t peak_resident_bytes() {
  rusage usage{};
  NI_REQUIRE(getrusage(RUSAGE_SELF, &usage) == 0, "getrusage failed");
  // Linux reports KiB.
  return std::max(static_cast<std::uint64_t>(usage.ru_maxrss) * 1024, earlier_stages_peak);
}

std::uint64_t stage_peak_resident(MPI_Comm comm) {
  const std::uint64_t mine = std::max(high_water_mark(), peak_resident_bytes());
  unsigned long long stage = high_water_mark(), largest = 0;
  NI_MPI(MPI_Allreduce(&stage, &largest, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, comm));
  earlier_stages_peak = std::max(earlier_stages_peak, mine);
  // "5" resets the high-water mark to the current resident set (Linux >= 4.0);
  // where it cannot, stages report the peak so far.
  std::ofstream("/proc/self/clear_refs") << "5";
  return largest;
}

void report_peak_resident(MPI_Comm comm) {
  struct {
    double bytes;
    int rank;
  } mine{static_cast<double>(peak_resident_bytes()), mpi_rank(comm)}, largest{}, smallest{};
  NI_MPI(MPI_Reduce(&mine, &largest, 1, MPI_DOUBLE_INT, MPI_MAXLOC, 0, comm));
  NI_MPI(MPI_Reduce(&mine, &smallest, 1, MPI_DOUBLE_INT, MPI_MINLOC, 0, comm));
  say("measured peak resident memory per rank: " +
      format_bytes(static_cast<std::uint64_t>(largest.bytes)) + " (rank " +
      std::to_string(largest.rank) + "), smallest " +
      format_bytes(static_cast<std::uint64_t>(smallest.bytes)));
}

std::string format_bytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f GiB", bytes / 1073741824.0);
  return text;
}

void require_memory(std::uint64_t bytes_per_rank, const std::string& what, MPI_Comm comm,
                    const std::string& advice) {
  MPI_Comm node;
  NI_MPI(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node));
  unsigned long long mine = bytes_per_rank, on_node = 0, available = 0;
  NI_MPI(MPI_Allreduce(&mine, &on_node, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, node));
  if (mpi_rank(node) == 0) available = available_bytes();
  NI_MPI(MPI_Bcast(&available, 1, MPI_UNSIGNED_LONG_LONG, 0, node));
  const int ranks_here = mpi_size(node);
  NI_MPI(MPI_Comm_free(&node));
  const bool fits = all_ok(on_node <= available, comm);
  NI_REQUIRE(fits, what, ": needs ", format_bytes(bytes_per_rank), " per rank (",
             format_bytes(on_node), " for the ", ranks_here, " ranks of a node) but only ",
             format_bytes(available), " are available; ", advice);
}

}  // namespace netinfer::dist
