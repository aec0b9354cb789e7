#include "netinfer/reconstruct/report.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <numeric>

namespace netinfer::reconstruct {

namespace {

std::string format(const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

std::string matrix_lines(const std::vector<double>& values, std::uint64_t n, const char* indent) {
  std::string out;
  for (std::uint64_t i = 0; i < n; ++i) {
    out += indent;
    for (std::uint64_t j = 0; j < n; ++j) out += format(" %6.2f", values[i * n + j]);
    out += "\n";
  }
  return out;
}

std::string generators(const h5::File& f) {
  const std::string top = "/reconstruct/generators";
  std::string out = "Generators (" + f.path() + ")\n";
  out += format("  %-6s %-36s %6s %7s %8s %6s %6s %9s\n", "group", "spec", "n", "edges", "sims",
                "steps", "rate", "activity");
  for (const auto& g : f.children(top)) {
    const std::string group = top + "/" + g;
    const double activity = f.attr_double(group, "mean_activity");
    out +=
        format("  %-6s %-36s %6lld %7lld %8lld %6lld %6.3f %9.3f%s\n", g.c_str(),
               f.attr_string(group, "spec").c_str(), (long long)f.attr_int(group, "n"),
               (long long)f.attr_int(group, "edges"), (long long)f.attr_int(group, "simulations"),
               (long long)f.attr_int(group, "steps"), f.attr_double(group, "spike_rate"), activity,
               activity > 0.9 ? "  (saturated)" : "");
  }
  return out;
}

std::string model(const h5::File& f) {
  const std::string top = "/reconstruct/model";
  const std::string kind = f.attr_string(top, "kind");
  std::string out = "Model (" + f.path() + "): " + kind;
  for (const char* key : {"n", "b", "d", "layers", "hidden"})
    if (f.has_attr(top, key)) out += format(", %s = %lld", key, (long long)f.attr_int(top, key));
  out += "\n";
  const std::string log = "/reconstruct/training";
  if (f.exists(log + "/loss")) {
    const auto loss = f.read<double>(log + "/loss");
    const auto validation = f.read<double>(log + "/validation_loss");
    const std::size_t tail = std::min<std::size_t>(100, loss.size());
    const double last =
        std::accumulate(loss.end() - tail, loss.end(), 0.0) / std::max<std::size_t>(tail, 1);
    const double seconds = f.attr_double(log, "seconds");
    out += format(
        "  training: %zu steps, batch %lld, %lld training / %lld validation samples, %lld ranks\n",
        loss.size(), (long long)f.attr_int(log, "batch"),
        (long long)f.attr_int(log, "training_samples"),
        (long long)f.attr_int(log, "validation_samples"), (long long)f.attr_int(log, "ranks"));
    out += format(
        "  time %.1f s (%.0f steps/s); loss over the last %zu steps %.4f; validation loss %.4f\n",
        seconds, seconds > 0 ? loss.size() / seconds : 0.0, tail, last,
        validation.empty() ? 0.0 : validation.back());
  }
  return out;
}

std::string results(const h5::File& f) {
  const std::string top = "/reconstruct/results";
  const auto groups = f.children(top);
  std::string out = "Reconstruction (" + f.path() + ")\n";
  if (groups.empty()) return out;
  const std::string first = top + "/" + groups[0];
  std::vector<std::string> methods;
  {
    std::string m = f.attr_string(first, "methods");
    for (std::size_t a = 0, b; a <= m.size(); a = b + 1) {
      b = std::min(m.find(',', a), m.size());
      methods.push_back(m.substr(a, b - a));
    }
  }
  // Two header lines: the groups of columns, then their names.
  const int width = 8 * static_cast<int>(methods.size());
  out += format("  %-30s %5s %5s %5s %6s %7s %-20s | %-*s | %-*s |\n", "", "", "", "", "", "",
                " model at 0.5", width - 1, "AUROC", width - 1, "AUPRC");
  std::string head = format("  %-30s %5s %5s %5s %6s %7s %6s %6s %6s |", "generator", "n", "edges",
                            "rate", "activ", "samples", "loss", "exact", "pairs");
  for (int metric = 0; metric < 2; ++metric) {
    for (const auto& m : methods) head += format(" %7s", m.substr(0, 7).c_str());
    head += " |";
  }
  out += head + "\n";
  std::string matrices;
  for (const auto& g : groups) {
    const std::string group = top + "/" + g;
    const auto n = f.attr_int(group, "n");
    std::string row =
        format("  %-30s %5lld %5lld %5.3f %6.3f %7lld %6.3f %6.3f %6.3f |",
               f.attr_string(group, "spec").substr(0, 30).c_str(), (long long)n,
               (long long)f.attr_int(group, "edges"), f.attr_double(group, "spike_rate"),
               f.attr_double(group, "mean_activity"), (long long)f.attr_int(group, "samples"),
               f.attr_double(group, "loss"), f.attr_double(group, "exact"),
               f.attr_double(group, "pair_accuracy"));
    for (const char* metric : {"auroc_", "auprc_"}) {
      for (const auto& m : methods) row += format(" %7.3f", f.attr_double(group, metric + m));
      row += " |";
    }
    out += row + "\n";
    if (n <= 5) {
      matrices += "  " + g + " " + f.attr_string(group, "spec") +
                  ": mean model output (row = target, column = source)\n";
      matrices += matrix_lines(f.read<double>(group + "/mean_output"), n, "   ");
    }
  }
  return out + matrices;
}

}  // namespace

bool has_report(const h5::File& file) {
  return file.exists("/reconstruct/generators") || file.exists("/reconstruct/model") ||
         file.exists("/reconstruct/results");
}

std::string format_report(const h5::File& file) {
  std::string out;
  if (file.exists("/reconstruct/generators")) out += generators(file);
  if (file.exists("/reconstruct/model")) out += model(file);
  if (file.exists("/reconstruct/results")) out += results(file);
  return out;
}

}  // namespace netinfer::reconstruct
