// `netinfer respond`: response matrices of image sets, sharded over MPI ranks,
// written collectively to one HDF5 file (layout in localize/responses.hpp).
#include <algorithm>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/stimuli/idx.hpp"

namespace netinfer::cli {

Command respond_command() {
  Command c;
  c.name = "respond";
  c.summary = "record the responses of a network's neurons to stimulus image sets (MPI-sharded)";
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
    add_record_options(o);
  };
  c.run = [](const Invocation& inv) {
    const auto images = get<long>(inv, "images");
    NI_REQUIRE(images > 0, "--images must be positive (got ", images, ")");
    const long seed = get<long>(inv, "seed");
    NI_REQUIRE(seed >= 0, "--seed must be non-negative (got ", seed, ")");
    const auto sets = stimuli::split_set_list(get<std::string>(inv, "sets"));
    NI_REQUIRE(!sets.empty(), "--sets is empty");
    for (std::size_t i = 0; i < sets.size(); ++i) {
      NI_REQUIRE(std::find(sets.begin(), sets.begin() + i, sets[i]) == sets.begin() + i,
                 "--sets names ", sets[i], " twice");
    }
    const std::string path = get<std::string>(inv, "out");
    const bool force = get<bool>(inv, "force");
    h5::check_output_path(path, force, "--out");

    const net::Network network = net::load_weights(get<std::string>(inv, "weights"));
    const net::Architecture& arch = network.architecture();
    const net::Recording recording =
        net::make_recording(arch, get<std::string>(inv, "record"),
                            static_cast<std::uint64_t>(get<long>(inv, "record-seed")));
    stimuli::ImageSetOptions options;
    options.seed = static_cast<std::uint64_t>(seed);
    options.images = images;
    options.data_dir = get<std::string>(inv, "data-dir");
    options.shape = arch.shape(0);
    // Every set is built once here (names, parameters, IDX files) so that a
    // bad one stops the run before the output file exists.
    for (const auto& spec : sets) stimuli::make_image_set(spec, options);
    h5::Output out(path, force, MPI_COMM_WORLD);
    h5::write_provenance(out.file(), inv.command_line, inv.options_text);
    localize::respond_sets(network, recording, sets, options, out.file(), MPI_COMM_WORLD);
    out.commit();
    say("wrote " + path);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
