// Thin helpers over MPI_COMM_WORLD-style communicators: every MPI return code
// goes through NI_MPI, and rank/size queries do not need out-parameters.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

namespace netinfer {

void mpi_check(int code, const char* call, const char* file, int line);
#define NI_MPI(call) ::netinfer::mpi_check((call), #call, __FILE__, __LINE__)

int mpi_rank(MPI_Comm comm = MPI_COMM_WORLD);
int mpi_size(MPI_Comm comm = MPI_COMM_WORLD);

// The half-open range [begin, end) of `count` items owned by `rank` when they
// are split into `parts` contiguous blocks whose sizes differ by at most one.
struct Range {
  std::int64_t begin = 0, end = 0;
  std::int64_t size() const { return end - begin; }
};
Range block_range(std::int64_t count, int parts, int rank);

// True on every rank if `ok` is true on all of them. Collective; use it to
// turn a local failure into a global decision before collective I/O.
bool all_ok(bool ok, MPI_Comm comm = MPI_COMM_WORLD);

// The lowest rank whose `text` differs from rank 0's (compared by a 64-bit
// digest), or -1 when every rank holds the same text. Collective.
int first_rank_differing(const std::string& text, MPI_Comm comm = MPI_COMM_WORLD);

}  // namespace netinfer
