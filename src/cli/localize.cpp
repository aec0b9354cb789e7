// `netinfer localize`: Algorithm 1 of Dyer & Griffin 2022 end to end for one
// or more feature sets on one split (pipeline/localize_job.hpp does the
// work): parse, call, print the table.
#include <cmath>
#include <cstdio>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/experiment/paper.hpp"
#include "netinfer/pipeline/localize_job.hpp"
#include "netinfer/stimuli/idx.hpp"

namespace netinfer::cli {

namespace {

void print_table(const pipeline::LocalizeOutcome& o) {
  std::string header = "\nfeature set          error  sym.err  active  silent  #silent  paper";
  for (const auto& name : o.layer_names) header += "  " + name;
  say(header);
  for (const auto& row : o.rows) {
    const auto& s = row.result.score;
    const double paper = experiment::paper_feature_set(row.feature_set);
    char line[200];
    std::snprintf(line, sizeof line, "%-20s %6.3f  %7.3f  %6.3f  %6.3f  %7lld  %5s",
                  row.feature_set.c_str(), s.overall, s.overall_symmetric, s.active, s.silent,
                  static_cast<long long>(row.silent),
                  std::isnan(paper) ? "-" : std::to_string(paper).substr(0, 4).c_str());
    std::string text = line;
    for (std::size_t l = 0; l < o.layer_names.size(); ++l) {
      char cell[32];
      std::snprintf(cell, sizeof cell, "  %*.2f", static_cast<int>(o.layer_names[l].size()),
                    s.layer[l]);
      text += cell;
    }
    say(text);
  }
  say("(paper: digit-MNIST LeNet, Dyer & Griffin 2022 §6.1; error = mean over layers of the RMS "
      "graph distance)");
}

}  // namespace

Command localize_command() {
  Command c;
  c.name = "localize";
  c.summary =
      "assign test neurons to locations from their responses (Dyer & Griffin 2022, "
      "Algorithm 1)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("weights", po::value<std::string>()->default_value("lenet.h5"),
                    "network weights (netinfer or PyTorch state_dict layout)")(
        "responses", po::value<std::string>()->default_value(""),
        "responses file from `netinfer respond`; empty: compute the responses (in memory)")(
        "keep-responses", po::value<std::string>()->default_value(""),
        "also write the computed response matrices to this file (large: neurons x images "
        "doubles per set)")(
        "feature-set",
        po::value<std::vector<std::string>>()->multitoken()->default_value(
            {"GAUSSIAN", "MNIST", "trMNIST", "IMPULSE", "CONCAT=GAUSSIAN,MNIST,trMNIST,IMPULSE"},
            "GAUSSIAN MNIST trMNIST IMPULSE CONCAT=GAUSSIAN,MNIST,trMNIST,IMPULSE"),
        "feature sets: an image set, or NAME=SET1,SET2,... to concatenate (repeatable)")(
        "split", po::value<std::string>()->default_value("perfect"),
        "perfect | random | random:<train> | random:<train>:<test> (fractions)")(
        "split-seed", po::value<long>()->default_value(1), "seed of random splits")(
        "moments", po::value<int>()->default_value(2), "response moments per set (0-4)")(
        "eigenvectors", po::value<int>()->default_value(16), "leading eigenvectors per set")(
        "transform", po::value<std::string>()->default_value("abs"),
        "correlation transform: cm | abs | cm^2 | abs(cm^3) | cm^4")(
        "method", po::value<std::string>()->default_value("rf"),
        "classifier: rf (random forest) | dt | lr | nn")(
        "balance", po::value<bool>()->default_value(true),
        "layer-balance the layer classifier's training set (Table 2)")(
        "threads", po::value<int>()->default_value(1), "classifier threads per rank")(
        "images", po::value<long>()->default_value(10000), "images per set (not fixed-size sets)")(
        "seed", po::value<long>()->default_value(1),
        "seed of images, spectra, the test shuffle and (without --forest-seed) classifiers")(
        "forest-seed", po::value<long>(),
        "seed of the classifiers alone (the images, spectra and test shuffle keep --seed's); "
        "default: --seed")("data-dir",
                           po::value<std::string>()->default_value(stimuli::default_data_dir()),
                           "IDX directory for the MNIST-based sets")(
        "out", po::value<std::string>()->default_value("results.h5"), "output HDF5 file")(
        "force", po::bool_switch(), "replace existing output files")(
        "plan", po::bool_switch(),
        "print the memory plan for this many ranks and stop (refused, with the number of "
        "nodes that would hold it, if it does not fit)")(
        "architecture", po::value<std::string>()->default_value(""),
        "with --plan: the layer list (as for netinfer train) instead of --weights, to plan a "
        "network before training it");
    add_method_options(o);
    add_record_options(o);
  };
  c.run = [](const Invocation& inv) {
    pipeline::LocalizeJob job;
    job.weights = get<std::string>(inv, "weights");
    job.architecture = get<std::string>(inv, "architecture");
    job.responses = get<std::string>(inv, "responses");
    job.keep_responses = get<std::string>(inv, "keep-responses");
    job.feature_sets = get<std::vector<std::string>>(inv, "feature-set");
    job.record = get<std::string>(inv, "record");
    job.record_seed = get<long>(inv, "record-seed");
    job.split = get<std::string>(inv, "split");
    job.split_seed = get<long>(inv, "split-seed");
    job.features.moments = get<int>(inv, "moments");
    job.features.eigenvectors = get<int>(inv, "eigenvectors");
    job.spectral.solver = spectral::parse_solver(get<std::string>(inv, "solver"));
    job.spectral.transform = spectral::parse_transform(get<std::string>(inv, "transform"));
    job.spectral.precision = spectral::parse_precision(get<std::string>(inv, "precision"));
    job.images = get<long>(inv, "images");
    job.seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
    job.data_dir = get<std::string>(inv, "data-dir");
    auto& lo = job.localize;
    lo.bank.classifier.method = localize::parse_method(get<std::string>(inv, "method"));
    lo.bank.classifier.trees = get<int>(inv, "trees");
    lo.bank.classifier.threads = get<int>(inv, "threads");
    lo.bank.balance_layers = get<bool>(inv, "balance");
    lo.seed = job.seed;
    lo.bank.seed = inv.vm.count("forest-seed")
                       ? static_cast<std::uint64_t>(get<long>(inv, "forest-seed"))
                       : job.seed;
    lo.prior_weight = get<double>(inv, "prior-weight");
    job.out = get<std::string>(inv, "out");
    job.force = get<bool>(inv, "force");
    job.plan_only = get<bool>(inv, "plan");
    job.command_line = inv.command_line;
    job.options_text = inv.options_text;

    const pipeline::LocalizeOutcome outcome = pipeline::run_localize(job, MPI_COMM_WORLD);
    if (job.plan_only) {
      say("the plan fits " + std::to_string(mpi_size(MPI_COMM_WORLD)) +
          " rank(s) on these node(s) (" + std::to_string(outcome.recorded) + " of " +
          std::to_string(outcome.neurons) + " neurons recorded, " + std::to_string(outcome.tests) +
          " test neurons)");
      return 0;
    }
    print_table(outcome);
    dist::report_peak_resident(MPI_COMM_WORLD);
    say("wrote " + job.out);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
