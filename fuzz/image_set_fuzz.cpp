// The image-set spec parsers (stimuli::make_image_set, split_set_list), PATCH
// and MIXED above all: every spec that parses must make its first and last
// image. The data directory does not exist, so MNIST-based sets fail at once.
#include <vector>

#include "common.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/stimuli/image_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  netinfer::stimuli::ImageSetOptions options;
  options.images = 3;
  options.data_dir = "/nonexistent-fuzz-data";
  options.shape = {1, 8, 8};
  try {
    for (const auto& spec : netinfer::stimuli::split_set_list(netinfer::fuzz::text(data, size))) {
      const auto set = netinfer::stimuli::make_image_set(spec, options);
      std::vector<double> image(options.shape.size());
      if (set->size() > 0) {
        set->image(0, image.data());
        set->image(set->size() - 1, image.data());
      }
    }
  } catch (const netinfer::Error&) {
  }
  return 0;
}
