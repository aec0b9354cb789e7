// A netinfer subcommand: its options (Boost.Program_options) and what it runs.
// Every option may also come from an INI job file given with --config; the
// command line wins over the file. See src/cli/app.cpp for parsing and the
// run header, and src/cli/commands.cpp for the table of subcommands.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

namespace netinfer::cli {

namespace po = boost::program_options;

// What a running subcommand knows about its invocation.
struct Invocation {
  std::string command;       // e.g. "respond"
  std::string command_line;  // argv joined
  std::string options_text;  // every option's final value, "key = value" lines
  po::variables_map vm;
};

struct Command {
  std::string name;
  std::string summary;
  std::function<void(po::options_description&)> add_options;
  std::function<int(const Invocation&)> run;
  // The option that takes a bare word after the command name (e.g. "input"
  // for `netinfer report FILE`); empty when the command takes none.
  std::string positional;
};

const std::vector<Command>& commands();

// Runs netinfer with argv; returns the exit code. Throws netinfer::Error on
// bad input (main turns it into one line and an exit on every rank).
int run_app(int argc, char** argv);

// Typed access with a clear error when a required option is missing.
template <typename T>
T get(const Invocation& inv, const std::string& key) {
  return inv.vm[key].as<T>();
}

// Adds --solver, --precision, --trees and --prior-weight: the spectral and
// classifier settings of the commands that run Algorithm 1.
void add_method_options(po::options_description& o);

// Adds --record and --record-seed (net::make_recording): the commands that run
// a forward pass.
void add_record_options(po::options_description& o);

// Splits "a,b,c" into {"a","b","c"} (empty items dropped, spaces trimmed).
std::vector<std::string> split_list(const std::string& text);

}  // namespace netinfer::cli
