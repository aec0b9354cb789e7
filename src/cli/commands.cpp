// The table of subcommands. Each command lives in its own file in src/cli/
// and is declared here; the table's order is the order `netinfer --help` lists.
#include "netinfer/cli/command.hpp"

namespace netinfer::cli {

// One declaration per command (defined in src/cli/<name>.cpp):
Command train_command();
Command respond_command();
Command localize_command();
Command graph_command();
Command simulate_command();
Command reconstruct_command();
Command report_command();
Command spectral_command();
Command experiment_command();
Command search_command();
Command gather_command();

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      // One entry per command:
      train_command(),      respond_command(),     localize_command(), graph_command(),
      simulate_command(),   reconstruct_command(), report_command(),   spectral_command(),
      experiment_command(), search_command(),      gather_command(),
  };
  return table;
}

}  // namespace netinfer::cli
