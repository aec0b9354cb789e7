// The job-file reader: `netinfer train --config <input>` with a data directory
// that does not exist (the command line wins over the file), so every input
// ends in the option checks, the architecture parser or the missing data.
#include <mpi.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common.hpp"
#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  MPI_Init(argc, argv);
  std::freopen("/dev/null", "w", stdout);  // the run header of every input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const netinfer::fuzz::MemoryFile file(data, size);
  std::vector<std::string> args = {"netinfer",   "train",
                                   "--config",   file.path(),
                                   "--data-dir", "/nonexistent-fuzz-data",
                                   "--out",      "/nonexistent-fuzz-dir/w.h5"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  try {
    netinfer::cli::run_app(static_cast<int>(argv.size()), argv.data());
  } catch (const netinfer::Error&) {
  }
  return 0;
}
