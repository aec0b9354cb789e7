// The generator spec parser of the reconstruction workflow
// (reconstruct::make_generators). "file:" specs read an HDF5 file by path and
// are left out.
#include "common.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/reconstruct/generators.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string spec = netinfer::fuzz::text(data, size);
  if (spec.find("file") != std::string::npos) return 0;
  try {
    // A budget of 10^6 entries: the parser and its refusals are what is
    // fuzzed; making many large networks only takes time.
    netinfer::reconstruct::make_generators({spec}, 1, 1000000);
  } catch (const netinfer::Error&) {
  }
  return 0;
}
