// Checks on an output file's name, made before a command starts its work, so
// that a run that cannot write its result stops at once instead of after the
// long stages (h5::Output makes the same checks only when it opens the file).
#pragma once

#include <mpi.h>

#include <string>

namespace netinfer::h5 {

// Refuses (netinfer::Error on every rank of comm) an empty name, a name that
// is a directory, an existing file unless `force`, and a directory that does
// not exist or cannot be written. `option` names the option in the message
// ("--out"). Rank 0 looks; collective.
void check_output_path(const std::string& path, bool force, const std::string& option,
                       MPI_Comm comm = MPI_COMM_WORLD);

// The same checks but for an existing file, which a resumable command
// (experiment, search) continues.
void check_output_location(const std::string& path, const std::string& option,
                           MPI_Comm comm = MPI_COMM_WORLD);

}  // namespace netinfer::h5
