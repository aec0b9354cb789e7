#include "netinfer/experiment/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "netinfer/experiment/paper.hpp"
#include "summary.hpp"

namespace netinfer::experiment {

namespace {

using detail::Setting;
using detail::Summary;

std::string fmt(const char* format, double v) {
  if (std::isnan(v)) return "-";
  char s[64];
  std::snprintf(s, sizeof s, format, v);
  return s;
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
std::string lpad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

double paper_value(const Setting& s) {
  if (s.axis == "feature-set") return paper_feature_set(s.value);
  if (s.axis.empty()) return NAN;
  return paper_table2(s.axis, s.value);
}

std::size_t label_width(const Summary& sum) {
  std::size_t w = 12;
  for (const auto& s : sum.settings) w = std::max(w, s.label.size() + 2);
  return w;
}

// One row per setting: perfect split, random splits (one size), paper.
void settings_table(const Summary& sum, std::ostringstream& out) {
  const std::size_t w = label_width(sum);
  bool random = !sum.grid();
  bool any_random = false;
  for (const auto& s : sum.settings) any_random |= !s.random.empty();
  random &= any_random;
  out << "\n"
      << pad("setting", w) << "perfect split: error  active  silent  sym.err  floor  #silent";
  if (random) out << " | random splits: error (mean+-sd, n)  active  silent";
  out << " | paper\n";
  for (const auto& s : sum.settings) {
    out << pad(s.label, w);
    if (s.perfect) {
      const auto& p = *s.perfect;
      out << lpad(fmt("%.3f", p.run.result.score.overall), 21)
          << lpad(fmt("%.3f", p.run.result.score.active), 8)
          << lpad(fmt("%.3f", p.run.result.score.silent), 8)
          << lpad(fmt("%.3f", p.run.result.score.overall_symmetric), 9)
          << lpad(fmt("%.3f", p.run.floor.overall), 7)
          << lpad(std::to_string(p.run.silent_neurons), 9);
    } else {
      out << lpad("-", 21) << std::string(41, ' ');
    }
    if (random) {
      std::vector<double> e, a, si;
      for (const auto& [size, runs] : s.random) {
        for (const auto* r : runs) {
          e.push_back(r->run.result.score.overall);
          a.push_back(r->run.result.score.active);
          si.push_back(r->run.result.score.silent);
        }
      }
      const auto [em, es] = detail::mean_sd(e);
      out << " | "
          << lpad(e.empty() ? "-"
                            : fmt("%.3f", em) + " +- " + fmt("%.3f", es) + ", " +
                                  std::to_string(e.size()),
                  35)
          << lpad(fmt("%.3f", detail::mean_sd(a).first), 8)
          << lpad(fmt("%.3f", detail::mean_sd(si).first), 8);
    }
    const double paper = paper_value(s);
    out << " | " << (std::isnan(paper) ? "-" : fmt("%.2f", paper));
    if (s.axis == "feature-set" && paper_silent(s.value) >= 0)
      out << " (" << paper_silent(s.value) << " silent)";
    out << "\n";
  }
  out << "error: mean over layers of the RMS graph distance between true and assigned "
         "locations (000 §5.2);\nactive/silent: its parts due to active and silent test "
         "neurons; sym.err: up to the network's symmetries;\nfloor: the error if every active "
         "neuron were placed correctly (Fig. 15); #silent: silent neurons of the network.\n"
         "Random assignment scores "
      << fmt("%.3f", sum.baseline_rms) << " (the paper's LeNet: 4.9).\n";
}

// With a forest-seed axis: per setting of the other axes, the spread that the
// classifiers' seed alone gives, as mean [min, max] over forest seeds; for
// random splits each seed's mean over its splits.
void forest_seed_table(const Summary& sum, std::ostringstream& out) {
  std::vector<std::string> others;
  for (const auto& axis : sum.varying) {
    if (axis != "forest-seed") others.push_back(axis);
  }
  if (others.size() == sum.varying.size()) return;
  struct Spread {
    std::vector<double> perfect, symmetric, random;
  };
  std::vector<std::pair<std::string, Spread>> groups;
  for (const auto& s : sum.settings) {
    const StoredRun* any = s.perfect;
    if (!any && !s.random.empty()) any = s.random.begin()->second.front();
    if (!any) continue;
    const std::string label = detail::label(any->spec, others);
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == label; });
    if (it == groups.end()) it = groups.insert(groups.end(), {label, Spread{}});
    if (s.perfect) {
      it->second.perfect.push_back(s.perfect->run.result.score.overall);
      it->second.symmetric.push_back(s.perfect->run.result.score.overall_symmetric);
    }
    std::vector<double> e;
    for (const auto& [size, runs] : s.random) {
      for (const auto* r : runs) e.push_back(r->run.result.score.overall);
    }
    if (!e.empty()) it->second.random.push_back(detail::mean_sd(e).first);
  }
  const auto spread = [](const std::vector<double>& v) {
    if (v.empty()) return std::string("-");
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return fmt("%.3f", detail::mean_sd(v).first) + " [" + fmt("%.3f", *lo) + ", " +
           fmt("%.3f", *hi) + "] n=" + std::to_string(v.size());
  };
  const std::size_t w = label_width(sum);
  out << "\nSpread over forest seeds: mean [min, max] over the seeds of the classifier bank\n"
      << pad("setting", w) << pad("perfect split: error", 30) << pad("sym.err", 30)
      << "random splits: mean error\n";
  for (const auto& [label, g] : groups) {
    out << pad(label, w) << pad(spread(g.perfect), 30) << pad(spread(g.symmetric), 30)
        << spread(g.random) << "\n";
  }
}

// Fig. 15: per-layer errors on the perfect split, with baseline and floors.
void layer_table(const Summary& sum, std::ostringstream& out) {
  bool any = false;
  for (const auto& s : sum.settings) any |= s.perfect != nullptr;
  if (!any) return;
  const std::size_t w = label_width(sum) + 8;
  out << "\nPer-layer RMS error, perfect split (Fig. 15)\n" << pad("", w);
  for (int l = 0; l < sum.arch.layer_count(); ++l) out << lpad(sum.arch.name(l), 12);
  out << "\n" << pad("random assignment", w);
  for (double b : sum.baseline_layer) out << lpad(fmt("%.2f", b), 12);
  out << "\n";
  for (const auto& s : sum.settings) {
    if (!s.perfect) continue;
    out << pad(s.label, w);
    for (double e : s.perfect->run.result.score.layer) out << lpad(fmt("%.2f", e), 12);
    out << "\n" << pad("  silent-only floor", w);
    for (double e : s.perfect->run.floor.layer) out << lpad(fmt("%.2f", e), 12);
    out << "\n";
  }
}

// Fig. 17: mean error over random splits for each (train, test) size.
void grid_table(const Summary& sum, std::ostringstream& out) {
  if (!sum.grid()) return;
  for (const auto& s : sum.settings) {
    std::set<double> trains, tests;
    for (const auto& [size, runs] : s.random) {
      trains.insert(size.first);
      tests.insert(size.second);
    }
    out << "\nTrain x test size, mean +- sd over random splits (Fig. 17): " << s.label
        << "\ntrain \\ test";
    for (double t : tests) out << lpad(fmt("%.0f%%", 100 * t), 16);
    out << "\n";
    for (double tr : trains) {
      out << pad(fmt("%.0f%%", 100 * tr), 12);
      for (double te : tests) {
        const auto it = s.random.find({tr, te});
        std::vector<double> e;
        if (it != s.random.end()) {
          for (const auto* r : it->second) e.push_back(r->run.result.score.overall);
        }
        const auto [m, sd] = detail::mean_sd(e);
        out << lpad(e.empty() ? "-" : fmt("%.2f", m) + " +- " + fmt("%.2f", sd), 16);
      }
      out << "\n";
    }
  }
  out << "(paper, Fig. 17: error rises as the training share falls; the test share has no clear "
         "effect)\n";
}

// Fig. 16: error against the number of eigenvectors.
void eigenvector_table(const Summary& sum, std::ostringstream& out) {
  if (sum.varying.size() != 1 || sum.varying[0] != "eigenvectors") return;
  const Setting* best = nullptr;
  for (const auto& s : sum.settings) {
    if (s.perfect &&
        (!best || s.perfect->run.result.score.overall < best->perfect->run.result.score.overall))
      best = &s;
  }
  if (!best) return;
  out << "\nEigenvectors (Fig. 16): the minimum error "
      << fmt("%.3f", best->perfect->run.result.score.overall) << " is at " << best->value
      << " eigenvectors (paper: one broad minimum at 16).\n";
}

// Fig. 18 / Hypothesis 1: RMS error of test neurons binned by activation rate.
void activation_table(const Summary& sum, std::ostringstream& out) {
  bool any = false;
  for (const auto& s : sum.settings) any |= s.perfect && !s.perfect->run.activation_rate.empty();
  if (!any) return;
  constexpr int kBins = 5;
  const std::size_t w = label_width(sum);
  out << "\nActivation rate vs error, perfect split (Fig. 18, Hypothesis 1): RMS distance "
         "(neurons) per rate bin\n"
      << pad("setting", w) << lpad("silent", 14);
  for (int b = 0; b < kBins; ++b) {
    char h[32];
    std::snprintf(h, sizeof h, "(%.1f,%.1f%c", b / double(kBins), (b + 1) / double(kBins),
                  b == kBins - 1 ? ']' : ')');
    out << lpad(h, 16);
  }
  out << lpad("corr", 8) << "\n";
  for (const auto& s : sum.settings) {
    if (!s.perfect) continue;
    const auto& r = *s.perfect;
    std::vector<double> sq(kBins + 1, 0), n(kBins + 1, 0);
    double mr = 0, md = 0;
    for (std::size_t i = 0; i < r.run.result.score.distance.size(); ++i) {
      const double rate = r.run.activation_rate[i];
      const int b = rate <= 0 ? 0 : 1 + std::min(kBins - 1, static_cast<int>(rate * kBins));
      sq[b] += double(r.run.result.score.distance[i]) * r.run.result.score.distance[i];
      n[b] += 1;
      mr += rate;
      md += r.run.result.score.distance[i];
    }
    const double count = static_cast<double>(r.run.result.score.distance.size());
    mr /= count;
    md /= count;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < r.run.result.score.distance.size(); ++i) {
      const double x = r.run.activation_rate[i] - mr, y = r.run.result.score.distance[i] - md;
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
    }
    out << pad(s.label, w);
    for (int b = 0; b <= kBins; ++b) {
      out << lpad(n[b] ? fmt("%.2f", std::sqrt(sq[b] / n[b])) + " (" +
                             std::to_string(static_cast<long>(n[b])) + ")"
                       : "-",
                  b == 0 ? 14 : 16);
    }
    out << lpad(fmt("%.2f", sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NAN), 8) << "\n";
  }
  out << "silent: rate 0; corr: Pearson correlation of rate and distance over test neurons.\n"
         "(paper: no simple relationship between activation rate and error; Hypothesis 1 "
         "rejected)\n";
}

void times_table(const h5::File& f, const Summary& sum, std::ostringstream& out) {
  const auto get = [&](const char* key) {
    return f.has_attr("/experiment", key) ? f.attr_double("/experiment", key) : 0.0;
  };
  const double total = get("total_seconds");
  double bank = 0, run = 0;
  for (const auto& r : sum.runs) {
    bank += r.run.result.bank_seconds;
    run += r.run.total_seconds;
  }
  out << "\nTimes (all invocations): total " << fmt("%.0f", total) << " s; responses "
      << fmt("%.0f", get("responses_seconds")) << " s, spectra "
      << fmt("%.0f", get("spectra_seconds")) << " s, runs " << fmt("%.0f", get("runs_seconds"))
      << " s wall (" << fmt("%.0f", run) << " s of run time, " << fmt("%.0f", bank)
      << " s in classifier banks)\n";
}

}  // namespace

bool has_report(const h5::File& file) {
  return file.exists("/experiment");
}

std::string format_report(const h5::File& file) {
  const Summary sum = detail::summarize(file, true);
  std::ostringstream out;
  // An array task's file holds one slice of the job (slice.hpp).
  const std::string slice =
      file.has_attr("/experiment", "slice") ? file.attr_string("/experiment", "slice") : "0/1";
  out << "Experiment " << sum.name << ": " << sum.runs.size() << " runs";
  if (sum.runs_in_job) out << " of " << sum.runs_in_job;
  if (slice != "0/1") {
    out << ", slice " << slice
        << (sum.complete ? " (slice complete; `netinfer gather` merges the slices)"
                         : " (slice incomplete: rerun its task to finish it)");
  } else {
    out << (sum.complete ? " (complete)" : " (incomplete: rerun the job to finish it)");
  }
  out << "\n";
  out << "network " << sum.arch.to_string() << " (" << sum.arch.neuron_count() << " neurons)\n";
  if (sum.runs.empty()) return out.str();
  settings_table(sum, out);
  forest_seed_table(sum, out);
  // Per-layer and per-neuron tables for jobs over feature sets (Figs. 15, 18).
  if (sum.over_feature_sets()) layer_table(sum, out);
  eigenvector_table(sum, out);
  grid_table(sum, out);
  if (sum.over_feature_sets()) activation_table(sum, out);
  times_table(file, sum, out);
  out << "(paper: 000 §6, LeNet trained on digit MNIST)";
  return out.str();
}

}  // namespace netinfer::experiment
