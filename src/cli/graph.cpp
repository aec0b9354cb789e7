// `netinfer graph`: the network graph's distance statistics (Dyer & Griffin 2022 §4.3, §5.2).
#include <cstdio>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/net/graph.hpp"

namespace netinfer::cli {

Command graph_command() {
  Command c;
  c.name = "graph";
  c.summary = "graph-distance statistics of an architecture (max, mean, RMS per layer)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("architecture", po::value<std::string>()->default_value("lenet"),
                    "architecture: 'lenet' or a layer list, e.g. "
                    "'input 1x28x28; conv 20 5 ramp; maxpool 2; linear 10 softmax'");
  };
  c.run = [](const Invocation& inv) {
    const net::Graph graph(net::Architecture::parse(get<std::string>(inv, "architecture")));
    const auto& a = graph.architecture();
    say("neurons: " + std::to_string(a.neuron_count()) + "; searching from every neuron...");
    const auto st = net::graph_stats(graph);
    char line[160];
    std::snprintf(line, sizeof line,
                  "max distance %d, mean %.3f, RMS %.3f (random-assignment error)", st.max_distance,
                  st.mean, st.rms);
    say(line);
    for (int l = 0; l < a.layer_count(); ++l) {
      std::snprintf(line, sizeof line, "  %-12s %6lld neurons  RMS distance to all others %.3f",
                    a.name(l).c_str(), static_cast<long long>(a.shape(l).size()), st.layer_rms[l]);
      say(line);
    }
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
