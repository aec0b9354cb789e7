// Test helper: simulate into a temporary spike file and read it back, the way
// the commands do.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "netinfer/reconstruct/simulator.hpp"
#include "netinfer/reconstruct/spike_data.hpp"

namespace netinfer::reconstruct::testing {

inline std::vector<GeneratorData> simulated(const std::vector<std::string>& generators,
                                            long simulations, int steps, double rate,
                                            std::uint64_t seed) {
  const std::string path = "/tmp/netinfer_reconstruct_test_" + std::to_string(::getpid()) + ".h5";
  {
    h5::File file(path, h5::File::Mode::Create);
    simulate_to_file({generators, simulations, steps, rate, seed}, file, MPI_COMM_SELF);
  }
  auto data = read_spike_file(path);
  std::remove(path.c_str());
  return data;
}

}  // namespace netinfer::reconstruct::testing
