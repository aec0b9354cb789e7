// `netinfer graph`: the layers of a network and its graph's distance
// statistics (Dyer & Griffin 2022 §4.3, §5.2).
#include <cstdio>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/net/graph.hpp"
#include "netinfer/net/network.hpp"

namespace netinfer::cli {

Command graph_command() {
  Command c;
  c.name = "graph";
  c.summary = "a network's layers and graph-distance statistics (max, mean, RMS per layer)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("architecture", po::value<std::string>()->default_value("lenet"),
                    "architecture: 'lenet' or a layer list, e.g. "
                    "'input 1x28x28; conv 20 5 ramp; maxpool 2; linear 10 softmax'")(
        "weights", po::value<std::string>()->default_value(""),
        "take the architecture from a weights file instead (netinfer HDF5, or ONNX: model.onnx)")(
        "layers-only", po::bool_switch()->default_value(false),
        "list the layers and stop (no distance statistics)");
  };
  c.run = [](const Invocation& inv) {
    const std::string weights = get<std::string>(inv, "weights");
    const net::Graph graph(weights.empty()
                               ? net::Architecture::parse(get<std::string>(inv, "architecture"))
                               : net::load_weights(weights).architecture());
    const auto& a = graph.architecture();
    char line[200];
    say("layers of neurons (" + std::to_string(a.neuron_count()) + " neurons):");
    for (int l = 0; l < a.layer_count(); ++l) {
      const net::Shape& s = a.shape(l);
      std::snprintf(line, sizeof line, "  %-12s %4d x %3d x %3d  %8lld neurons", a.name(l).c_str(),
                    s.families, s.height, s.width, static_cast<long long>(s.size()));
      say(line);
    }
    if (inv.vm["layers-only"].as<bool>()) return 0;
    say("distance statistics over all pairs of neurons:");
    const auto st = net::graph_stats(graph);
    if (st.sampled) {
      std::snprintf(line, sizeof line,
                    "estimated from %lld sampled sources (too many positions to search from all):",
                    static_cast<long long>(st.sources));
      say(line);
    }
    std::snprintf(line, sizeof line,
                  "max distance %d%s, mean %.3f, RMS %.3f (random-assignment error)",
                  st.max_distance, st.sampled ? " (largest seen)" : "", st.mean, st.rms);
    say(line);
    for (int l = 0; l < a.layer_count(); ++l) {
      std::snprintf(line, sizeof line, "  %-12s RMS distance to all others %.3f", a.name(l).c_str(),
                    st.layer_rms[l]);
      say(line);
    }
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
