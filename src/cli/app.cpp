#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "netinfer/cli/command.hpp"
#include "netinfer/cli/job_file.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/version.hpp"

namespace netinfer::cli {

namespace {

void print_usage() {
  std::ostringstream out;
  out << "netinfer " << version() << " (" << git_revision() << ")\n"
      << "Infers where neurons sit in a network, and how a network is wired, from activity.\n\n"
      << "usage: [mpirun -np N] netinfer <command> [options] [--config job.ini]\n\ncommands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(c.name.size() < 14 ? 14 - c.name.size() : 1, ' ')
        << c.summary << "\n";
  }
  out << "\n`netinfer <command> --help` lists a command's options and their defaults.";
  say(out.str());
}

// Boost.Program_options writes its error messages by replacing placeholders
// such as %value% with the offending text until none is left, so a value that
// contains its own placeholder makes it loop for ever (found by fuzz_job_file:
// `momentum = %value%`). Such text is refused before Boost sees it.
void check_no_placeholder(const std::string& text, const std::string& where) {
  for (std::size_t open = text.find('%'); open != std::string::npos;
       open = text.find('%', open + 1)) {
    std::size_t end = open + 1;
    while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '_'))
      ++end;
    NI_REQUIRE(end == open + 1 || end == text.size() || text[end] != '%', where, ": '",
               text.substr(open, end + 1 - open),
               "' is not allowed (Boost.Program_options reads it as a placeholder)");
  }
}

// Renders every option's final value so the run header and the HDF5
// provenance record exactly what ran.
std::string describe(const po::variables_map& vm) {
  std::ostringstream out;
  for (const auto& [key, value] : vm) {
    if (key == "help") continue;
    out << key << " = ";
    const auto& v = value.value();
    if (auto s = boost::any_cast<std::string>(&v)) {
      out << *s;
    } else if (auto i = boost::any_cast<int>(&v)) {
      out << *i;
    } else if (auto l = boost::any_cast<long>(&v)) {
      out << *l;
    } else if (auto d = boost::any_cast<double>(&v)) {
      out << *d;
    } else if (auto b = boost::any_cast<bool>(&v)) {
      out << (*b ? "true" : "false");
    } else {
      out << "(set)";
    }
    out << (value.defaulted() ? "  (default)" : "") << "\n";
  }
  return out.str();
}

}  // namespace

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) items.push_back(item.substr(b, e - b + 1));
  }
  return items;
}

int run_app(int argc, char** argv) {
  // Ranks started with different arguments (mpirun's `A : B` form) would wait
  // forever in collectives that do not match; stop before the first of them.
  std::string words;
  for (int i = 1; i < argc; ++i) words += std::string(argv[i]) + '\0';
  const int stray = first_rank_differing(words);
  NI_REQUIRE(stray < 0, "MPI rank ", stray,
             " was started with other arguments than rank 0; every rank must run the same "
             "netinfer command");
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
      std::string(argv[1]) == "help") {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  if (std::string(argv[1]) == "--version") {
    say(std::string("netinfer ") + version() + " (" + git_revision() + ")");
    return 0;
  }
  const std::string name = argv[1];
  const Command* command = nullptr;
  for (const auto& c : commands()) {
    if (c.name == name) command = &c;
  }
  NI_REQUIRE(command, "unknown command '", name, "' (netinfer --help lists them)");

  po::options_description options("netinfer " + name + " options");
  options.add_options()("help,h", "show this help")(
      "config", po::value<std::string>(), "INI job file with options (command line wins)");
  command->add_options(options);

  Invocation inv;
  inv.command = name;
  for (int i = 0; i < argc; ++i) inv.command_line += (i ? " " : "") + std::string(argv[i]);
  for (int i = 2; i < argc; ++i) check_no_placeholder(argv[i], "argument " + std::string(argv[i]));
  try {
    po::positional_options_description positional;
    // Every bare word goes to the command's positional option (a list for
    // `gather`; a second word for a single-valued one is an error).
    if (!command->positional.empty()) positional.add(command->positional.c_str(), -1);
    po::store(
        po::command_line_parser(argc - 1, argv + 1).options(options).positional(positional).run(),
        inv.vm);
    if (inv.vm.count("help")) {
      std::ostringstream out;
      out << command->summary << "\n\n" << options;
      say(out.str());
      return 0;
    }
    if (inv.vm.count("config")) {
      const std::string path = inv.vm["config"].as<std::string>();
      std::ifstream file(path);
      NI_REQUIRE(file, "cannot open job file ", path);
      std::ostringstream text;
      text << file.rdbuf();
      check_no_placeholder(text.str(), "job file " + path);
      check_job_file(path, text.str());
      // Other commands' sections and their options before any section are
      // skipped, so one job file can drive several stages.
      std::istringstream in(text.str());
      auto parsed = po::parse_config_file(in, options, /*allow_unregistered=*/true);
      for (auto& opt : parsed.options) {
        const auto dot = opt.string_key.find('.');
        if (dot != std::string::npos) {
          if (opt.string_key.substr(0, dot) != name) continue;
          opt.string_key = opt.string_key.substr(dot + 1);
        }
        if (!opt.unregistered) continue;
        if (options.find_nothrow(opt.string_key, false)) opt.unregistered = false;
      }
      po::basic_parsed_options<char> kept(&options);
      for (auto& opt : parsed.options) {
        if (!opt.unregistered) kept.options.push_back(opt);
      }
      po::store(kept, inv.vm);
    }
    po::notify(inv.vm);
  } catch (const po::error& e) {
    NI_FAIL("netinfer ", name, ": ", e.what());
  }
  inv.options_text = describe(inv.vm);
  const int differing = first_rank_differing(inv.options_text);
  NI_REQUIRE(differing < 0, "MPI rank ", differing,
             " read other option values than rank 0 (does --config name a file that differs "
             "between nodes?)");

  std::ostringstream header;
  header << "netinfer " << version() << " (git " << git_revision() << ")  command: " << name
         << "  MPI ranks: " << mpi_size() << "\n"
         << inv.options_text;
  say(header.str());
  Stopwatch clock;
  const int rc = command->run(inv);
  std::ostringstream footer;
  footer << "netinfer " << name << ": done in " << clock.seconds() << " s";
  say(footer.str());
  return rc;
}

}  // namespace netinfer::cli
