// `netinfer respond`: response matrices of image sets, sharded over MPI ranks,
// written collectively to one HDF5 file (layout in localize/responses.hpp).
#include <sstream>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::cli {

Command respond_command() {
  Command c;
  c.name = "respond";
  c.summary = "record every neuron's responses to stimulus image sets (MPI-sharded)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("weights", po::value<std::string>()->default_value("lenet.h5"),
                    "network weights (netinfer or PyTorch state_dict layout)")(
        "sets", po::value<std::string>()->default_value("GAUSSIAN,MNIST,trMNIST,IMPULSE"),
        "comma-separated image sets: GAUSSIAN MNIST trMNIST trMNIST-<sigma> IMPULSE IMPULSE* "
        "CONSTANT offGAUSSIAN tiGAUSSIAN PATCH(w=..,f=..,b=..) MIXED(A+B+..)")(
        "images", po::value<long>()->default_value(10000),
        "images per set, for sets that are not fixed-size")(
        "seed", po::value<long>()->default_value(1), "seed of the random image sets")(
        "data-dir", po::value<std::string>()->default_value(stimuli::default_data_dir()),
        "IDX directory for the MNIST-based sets (digit MNIST or Fashion-MNIST)")(
        "batch", po::value<int>()->default_value(500), "images per forward-pass batch")(
        "out", po::value<std::string>()->default_value("responses.h5"), "output HDF5 file")(
        "force", po::bool_switch(), "replace an existing output file");
  };
  c.run = [](const Invocation& inv) {
    const auto images = get<long>(inv, "images");
    NI_REQUIRE(images > 0, "--images must be positive (got ", images, ")");
    const auto sets = stimuli::split_set_list(get<std::string>(inv, "sets"));
    NI_REQUIRE(!sets.empty(), "--sets is empty");

    const net::Network network = net::load_weights(get<std::string>(inv, "weights"));
    const net::Architecture& arch = network.architecture();
    stimuli::ImageSetOptions options;
    options.seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
    options.images = images;
    options.data_dir = get<std::string>(inv, "data-dir");
    options.shape = arch.shape(0);
    // Build every set before any output, so a bad name fails fast.
    std::vector<std::unique_ptr<stimuli::ImageSet>> built;
    for (const auto& spec : sets) built.push_back(stimuli::make_image_set(spec, options));

    h5::Output out(get<std::string>(inv, "out"), inv.vm["force"].as<bool>(), MPI_COMM_WORLD);
    h5::write_provenance(out.file(), inv.command_line, inv.options_text);
    localize::write_network(out.file(), arch);
    for (const auto& set : built) {
      say("image set " + set->spec() + ": " + std::to_string(set->size()) + " images");
      const auto shard = localize::compute_responses(network, *set, get<int>(inv, "batch"),
                                                     MPI_COMM_WORLD);
      const auto moments = localize::reduce_moments(shard, arch, MPI_COMM_WORLD);
      Stopwatch write_clock;
      localize::write_responses(out.file(), shard, moments, options);
      std::ostringstream line;
      std::int64_t silent = 0;
      line << "  silent neurons per layer:";
      for (int l = 0; l < arch.layer_count(); ++l) {
        line << " " << arch.name(l) << " " << moments.silent_per_layer[l];
        silent += moments.silent_per_layer[l];
      }
      line << "  (total " << silent << " of " << arch.neuron_count() << "); written in "
           << write_clock.seconds() << " s";
      say(line.str());
    }
    out.commit();
    say("wrote " + get<std::string>(inv, "out"));
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
