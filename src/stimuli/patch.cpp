// PATCH(w=<widths>,f=<fg>,b=<bg>) (000 §6.4): a w x w square of value f on a
// background b, at every offset where it overlaps the image (overhang
// allowed): (H-1+w) x (W-1+w) images per width, widths in the order given,
// offsets row-major with the square's top-left corner from (1-w, 1-w) to
// (H-1, W-1). Every channel holds the same picture. The paper's widths
// 1:5:6:14:15:28 (the receptive-field widths of LeNet) give 9,367 images.
#include <algorithm>
#include <cstdlib>

#include "netinfer/core/error.hpp"
#include "sets.hpp"

namespace netinfer::stimuli::detail {
namespace {

class Patch : public ImageSet {
 public:
  Patch(const std::string& spec, const ImageSetOptions& o, std::vector<int> widths, double f,
        double b)
      : ImageSet(spec, o.shape), widths_(std::move(widths)), f_(f), b_(b) {
    for (int w : widths_) {
      total_ += static_cast<std::int64_t>(o.shape.height - 1 + w) * (o.shape.width - 1 + w);
      ends_.push_back(total_);
    }
  }
  std::int64_t size() const override { return total_; }

 protected:
  void fill(std::int64_t i, double* out) const override {
    const std::size_t k = std::upper_bound(ends_.begin(), ends_.end(), i) - ends_.begin();
    const int w = widths_[k], h = shape().height, iw = shape().width, cols = iw - 1 + w;
    const std::int64_t j = i - (ends_[k] - static_cast<std::int64_t>(h - 1 + w) * cols);
    const int top = static_cast<int>(j / cols) - (w - 1),
              left = static_cast<int>(j % cols) - (w - 1);
    const int y0 = std::max(top, 0), y1 = std::min(top + w, h);
    const int x0 = std::max(left, 0), x1 = std::min(left + w, iw);
    std::fill_n(out, shape().size(), b_);
    for (int c = 0; c < shape().families; ++c)
      for (int y = y0; y < y1; ++y)
        std::fill(out + (static_cast<std::int64_t>(c) * h + y) * iw + x0,
                  out + (static_cast<std::int64_t>(c) * h + y) * iw + x1, f_);
  }

 private:
  std::vector<int> widths_;
  double f_, b_;
  std::vector<std::int64_t> ends_;  // one past the last image of each width
  std::int64_t total_ = 0;
};

int parse_width(const std::string& text, const std::string& spec, int max_width) {
  char* end = nullptr;
  const long w = std::strtol(text.c_str(), &end, 10);
  NI_REQUIRE(!text.empty() && *end == '\0' && w >= 1 && w <= max_width, "image set '", spec,
             "': width '", text, "' is not an integer from 1 to ", max_width,
             " (the input's larger side)");
  return static_cast<int>(w);
}

// "1:5:6" or "1-28" or "1-3:7": widths in order, ranges ascending.
std::vector<int> parse_widths(const std::string& text, const std::string& spec, int max_width) {
  std::vector<int> widths;
  for (const std::string& item : split_top_level(text, ':', "image set '" + spec + "': w")) {
    const auto dash = item.find('-', 1);
    const int first = parse_width(item.substr(0, dash), spec, max_width);
    const int last =
        dash == std::string::npos ? first : parse_width(item.substr(dash + 1), spec, max_width);
    NI_REQUIRE(first <= last, "image set '", spec, "': width range '", item, "' is descending");
    for (int w = first; w <= last; ++w) widths.push_back(w);
  }
  return widths;
}

}  // namespace

SetPtr make_patch(const std::string& spec, const ImageSetOptions& options,
                  const std::string& params) {
  const int max_width = std::max(options.shape.height, options.shape.width);
  std::vector<int> widths = {1, 5, 6, 14, 15, 28};
  double f = 1, b = 0;
  bool seen_w = false, seen_f = false, seen_b = false;
  if (params.find_first_not_of(" \t") != std::string::npos) {
    for (const std::string& param : split_top_level(params, ',', "image set '" + spec + "'")) {
      const auto eq = param.find('=');
      const std::string key = param.substr(0, std::min(eq, param.size()));
      NI_REQUIRE(eq != std::string::npos, "image set '", spec, "': parameter '", param,
                 "' is not key=value (keys: w, f, b)");
      const std::string value = param.substr(eq + 1);
      bool* seen = key == "w" ? &seen_w : key == "f" ? &seen_f : key == "b" ? &seen_b : nullptr;
      NI_REQUIRE(seen, "image set '", spec, "': unknown parameter '", key, "' (keys: w, f, b)");
      NI_REQUIRE(!*seen, "image set '", spec, "': parameter '", key, "' given twice");
      *seen = true;
      if (key == "w") widths = parse_widths(value, spec, max_width);
      if (key == "f") f = parse_number(value, spec, "f");
      if (key == "b") b = parse_number(value, spec, "b");
    }
  }
  if (!seen_w)
    for (int w : widths)
      NI_REQUIRE(w <= max_width, "image set '", spec, "': the default width ", w,
                 " exceeds the input's larger side ", max_width, "; give w=...");
  NI_REQUIRE(f != b, "image set '", spec, "': f and b are equal, so every image is the same");
  return std::make_unique<Patch>(spec, options, std::move(widths), f, b);
}

}  // namespace netinfer::stimuli::detail
