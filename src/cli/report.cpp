// `netinfer report <file.h5>`: prints the tables of every workflow whose groups
// the file holds. A workflow adds itself with one line in `printers`.
#include "netinfer/reconstruct/report.hpp"
#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/experiment/report.hpp"
#include "netinfer/io/h5.hpp"

namespace netinfer::cli {

namespace {

struct Printer {
  bool (*applies)(const h5::File&);
  std::string (*format)(const h5::File&);
  // Draws the workflow's figures into a directory (--plots), returning the
  // files written; null when the workflow has none.
  std::vector<std::string> (*plot)(const h5::File&, const std::string&) = nullptr;
};

const Printer printers[] = {
    {reconstruct::has_report, reconstruct::format_report},
    {experiment::has_report, experiment::format_report, experiment::write_plots},
};

}  // namespace

Command report_command() {
  Command c;
  c.name = "report";
  c.summary = "print the tables of a netinfer HDF5 file (netinfer report FILE)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("input", po::value<std::string>(),
                    "the HDF5 file (or give it as the word after `report`)")(
        "plots", po::value<std::string>()->default_value(""),
        "also draw the file's figures (PNG, by gnuplot) into this directory");
  };
  c.positional = "input";
  c.run = [](const Invocation& inv) {
    NI_REQUIRE(inv.vm.count("input"), "netinfer report: which file? (netinfer report FILE)");
    const std::string path = get<std::string>(inv, "input");
    const h5::File file(path, h5::File::Mode::Read);
    bool any = false;
    for (const auto& p : printers) {
      if (!p.applies(file)) continue;
      say(p.format(file));
      const std::string plots = get<std::string>(inv, "plots");
      if (p.plot && !plots.empty()) {
        for (const auto& png : p.plot(file, plots)) say("wrote " + png);
      }
      any = true;
    }
    NI_REQUIRE(any, path, ": no groups that netinfer report knows");
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
