// The fan-out engine of an experiment job (issue 5, item 1):
//  1. the job expands into runs (job.hpp); rank 0 opens the job's results file
//     (<out>.partial until every run is in it) and finds which runs it holds;
//  2. the shared inputs of the remaining runs (responses, spectra) are
//     computed once per key with every rank (pipeline/set_data.hpp);
//  3. the ranks split into groups of --group-size; group leaders take the next
//     run from a counter on rank 0 (one-sided MPI_Fetch_and_op), most costly
//     first, and the group runs Algorithm 1 on it (the classifier bank fans
//     out within the group); each run's seed derives from its key, so results
//     do not depend on the rank count or on which group ran it;
//  4. leaders send finished runs to rank 0, the only writer, which appends
//     each to the results file at once (open, write, close: a killed job
//     loses at most the runs in flight) with the attribute `complete` last.
// Re-running the same job resumes: complete runs are skipped, half-written
// groups removed and redone, scratch files reused. When every run is in, the
// file is renamed to <out>. With a slice (slice.hpp) the job is only the
// slice's runs: the file records the slice and is finished when they are in.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

#include "netinfer/experiment/job.hpp"
#include "netinfer/experiment/slice.hpp"

namespace netinfer::experiment {

struct EngineOptions {
  JobAxes axes;
  JobSettings settings;
  std::string weights, out, name;  // name: the job's title in the report
  std::string command_line, options_text;
  // Scratch directory for shared inputs; empty: <out>.scratch. Its files are
  // named by everything they depend on, so jobs may share one.
  std::string scratch;
  bool force = false;  // discard the results file (and the default scratch) of a previous run
  bool keep_responses = false;  // keep response matrices in the scratch directory
  int group_size = 1;
  std::int64_t max_runs = -1;  // run at most this many runs now (< 0: all)
  Slice slice;                 // the share of the job's runs to do (all by default)
  int threads = 1;
};

struct JobSummary {
  std::int64_t job_runs = 0;                             // runs of the job
  std::int64_t runs = 0, done_before = 0, done_now = 0;  // of the slice (the job when whole)
  bool complete = false;                                 // every run of the slice is in the file
  double responses_seconds = 0, spectra_seconds = 0, runs_seconds = 0, total_seconds = 0;
  // Summed over all runs done now (on whichever rank): their parts.
  double bank_seconds = 0, confidence_seconds = 0, assignment_seconds = 0, score_seconds = 0,
         floor_seconds = 0, run_seconds = 0;
};

// The scratch directory of a job: options.scratch or <out>.scratch.
std::string scratch_dir(const EngineOptions& options);

// Runs (or resumes) the job; collective over comm. Returns the same summary on
// every rank.
JobSummary run_job(const EngineOptions& options, MPI_Comm comm);

}  // namespace netinfer::experiment
