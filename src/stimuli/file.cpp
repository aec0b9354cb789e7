// FILE(path.h5:dataset) and FILE(path): a user's own stimuli. HDF5: a dataset
// of shape [images, C, H, W] ([images, H, W] for one channel), values as
// stored; IDX: an images file (plain or .gz) of one channel, pixel/255 as the
// MNIST sets. The set is every image of the file (fixed size).
#include <algorithm>
#include <cmath>

#include "netinfer/core/error.hpp"
#include "netinfer/io/h5.hpp"
#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class FileSet : public ImageSet {
 public:
  FileSet(const std::string& spec, const net::Shape& shape, std::vector<double> values)
      : ImageSet(spec, shape), values_(std::move(values)) {}
  std::int64_t size() const override {
    return static_cast<std::int64_t>(values_.size()) / shape().size();
  }

 protected:
  void fill(std::int64_t i, double* out) const override {
    std::copy_n(values_.data() + i * shape().size(), shape().size(), out);
  }

 private:
  std::vector<double> values_;
};

std::string shape_text(const net::Shape& s) {
  return std::to_string(s.families) + "x" + std::to_string(s.height) + "x" +
         std::to_string(s.width);
}

}  // namespace

SetPtr make_file(const std::string& spec, const ImageSetOptions& options,
                 const std::string& params) {
  const net::Shape& s = options.shape;
  NI_REQUIRE(!params.empty(), "image set '", spec,
             "': FILE needs a path: FILE(images.h5:dataset) or FILE(images-idx3-ubyte)");
  const auto colon = params.rfind(':');
  std::vector<double> values;
  if (colon != std::string::npos && params.find(".h5") < colon) {
    const std::string path = params.substr(0, colon), name = "/" + params.substr(colon + 1);
    const h5::File file(path, h5::File::Mode::Read);
    NI_REQUIRE(file.exists(name), "image set '", spec, "': ", path, " has no dataset ", name);
    const h5::Dims d = file.dims(name);
    const bool chw = d.size() == 4 && d[1] == static_cast<std::uint64_t>(s.families) &&
                     d[2] == static_cast<std::uint64_t>(s.height) &&
                     d[3] == static_cast<std::uint64_t>(s.width);
    const bool hw = d.size() == 3 && s.families == 1 &&
                    d[1] == static_cast<std::uint64_t>(s.height) &&
                    d[2] == static_cast<std::uint64_t>(s.width);
    NI_REQUIRE((chw || hw) && d[0] > 0, "image set '", spec, "': dataset ", name,
               " must have shape [images, ", s.families, ", ", s.height, ", ", s.width,
               "] for the network's input ", shape_text(s));
    values = file.read<double>(name);
    const auto bad =
        std::find_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
    NI_REQUIRE(bad == values.end(), "image set '", spec, "': a non-finite value at element ",
               bad - values.begin());
  } else {
    const IdxImages images = read_idx_images(params);
    NI_REQUIRE(s.families == 1 && images.rows == s.height && images.cols == s.width, "image set '",
               spec, "': IDX images are 1x", images.rows, "x", images.cols,
               ", the network's input is ", shape_text(s));
    NI_REQUIRE(images.count > 0, "image set '", spec, "': no images");
    values.assign(images.pixels.begin(), images.pixels.end());
    for (double& v : values) v /= 255.0;
  }
  return std::make_unique<FileSet>(spec, s, std::move(values));
}

}  // namespace netinfer::stimuli::detail
