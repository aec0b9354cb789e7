// The image sets' constructors, one per source file, and the helpers they
// share. make_image_set (image_set.cpp) parses a spec and calls one of these;
// each receives the spec as written (for messages) and its parsed parameters.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "netinfer/core/random.hpp"
#include "netinfer/stimuli/idx.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::stimuli::detail {

// The impulse magnitude of IMPULSE and IMPULSE* (000 §5.3, §6.3).
constexpr double kImpulse = 1e9;

using SetPtr = std::unique_ptr<ImageSet>;

SetPtr make_gaussian(const std::string& spec, const ImageSetOptions& options);
SetPtr make_off_gaussian(const std::string& spec, const ImageSetOptions& options, double sigma);
SetPtr make_ti_gaussian(const std::string& spec, const ImageSetOptions& options);
SetPtr make_constant(const std::string& spec, const ImageSetOptions& options);
SetPtr make_mnist(const std::string& spec, const ImageSetOptions& options);
SetPtr make_uniform_translated_mnist(const std::string& spec, const ImageSetOptions& options);
SetPtr make_normal_translated_mnist(const std::string& spec, const ImageSetOptions& options,
                                    double sigma);
SetPtr make_impulse(const std::string& spec, const ImageSetOptions& options);
SetPtr make_random_impulse(const std::string& spec, const ImageSetOptions& options);
// params: the text between PATCH's parentheses ("w=1:5,f=1,b=0"; may be empty).
SetPtr make_patch(const std::string& spec, const ImageSetOptions& options,
                  const std::string& params);
// params: the text between FILE's parentheses ("images.h5:dataset" or an IDX path).
SetPtr make_file(const std::string& spec, const ImageSetOptions& options,
                 const std::string& params);
// members: the text between MIXED's parentheses ("GAUSSIAN+MNIST").
SetPtr make_mixed(const std::string& spec, const ImageSetOptions& options,
                  const std::string& members);

// options.images, the size of a set that is not fixed-size; throws unless
// positive.
std::int64_t requested_size(const std::string& spec, const ImageSetOptions& options);

// A set of options.images random images, image i drawn from
// Stream(seed, purpose_id(purpose), i).
class RandomSet : public ImageSet {
 public:
  std::int64_t size() const override { return size_; }

 protected:
  RandomSet(const std::string& spec, const ImageSetOptions& options, std::string_view purpose);
  Stream stream(std::int64_t i) const { return Stream(seed_, purpose_, i); }

 private:
  std::uint64_t seed_, purpose_;
  std::int64_t size_;
};

// The first options.images (at most all) held-out test images of
// options.data_dir for an MNIST-based set; throws naming the spec when their
// size does not match options.shape.
IdxImages load_test_images(const std::string& spec, const ImageSetOptions& options);

// Splits text at the `separator`s outside parentheses; throws naming `what`
// on unbalanced parentheses or an empty item. Items are trimmed of spaces.
std::vector<std::string> split_top_level(const std::string& text, char separator,
                                         const std::string& what);

// Parses a whole string as a finite number; throws naming spec and `what`.
double parse_number(const std::string& text, const std::string& spec, const std::string& what);

}  // namespace netinfer::stimuli::detail
