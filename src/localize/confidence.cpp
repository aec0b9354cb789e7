#include "netinfer/localize/confidence.hpp"

#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"

namespace netinfer::localize {

namespace {

// log((1 - w) p + w / K) for a whole probability matrix.
RowMatrix log_with_prior(const RowMatrix& p, double w) {
  if (p.size() == 0) return p;
  const double floor = w / static_cast<double>(p.cols());
  return ((1.0 - w) * p.array() + floor).log().matrix();
}

}  // namespace

CostMatrix confidence_cost(const net::Architecture& arch, const BankOutput& bank,
                           const std::vector<std::int64_t>& test_locations, double prior_weight) {
  NI_REQUIRE(prior_weight > 0 && prior_weight < 1, "--prior-weight must lie in (0, 1), got ",
             prior_weight);
  const int layers = arch.layer_count();
  const auto n = static_cast<std::int64_t>(test_locations.size());
  NI_REQUIRE(bank.layer.rows() == n && bank.layer.cols() == layers,
             "confidence: layer probabilities have the wrong shape");
  const RowMatrix log_layer = log_with_prior(bank.layer, prior_weight);
  std::vector<RowMatrix> log_family(layers), log_x(layers), log_y(layers);
  std::vector<double> linear_family(layers, 0.0);
  std::vector<std::int64_t> tests_in_layer(layers, 0);
  for (auto loc : test_locations) ++tests_in_layer[arch.layer_of(loc)];
  for (int l = 0; l < layers; ++l) {
    log_family[l] = log_with_prior(bank.family[l], prior_weight);
    log_x[l] = log_with_prior(bank.x[l], prior_weight);
    log_y[l] = log_with_prior(bank.y[l], prior_weight);
    if (tests_in_layer[l] == 0) continue;
    if (arch.spatial(l)) {
      NI_REQUIRE(
          bank.x[l].size() > 0 && bank.y[l].size() > 0 && (l == 0 || bank.family[l].size() > 0),
          "confidence: missing classifier output for layer ", arch.name(l));
    } else {
      linear_family[l] = -std::log(static_cast<double>(tests_in_layer[l]));
    }
  }
  // Columns in runs of one layer; within a run every term is a lookup in a
  // short per-row table (an absent term reads a zero), so the inner loop is a
  // branch-free gather-and-add over the row.
  struct Run {
    std::int64_t begin, end;
    int layer;
  };
  std::vector<Run> runs;
  std::vector<int> col_family(n), col_x(n), col_y(n);
  for (std::int64_t j = 0; j < n; ++j) {
    const auto loc = arch.location(test_locations[j]);
    const int l = loc.layer;
    col_family[j] = log_family[l].size() ? loc.family : 0;
    col_x[j] = log_x[l].size() ? loc.x : 0;
    col_y[j] = log_y[l].size() ? loc.y : 0;
    if (runs.empty() || runs.back().layer != l) runs.push_back({j, j, l});
    runs.back().end = j + 1;
  }
  const double zero = 0;
  CostMatrix cost(n, n);
  advise_huge_pages(cost.data(), sizeof(float) * cost.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    float* out = &cost(i, 0);
    for (const Run& run : runs) {
      const int l = run.layer;
      const double base = log_layer(i, l) + linear_family[l];
      const double* f = log_family[l].size() ? &log_family[l](i, 0) : &zero;
      const double* x = log_x[l].size() ? &log_x[l](i, 0) : &zero;
      const double* y = log_y[l].size() ? &log_y[l](i, 0) : &zero;
      for (std::int64_t j = run.begin; j < run.end; ++j)
        out[j] = static_cast<float>(-(base + f[col_family[j]] + x[col_x[j]] + y[col_y[j]]));
    }
  }
  return cost;
}

}  // namespace netinfer::localize
