#include "netinfer/io/output_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/io/h5.hpp"

namespace netinfer::h5 {

namespace {

// Why `path` cannot be written, or "" when it can.
std::string output_problem(const std::string& path, const std::string& option) {
  if (path.empty()) return option + " is empty: name the file to write";
  if (path.back() == '/') return option + " " + path + ": names a directory, not a file";
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return option + " " + path + ": is a directory";
  }
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return option + " " + path + ": directory " + dir + " does not exist";
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return option + " " + path + ": cannot write in " + dir + " (" + std::strerror(errno) + ")";
  }
  return "";
}

}  // namespace

void check_output_location(const std::string& path, const std::string& option, MPI_Comm comm) {
  // Rank 0 decides and sends its reason, so every rank fails with one message.
  std::string problem = mpi_rank(comm) == 0 ? output_problem(path, option) : "";
  int length = static_cast<int>(problem.size());
  NI_MPI(MPI_Bcast(&length, 1, MPI_INT, 0, comm));
  problem.resize(length);
  NI_MPI(MPI_Bcast(problem.data(), length, MPI_CHAR, 0, comm));
  NI_REQUIRE(problem.empty(), problem);
}

void check_output_path(const std::string& path, bool force, const std::string& option,
                       MPI_Comm comm) {
  check_output_location(path, option, comm);
  refuse_overwrite(path, force, comm);
}

}  // namespace netinfer::h5
