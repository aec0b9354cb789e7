// The table of subcommands. Each command lives in its own file in src/cli/.
#include "netinfer/cli/command.hpp"

namespace netinfer::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {};
  return table;
}

}  // namespace netinfer::cli
