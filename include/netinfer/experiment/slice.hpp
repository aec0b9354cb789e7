// Run slicing for array jobs (issue 6): task I of N (`--slice I/N`, 0-based)
// takes a fixed share of a job's runs and writes its own results file;
// `netinfer gather` merges the files. The share depends only on the job: the
// runs, in order of decreasing cost (ties in job order), are dealt round-robin
// to the N slices, so every task gets a similar amount of work whatever its
// rank count, and a re-queued task finds the same runs in its file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/experiment/job.hpp"

namespace netinfer::experiment {

struct Slice {
  int index = 0, count = 1;  // the whole job by default
  bool whole() const { return count == 1; }
  std::string text() const;  // "I/N"
  bool operator==(const Slice& o) const { return index == o.index && count == o.count; }
};

// Parses "I/N" with 0 <= I < N.
Slice parse_slice(const std::string& text);

// Relative cost of a run, to hand out (and deal) the long ones first.
double run_cost(const RunSpec& run);

// Job indices of the runs in the slice, in the order to run them (costliest first).
std::vector<std::int64_t> slice_runs(const std::vector<RunSpec>& runs, const Slice& slice);

}  // namespace netinfer::experiment
