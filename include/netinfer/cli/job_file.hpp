// Job files (--config FILE): INI text whose [<command>] sections hold options
// of that command, and whose keys before any section hold options that the
// commands taking them read. One file can drive several commands.
#pragma once

#include <string>

namespace netinfer::cli {

// Refuses (netinfer::Error) the first entry that no command could read: a
// section that is not a command, a key that its section's command does not
// take, or a key before any section that no command takes. The message names
// the file, line and key, and the closest valid name.
void check_job_file(const std::string& path, const std::string& text);

}  // namespace netinfer::cli
