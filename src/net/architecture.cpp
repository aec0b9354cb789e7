#include "netinfer/net/architecture.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
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
    default:
      break;
  }
  NI_FAIL("a sequential architecture has conv, maxpool and linear layers after INPUT");
}

const char* activation_word(Activation a) {
  return a == Activation::Ramp ? "ramp" : a == Activation::Softmax ? "softmax" : "none";
}

std::string shape_text(const Shape& s) {
  return std::to_string(s.families) + "x" + std::to_string(s.height) + "x" +
         std::to_string(s.width);
}

// Each step's output against its input: pooling and Same keep what they must.
// (A window may lie wholly in the padding: a zero Pad's border.)
void check_steps(Shape in, const std::vector<Step>& steps, int layer) {
  for (const Step& st : steps) {
    NI_REQUIRE(st.out.size() > 0, "layer ", layer, ": a step has an empty output");
    const Window& w = st.window;
    switch (st.kind) {
      case Step::Kind::Pool:
        NI_REQUIRE(st.out.families == in.families, "layer ", layer,
                   ": a pooling step changes the number of families");
        [[fallthrough]];
      case Step::Kind::Conv:
        NI_REQUIRE(w.kernel_h > 0 && w.kernel_w > 0 && w.stride_h > 0 && w.stride_w > 0 &&
                       w.pad_top >= 0 && w.pad_left >= 0,
                   "layer ", layer, ": a window needs positive sizes");
        break;
      case Step::Kind::Same:
        NI_REQUIRE(st.out.size() == in.size(), "layer ", layer, ": a same-position step from ",
                   shape_text(in), " to ", shape_text(st.out), " changes the size");
        break;
      case Step::Kind::Dense:
        break;
    }
    in = st.out;
  }
}

const char* step_word(Step::Kind k) {
  switch (k) {
    case Step::Kind::Conv:
      return "conv";
    case Step::Kind::Pool:
      return "pool";
    case Step::Kind::Dense:
      return "dense";
    default:
      return "same";
  }
}

const char* kind_word(LayerKind k) {
  switch (k) {
    case LayerKind::Conv:
      return "conv";
    case LayerKind::MaxPool:
      return "maxpool";
    case LayerKind::AvgPool:
      return "avgpool";
    case LayerKind::Residual:
      return "residual";
    case LayerKind::Linear:
      return "linear";
    default:
      return "input";
  }
}

// "conv:3x3/2x2+1x1:8x16x16", "pool:...", "dense:10x1x1", "same:4x8x8".
std::string step_text(const Step& st) {
  std::ostringstream out;
  out << step_word(st.kind) << ":";
  if (st.kind == Step::Kind::Conv || st.kind == Step::Kind::Pool) {
    const Window& w = st.window;
    out << w.kernel_h << "x" << w.kernel_w << "/" << w.stride_h << "x" << w.stride_w << "+"
        << w.pad_top << "x" << w.pad_left << ":";
  }
  out << shape_text(st.out);
  return out.str();
}

bool parse_step(const std::string& word, Step& st) {
  const auto colon = word.find(':');
  if (colon == std::string::npos) return false;
  const std::string kind = word.substr(0, colon), rest = word.substr(colon + 1);
  Shape& o = st.out;
  Window& w = st.window;
  char tail = 0;
  if (kind == "conv" || kind == "pool") {
    st.kind = kind == "conv" ? Step::Kind::Conv : Step::Kind::Pool;
    return std::sscanf(rest.c_str(), "%dx%d/%dx%d+%dx%d:%dx%dx%d%c", &w.kernel_h, &w.kernel_w,
                       &w.stride_h, &w.stride_w, &w.pad_top, &w.pad_left, &o.families, &o.height,
                       &o.width, &tail) == 9;
  }
  if (kind == "dense" || kind == "same") {
    st.kind = kind == "dense" ? Step::Kind::Dense : Step::Kind::Same;
    return std::sscanf(rest.c_str(), "%dx%dx%d%c", &o.families, &o.height, &o.width, &tail) == 3;
  }
  return false;
}

}  // namespace

Architecture::Architecture(Shape input, std::vector<LayerSpec> layers) {
  NI_REQUIRE(input.size() > 0, "input shape must be positive");
  NI_REQUIRE(!layers.empty(), "an architecture needs at least one layer after INPUT");
  specs_.push_back(LayerSpec{});
  shapes_.push_back(input);
  links_.emplace_back();
  bool seen_linear = false;
  for (const auto& s : layers) {
    NI_REQUIRE(!(seen_linear && s.kind != LayerKind::Linear),
               "conv and maxpool layers must come before linear layers");
    NI_REQUIRE(s.kind != LayerKind::MaxPool || s.activation == Activation::None,
               "maxpool layers take no activation");
    NI_REQUIRE(
        s.kind == LayerKind::Conv || s.kind == LayerKind::MaxPool || s.kind == LayerKind::Linear,
        "a sequential architecture has conv, maxpool and linear layers only");
    seen_linear = seen_linear || s.kind == LayerKind::Linear;
    shapes_.push_back(next_shape(shapes_.back(), s));
    specs_.push_back(s);
    Step step;
    step.out = shapes_.back();
    step.kind = s.kind == LayerKind::Conv      ? Step::Kind::Conv
                : s.kind == LayerKind::MaxPool ? Step::Kind::Pool
                                               : Step::Kind::Dense;
    step.window = Window{s.kernel, s.kernel, s.stride, s.stride, 0, 0};
    links_.push_back({Link{static_cast<int>(shapes_.size()) - 2, {step}}});
  }
  finish();
}

Architecture::Architecture(Shape input, std::vector<LayerNode> layers) : general_(true) {
  NI_REQUIRE(input.size() > 0, "input shape must be positive");
  NI_REQUIRE(!layers.empty(), "an architecture needs at least one layer after INPUT");
  specs_.push_back(LayerSpec{});
  shapes_.push_back(input);
  links_.emplace_back();
  for (const auto& node : layers) {
    const int l = static_cast<int>(shapes_.size());
    NI_REQUIRE(node.kind != LayerKind::Input, "INPUT may only be the first layer");
    NI_REQUIRE(node.shape.size() > 0 && !node.links.empty(), "layer ", l,
               " needs a positive shape and at least one link");
    LayerSpec spec;
    spec.kind = node.kind;
    spec.activation = node.activation;
    spec.out = node.shape.families;
    for (const Link& link : node.links) {
      NI_REQUIRE(link.from >= 0 && link.from < l && !link.steps.empty(), "layer ", l,
                 ": a link must come from an earlier layer through at least one step");
      check_steps(shapes_[link.from], link.steps, l);
      NI_REQUIRE(link.steps.back().out == node.shape, "layer ", l, ": a link ends in shape ",
                 shape_text(link.steps.back().out), ", the layer has ", shape_text(node.shape));
      for (const Step& st : link.steps) {
        if (st.kind == Step::Kind::Conv || st.kind == Step::Kind::Pool) {
          spec.kernel = st.window.kernel_h;
          spec.stride = st.window.stride_h;
        }
      }
    }
    specs_.push_back(spec);
    shapes_.push_back(node.shape);
    links_.push_back(node.links);
  }
  finish();
}

void Architecture::finish() {
  // Paper names: INPUT, CONV<act><k>, POOLING<k>, LINEAR<act>[<k> if repeated],
  // and RESIDUAL<k> for a general network's sums.
  std::map<std::string, int> linear_total, counter;
  auto base = [](const LayerSpec& s) -> std::string {
    const std::string act = s.activation == Activation::Ramp      ? "RAMP"
                            : s.activation == Activation::Softmax ? "SOFT"
                                                                  : "";
    switch (s.kind) {
      case LayerKind::Conv:
        return "CONV" + act;
      case LayerKind::MaxPool:
      case LayerKind::AvgPool:
        return "POOLING";
      case LayerKind::Residual:
        return "RESIDUAL";
      case LayerKind::Linear:
        return "LINEAR" + act;
      default:
        return "INPUT";
    }
  };
  for (std::size_t l = 1; l < specs_.size(); ++l) {
    if (specs_[l].kind == LayerKind::Linear) ++linear_total[base(specs_[l])];
  }
  names_.push_back("INPUT");
  int conv_index = 0, pool_index = 0, residual_index = 0;
  for (std::size_t l = 1; l < specs_.size(); ++l) {
    const LayerSpec& s = specs_[l];
    const std::string b = base(s);
    if (s.kind == LayerKind::Conv) {
      names_.push_back(b + std::to_string(++conv_index));
    } else if (s.kind == LayerKind::MaxPool || s.kind == LayerKind::AvgPool) {
      names_.push_back(b + std::to_string(++pool_index));
    } else if (s.kind == LayerKind::Residual) {
      names_.push_back(b + std::to_string(++residual_index));
    } else {
      const int k = ++counter[b];
      names_.push_back(linear_total[b] > 1 ? b + std::to_string(k) : b);
    }
  }
  offsets_.push_back(0);
  for (const auto& sh : shapes_) offsets_.push_back(offsets_.back() + sh.size());
}

bool Architecture::spatial(int layer) const {
  if (specs_[layer].kind == LayerKind::Linear) return false;
  return !general_ || shapes_[layer].height * shapes_[layer].width > 1;
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
  std::vector<LayerNode> nodes;
  auto bad = [&](const std::string& why) {
    NI_FAIL("architecture '", text_in, "': ", why,
            " (expected e.g. 'input 1x28x28; conv 20 5 ramp; maxpool 2; linear 10 softmax')");
  };
  while (std::getline(items, item, ';')) {
    std::istringstream words(item);
    std::string kind;
    if (!(words >> kind)) continue;
    std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
    auto read_activation = [&](auto& s) {
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
    } else if (kind == "layer") {
      // layer KIND ACT CxHxW from L STEP... [from L STEP...]
      LayerNode node;
      std::string word, dims;
      words >> word;
      const LayerKind kinds[] = {LayerKind::Conv, LayerKind::MaxPool, LayerKind::AvgPool,
                                 LayerKind::Residual, LayerKind::Linear};
      const auto k = std::find_if(std::begin(kinds), std::end(kinds),
                                  [&](LayerKind c) { return word == kind_word(c); });
      if (k == std::end(kinds)) bad("unknown layer kind '" + word + "'");
      node.kind = *k;
      read_activation(node);
      char tail = 0;
      if (!(words >> dims) || std::sscanf(dims.c_str(), "%dx%dx%d%c", &node.shape.families,
                                          &node.shape.height, &node.shape.width, &tail) != 3) {
        bad("a layer needs its shape CxHxW after the activation");
      }
      while (words >> word) {
        if (word == "from") {
          node.links.emplace_back();
          if (!(words >> node.links.back().from)) bad("'from' needs a layer number");
        } else {
          Step st;
          if (node.links.empty() || !parse_step(word, st)) bad("bad step '" + word + "'");
          node.links.back().steps.push_back(st);
        }
      }
      nodes.push_back(node);
    } else {
      bad("unknown layer kind '" + kind + "'");
    }
  }
  if (!have_input) bad("missing 'input CxHxW'");
  if (!nodes.empty()) {
    if (!layers.empty()) bad("'layer' items cannot be mixed with conv, maxpool and linear");
    return Architecture(input, nodes);
  }
  return Architecture(input, layers);
}

std::string Architecture::to_string() const {
  std::ostringstream out;
  out << "input " << shape_text(shapes_[0]);
  for (int l = 1; general_ && l < layer_count(); ++l) {
    out << "; layer " << kind_word(specs_[l].kind) << " " << activation_word(specs_[l].activation)
        << " " << shape_text(shapes_[l]);
    for (const Link& link : links_[l]) {
      out << " from " << link.from;
      for (const Step& st : link.steps) out << " " << step_text(st);
    }
  }
  for (int l = 1; !general_ && l < layer_count(); ++l) {
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

std::vector<std::vector<int>> family_classes(const Architecture& arch) {
  // Union of layers joined by a link that keeps families (pooling, same
  // position): permuting one's families forces the same permutation on the other.
  std::vector<int> root(arch.layer_count());
  std::iota(root.begin(), root.end(), 0);
  const auto find = [&](int l) {
    while (root[l] != l) l = root[l] = root[root[l]];
    return l;
  };
  for (int l = 1; l < arch.layer_count(); ++l) {
    for (const Link& link : arch.links(l)) {
      const bool keeps = std::all_of(link.steps.begin(), link.steps.end(), [](const Step& st) {
        return st.kind == Step::Kind::Pool || st.kind == Step::Kind::Same;
      });
      if (keeps) root[find(l)] = find(link.from);
    }
  }
  std::map<int, std::vector<int>> classes;
  for (int l = 0; l < arch.layer_count(); ++l) classes[find(l)].push_back(l);
  std::vector<std::vector<int>> out;
  for (auto& [r, members] : classes) {
    if (find(0) != r) out.push_back(members);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace netinfer::net
