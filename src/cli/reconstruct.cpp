// `netinfer reconstruct train|infer|evaluate`: the connectivity-reconstruction
// workflow of 001. The three stages share one option set, so one job file
// section drives them all:
//   train     --train-data spikes.h5 --model model.h5
//   infer     --model model.h5 --data test.h5 --predictions predictions.h5
//   evaluate  --data test.h5 --predictions predictions.h5 --results results.h5
#include <cmath>
#include <cstdio>
#include <memory>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/reconstruct/dense_model.hpp"
#include "netinfer/reconstruct/evaluation.hpp"
#include "netinfer/reconstruct/inference.hpp"
#include "netinfer/reconstruct/locality_model.hpp"
#include "netinfer/reconstruct/training.hpp"

namespace netinfer::cli {

namespace {

std::string required(const Invocation& inv, const std::string& key) {
  NI_REQUIRE(inv.vm.count(key), "netinfer reconstruct: --", key, " is required");
  return get<std::string>(inv, key);
}

// The options' ranges, checked before any file is read.
void check_ranges(const Invocation& inv) {
  const std::string kind = get<std::string>(inv, "kind");
  NI_REQUIRE(kind == "locality" || kind == "dense", "--kind must be 'locality' or 'dense', got '",
             kind, "'");
  for (const char* key :
       {"b", "d", "layers", "hidden", "windows", "batch", "steps", "validate-every"}) {
    const int value = get<int>(inv, key);
    NI_REQUIRE(value >= 1, "--", key, " must be at least 1 (got ", value, ")");
  }
  const double rate = get<double>(inv, "learning-rate");
  NI_REQUIRE(std::isfinite(rate) && rate > 0, "--learning-rate must be a positive number (got ",
             rate, ")");
  const long seed = get<long>(inv, "seed");
  NI_REQUIRE(seed >= 0, "--seed must be non-negative (got ", seed, ")");
}

int train_stage(const Invocation& inv) {
  namespace rc = reconstruct;
  const std::string data_path = required(inv, "train-data"), model_path = required(inv, "model");
  const bool force = get<bool>(inv, "force");
  h5::check_output_path(model_path, force, "--model");
  const int b = get<int>(inv, "b");
  const long n_train = get<long>(inv, "train-samples"),
             n_valid = get<long>(inv, "validation-samples");
  const auto seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
  NI_REQUIRE(n_train > 0 && n_valid >= 0,
             "--train-samples must be positive and --validation-samples >= 0");

  const auto data = rc::read_spike_file(data_path);
  auto samples = rc::enumerate_samples(data, b, get<int>(inv, "windows"), data_path);
  NI_REQUIRE(static_cast<long>(samples.size()) >= n_train + n_valid, data_path, ": has ",
             samples.size(), " samples, --train-samples ", n_train, " + --validation-samples ",
             n_valid, " are asked for");
  // A seeded shuffle decides which samples train and which validate.
  Stream rng(seed, purpose_id("split"), 0);
  for (std::size_t k = samples.size() - 1; k > 0; --k)
    std::swap(samples[k], samples[rng.below(k + 1)]);
  std::vector<rc::Example> training, validation;
  for (long k = 0; k < n_train + n_valid; ++k)
    (k < n_train ? training : validation).push_back(rc::make_example(data, samples[k], b));

  std::unique_ptr<rc::Model> model;
  const std::string kind = get<std::string>(inv, "kind");
  if (kind == "locality") {
    model = std::make_unique<rc::LocalityModel>(b, get<int>(inv, "d"), get<int>(inv, "layers"));
  } else {  // dense (check_ranges refused any other kind)
    for (const auto& g : data)
      NI_REQUIRE(g.n == data[0].n, data_path,
                 ": the dense model needs one network size, found n = ", data[0].n,
                 " and n = ", g.n);
    model = std::make_unique<rc::DenseModel>(data[0].n, b, get<int>(inv, "hidden"));
  }
  model->initialise(seed);
  say("training a " + kind + " model with " + std::to_string(model->parameters().values().size()) +
      " parameters on " + std::to_string(training.size()) + " samples");

  rc::TrainOptions options;
  options.steps = get<int>(inv, "steps");
  options.batch = get<int>(inv, "batch");
  options.learning_rate = get<double>(inv, "learning-rate");
  options.validate_every = get<int>(inv, "validate-every");
  options.seed = seed;
  const auto log = rc::train(*model, training, validation, options, MPI_COMM_WORLD);

  h5::Output out(model_path, force, MPI_COMM_WORLD);
  h5::File& file = out.file();
  h5::write_provenance(file, inv.command_line, inv.options_text);
  rc::save_model(*model, file);
  const std::string group = "/reconstruct/training";
  file.write(group + "/loss", log.loss);
  file.write(group + "/validation_step", log.validation_step);
  file.write(group + "/validation_loss", log.validation_loss);
  file.set_attr(group, "seconds", log.seconds);
  file.set_attr(group, "batch", options.batch);
  file.set_attr(group, "learning_rate", options.learning_rate);
  file.set_attr(group, "training_samples", static_cast<std::int64_t>(n_train));
  file.set_attr(group, "validation_samples", static_cast<std::int64_t>(n_valid));
  file.set_attr(group, "ranks", mpi_size());
  file.set_attr(group, "train_data", data_path);
  out.commit();
  char line[256];
  std::snprintf(
      line, sizeof line,
      "trained %d steps in %.1f s (%.0f steps/s); final batch loss %.4f, validation loss %.4f",
      options.steps, log.seconds, options.steps / log.seconds, log.loss.back(),
      log.validation_loss.empty() ? std::nan("") : log.validation_loss.back());
  say(line);
  say("wrote " + model_path);
  return 0;
}

int infer_stage(const Invocation& inv) {
  namespace rc = reconstruct;
  const std::string model_path = required(inv, "model"), data_path = required(inv, "data"),
                    out_path = required(inv, "predictions");
  const bool force = get<bool>(inv, "force");
  h5::check_output_path(out_path, force, "--predictions");
  const auto model = rc::load_model(h5::File(model_path, h5::File::Mode::Read));
  const auto data = rc::read_spike_file(data_path);
  const int windows = get<int>(inv, "windows");
  const auto predictions = rc::infer(*model, data, windows, data_path, MPI_COMM_WORLD);
  h5::Output out(out_path, force, MPI_COMM_WORLD);
  h5::write_provenance(out.file(), inv.command_line, inv.options_text);
  rc::write_predictions(out.file(), *model, data, predictions, windows);
  out.file().set_attr("/reconstruct/predictions", "model", model_path);
  out.file().set_attr("/reconstruct/predictions", "data", data_path);
  out.commit();
  say("wrote " + out_path);
  return 0;
}

int evaluate_stage(const Invocation& inv) {
  namespace rc = reconstruct;
  const std::string data_path = required(inv, "data"), pred_path = required(inv, "predictions"),
                    out_path = required(inv, "results");
  const bool force = get<bool>(inv, "force");
  h5::check_output_path(out_path, force, "--results");
  const auto data = rc::read_spike_file(data_path);
  const auto results =
      rc::evaluate(h5::File(pred_path, h5::File::Mode::Read), data, MPI_COMM_WORLD);
  h5::Output out(out_path, force, MPI_COMM_WORLD);
  h5::write_provenance(out.file(), inv.command_line, inv.options_text);
  rc::write_results(out.file(), results);
  out.commit();
  char line[256];
  for (const auto& r : results) {
    std::snprintf(line, sizeof line, "  %-30s n %4d  loss %.3f  exact %.3f  AUROC model %.3f",
                  r.spec.c_str(), r.n, r.loss, r.exact, r.methods[0].auroc);
    say(line);
    std::string timing = "    baselines, seconds:";
    for (std::size_t m = 1; m < r.methods.size(); ++m) {
      std::snprintf(line, sizeof line, " %s %.2f", r.methods[m].method.c_str(),
                    r.methods[m].seconds);
      timing += line;
    }
    say(timing);
  }
  say("wrote " + out_path + " (netinfer report " + out_path + " prints the table)");
  return 0;
}

}  // namespace

Command reconstruct_command() {
  Command c;
  c.name = "reconstruct";
  c.summary = "connectivity from spikes: reconstruct train|infer|evaluate";
  c.add_options = [](po::options_description& o) {
    o.add_options()("action", po::value<std::string>(),
                    "train, infer or evaluate (or give it as the word after `reconstruct`)")(
        "train-data", po::value<std::string>(), "train: spike file to learn from")(
        "data", po::value<std::string>(), "infer, evaluate: spike file to reconstruct")(
        "model", po::value<std::string>(), "train: model file to write; infer: model to apply")(
        "predictions", po::value<std::string>(), "infer: file to write; evaluate: file to score")(
        "results", po::value<std::string>(), "evaluate: results file to write")(
        "kind", po::value<std::string>()->default_value("locality"),
        "locality (the graph-locality model) or dense (the benchmark model of Sartoris §4.1)")(
        "b", po::value<int>()->default_value(8), "time steps per sample")(
        "d", po::value<int>()->default_value(5), "features per neuron pair (locality model)")(
        "layers", po::value<int>()->default_value(1), "graph-locality layers (locality model)")(
        "hidden", po::value<int>()->default_value(64), "hidden units (dense model)")(
        "windows", po::value<int>()->default_value(1),
        "samples per simulation: consecutive windows of b steps from the start")(
        "batch", po::value<int>()->default_value(32), "batch size")(
        "learning-rate", po::value<double>()->default_value(5e-4), "Adam's initial learning rate")(
        "steps", po::value<int>()->default_value(20000), "training steps")(
        "train-samples", po::value<long>()->default_value(18000), "training samples")(
        "validation-samples", po::value<long>()->default_value(4500), "validation samples")(
        "validate-every", po::value<int>()->default_value(1000), "steps between validation losses")(
        "seed", po::value<long>()->default_value(1), "initialisation, split and batch order")(
        "force", po::bool_switch(), "replace an existing output file");
  };
  c.positional = "action";
  c.run = [](const Invocation& inv) {
    const std::string action = inv.vm.count("action") ? get<std::string>(inv, "action") : "";
    check_ranges(inv);
    if (action == "train") return train_stage(inv);
    if (action == "infer") return infer_stage(inv);
    if (action == "evaluate") return evaluate_stage(inv);
    NI_FAIL("netinfer reconstruct: action must be train, infer or evaluate, got '", action, "'");
  };
  return c;
}

}  // namespace netinfer::cli
