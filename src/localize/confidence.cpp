#include "netinfer/localize/confidence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

ConfidenceTables::ConfidenceTables(const net::Architecture& arch, const BankOutput& bank,
                                   const std::vector<std::int64_t>& test_locations,
                                   double prior_weight)
    : n_(static_cast<std::int64_t>(test_locations.size())) {
  NI_REQUIRE(prior_weight > 0 && prior_weight < 1, "--prior-weight must lie in (0, 1), got ",
             prior_weight);
  const int layers = arch.layer_count();
  NI_REQUIRE(bank.layer.rows() == n_ && bank.layer.cols() == layers,
             "confidence: layer probabilities have the wrong shape");
  log_layer_ = log_with_prior(bank.layer, prior_weight);
  log_family_.resize(layers);
  log_x_.resize(layers);
  log_y_.resize(layers);
  linear_family_.assign(layers, 0.0);
  std::vector<std::int64_t> tests_in_layer(layers, 0);
  for (auto loc : test_locations) ++tests_in_layer[arch.layer_of(loc)];
  for (int l = 0; l < layers; ++l) {
    log_family_[l] = log_with_prior(bank.family[l], prior_weight);
    log_x_[l] = log_with_prior(bank.x[l], prior_weight);
    log_y_[l] = log_with_prior(bank.y[l], prior_weight);
    if (tests_in_layer[l] == 0) continue;
    if (arch.spatial(l)) {
      NI_REQUIRE(
          bank.x[l].size() > 0 && bank.y[l].size() > 0 && (l == 0 || bank.family[l].size() > 0),
          "confidence: missing classifier output for layer ", arch.name(l));
    } else {
      linear_family_[l] = -std::log(static_cast<double>(tests_in_layer[l]));
    }
  }
  // Columns in runs of one layer; within a run every term is a lookup in a
  // short per-row table (an absent term reads a zero), so the inner loop is a
  // branch-free gather-and-add over the row.
  col_family_.resize(n_);
  col_x_.resize(n_);
  col_y_.resize(n_);
  for (std::int64_t j = 0; j < n_; ++j) {
    const auto loc = arch.location(test_locations[j]);
    const int l = loc.layer;
    col_family_[j] = log_family_[l].size() ? loc.family : 0;
    col_x_[j] = log_x_[l].size() ? loc.x : 0;
    col_y_[j] = log_y_[l].size() ? loc.y : 0;
    if (runs_.empty() || runs_.back().layer != l) runs_.push_back({j, j, l});
    runs_.back().end = j + 1;
  }
  for (std::int64_t j = 0; j < n_; ++j) {
    if (j % kCostBlock == 0) piece_start_.push_back(static_cast<std::int64_t>(pieces_.size()));
    const int l = arch.layer_of(test_locations[j]);
    const bool same =
        j % kCostBlock != 0 && pieces_.back().layer == l && pieces_.back().family == col_family_[j];
    if (!same) pieces_.push_back({l, col_family_[j], col_y_[j], col_y_[j]});
    pieces_.back().y_low = std::min(pieces_.back().y_low, col_y_[j]);
    pieces_.back().y_high = std::max(pieces_.back().y_high, col_y_[j]);
  }
  piece_start_.push_back(static_cast<std::int64_t>(pieces_.size()));
}

void ConfidenceTables::fill(std::int64_t i, std::int64_t begin, std::int64_t end,
                            float* out) const {
  static const double zero = 0;
  // The first run that ends after `begin`.
  auto run = std::upper_bound(runs_.begin(), runs_.end(), begin,
                              [](std::int64_t j, const Run& r) { return j < r.end; });
  for (; run != runs_.end() && run->begin < end; ++run) {
    const int l = run->layer;
    const double base = log_layer_(i, l) + linear_family_[l];
    const double* f = log_family_[l].size() ? &log_family_[l](i, 0) : &zero;
    const double* x = log_x_[l].size() ? &log_x_[l](i, 0) : &zero;
    const double* y = log_y_[l].size() ? &log_y_[l](i, 0) : &zero;
    for (std::int64_t j = std::max(begin, run->begin); j < std::min(end, run->end); ++j)
      out[j - begin] =
          static_cast<float>(-(base + f[col_family_[j]] + x[col_x_[j]] + y[col_y_[j]]));
  }
}

void ConfidenceTables::block_bounds(std::int64_t i, float* low) const {
  const int layers = static_cast<int>(log_x_.size());
  // Per layer: the fill's base term and the row's largest x term.
  double base[64], best_x[64];
  NI_REQUIRE(layers <= 64, "confidence: more than 64 layers");
  for (int l = 0; l < layers; ++l) {
    base[l] = log_layer_(i, l) + linear_family_[l];
    best_x[l] = log_x_[l].size() ? log_x_[l].row(i).maxCoeff() : 0.0;
  }
  const auto blocks = static_cast<std::int64_t>(piece_start_.size()) - 1;
  for (std::int64_t b = 0; b < blocks; ++b) {
    float lowest = std::numeric_limits<float>::infinity();
    for (auto p = piece_start_[b]; p < piece_start_[b + 1]; ++p) {
      const Piece& piece = pieces_[p];
      const int l = piece.layer;
      const double f = log_family_[l].size() ? log_family_[l](i, piece.family) : 0.0;
      double y = 0;
      if (log_y_[l].size()) {
        y = -std::numeric_limits<double>::infinity();
        for (int k = piece.y_low; k <= piece.y_high; ++k) y = std::max(y, log_y_[l](i, k));
      }
      lowest = std::min(lowest, static_cast<float>(-(base[l] + f + best_x[l] + y)));
    }
    low[b] = lowest;
  }
}

CostMatrix ConfidenceTables::dense() const {
  CostMatrix cost(n_, n_);
  advise_huge_pages(cost.data(), sizeof(float) * cost.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n_; ++i) fill(i, 0, n_, &cost(i, 0));
  return cost;
}

std::uint64_t ConfidenceTables::bytes(const net::Architecture& arch, std::int64_t tests) {
  // Per test neuron: a layer probability per layer; per spatial layer, its
  // family (not INPUT), x and y probabilities. Per column, three indices.
  std::uint64_t per_row = arch.layer_count();
  for (int l = 0; l < arch.layer_count(); ++l) {
    if (!arch.spatial(l)) continue;
    per_row += (l > 0 ? arch.shape(l).families : 0) + arch.shape(l).width + arch.shape(l).height;
  }
  // And the pieces of the column blocks (at most one per column).
  const auto t = static_cast<std::uint64_t>(tests);
  const std::uint64_t blocks = (t + kCostBlock - 1) / kCostBlock;
  return t * per_row * sizeof(double) + 3 * t * sizeof(int) + t * sizeof(Piece) +
         (blocks + 1) * sizeof(std::int64_t);
}

bool store_dense_costs(std::int64_t tests, std::uint64_t available_bytes) {
  const auto t = static_cast<std::uint64_t>(tests);
  return t * t * sizeof(float) <= available_bytes / 4;
}

}  // namespace netinfer::localize
