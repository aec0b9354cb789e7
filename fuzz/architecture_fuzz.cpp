// net::Architecture::parse, and its round trip: a parsed text prints as a text
// that parses to the same architecture.
#include <cstdlib>

#include "common.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/net/architecture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto arch = netinfer::net::Architecture::parse(netinfer::fuzz::text(data, size));
    const std::string printed = arch.to_string();
    if (netinfer::net::Architecture::parse(printed).to_string() != printed) std::abort();
    arch.neuron_count();
  } catch (const netinfer::Error&) {
  }
  return 0;
}
