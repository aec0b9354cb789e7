// Refusing up front a run that cannot fit: a stage computes what each rank
// will hold at its peak and asks before allocating, so a too-large job fails
// with one clear line instead of being killed half-way by the OOM killer.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

namespace netinfer::dist {

// Memory the kernel reports as available on this node (MemAvailable).
std::uint64_t available_bytes();

// Collective over `comm`: sums `bytes_per_rank` over the ranks that share a
// node and fails on every rank, naming `what`, if some node lacks the memory;
// the refusal ends with `advice`.
void require_memory(
    std::uint64_t bytes_per_rank, const std::string& what, MPI_Comm comm,
    const std::string& advice = "use more nodes, fewer neurons or --precision single");

// This process's resident set now (VmRSS), bytes.
std::uint64_t resident_bytes();

// The largest resident set this process has had so far (getrusage), bytes.
std::uint64_t peak_resident_bytes();

// Collective: the largest resident set of any rank of `comm` since the
// previous call (or the start), bytes; then a new stage starts (the kernel's
// high-water mark is reset). peak_resident_bytes still counts every stage.
std::uint64_t stage_peak_resident(MPI_Comm comm);

// Collective: rank 0 prints the measured peak resident memory of the ranks
// (largest, which rank, smallest), to set beside the memory plan.
void report_peak_resident(MPI_Comm comm);

// "1.23 GiB"
std::string format_bytes(std::uint64_t bytes);

}  // namespace netinfer::dist
