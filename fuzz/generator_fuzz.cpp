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
    netinfer::reconstruct::make_generators({spec}, 1);
  } catch (const netinfer::Error&) {
  }
  return 0;
}
