// localize::parse_feature_set ("NAME=SET,SET" or a set name).
#include "common.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/localize/features.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    netinfer::localize::parse_feature_set(netinfer::fuzz::text(data, size));
  } catch (const netinfer::Error&) {
  }
  return 0;
}
