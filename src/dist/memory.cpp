#include "netinfer/dist/memory.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "netinfer/core/error.hpp"
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

std::string format_bytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f GiB", bytes / 1073741824.0);
  return text;
}

void require_memory(std::uint64_t bytes_per_rank, const std::string& what, MPI_Comm comm) {
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
             format_bytes(available),
             " are available; use more nodes, fewer neurons or --precision single");
}

}  // namespace netinfer::dist
