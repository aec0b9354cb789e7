// MNIST (000 §4.2): the held-out test images of the IDX data directory, pixel
// values scaled to [0,1]. Also the loader that the MNIST-based sets share.
#include <algorithm>

#include "netinfer/core/error.hpp"
#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class Mnist : public ImageSet {
 public:
  Mnist(const std::string& spec, const ImageSetOptions& o)
      : ImageSet(spec, o.shape), images_(load_test_images(spec, o)) {}
  std::int64_t size() const override { return images_.count; }

 protected:
  void fill(std::int64_t i, double* out) const override {
    const std::uint8_t* in = images_.pixels.data() + i * shape().size();
    for (std::int64_t k = 0; k < shape().size(); ++k) out[k] = in[k] / 255.0;
  }

 private:
  IdxImages images_;
};

}  // namespace

IdxImages load_test_images(const std::string& spec, const ImageSetOptions& options) {
  const std::int64_t wanted = requested_size(spec, options);
  const std::string dir = options.data_dir.empty() ? default_data_dir() : options.data_dir;
  IdxImages images = read_test_images(dir);
  const net::Shape& s = options.shape;
  NI_REQUIRE(s.families == 1 && s.height == images.rows && s.width == images.cols, "image set '",
             spec, "': the test images of ", dir, " are 1x", images.rows, "x", images.cols,
             " but the network input is ", s.families, "x", s.height, "x", s.width);
  NI_REQUIRE(images.count > 0, "image set '", spec, "': the test images of ", dir, " are empty");
  images.count = std::min(images.count, wanted);
  images.pixels.resize(images.count * s.size());
  images.pixels.shrink_to_fit();
  return images;
}

SetPtr make_mnist(const std::string& spec, const ImageSetOptions& options) {
  return std::make_unique<Mnist>(spec, options);
}

}  // namespace netinfer::stimuli::detail
