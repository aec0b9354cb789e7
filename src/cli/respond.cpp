// `netinfer respond`: response matrices of image sets, sharded over MPI ranks,
// written collectively to one HDF5 file (layout in localize/responses.hpp).
#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/stimuli/idx.hpp"

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
    h5::Output out(get<std::string>(inv, "out"), inv.vm["force"].as<bool>(), MPI_COMM_WORLD);
    h5::write_provenance(out.file(), inv.command_line, inv.options_text);
    localize::respond_sets(network, sets, options, out.file(), MPI_COMM_WORLD);
    out.commit();
    say("wrote " + get<std::string>(inv, "out"));
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
