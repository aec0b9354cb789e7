// Candidates of the random search for perfect PATCH feature sets (000 §6.4,
// issue 6 item 3). A candidate is the concatenation of one to four PATCH image
// sets, one per chosen (f, b) among (1,0), (0,1), (-1,0), (0,-1), each with its
// own subset of patch widths in [1, max_width], plus the number of response
// moments (1..4) and of leading eigenvectors (1..max_eigenvectors) taken from
// every set.
//
// Drawing is counter-based: candidate i of a search is a function of (seed, i)
// only. Width subsets come either fresh per set (pool 0: each width in with
// probability width_probability, redrawn while empty) or from a pool of
// `pool` subsets drawn the same way from (seed, slot), which candidates share:
// a pool of P subsets spans 4P image sets, so their spectra are computed once
// and most candidates cost only the classifiers.
//
// A search is one sequence of candidates 0, 1, 2, ... with repeats removed
// (a candidate equal to an earlier one is skipped). Stream K of S takes every
// S-th surviving index starting at K, so S array tasks evaluate disjoint
// candidates and together the same ones as a single search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace netinfer::search {

struct Space {
  int max_width = 28;  // widths drawn from [1, max_width] (at most the input's larger side)
  double width_probability = 0.2;
  int pool = 8;  // shared width subsets; 0: fresh subsets for every set
  int max_eigenvectors = 40;
  void validate() const;  // throws netinfer::Error naming the bad option
};

constexpr int kMaxMoments = 4;

// The four (f, b) pairs of 000 §6.4, in this order.
struct Contrast {
  int f, b;
};
constexpr Contrast kContrasts[4] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};

struct PatchSet {
  std::vector<int> widths;  // ascending, distinct
  Contrast contrast;
  // The image set spec, widths in runs: "PATCH(w=1-3:7,f=1,b=0)".
  std::string spec() const;
};

struct Candidate {
  std::int64_t index = 0;      // in the search's sequence (before repeats are removed)
  std::vector<PatchSet> sets;  // in kContrasts order
  int moments = 1, eigenvectors = 1;
  // "PATCH(...)+PATCH(...); moments=2; eigenvectors=17": names the feature set.
  std::string key() const;
  int features() const { return static_cast<int>(sets.size()) * (moments + eigenvectors); }
};

// Width subset `slot` of the pool (pool > slot).
std::vector<int> pool_widths(std::uint64_t seed, int slot, const Space& space);

// Candidate `index` of the search with this seed.
Candidate draw(std::uint64_t seed, std::int64_t index, const Space& space);

// The candidates of stream K of S, in order, without repeats.
class Sequence {
 public:
  Sequence(std::uint64_t seed, const Space& space, int stream, int streams);
  // The next candidate of this stream; none when 100,000 draws in a row
  // brought nothing new (the space is exhausted).
  std::optional<Candidate> next();

 private:
  std::uint64_t seed_;
  Space space_;
  int stream_, streams_;
  std::int64_t index_ = 0, kept_ = 0;  // next index to draw; candidates kept so far (all streams)
  std::unordered_set<std::string> seen_;
};

}  // namespace netinfer::search
