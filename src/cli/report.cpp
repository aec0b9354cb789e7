// `netinfer report <file.h5>`: prints the tables of every workflow whose groups
// the file holds. A workflow adds itself with one line in `printers`.
#include <sstream>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/reconstruct/report.hpp"

namespace netinfer::cli {

// The word right after the command name (`train` in `netinfer reconstruct
// train ...`), or "" when none or an option comes first. app.cpp's parser
// ignores positional words, so commands that take one read it here.
std::string positional_word(const Invocation& inv) {
  std::istringstream words(inv.command_line);
  std::string word;
  words >> word;  // the program
  while (words >> word && word != inv.command) {
  }
  if (!(words >> word) || word.rfind("-", 0) == 0) return "";
  return word;
}

namespace {

struct Printer {
  bool (*applies)(const h5::File&);
  std::string (*format)(const h5::File&);
};

const Printer printers[] = {
    {reconstruct::has_report, reconstruct::format_report},
};

}  // namespace

Command report_command() {
  Command c;
  c.name = "report";
  c.summary = "print the tables of a netinfer HDF5 file (netinfer report FILE)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("input", po::value<std::string>(),
                    "the HDF5 file (or give it as the word after `report`)");
  };
  c.run = [](const Invocation& inv) {
    std::string path = positional_word(inv);
    if (inv.vm.count("input")) path = get<std::string>(inv, "input");
    NI_REQUIRE(!path.empty(), "netinfer report: which file? (netinfer report FILE)");
    const h5::File file(path, h5::File::Mode::Read);
    bool any = false;
    for (const auto& p : printers) {
      if (!p.applies(file)) continue;
      say(p.format(file));
      any = true;
    }
    NI_REQUIRE(any, path, ": no groups that netinfer report knows");
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
