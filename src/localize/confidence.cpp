#include "netinfer/localize/confidence.hpp"

#include <cmath>

#include "netinfer/core/error.hpp"

namespace netinfer::localize {

namespace {

// log((1 - w) p + w / K) for a whole probability matrix.
RowMatrix log_with_prior(const RowMatrix& p, double w) {
  if (p.size() == 0) return p;
  const double floor = w / static_cast<double>(p.cols());
  return ((1.0 - w) * p.array() + floor).log().matrix();
}

}  // namespace

RowMatrix confidence_cost(const net::Architecture& arch, const BankOutput& bank,
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
  // Column descriptors, so the inner loop only gathers.
  std::vector<int> col_layer(n), col_family(n), col_x(n), col_y(n);
  for (std::int64_t j = 0; j < n; ++j) {
    const auto loc = arch.location(test_locations[j]);
    col_layer[j] = loc.layer;
    col_family[j] = loc.family;
    col_x[j] = loc.x;
    col_y[j] = loc.y;
  }
  RowMatrix cost(n, n);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      const int l = col_layer[j];
      double c = log_layer(i, l);
      if (log_family[l].size()) {
        c += log_family[l](i, col_family[j]);
      } else {
        c += linear_family[l];
      }
      if (log_x[l].size()) c += log_x[l](i, col_x[j]) + log_y[l](i, col_y[j]);
      cost(i, j) = -c;
    }
  }
  return cost;
}

}  // namespace netinfer::localize
