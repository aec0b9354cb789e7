// `netinfer simulate`: spike rasters of generator networks (001 §2.1.1), the
// simulations fanned out over the MPI ranks, written to one HDF5 file.
#include <cstdio>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/reconstruct/simulator.hpp"

namespace netinfer::cli {

Command simulate_command() {
  Command c;
  c.name = "simulate";
  c.summary = "simulate binary spiking networks (generators) into a spike file";
  c.add_options = [](po::options_description& o) {
    o.add_options()("generators", po::value<std::string>(),
                    "comma-separated generator specs: chain3, inverted3, cyclic3, er:n=N:p=P, "
                    "dag:n=N:p=P, smallworld:n=N:k=K:beta=B, file:path=F[:dataset=D]; each may "
                    "add :count=C")("simulations", po::value<long>()->default_value(1000),
                                    "simulations per generator")(
        "steps", po::value<int>()->default_value(50), "states per simulation (S^0 ... S^{t-1})")(
        "spike-rate", po::value<double>()->default_value(0.25),
        "probability that a neuron spikes at random in a step")(
        "recorded", po::value<double>()->default_value(1.0),
        "fraction of each network's neurons written (a seeded random subset; the rest still "
        "drive them)")("missed-spikes", po::value<double>()->default_value(0.0),
                       "probability that a recorded spike is lost")(
        "false-spikes", po::value<double>()->default_value(0.0),
        "probability that a recorded silent step reads as a spike")(
        "seed", po::value<long>()->default_value(1),
        "simulation s of generator g uses Stream(seed, g, s)")("output", po::value<std::string>(),
                                                               "spike file to write (HDF5)")(
        "force", po::bool_switch(), "replace an existing output file");
  };
  c.run = [](const Invocation& inv) {
    NI_REQUIRE(inv.vm.count("generators"), "netinfer simulate: --generators is required");
    NI_REQUIRE(inv.vm.count("output"), "netinfer simulate: --output is required");
    reconstruct::SimulateOptions options;
    options.generators = split_list(get<std::string>(inv, "generators"));
    options.simulations = get<long>(inv, "simulations");
    options.steps = get<int>(inv, "steps");
    options.spike_rate = get<double>(inv, "spike-rate");
    const long seed = get<long>(inv, "seed");
    NI_REQUIRE(seed >= 0, "--seed must be non-negative (got ", seed, ")");
    options.seed = static_cast<std::uint64_t>(seed);
    options.recorded = get<double>(inv, "recorded");
    options.missed = get<double>(inv, "missed-spikes");
    options.false_spikes = get<double>(inv, "false-spikes");
    const std::string path = get<std::string>(inv, "output");
    h5::check_output_path(path, get<bool>(inv, "force"), "--output");
    reconstruct::checked_generators(options);  // before the output file exists
    h5::Output out(path, get<bool>(inv, "force"), MPI_COMM_WORLD);
    h5::write_provenance(out.file(), inv.command_line, inv.options_text);
    const auto made = reconstruct::simulate_to_file(options, out.file(), MPI_COMM_WORLD);
    out.commit();
    for (std::size_t g = 0; g < made.size(); ++g) {
      char line[256];
      std::snprintf(line, sizeof line, "  g%04zu %-32s n %5d  edges %7lld  mean activity %.3f%s%s",
                    g, made[g].spec.c_str(), made[g].n, static_cast<long long>(made[g].edges),
                    made[g].mean_activity, made[g].mean_activity > 0.9 ? "  (saturated)" : "",
                    made[g].n < made[g].network_n
                        ? ("  (recorded of " + std::to_string(made[g].network_n) + ")").c_str()
                        : "");
      say(line);
    }
    say("wrote " + path);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
