// The IDX reader (stimuli/idx.cpp): image and label files, plain or gzip.
#include "common.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/stimuli/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const netinfer::fuzz::MemoryFile file(data, size);
  try {
    netinfer::stimuli::read_idx_images(file.path());
  } catch (const netinfer::Error&) {
  }
  try {
    netinfer::stimuli::read_idx_labels(file.path());
  } catch (const netinfer::Error&) {
  }
  return 0;
}
