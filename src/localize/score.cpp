#include "netinfer/localize/score.hpp"

#include <cmath>
#include <limits>
#include <map>

#include "netinfer/core/error.hpp"
#include "netinfer/localize/assignment.hpp"

namespace netinfer::localize {

namespace {

// Per-layer RMS and its active/silent parts over test neurons.
void layer_errors(const net::Architecture& arch, const std::vector<std::int64_t>& truth,
                  const std::vector<int>& dist, const std::vector<std::uint8_t>& silent,
                  std::vector<double>& total, std::vector<double>* active,
                  std::vector<double>* silent_part) {
  const int layers = arch.layer_count();
  std::vector<double> count(layers, 0), sq(layers, 0), sq_active(layers, 0), sq_silent(layers, 0);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const int l = arch.layer_of(truth[i]);
    const double d2 = static_cast<double>(dist[i]) * dist[i];
    count[l] += 1;
    sq[l] += d2;
    (silent[i] ? sq_silent : sq_active)[l] += d2;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  total.assign(layers, nan);
  if (active) active->assign(layers, nan);
  if (silent_part) silent_part->assign(layers, nan);
  for (int l = 0; l < layers; ++l) {
    if (count[l] == 0) continue;
    total[l] = std::sqrt(sq[l] / count[l]);
    if (active) (*active)[l] = std::sqrt(sq_active[l] / count[l]);
    if (silent_part) (*silent_part)[l] = std::sqrt(sq_silent[l] / count[l]);
  }
}

double mean_over_layers(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v) {
    if (!std::isnan(x)) {
      s += x;
      ++n;
    }
  }
  return n ? s / n : 0.0;
}

// Relabels true locations by the family permutation, per chain, that agrees
// with the most assignments among families no training neuron touches.
std::vector<std::int64_t> symmetric_truth(const net::Architecture& arch,
                                          const std::vector<std::int64_t>& truth,
                                          const std::vector<std::int64_t>& assigned,
                                          const std::vector<std::int64_t>& train) {
  std::vector<std::int64_t> out = truth;
  for (const auto& chain : net::family_classes(arch)) {
    const int families = arch.shape(chain[0]).families;
    std::vector<char> touched(families, 0);
    for (auto n : train) {
      const auto loc = arch.location(n);
      for (int l : chain) {
        if (loc.layer == l) touched[loc.family] = 1;
      }
    }
    std::vector<int> free_families, slot(families, -1);
    for (int f = 0; f < families; ++f) {
      if (!touched[f]) {
        slot[f] = static_cast<int>(free_families.size());
        free_families.push_back(f);
      }
    }
    const int k = static_cast<int>(free_families.size());
    if (k < 2) continue;
    // votes(a, b): test neurons of free family a assigned to the same layer,
    // x and y in free family b.
    CostMatrix votes = CostMatrix::Zero(k, k);  // counts: exact in float
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      const auto t = arch.location(truth[i]);
      bool in_chain = false;
      for (int l : chain) in_chain = in_chain || t.layer == l;
      if (!in_chain || slot[t.family] < 0) continue;
      members.push_back(i);
      const auto a = arch.location(assigned[i]);
      if (a.layer == t.layer && a.x == t.x && a.y == t.y && slot[a.family] >= 0) {
        votes(slot[t.family], slot[a.family]) += 1;
      }
    }
    const auto sigma = solve_assignment(-votes);
    for (auto i : members) {
      auto loc = arch.location(truth[i]);
      loc.family = free_families[sigma[slot[loc.family]]];
      out[i] = arch.index(loc);
    }
  }
  return out;
}

}  // namespace

Score score_assignment(const net::Graph& graph, const std::vector<std::int64_t>& truth,
                       const std::vector<std::int64_t>& assigned,
                       const std::vector<std::uint8_t>& silent,
                       const std::vector<std::int64_t>& train) {
  NI_REQUIRE(truth.size() == assigned.size() && truth.size() == silent.size(),
             "score: truth, assignment and silent flags differ in length");
  const auto& arch = graph.architecture();
  Score s;
  s.distance = graph.distances(truth, assigned);
  layer_errors(arch, truth, s.distance, silent, s.layer, &s.layer_active, &s.layer_silent);
  s.overall = mean_over_layers(s.layer);
  s.active = mean_over_layers(s.layer_active);
  s.silent = mean_over_layers(s.layer_silent);
  const auto relabelled = symmetric_truth(arch, truth, assigned, train);
  s.distance_symmetric = graph.distances(relabelled, assigned);
  layer_errors(arch, truth, s.distance_symmetric, silent, s.layer_symmetric, nullptr, nullptr);
  s.overall_symmetric = mean_over_layers(s.layer_symmetric);
  return s;
}

}  // namespace netinfer::localize
