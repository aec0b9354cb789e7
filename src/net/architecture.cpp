#include "netinfer/net/architecture.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "netinfer/core/error.hpp"

namespace netinfer::net {

namespace {

Shape next_shape(const Shape& in, const LayerSpec& s) {
  switch (s.kind) {
    case LayerKind::Conv: {
      NI_REQUIRE(s.out > 0 && s.kernel > 0 && s.stride > 0, "conv layer needs positive sizes");
      NI_REQUIRE(in.height >= s.kernel && in.width >= s.kernel, "conv kernel ", s.kernel,
                 " is larger than its input ", in.height, "x", in.width);
      return {s.out, (in.height - s.kernel) / s.stride + 1, (in.width - s.kernel) / s.stride + 1};
    }
    case LayerKind::MaxPool: {
      NI_REQUIRE(s.kernel > 0 && s.stride > 0, "maxpool needs a positive window");
      NI_REQUIRE(in.height >= s.kernel && in.width >= s.kernel, "maxpool window ", s.kernel,
                 " is larger than its input ", in.height, "x", in.width);
      return {in.families, (in.height - s.kernel) / s.stride + 1,
              (in.width - s.kernel) / s.stride + 1};
    }
    case LayerKind::Linear:
      NI_REQUIRE(s.out > 0, "linear layer needs a positive size");
      return {s.out, 1, 1};
    case LayerKind::Input:
      break;
  }
  NI_FAIL("INPUT may only be the first layer");
}

const char* activation_word(Activation a) {
  return a == Activation::Ramp ? "ramp" : a == Activation::Softmax ? "softmax" : "none";
}

}  // namespace

Architecture::Architecture(Shape input, std::vector<LayerSpec> layers) {
  NI_REQUIRE(input.size() > 0, "input shape must be positive");
  NI_REQUIRE(!layers.empty(), "an architecture needs at least one layer after INPUT");
  specs_.push_back(LayerSpec{});
  shapes_.push_back(input);
  bool seen_linear = false;
  for (const auto& s : layers) {
    NI_REQUIRE(!(seen_linear && s.kind != LayerKind::Linear),
               "conv and maxpool layers must come before linear layers");
    NI_REQUIRE(s.kind != LayerKind::MaxPool || s.activation == Activation::None,
               "maxpool layers take no activation");
    seen_linear = seen_linear || s.kind == LayerKind::Linear;
    shapes_.push_back(next_shape(shapes_.back(), s));
    specs_.push_back(s);
  }
  // Paper names: INPUT, CONV<act><k>, POOLING<k>, LINEAR<act>[<k> if repeated].
  std::map<std::string, int> linear_total, counter;
  auto base = [](const LayerSpec& s) -> std::string {
    const std::string act = s.activation == Activation::Ramp      ? "RAMP"
                            : s.activation == Activation::Softmax ? "SOFT"
                                                                  : "";
    switch (s.kind) {
      case LayerKind::Conv:
        return "CONV" + act;
      case LayerKind::MaxPool:
        return "POOLING";
      case LayerKind::Linear:
        return "LINEAR" + act;
      default:
        return "INPUT";
    }
  };
  for (const auto& s : layers) {
    if (s.kind == LayerKind::Linear) ++linear_total[base(s)];
  }
  names_.push_back("INPUT");
  int conv_index = 0, pool_index = 0;
  for (const auto& s : layers) {
    const std::string b = base(s);
    if (s.kind == LayerKind::Conv) {
      names_.push_back(b + std::to_string(++conv_index));
    } else if (s.kind == LayerKind::MaxPool) {
      names_.push_back(b + std::to_string(++pool_index));
    } else {
      const int k = ++counter[b];
      names_.push_back(linear_total[b] > 1 ? b + std::to_string(k) : b);
    }
  }
  offsets_.push_back(0);
  for (const auto& sh : shapes_) offsets_.push_back(offsets_.back() + sh.size());
}

Architecture Architecture::lenet() {
  return parse("lenet");
}

Architecture Architecture::parse(const std::string& text_in) {
  std::string text = text_in;
  if (text == "lenet" || text == "LeNet") {
    text =
        "input 1x28x28; conv 20 5 ramp; maxpool 2; conv 50 5 ramp; maxpool 2; linear 500 ramp; "
        "linear 10 softmax";
  }
  std::istringstream items(text);
  std::string item;
  Shape input;
  bool have_input = false;
  std::vector<LayerSpec> layers;
  auto bad = [&](const std::string& why) {
    NI_FAIL("architecture '", text_in, "': ", why,
            " (expected e.g. 'input 1x28x28; conv 20 5 ramp; maxpool 2; linear 10 softmax')");
  };
  while (std::getline(items, item, ';')) {
    std::istringstream words(item);
    std::string kind;
    if (!(words >> kind)) continue;
    std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
    auto read_activation = [&](LayerSpec& s) {
      std::string act;
      if (!(words >> act)) return;
      if (act == "ramp" || act == "relu") {
        s.activation = Activation::Ramp;
      } else if (act == "softmax") {
        s.activation = Activation::Softmax;
      } else if (act != "none") {
        bad("unknown activation '" + act + "'");
      }
    };
    if (kind == "input") {
      std::string dims;
      words >> dims;
      char x1 = 0, x2 = 0;
      std::istringstream d(dims);
      if (!(d >> input.families >> x1 >> input.height >> x2 >> input.width) || x1 != 'x' ||
          x2 != 'x') {
        bad("input shape must be CxHxW");
      }
      have_input = true;
    } else if (kind == "conv") {
      LayerSpec s;
      s.kind = LayerKind::Conv;
      if (!(words >> s.out >> s.kernel)) bad("conv needs channels and kernel size");
      read_activation(s);
      layers.push_back(s);
    } else if (kind == "maxpool") {
      LayerSpec s;
      s.kind = LayerKind::MaxPool;
      if (!(words >> s.kernel)) bad("maxpool needs a window size");
      s.stride = s.kernel;
      layers.push_back(s);
    } else if (kind == "linear") {
      LayerSpec s;
      s.kind = LayerKind::Linear;
      if (!(words >> s.out)) bad("linear needs a size");
      read_activation(s);
      layers.push_back(s);
    } else {
      bad("unknown layer kind '" + kind + "'");
    }
  }
  if (!have_input) bad("missing 'input CxHxW'");
  return Architecture(input, layers);
}

std::string Architecture::to_string() const {
  std::ostringstream out;
  out << "input " << shapes_[0].families << "x" << shapes_[0].height << "x" << shapes_[0].width;
  for (int l = 1; l < layer_count(); ++l) {
    const auto& s = specs_[l];
    switch (s.kind) {
      case LayerKind::Conv:
        out << "; conv " << s.out << " " << s.kernel << " " << activation_word(s.activation);
        break;
      case LayerKind::MaxPool:
        out << "; maxpool " << s.kernel;
        break;
      case LayerKind::Linear:
        out << "; linear " << s.out << " " << activation_word(s.activation);
        break;
      default:
        break;
    }
  }
  return out.str();
}

int Architecture::layer_of(std::int64_t neuron) const {
  NI_REQUIRE(neuron >= 0 && neuron < neuron_count(), "neuron index ", neuron, " out of range");
  return static_cast<int>(std::upper_bound(offsets_.begin(), offsets_.end(), neuron) -
                          offsets_.begin()) -
         1;
}

Location Architecture::location(std::int64_t neuron) const {
  const int l = layer_of(neuron);
  const Shape& s = shapes_[l];
  std::int64_t r = neuron - offsets_[l];
  Location loc;
  loc.layer = l;
  loc.x = static_cast<int>(r % s.width);
  r /= s.width;
  loc.y = static_cast<int>(r % s.height);
  loc.family = static_cast<int>(r / s.height);
  return loc;
}

std::int64_t Architecture::index(const Location& loc) const {
  NI_REQUIRE(loc.layer >= 0 && loc.layer < layer_count(), "layer ", loc.layer, " out of range");
  const Shape& s = shapes_[loc.layer];
  NI_REQUIRE(loc.family >= 0 && loc.family < s.families && loc.x >= 0 && loc.x < s.width &&
                 loc.y >= 0 && loc.y < s.height,
             "location out of range in layer ", names_[loc.layer]);
  return offsets_[loc.layer] +
         (static_cast<std::int64_t>(loc.family) * s.height + loc.y) * s.width + loc.x;
}

}  // namespace netinfer::net
