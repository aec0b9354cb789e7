#include "netinfer/experiment/slice.hpp"

#include <algorithm>
#include <numeric>

#include "netinfer/core/error.hpp"

namespace netinfer::experiment {

std::string Slice::text() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

Slice parse_slice(const std::string& text) {
  const auto number = [&](const std::string& part) {
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    NI_REQUIRE(used > 0 && used == part.size(), "--slice '", text, "': expected I/N, e.g. 0/4");
    return value;
  };
  const auto slash = text.find('/');
  NI_REQUIRE(slash != std::string::npos, "--slice '", text, "': expected I/N, e.g. 0/4");
  Slice s;
  s.index = number(text.substr(0, slash));
  s.count = number(text.substr(slash + 1));
  NI_REQUIRE(s.count >= 1 && s.index >= 0 && s.index < s.count, "--slice '", text,
             "': needs 0 <= I < N");
  return s;
}

double run_cost(const RunSpec& r) {
  const double method = r.method == "nn" ? 10 : r.method == "lr" ? 3 : r.method == "dt" ? 0.1 : 1;
  return method * static_cast<double>(r.feature_set.sets.size()) * (r.moments + r.eigenvectors);
}

std::vector<std::int64_t> slice_runs(const std::vector<RunSpec>& runs, const Slice& slice) {
  std::vector<std::int64_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
    return run_cost(runs[a]) > run_cost(runs[b]);
  });
  std::vector<std::int64_t> mine;
  for (std::size_t p = slice.index; p < order.size(); p += slice.count) mine.push_back(order[p]);
  return mine;
}

}  // namespace netinfer::experiment
