#include "netinfer/search/candidate.hpp"

#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/random.hpp"

namespace netinfer::search {

namespace {

// Each width of [1, max_width] in with probability p, redrawn while empty.
std::vector<int> draw_widths(Stream& s, const Space& space) {
  std::vector<int> widths;
  while (widths.empty()) {
    for (int w = 1; w <= space.max_width; ++w) {
      if (s.uniform() < space.width_probability) widths.push_back(w);
    }
  }
  return widths;
}

}  // namespace

void Space::validate() const {
  NI_REQUIRE(max_width >= 1, "the network's input is empty (no patch width fits)");
  NI_REQUIRE(width_probability > 0 && width_probability <= 1,
             "--width-probability must lie in (0, 1], not ", width_probability);
  NI_REQUIRE(pool >= 0, "--pool must be 0 or more, not ", pool);
  NI_REQUIRE(max_eigenvectors >= 1, "--max-eigenvectors must be positive, not ", max_eigenvectors);
}

std::string PatchSet::spec() const {
  std::ostringstream out;
  out << "PATCH(w=";
  for (std::size_t i = 0; i < widths.size();) {
    std::size_t j = i;
    while (j + 1 < widths.size() && widths[j + 1] == widths[j] + 1) ++j;
    out << (i ? ":" : "") << widths[i];
    if (j > i) out << "-" << widths[j];
    i = j + 1;
  }
  out << ",f=" << contrast.f << ",b=" << contrast.b << ")";
  return out.str();
}

std::string Candidate::key() const {
  std::ostringstream out;
  for (std::size_t i = 0; i < sets.size(); ++i) out << (i ? "+" : "") << sets[i].spec();
  out << "; moments=" << moments << "; eigenvectors=" << eigenvectors;
  return out.str();
}

std::vector<int> pool_widths(std::uint64_t seed, int slot, const Space& space) {
  Stream s(seed, purpose_id("search-pool"), static_cast<std::uint64_t>(slot));
  return draw_widths(s, space);
}

Candidate draw(std::uint64_t seed, std::int64_t index, const Space& space) {
  Stream s(seed, purpose_id("search-candidate"), static_cast<std::uint64_t>(index));
  Candidate c;
  c.index = index;
  const auto contrasts = 1 + s.below(15);  // a non-empty subset of the four, as bits
  for (int i = 0; i < 4; ++i) {
    if (!(contrasts >> i & 1)) continue;
    PatchSet p;
    p.contrast = kContrasts[i];
    p.widths = space.pool > 0 ? pool_widths(seed, static_cast<int>(s.below(space.pool)), space)
                              : draw_widths(s, space);
    c.sets.push_back(std::move(p));
  }
  c.moments = 1 + static_cast<int>(s.below(kMaxMoments));
  c.eigenvectors = 1 + static_cast<int>(s.below(space.max_eigenvectors));
  return c;
}

Sequence::Sequence(std::uint64_t seed, const Space& space, int stream, int streams)
    : seed_(seed), space_(space), stream_(stream), streams_(streams) {
  space_.validate();
  NI_REQUIRE(streams >= 1, "--streams must be positive, not ", streams);
  NI_REQUIRE(stream >= 0 && stream < streams, "--stream must lie in [0, ", streams - 1,
             "] (--streams ", streams, "), not ", stream);
}

std::optional<Candidate> Sequence::next() {
  for (int misses = 0; misses < 100000;) {
    Candidate c = draw(seed_, index_++, space_);
    if (!seen_.insert(c.key()).second) {
      ++misses;
      continue;
    }
    misses = 0;
    if (kept_++ % streams_ == stream_) return c;
  }
  return std::nullopt;
}

}  // namespace netinfer::search
