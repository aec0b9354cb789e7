// `netinfer gather`: merges the results files of one experiment job (the
// array tasks' slices, or any files of the job) into one file, as if the job
// had run unsliced:
//  - every input must belong to the same job: architecture, weights (the
//    digest of the weights file), settings and the runs its axes expand to
//    (one line naming the first difference otherwise);
//  - each complete run is copied bit for bit (HDF5 object copy) to
//    /runs/<job index>, so the report reads the file in job order;
//  - a run found in several inputs must agree byte for byte (timings aside),
//    or gather refuses it;
//  - runs of the job found in no input are listed; the output is written as
//    <out>.partial and renamed to <out> only when every run is in it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netinfer::experiment {

struct GatherOptions {
  std::vector<std::string> inputs;
  std::string out;
  bool force = false;  // replace an existing <out>
  std::string command_line, options_text;
};

struct GatherSummary {
  std::int64_t runs_in_job = 0, copied = 0, duplicates = 0;
  std::vector<std::string> missing;  // keys of the job's runs found in no input
  bool complete = false;             // <out> written (else <out>.partial)
};

// Serial: call on one process.
GatherSummary gather(const GatherOptions& options);

}  // namespace netinfer::experiment
