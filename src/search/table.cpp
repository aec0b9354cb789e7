#include "netinfer/search/table.hpp"

#include <cstdio>

namespace netinfer::search {

namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char text[160];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

// The feature set part of a key: "PATCH(...)+PATCH(...)".
std::string sets_of(const std::string& key) {
  return key.substr(0, key.find(';'));
}

std::string per_network(const std::vector<double>& values) {
  std::string text;
  for (double v : values) text += (text.empty() ? "" : " ") + format("%.3f", v);
  return text;
}

}  // namespace

std::string table_header(int networks) {
  return std::string("  cand   error  sym.err  m   k  feat  spectra new/cached  seconds  ") +
         (networks > 1 ? "sym.err per network  " : "") + "feature set";
}

std::string table_row(const Record& r) {
  char text[200];
  std::snprintf(text, sizeof text, "%6lld  %6.3f  %7.3f  %d  %2d  %4d  %8d/%-9d  %7.1f  ",
                static_cast<long long>(r.index), r.error(), r.error_symmetric(), r.moments,
                r.eigenvectors, r.features, r.sets_computed, r.sets_cached, r.seconds);
  std::string row = text;
  if (r.overall_symmetric.size() > 1) row += "[" + per_network(r.overall_symmetric) + "]  ";
  return row + sets_of(r.key) + (r.perfect() ? "  PERFECT" : "");
}

std::string summary_text(const SearchSummary& s, const std::string& out) {
  const auto& layer_names = s.layers;
  const auto now = s.candidates - s.before;
  std::string text = "\nsearch stopped: " + s.stop + "\n";
  text += std::to_string(s.candidates) + " candidates in " + out + " (" + std::to_string(s.before) +
          " from earlier runs, " + std::to_string(now) + " evaluated now in " +
          format("%.1f s: %.1f candidates/hour", s.seconds,
                 s.seconds > 0 ? 3600.0 * static_cast<double>(now) / s.seconds : 0.0) +
          "); spectra computed " + std::to_string(s.sets_computed) + ", reused from the cache " +
          std::to_string(s.sets_cached) + "\n";
  if (!s.best) return text + "no candidate evaluated";
  const Record& b = *s.best;
  text += std::string(b.perfect() ? "perfect" : "best") + " candidate #" + std::to_string(b.index) +
          ": " + b.key + "\n" +
          format("  error %.3f, up to symmetry %.3f (worst over networks), ", b.error(),
                 b.error_symmetric()) +
          std::to_string(b.features) + " features\n";
  std::string header = "  network ";
  for (const auto& name : layer_names) header += "  " + name;
  text += header + "\n";
  for (std::size_t n = 0; n < b.layer_error.size(); ++n) {
    for (const auto* rows : {&b.layer_error, &b.layer_symmetric}) {
      char label[32];
      std::snprintf(label, sizeof label, "  %zu %-6s", n + 1,
                    rows == &b.layer_error ? "strict" : "sym.");
      std::string line = label;
      for (std::size_t l = 0; l < layer_names.size(); ++l) {
        char cell[32];
        std::snprintf(cell, sizeof cell, "  %*.3f", static_cast<int>(layer_names[l].size()),
                      (*rows)[n][l]);
        line += cell;
      }
      text += line + "\n";
    }
  }
  return text + (b.perfect() ? "zero error up to symmetry on every network"
                             : "no candidate with zero error up to symmetry yet");
}

}  // namespace netinfer::search
