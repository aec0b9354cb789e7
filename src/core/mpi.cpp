#include "netinfer/core/mpi.hpp"

#include "netinfer/core/error.hpp"

namespace netinfer {

void mpi_check(int code, const char* call, const char* file, int line) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  detail::throw_error(std::string("MPI call failed: ") + call + ": " + std::string(text, length),
                      file, line);
}

int mpi_rank(MPI_Comm comm) {
  int rank = 0;
  NI_MPI(MPI_Comm_rank(comm, &rank));
  return rank;
}

int mpi_size(MPI_Comm comm) {
  int size = 1;
  NI_MPI(MPI_Comm_size(comm, &size));
  return size;
}

Range block_range(std::int64_t count, int parts, int rank) {
  const std::int64_t base = count / parts, extra = count % parts;
  Range r;
  r.begin = rank * base + (rank < extra ? rank : extra);
  r.end = r.begin + base + (rank < extra ? 1 : 0);
  return r;
}

bool all_ok(bool ok, MPI_Comm comm) {
  int local = ok ? 1 : 0, global = 0;
  NI_MPI(MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MIN, comm));
  return global == 1;
}

int first_rank_differing(const std::string& text, MPI_Comm comm) {
  std::uint64_t digest = 14695981039346656037ull;  // FNV-1a
  for (const unsigned char c : text) digest = (digest ^ c) * 1099511628211ull;
  std::uint64_t root = digest;
  NI_MPI(MPI_Bcast(&root, 1, MPI_UINT64_T, 0, comm));
  const int size = mpi_size(comm);
  int local = digest == root ? size : mpi_rank(comm), first = size;
  NI_MPI(MPI_Allreduce(&local, &first, 1, MPI_INT, MPI_MIN, comm));
  return first == size ? -1 : first;
}

}  // namespace netinfer
