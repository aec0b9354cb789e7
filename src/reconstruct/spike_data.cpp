#include "netinfer/reconstruct/spike_data.hpp"

#include "netinfer/core/error.hpp"
#include "netinfer/io/h5.hpp"

namespace netinfer::reconstruct {

std::vector<GeneratorData> read_spike_file(const std::string& path) {
  h5::File file(path, h5::File::Mode::Read);
  NI_REQUIRE(file.exists("/reconstruct/generators"), path,
             ": not a spike file (no /reconstruct/generators; write one with netinfer simulate)");
  std::vector<GeneratorData> out;
  for (const auto& name : file.children("/reconstruct/generators")) {
    GeneratorData g;
    g.group = "/reconstruct/generators/" + name;
    g.spec = file.attr_string(g.group, "spec");
    g.spike_rate = file.attr_double(g.group, "spike_rate");
    g.mean_activity = file.attr_double(g.group, "mean_activity");
    const h5::Dims dims = file.dims(g.group + "/spikes");
    NI_REQUIRE(dims.size() == 3, path, ":", g.group, "/spikes: expected [simulation,neuron,time]");
    g.simulations = static_cast<std::int64_t>(dims[0]);
    g.n = static_cast<int>(dims[1]);
    g.steps = static_cast<int>(dims[2]);
    const auto adjacency = file.read<std::uint8_t>(g.group + "/adjacency", {dims[1], dims[1]});
    g.target.resize(g.n, g.n);
    for (int i = 0; i < g.n; ++i)
      for (int j = 0; j < g.n; ++j) g.target(i, j) = adjacency[i * g.n + j];
    g.spikes = file.read<std::uint8_t>(g.group + "/spikes");
    out.push_back(std::move(g));
  }
  NI_REQUIRE(!out.empty(), path, ": no generators in /reconstruct/generators");
  return out;
}

std::vector<SampleIndex> enumerate_samples(const std::vector<GeneratorData>& data, int b,
                                           int windows, const std::string& path) {
  NI_REQUIRE(b > 0 && windows > 0, "b and --windows must be positive");
  std::vector<SampleIndex> out;
  for (std::size_t g = 0; g < data.size(); ++g) {
    NI_REQUIRE(windows * b <= data[g].steps, path, ":", data[g].group, ": ", windows,
               " windows of b = ", b, " steps need ", windows * b, " steps, the file has ",
               data[g].steps);
    for (std::int64_t s = 0; s < data[g].simulations; ++s)
      for (int w = 0; w < windows; ++w) out.push_back({static_cast<int>(g), s, w});
  }
  return out;
}

Example make_example(const std::vector<GeneratorData>& data, const SampleIndex& index, int b) {
  const GeneratorData& g = data[index.generator];
  Example e{Eigen::MatrixXd(g.n, b), &g.target};
  for (int i = 0; i < g.n; ++i)
    for (int t = 0; t < b; ++t) e.raster(i, t) = g.spike(index.simulation, i, index.window * b + t);
  return e;
}

}  // namespace netinfer::reconstruct
