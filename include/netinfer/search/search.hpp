// `netinfer search` (issue 6, items 3-4): a random search for PATCH feature
// sets that localise every neuron with zero error up to the network's
// symmetries (000 §6.4). Candidates (candidate.hpp) are evaluated one after
// another with every rank (spectra and the classifier bank are collective) on
// each network given; a candidate is perfect when its error up to symmetry is
// zero on all of them. Each finished candidate goes to the results file at
// once (store.hpp) with a line on rank 0. The search stops at the first
// perfect candidate (or the first within `target`), when the file holds
// `budget` candidates, or when `hours` have passed (no candidate starts
// later), and is then complete; a killed search resumes from its file without
// redoing a finished candidate, drawing the same sequence from the same seed.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "netinfer/search/candidate.hpp"
#include "netinfer/search/evaluate.hpp"
#include "netinfer/search/store.hpp"

namespace netinfer::search {

struct SearchOptions {
  std::vector<std::string> networks;  // weights files
  std::string out, scratch;           // scratch empty: <out>.scratch
  std::string command_line, options_text;
  Space space;  // max_width 0: the networks' input size (its larger side)
  EvaluateOptions evaluate;
  int stream = 0, streams = 1;
  std::int64_t budget = 100;  // candidates in the file; 0: no limit
  double hours = 0;           // 0: no limit
  double target = 0;   // stop at an error up to symmetry (worst over networks) <= this; 0: perfect
  bool force = false;  // discard the results file and the default scratch
};

struct SearchSummary {
  std::int64_t candidates = 0;             // in the file
  std::int64_t before = 0;                 // of which found there at the start
  int sets_computed = 0, sets_cached = 0;  // this invocation, summed over networks
  double seconds = 0;                      // this invocation
  std::string stop;                        // why it stopped
  std::optional<Record> best;              // over the whole file
  std::vector<std::string> layers;         // the networks' layer names
};

// Collective over comm; the summary is whole on rank 0.
SearchSummary run_search(const SearchOptions& options, MPI_Comm comm);

}  // namespace netinfer::search
