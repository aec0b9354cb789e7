#include "netinfer/localize/features.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::localize {

FeatureSetSpec parse_feature_set(const std::string& text) {
  FeatureSetSpec spec;
  // '=' inside a set's parameters (PATCH(w=..)) is not a name separator.
  std::size_t eq = std::string::npos;
  int depth = 0;
  for (std::size_t i = 0; i < text.size() && eq == std::string::npos; ++i) {
    depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
    if (text[i] == '=' && depth == 0) eq = i;
  }
  if (eq == std::string::npos) {
    spec.name = text;
    spec.sets = {text};
  } else {
    spec.name = text.substr(0, eq);
    spec.sets = stimuli::split_set_list(text.substr(eq + 1));
  }
  NI_REQUIRE(!spec.name.empty() && !spec.sets.empty(), "feature set '", text,
             "': expected SET or NAME=SET1,SET2,...");
  NI_REQUIRE(spec.name.find('/') == std::string::npos, "feature set name '", spec.name,
             "' may not contain '/'");
  return spec;
}

RowMatrix build_features(const std::vector<const SetFeatures*>& sets,
                         const FeatureOptions& options) {
  NI_REQUIRE(options.moments >= 0 && options.moments <= 4, "--moments must be 0..4, got ",
             options.moments);
  NI_REQUIRE(options.eigenvectors >= 0, "--eigenvectors must be >= 0");
  NI_REQUIRE(options.moments + options.eigenvectors > 0,
             "a feature set needs at least one feature");
  NI_REQUIRE(!sets.empty(), "a feature set needs at least one image set");
  const auto n = static_cast<std::int64_t>(sets[0]->silent.size());
  const int per_set = options.moments + options.eigenvectors;
  RowMatrix x(n, per_set * static_cast<std::int64_t>(sets.size()));
  for (std::size_t s = 0; s < sets.size(); ++s) {
    const SetFeatures& f = *sets[s];
    NI_REQUIRE(static_cast<std::int64_t>(f.silent.size()) == n,
               "feature sets disagree on the number of neurons");
    NI_REQUIRE(f.eigenvectors.cols() >= options.eigenvectors, "only ", f.eigenvectors.cols(),
               " eigenvectors available, ", options.eigenvectors, " requested");
    const std::int64_t c0 = static_cast<std::int64_t>(s) * per_set;
    for (int m = 0; m < options.moments; ++m) {
      for (std::int64_t i = 0; i < n; ++i) x(i, c0 + m) = f.moments[m][i];
    }
    if (options.eigenvectors > 0) {
      x.block(0, c0 + options.moments, n, options.eigenvectors) =
          f.eigenvectors.leftCols(options.eigenvectors);
    }
  }
  return x;
}

}  // namespace netinfer::localize
