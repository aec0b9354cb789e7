// The figures of `netinfer report --plots DIR`: text data and a gnuplot
// script per figure, run with gnuplot (Debian: gnuplot-nox) to draw PNGs. The
// scripts stay in DIR, so a figure can be restyled and redrawn by hand.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/experiment/report.hpp"
#include "summary.hpp"

namespace netinfer::experiment {

namespace {

using detail::Setting;
using detail::Summary;

std::string quoted(std::string label) {
  for (auto& c : label) {
    if (c == '"') c = '\'';
  }
  return "\"" + label + "\"";
}

std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  NI_REQUIRE(out.good(), "cannot write ", path);
}

std::string header(const std::string& png, int width, int height) {
  std::ostringstream s;
  s << "set terminal pngcairo size " << width << "," << height << " font \"sans,10\" noenhanced\n"
    << "set output '" << png << "'\nset grid\nset key outside right top\n";
  return s.str();
}

// Runs gnuplot on DIR/<stem>.gp, drawing DIR/<stem>.png.
std::string draw(const std::string& dir, const std::string& stem) {
  const std::string command = "cd '" + dir + "' && gnuplot " + stem + ".gp > " + stem + ".log 2>&1";
  const int rc = std::system(command.c_str());
  NI_REQUIRE(rc == 0, "gnuplot failed on ", dir, "/", stem, ".gp (see ", dir, "/", stem,
             ".log; Debian package gnuplot-nox)");
  return dir + "/" + stem + ".png";
}

bool any_perfect(const Summary& sum) {
  for (const auto& s : sum.settings) {
    if (s.perfect) return true;
  }
  return false;
}

// Fig. 14: silent vs active error per setting; contours of sqrt(a^2 + s^2).
std::string fig14(const Summary& sum, const std::string& dir) {
  std::ostringstream data;
  data << "# label perfect_silent perfect_active random_silent random_active sd_silent sd_active\n";
  double top = 0.5;
  for (const auto& s : sum.settings) {
    std::vector<double> a, si;
    for (const auto& [size, runs] : s.random) {
      for (const auto* r : runs) {
        a.push_back(r->run.result.score.active);
        si.push_back(r->run.result.score.silent);
      }
    }
    const auto [am, asd] = detail::mean_sd(a);
    const auto [sm, ssd] = detail::mean_sd(si);
    const double ps = s.perfect ? s.perfect->run.result.score.silent : NAN,
                 pa = s.perfect ? s.perfect->run.result.score.active : NAN;
    for (double v : {ps, pa, am + asd, sm + ssd}) {
      if (!std::isnan(v)) top = std::max(top, v);
    }
    data << quoted(s.label) << " " << num(ps) << " " << num(pa) << " " << num(sm) << " " << num(am)
         << " " << num(ssd) << " " << num(asd) << "\n";
  }
  write_text(dir + "/fig14.dat", data.str());
  const double range = std::ceil(top * 1.15 * 2) / 2;
  std::ostringstream gp;
  gp << header("fig14.png", 900, 750)
     << "# Per layer error^2 = active^2 + silent^2, so the circles are exact for one layer;\n"
     << "# for the mean over layers they are a lower bound (Minkowski).\n"
     << "set title \"Silent vs active error (Fig. 14): points perfect split, bars random splits "
        "(mean +- sd)\\ncontours: sqrt(active^2 + silent^2)\"\n"
     << "set xlabel 'silent error'\nset ylabel 'active error'\nset size ratio -1\n"
     << "set xrange [0:" << range << "]\nset yrange [0:" << range << "]\nset samples 2000\n"
     << "set datafile missing 'NaN'\n"
     << "plot for [i=1:" << static_cast<int>(range * 2) << "] sqrt((0.5*i)**2 - x**2) "
     << "with lines lc rgb '#cccccc' notitle, \\\n"
     << "  for [i=1:" << static_cast<int>(range * 2) << "] '+' using (0.5*i/sqrt(2)):(0.5*i/"
     << "sqrt(2)):(sprintf('%.1f', 0.5*i)) every ::0::0 with labels tc rgb '#999999' notitle, \\\n"
     << "  'fig14.dat' using 4:5:6:7 with xyerrorbars pt 6 lc rgb '#1f77b4' title 'random "
        "splits', \\\n"
     << "  '' using 2:3 with points pt 7 ps 1.5 lc rgb '#d62728' title 'perfect split', \\\n"
     << "  '' using 2:3:1 with labels offset 1,1 left notitle\n";
  write_text(dir + "/fig14.gp", gp.str());
  return draw(dir, "fig14");
}

// Fig. 15: per-layer errors on the perfect split, one panel per setting with
// the random baseline and the silent-only floor, and a comparison panel.
std::string fig15(const Summary& sum, const std::string& dir) {
  std::vector<const Setting*> shown;
  for (const auto& s : sum.settings) {
    if (s.perfect) shown.push_back(&s);
  }
  std::ostringstream data;
  data << "# layer baseline";
  for (const auto* s : shown) data << " " << quoted(s->label) << " floor";
  data << "\n";
  for (int l = 0; l < sum.arch.layer_count(); ++l) {
    data << quoted(sum.arch.name(l)) << " " << num(sum.baseline_layer[l]);
    for (const auto* s : shown)
      data << " " << num(s->perfect->run.result.score.layer[l]) << " "
           << num(s->perfect->run.floor.layer[l]);
    data << "\n";
  }
  write_text(dir + "/fig15.dat", data.str());
  const int panels = static_cast<int>(shown.size()) + (shown.size() > 1 ? 1 : 0);
  const int cols = panels > 1 ? 2 : 1, rows = (panels + cols - 1) / cols;
  std::ostringstream gp;
  gp << header("fig15.png", 560 * cols, 380 * rows) << "set multiplot layout " << rows << ","
     << cols << " title 'Per-layer RMS error, perfect split (Fig. 15)'\n"
     << "set style fill solid 0.6 border -1\nset boxwidth 0.7\nset xtics rotate by -30\n"
     << "set ylabel 'RMS graph distance'\nset yrange [0:*]\nset key inside right top\n"
     << "set datafile missing 'NaN'\n";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const int err = 3 + 2 * static_cast<int>(i), floor = err + 1;
    gp << "set title " << quoted(shown[i]->label) << "\n"
       << "plot 'fig15.dat' using 0:" << err
       << ":xtic(1) with boxes lc rgb '#1f77b4' title "
          "'error', \\\n"
       << "  '' using 0:2 with linespoints dt 3 lw 2 lc rgb 'black' title 'random', \\\n"
       << "  '' using 0:" << floor
       << " with linespoints dt 2 lw 2 lc rgb '#d62728' title 'silent-only floor'\n";
  }
  if (shown.size() > 1) {
    gp << "set title 'All settings'\nset style data histograms\n"
       << "set style histogram clustered gap 1\nset key inside right top font ',8'\n"
       << "plot ";
    for (std::size_t i = 0; i < shown.size(); ++i) {
      gp << (i ? ", \\\n  " : "") << "'fig15.dat' using " << 3 + 2 * i << ":xtic(1) title "
         << quoted(shown[i]->label);
    }
    gp << "\n";
  }
  gp << "unset multiplot\n";
  write_text(dir + "/fig15.gp", gp.str());
  return draw(dir, "fig15");
}

// Fig. 16: error against the number of eigenvectors.
std::string fig16(const Summary& sum, const std::string& dir) {
  std::ostringstream data;
  data << "# eigenvectors error active silent\n";
  std::vector<std::pair<int, const StoredRun*>> points;
  for (const auto& s : sum.settings) {
    if (s.perfect) points.emplace_back(s.perfect->spec.eigenvectors, s.perfect);
  }
  std::sort(points.begin(), points.end());
  for (const auto& [k, r] : points)
    data << k << " " << num(r->run.result.score.overall) << " " << num(r->run.result.score.active)
         << " " << num(r->run.result.score.silent) << "\n";
  write_text(dir + "/fig16.dat", data.str());
  std::ostringstream gp;
  gp << header("fig16.png", 800, 500)
     << "set title 'Error against the number of eigenvectors, perfect split (Fig. 16)'\n"
     << "set xlabel 'eigenvectors'\nset ylabel 'error'\nset yrange [0:*]\n"
     << "plot 'fig16.dat' using 1:2 with linespoints pt 7 lw 2 title 'overall', \\\n"
     << "  '' using 1:3 with lines dt 2 title 'active', '' using 1:4 with lines dt 3 title "
        "'silent'\n";
  write_text(dir + "/fig16.gp", gp.str());
  return draw(dir, "fig16");
}

// Fig. 17: heat map of the mean error over random splits, train x test size.
std::string fig17(const Summary& sum, const std::string& dir) {
  const Setting& s = sum.settings.front();
  std::set<double> trains, tests;
  for (const auto& [size, runs] : s.random) {
    trains.insert(size.first);
    tests.insert(size.second);
  }
  const std::vector<double> tr(trains.begin(), trains.end()), te(tests.begin(), tests.end());
  std::ostringstream data;
  data << "# train_index test_index mean_error (NaN: not run)\n";
  for (std::size_t i = 0; i < tr.size(); ++i) {
    for (std::size_t j = 0; j < te.size(); ++j) {
      const auto it = s.random.find({tr[i], te[j]});
      std::vector<double> e;
      if (it != s.random.end()) {
        for (const auto* r : it->second) e.push_back(r->run.result.score.overall);
      }
      data << i << " " << j << " " << num(detail::mean_sd(e).first) << "\n";
    }
    data << "\n";
  }
  write_text(dir + "/fig17.dat", data.str());
  auto tics = [](const std::vector<double>& v) {
    std::ostringstream t;
    t << "(";
    for (std::size_t i = 0; i < v.size(); ++i)
      t << (i ? ", " : "") << "'" << std::lround(100 * v[i]) << "%%' "
        << i;  // a tic label is a format
    t << ")";
    return t.str();
  };
  std::ostringstream gp;
  gp << header("fig17.png", 800, 650) << "set title "
     << quoted("Mean error over random splits (Fig. 17): " + s.label) << "\n"
     << "set xlabel 'training neurons'\nset ylabel 'test neurons'\nunset grid\n"
     << "set xtics " << tics(tr) << "\nset ytics " << tics(te) << "\n"
     << "set xrange [-0.5:" << tr.size() - 0.5 << "]\nset yrange [-0.5:" << te.size() - 0.5
     << "]\nset palette rgbformulae 33,13,10\nset cblabel 'error'\n"
     << "set datafile missing 'NaN'\n"
     // One filled square per grid cell: `with image` needs a full grid and
     // smears the cells a job did not run.
     << "plot 'fig17.dat' using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder fc "
        "palette z notitle, \\\n"
     << "  '' using 1:2:(sprintf('%.2f', $3)) with labels notitle\n";
  write_text(dir + "/fig17.gp", gp.str());
  return draw(dir, "fig17");
}

// Fig. 18: 2-D histogram of activation rate vs distance; circle area grows
// with the logarithm of the count.
std::string fig18(const Summary& sum, const std::string& dir) {
  std::vector<const Setting*> shown;
  for (const auto& s : sum.settings) {
    if (s.perfect && !s.perfect->run.activation_rate.empty()) shown.push_back(&s);
  }
  constexpr int kBins = 10;
  std::ostringstream data;
  int max_d = 1;
  for (const auto* s : shown) {
    const auto& r = *s->perfect;
    std::map<std::pair<int, int>, int> counts;
    for (std::size_t i = 0; i < r.run.result.score.distance.size(); ++i) {
      const int b = std::min(kBins - 1, static_cast<int>(r.run.activation_rate[i] * kBins));
      ++counts[{b, r.run.result.score.distance[i]}];
      max_d = std::max(max_d, static_cast<int>(r.run.result.score.distance[i]));
    }
    data << "# " << s->label << ": rate_bin_centre distance count\n";
    for (const auto& [key, n] : counts)
      data << (key.first + 0.5) / kBins << " " << key.second << " " << n << "\n";
    data << "\n\n";
  }
  write_text(dir + "/fig18.dat", data.str());
  const int panels = static_cast<int>(shown.size());
  const int cols = panels > 1 ? 2 : 1, rows = (panels + cols - 1) / cols;
  std::ostringstream gp;
  gp << header("fig18.png", 520 * cols, 380 * rows) << "set multiplot layout " << rows << ","
     << cols << " title 'Activation rate vs error per test neuron (Fig. 18)'\n"
     << "set xlabel 'activation rate'\nset ylabel 'graph distance'\n"
     << "set xrange [0:1]\nset yrange [-0.5:" << max_d + 0.5 << "]\n"
     << "set style fill transparent solid 0.5 noborder\n";
  for (int i = 0; i < panels; ++i) {
    gp << "set title " << quoted(shown[i]->label) << "\n"
       << "plot 'fig18.dat' index " << i
       << " using 1:2:(0.012*sqrt(1+log($3))) with circles lc rgb '#1f77b4' notitle\n";
  }
  gp << "unset multiplot\n";
  write_text(dir + "/fig18.gp", gp.str());
  return draw(dir, "fig18");
}

}  // namespace

std::vector<std::string> write_plots(const h5::File& file, const std::string& dir) {
  const Summary sum = detail::summarize(file, true);
  std::filesystem::create_directories(dir);
  std::vector<std::string> pngs;
  if (sum.runs.empty()) return pngs;
  if (sum.over_feature_sets() && !sum.grid()) pngs.push_back(fig14(sum, dir));
  if (any_perfect(sum) && sum.over_feature_sets()) pngs.push_back(fig15(sum, dir));
  if (sum.varying.size() == 1 && sum.varying[0] == "eigenvectors" && any_perfect(sum))
    pngs.push_back(fig16(sum, dir));
  if (sum.grid() && sum.settings.size() == 1) pngs.push_back(fig17(sum, dir));
  if (any_perfect(sum) && sum.over_feature_sets()) pngs.push_back(fig18(sum, dir));
  return pngs;
}

}  // namespace netinfer::experiment
