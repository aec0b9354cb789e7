// `netinfer train`: trains a network on IDX images (Debian's Fashion-MNIST by
// default) and writes its weights (net/network.hpp's layout) with the
// training's provenance: root attributes as every netinfer output, plus
// "test_accuracy" (final, double precision) and "train_seconds", and the
// per-epoch history in /training/{loss,test_accuracy,seconds}.
#include <omp.h>

#include <cmath>
#include <sstream>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/net/train.hpp"
#include "netinfer/stimuli/idx.hpp"

namespace netinfer::cli {

namespace {

// Pixels scaled to [0, 1], one image per column.
net::LabelledImages labelled(const stimuli::IdxImages& images,
                             const std::vector<std::uint8_t>& labels) {
  net::LabelledImages set;
  const Eigen::Index pixels = static_cast<Eigen::Index>(images.rows) * images.cols;
  set.images = Eigen::Map<const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>>(
                   images.pixels.data(), pixels, images.count)
                   .cast<float>() /
               255.0f;
  set.labels.assign(labels.begin(), labels.end());
  return set;
}

net::Optimizer parse_optimizer(const std::string& name) {
  if (name == "adam") return net::Optimizer::Adam;
  if (name == "sgd") return net::Optimizer::Sgd;
  NI_FAIL("--optimizer must be sgd or adam, not '", name, "'");
}

}  // namespace

Command train_command() {
  Command c;
  c.name = "train";
  c.summary = "train a network on IDX images (Fashion-MNIST by default) and write its weights";
  c.add_options = [](po::options_description& o) {
    o.add_options()("data-dir",
                    po::value<std::string>()->default_value(stimuli::default_data_dir()),
                    "IDX directory with train-/t10k- images and labels (plain or .gz)")(
        "architecture", po::value<std::string>()->default_value("lenet"),
        "'lenet' or layers, e.g. 'input 1x28x28; conv 20 5 ramp; maxpool 2; linear 10 softmax'")(
        "epochs", po::value<int>()->default_value(10), "passes over the training images")(
        "batch", po::value<int>()->default_value(64), "images per optimiser step")(
        "optimizer", po::value<std::string>()->default_value("adam"),
        "sgd (with momentum) or adam")("learning-rate", po::value<double>()->default_value(0.001),
                                       "step size")(
        "momentum", po::value<double>()->default_value(0.9, "0.9"), "SGD momentum; Adam's beta1")(
        "seed", po::value<long>()->default_value(1), "seed of the initial weights and shuffling")(
        "threads", po::value<int>()->default_value(0),
        "OpenMP threads per rank (0: OMP_NUM_THREADS, else the cores the rank may use)")(
        "out", po::value<std::string>()->default_value("lenet.h5"), "output weights file (HDF5)")(
        "force", po::bool_switch(), "replace an existing output file");
  };
  c.run = [](const Invocation& inv) {
    net::TrainOptions options;
    options.epochs = get<int>(inv, "epochs");
    options.batch = get<int>(inv, "batch");
    options.optimizer = parse_optimizer(get<std::string>(inv, "optimizer"));
    options.learning_rate = get<double>(inv, "learning-rate");
    options.momentum = get<double>(inv, "momentum");
    options.threads = get<int>(inv, "threads");
    const long seed = get<long>(inv, "seed");
    NI_REQUIRE(options.epochs >= 1, "--epochs must be at least 1 (got ", options.epochs, ")");
    NI_REQUIRE(options.batch >= 1, "--batch must be at least 1 (got ", options.batch, ")");
    NI_REQUIRE(std::isfinite(options.learning_rate) && options.learning_rate > 0,
               "--learning-rate must be a positive number (got ", options.learning_rate, ")");
    NI_REQUIRE(options.momentum >= 0 && options.momentum < 1, "--momentum must be in [0, 1) (got ",
               options.momentum, ")");
    NI_REQUIRE(seed >= 0, "--seed must be non-negative (got ", seed, ")");
    NI_REQUIRE(options.threads >= 0, "--threads must be non-negative (got ", options.threads, ")");
    options.seed = static_cast<std::uint64_t>(seed);
    const net::Architecture arch = net::Architecture::parse(get<std::string>(inv, "architecture"));
    const std::string path = get<std::string>(inv, "out");
    const bool force = inv.vm["force"].as<bool>();
    h5::check_output_path(path, force, "--out");  // before minutes of training

    const std::string dir = get<std::string>(inv, "data-dir");
    const stimuli::Dataset data = stimuli::read_dataset(dir);
    const net::Shape image{1, data.train_images.rows, data.train_images.cols};
    NI_REQUIRE(arch.shape(0) == image, "--architecture takes input ", arch.shape(0).families, "x",
               arch.shape(0).height, "x", arch.shape(0).width, " but the images of ", dir,
               " are 1x", image.height, "x", image.width);
    const net::LabelledImages train_set = labelled(data.train_images, data.train_labels);
    const net::LabelledImages test_set = labelled(data.test_images, data.test_labels);
    NI_REQUIRE(options.batch <= train_set.size(), "--batch ", options.batch, " exceeds the ",
               train_set.size(), " training images of ", dir);

    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    std::ostringstream plan;
    plan << "training " << arch.to_string() << " (" << net::Network(arch).parameter_count()
         << " parameters) on " << train_set.size() << " images of " << dir << ", testing on "
         << test_set.size() << "; " << mpi_size() << " rank(s) x " << threads << " thread(s)";
    say(plan.str());

    net::Network network(arch);
    Stopwatch clock;
    const auto history = net::train(
        network, train_set, test_set, options,
        [&](const net::EpochReport& r) {
          char line[200];
          std::snprintf(line, sizeof line,
                        "  epoch %d/%d: loss %.4f, test accuracy %.2f%%, %.0f images/s, %.1f s",
                        r.epoch, options.epochs, r.loss, 100 * r.test_accuracy, r.images_per_second,
                        r.seconds);
          say(line);
        },
        MPI_COMM_WORLD);
    const double seconds = clock.seconds();
    const double accuracy = net::accuracy(network, test_set);
    char summary[200];
    std::snprintf(summary, sizeof summary,
                  "trained in %.1f s; final test accuracy %.2f%% (double precision)", seconds,
                  100 * accuracy);
    say(summary);

    h5::Output out(path, force, MPI_COMM_WORLD);
    h5::File& file = out.file();
    net::write_weights(network, file);
    h5::write_provenance(file, inv.command_line, inv.options_text);
    file.set_attr("/", "test_accuracy", accuracy);
    file.set_attr("/", "train_seconds", seconds);
    std::vector<double> loss, test_accuracy, epoch_seconds;
    for (const auto& r : history) {
      loss.push_back(r.loss);
      test_accuracy.push_back(r.test_accuracy);
      epoch_seconds.push_back(r.seconds);
    }
    file.write("/training/loss", loss);
    file.write("/training/test_accuracy", test_accuracy);
    file.write("/training/seconds", epoch_seconds);
    for (const char* name : {"/training/loss", "/training/test_accuracy", "/training/seconds"}) {
      file.set_attr(name, "axes", std::string("epoch"));
    }
    out.commit();
    say("wrote " + path);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
