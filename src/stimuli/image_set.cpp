// Spec parsing: names, sigma suffixes and parenthesised parameters.
#include "netinfer/stimuli/image_set.hpp"
#include "netinfer/core/text.hpp"

#include <cmath>
#include <cstdlib>

#include "netinfer/core/error.hpp"
#include "sets.hpp"

namespace netinfer::stimuli {
namespace {

constexpr const char* kKnownSets =
    "GAUSSIAN, MNIST, trMNIST, trMNIST-<sigma>, IMPULSE, IMPULSE*, CONSTANT, offGAUSSIAN, "
    "offGAUSSIAN-<sigma>, tiGAUSSIAN, PATCH(w=<widths>,f=<fg>,b=<bg>), MIXED(<set>+<set>+...), "
    "FILE(<file.h5>:<dataset>), FILE(<idx images file>)";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The sigma of "trMNIST-4" or "offGAUSSIAN-0.5".
double parse_sigma(const std::string& spec, const std::string& prefix) {
  const double sigma = detail::parse_number(spec.substr(prefix.size()), spec, "sigma");
  NI_REQUIRE(sigma >= 0, "image set '", spec, "': sigma must be >= 0");
  return sigma;
}

}  // namespace

void ImageSet::image(std::int64_t i, double* out) const {
  NI_REQUIRE(i >= 0 && i < size(), "image set '", spec_, "': image ", i, " is outside [0, ", size(),
             ")");
  fill(i, out);
}

std::unique_ptr<ImageSet> make_image_set(const std::string& text, const ImageSetOptions& options) {
  using namespace detail;
  const std::string spec = trim(text);
  NI_REQUIRE(!spec.empty(), "image set: empty name; known sets: ", kKnownSets);
  const net::Shape& s = options.shape;
  NI_REQUIRE(s.families >= 1 && s.height >= 1 && s.width >= 1, "image set '", spec,
             "': input shape ", s.families, "x", s.height, "x", s.width, " is empty");

  const auto open = spec.find('(');
  if (open != std::string::npos) {
    const std::string name = trim(spec.substr(0, open));
    NI_REQUIRE(spec.back() == ')', "image set '", spec, "': parameters must end with ')'");
    const std::string inside = spec.substr(open + 1, spec.size() - open - 2);
    if (name == "PATCH") return make_patch(spec, options, inside);
    if (name == "MIXED") return make_mixed(spec, options, inside);
    if (name == "FILE") return make_file(spec, options, trim(inside));
    NI_FAIL("image set '", spec,
            "': only PATCH, MIXED and FILE take parameters; known sets: ", kKnownSets);
  }
  if (spec == "GAUSSIAN") return make_gaussian(spec, options);
  if (spec == "MNIST") return make_mnist(spec, options);
  if (spec == "trMNIST") return make_uniform_translated_mnist(spec, options);
  if (starts_with(spec, "trMNIST-"))
    return make_normal_translated_mnist(spec, options, parse_sigma(spec, "trMNIST-"));
  if (spec == "IMPULSE") return make_impulse(spec, options);
  if (spec == "IMPULSE*") return make_random_impulse(spec, options);
  if (spec == "CONSTANT") return make_constant(spec, options);
  if (spec == "offGAUSSIAN") return make_off_gaussian(spec, options, 1.0);
  if (starts_with(spec, "offGAUSSIAN-"))
    return make_off_gaussian(spec, options, parse_sigma(spec, "offGAUSSIAN-"));
  if (spec == "tiGAUSSIAN") return make_ti_gaussian(spec, options);
  if (spec == "PATCH") return make_patch(spec, options, "");
  NI_FAIL("image set '", spec, "': unknown name; known sets: ", kKnownSets);
}

std::vector<std::string> split_set_list(const std::string& text) {
  return detail::split_top_level(text, ',', "image set list '" + text + "'");
}

namespace detail {

std::vector<std::string> split_top_level(const std::string& text, char separator,
                                         const std::string& what) {
  std::vector<std::string> items;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') NI_REQUIRE(--depth >= 0, what, ": unbalanced ')'");
    if (c == separator && depth == 0) {
      items.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  NI_REQUIRE(depth == 0, what, ": unbalanced '('");
  items.push_back(trim(current));
  for (const std::string& item : items) NI_REQUIRE(!item.empty(), what, ": empty item");
  return items;
}

double parse_number(const std::string& text, const std::string& spec, const std::string& what) {
  const std::string t = trim(text);
  char* end = nullptr;
  const double value = std::strtod(t.c_str(), &end);
  NI_REQUIRE(!t.empty() && *end == '\0' && std::isfinite(value), "image set '", spec, "': ", what,
             " '", text, "' is not a finite number");
  return value;
}

RandomSet::RandomSet(const std::string& spec, const ImageSetOptions& options,
                     std::string_view purpose)
    : ImageSet(spec, options.shape),
      seed_(options.seed),
      purpose_(purpose_id(purpose)),
      size_(requested_size(spec, options)) {}

std::int64_t requested_size(const std::string& spec, const ImageSetOptions& options) {
  NI_REQUIRE(options.images > 0, "image set '", spec, "': the number of images (--images) must ",
             "be positive, got ", options.images);
  return options.images;
}

}  // namespace detail
}  // namespace netinfer::stimuli
