// The results file of a search, written by rank 0 alone (a serial file opened
// and closed for every candidate, so a killed search loses at most the
// candidate in flight):
//   /network                       the networks' common architecture
//   /search                        attributes settings (compared on resume),
//                                  networks (one weights path per line),
//                                  candidates, stop (why it stopped), seconds
//                                  (summed over invocations), complete
//   /search/candidates/<nnnnnnnn>  one group per candidate, named by its index:
//     attributes index, key, sets, moments, eigenvectors, features, error and
//     error_symmetric (the worst over networks), perfect, seconds,
//     inputs_seconds, sets_computed, sets_cached, complete (written last);
//     datasets per network: overall, overall_symmetric, active, silent,
//     localize_seconds [networks]; layer_error, layer_symmetric [networks, layers]
// The file is <out>.partial until the search stops by its own rule (a perfect
// candidate, the budget, the time limit); a rerun of a finished file with a
// larger budget reopens it. Groups without `complete` are removed on resume.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netinfer/net/architecture.hpp"
#include "netinfer/search/candidate.hpp"
#include "netinfer/search/evaluate.hpp"

namespace netinfer::search {

struct Record {
  std::int64_t index = 0;
  std::string key;
  int sets = 0, moments = 0, eigenvectors = 0, features = 0;
  // Per network, in --networks order.
  std::vector<double> overall, overall_symmetric, active, silent, localize_seconds;
  std::vector<std::vector<double>> layer_error, layer_symmetric;
  double seconds = 0, inputs_seconds = 0;  // the whole candidate; its spectra (all networks)
  int sets_computed = 0, sets_cached = 0;  // summed over networks

  double error() const;            // worst strict error over the networks
  double error_symmetric() const;  // worst error up to symmetry
  bool perfect() const { return error_symmetric() == 0; }
};

Record make_record(const Candidate& candidate, const std::vector<Evaluation>& evaluations,
                   double seconds);

// True when a is a better candidate than b: lower worst error up to symmetry,
// then lower worst strict error, then the earlier one.
bool better(const Record& a, const Record& b);

class Store {
 public:
  struct Options {
    std::string out, settings, networks, command_line, options_text;
    bool force = false;  // discard an earlier file
  };
  // Creates <out>.partial or resumes <out>.partial or <out>; throws when the
  // file was made with other settings or for another architecture.
  Store(const Options& options, const net::Architecture& arch);
  const std::vector<Record>& records() const { return records_; }  // in index order
  void append(const Record& record);
  // Records why the search stopped and this invocation's seconds; renames the
  // file to <out>.
  void finish(const std::string& stop, double seconds);

 private:
  Options o_;
  std::string partial_;
  std::vector<Record> records_;
};

}  // namespace netinfer::search
