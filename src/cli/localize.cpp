// `netinfer localize`: Algorithm 1 of 000 end to end for one or more feature
// sets on one split: responses (from a file or computed), spectra once per
// image set, features, classifier bank, confidence matrix, assignment, score.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/experiment/paper.hpp"
#include "netinfer/localize/features.hpp"
#include "netinfer/localize/localize.hpp"
#include "netinfer/localize/memory_plan.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/spectral/stage.hpp"
#include "netinfer/stimuli/idx.hpp"

namespace netinfer::cli {

namespace {

void write_result(h5::File& f, const std::string& g, const localize::RowMatrix& features,
                  const localize::LocalizeResult& r) {
  f.write(
      g + "/features", features.data(),
      {static_cast<std::uint64_t>(features.rows()), static_cast<std::uint64_t>(features.cols())});
  f.set_attr(g + "/features", "axes", std::string("neuron, feature"));
  f.write(g + "/tests", r.tests);
  f.write(g + "/assigned", r.assigned);
  f.set_attr(g + "/assigned", "axes", std::string("location assigned to tests[i] (neuron index)"));
  f.write(g + "/silent", r.silent);
  f.write(g + "/distance", r.score.distance);
  f.write(g + "/distance_symmetric", r.score.distance_symmetric);
  f.write(g + "/layer_error", r.score.layer);
  f.write(g + "/layer_active", r.score.layer_active);
  f.write(g + "/layer_silent", r.score.layer_silent);
  f.write(g + "/layer_symmetric", r.score.layer_symmetric);
  f.set_attr(g, "overall", r.score.overall);
  f.set_attr(g, "overall_symmetric", r.score.overall_symmetric);
  f.set_attr(g, "active", r.score.active);
  f.set_attr(g, "silent", r.score.silent);
  f.set_attr(g, "bank_seconds", r.bank_seconds);
  f.set_attr(g, "confidence_seconds", r.confidence_seconds);
  f.set_attr(g, "assignment_seconds", r.assignment_seconds);
  f.set_attr(g, "score_seconds", r.score_seconds);
}

}  // namespace

Command localize_command() {
  Command c;
  c.name = "localize";
  c.summary = "assign test neurons to locations from their responses (000, Algorithm 1)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("weights", po::value<std::string>()->default_value("lenet.h5"),
                    "network weights (netinfer or PyTorch state_dict layout)")(
        "responses", po::value<std::string>()->default_value(""),
        "responses file from `netinfer respond`; empty: compute the responses (kept in "
        "<out>.responses.h5)")(
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
        "seed", po::value<long>()->default_value(1), "seed of images, classifiers and shuffles")(
        "data-dir", po::value<std::string>()->default_value(stimuli::default_data_dir()),
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
  };
  c.run = [](const Invocation& inv) {
    MPI_Comm comm = MPI_COMM_WORLD;
    const auto seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
    const bool force = inv.vm["force"].as<bool>();
    const std::string out_path = get<std::string>(inv, "out");
    std::vector<localize::FeatureSetSpec> feature_sets;
    std::vector<std::string> needed;
    for (const auto& text : get<std::vector<std::string>>(inv, "feature-set")) {
      feature_sets.push_back(localize::parse_feature_set(text));
      for (const auto& s : feature_sets.back().sets) {
        if (std::find(needed.begin(), needed.end(), s) == needed.end()) needed.push_back(s);
      }
    }
    localize::FeatureOptions fo;
    fo.moments = get<int>(inv, "moments");
    fo.eigenvectors = get<int>(inv, "eigenvectors");
    spectral::SpectralOptions so;
    so.k = std::max(1, fo.eigenvectors);
    so.solver = spectral::parse_solver(get<std::string>(inv, "solver"));
    so.transform = spectral::parse_transform(get<std::string>(inv, "transform"));
    so.precision = spectral::parse_precision(get<std::string>(inv, "precision"));
    so.seed = seed;
    localize::LocalizeOptions lo;
    lo.bank.classifier.method = localize::parse_method(get<std::string>(inv, "method"));
    lo.bank.classifier.trees = get<int>(inv, "trees");
    lo.bank.classifier.threads = get<int>(inv, "threads");
    lo.bank.balance_layers = get<bool>(inv, "balance");
    lo.bank.seed = seed;
    lo.prior_weight = get<double>(inv, "prior-weight");
    lo.seed = seed;
    NI_REQUIRE(lo.bank.classifier.trees > 0, "--trees must be positive");
    NI_REQUIRE(lo.bank.classifier.threads > 0, "--threads must be positive");
    NI_REQUIRE(lo.prior_weight > 0 && lo.prior_weight < 1, "--prior-weight must lie in (0, 1)");
    const bool plan_only = inv.vm["plan"].as<bool>();
    if (!plan_only) h5::refuse_overwrite(out_path, force, comm);

    // Responses: given, or computed now into <out>.responses.h5. The network
    // and the split are checked before any long stage.
    std::string responses_path = get<std::string>(inv, "responses");
    const std::string layers = get<std::string>(inv, "architecture");
    NI_REQUIRE(layers.empty() || plan_only, "--architecture is for --plan (a run takes --weights)");
    std::unique_ptr<net::Network> network;
    if (!layers.empty()) {
      network = std::make_unique<net::Network>(net::Architecture::parse(layers));
    } else if (responses_path.empty()) {
      network = std::make_unique<net::Network>(net::load_weights(get<std::string>(inv, "weights")));
    } else {
      const h5::File probe(responses_path, h5::File::Mode::Read, comm);
      NI_REQUIRE(probe.has_attr("/network", "architecture"), responses_path,
                 ": not a responses file (no /network architecture)");
      network = std::make_unique<net::Network>(
          net::Architecture::parse(probe.attr_string("/network", "architecture")));
    }
    const net::Architecture arch = network->architecture();
    const localize::Split split =
        localize::make_split(arch, get<std::string>(inv, "split"), get<long>(inv, "split-seed"));
    stimuli::ImageSetOptions io;
    io.seed = seed;
    io.images = get<long>(inv, "images");
    NI_REQUIRE(io.images > 0, "--images must be positive");
    io.data_dir = get<std::string>(inv, "data-dir");
    io.shape = arch.shape(0);
    {
      // The memory plan, before any long stage.
      std::int64_t images = 0, width = 0;
      for (const auto& set : needed) {
        if (responses_path.empty()) {
          images = std::max(images, stimuli::make_image_set(set, io)->size());
        } else {
          const h5::File probe(responses_path, h5::File::Mode::Read, comm);
          const std::string matrix = "/responses/" + set + "/matrix";
          NI_REQUIRE(probe.exists(matrix), responses_path, ": no responses for image set ", set,
                     " (run netinfer respond with --sets including it)");
          images = std::max(images, static_cast<std::int64_t>(probe.dims(matrix)[1]));
        }
      }
      for (const auto& fs : feature_sets)
        width = std::max(
            width, static_cast<std::int64_t>(fs.sets.size()) * (fo.moments + fo.eigenvectors));
      localize::check_memory_plan({arch, images, fo.eigenvectors > 0, so, width,
                                   static_cast<std::int64_t>(split.test.size()), 0},
                                  comm, mpi_rank(comm) == 0);
    }
    if (plan_only) {
      say("the plan fits " + std::to_string(mpi_size(comm)) + " rank(s) on these node(s) (" +
          std::to_string(arch.neuron_count()) + " neurons, " + std::to_string(split.test.size()) +
          " test neurons)");
      return 0;
    }
    if (responses_path.empty()) {
      responses_path = out_path + ".responses.h5";
      h5::Output responses(responses_path, force, comm);
      h5::write_provenance(responses.file(), inv.command_line, inv.options_text);
      localize::respond_sets(*network, needed, io, responses.file(), comm);
      responses.commit();
    }
    const h5::File responses(responses_path, h5::File::Mode::Read, comm);
    const net::Graph graph(arch);

    h5::Output out(out_path, force, comm);
    h5::write_provenance(out.file(), inv.command_line, inv.options_text);
    localize::write_network(out.file(), arch);

    // Spectra once per image set, shared by every feature set that uses it.
    std::map<std::string, localize::SetFeatures> per_set;
    for (const auto& set : needed) {
      say("spectrum of " + set);
      auto f = localize::read_set_moments(responses, set);
      if (fo.eigenvectors > 0) {
        const auto s = spectral::compute_spectrum(responses, set, so, comm);
        spectral::write_spectrum(out.file(), s, so);
        char line[200];
        std::snprintf(line, sizeof line, "  read %.1f s, correlation %.1f s, eigensolver %.1f s",
                      s.read_seconds, s.correlation_seconds, s.solver_seconds);
        say(line);
        f.eigenvectors = s.eigenvectors;
      }
      per_set.emplace(set, std::move(f));
    }

    out.file().write("/splits/" + split.name + "/train", split.train);
    out.file().write("/splits/" + split.name + "/test", split.test);
    say("split " + split.name + ": " + std::to_string(split.train.size()) + " training, " +
        std::to_string(split.test.size()) + " test neurons");

    struct Row {
      std::string name;
      localize::LocalizeResult r;
      std::int64_t silent;
    };
    std::vector<Row> rows;
    for (const auto& fs : feature_sets) {
      say("feature set " + fs.name);
      std::vector<const localize::SetFeatures*> parts;
      // A neuron counts as silent for a feature set if it is silent in all its sets.
      std::vector<std::uint8_t> silent(arch.neuron_count(), 1);
      for (const auto& s : fs.sets) {
        parts.push_back(&per_set.at(s));
        for (std::int64_t i = 0; i < arch.neuron_count(); ++i) silent[i] &= per_set.at(s).silent[i];
      }
      const auto features = localize::build_features(parts, fo);
      auto r = localize::localize(graph, features, silent, split, lo, comm);
      const std::string g = "/localize/" + split.name + "/" + fs.name;
      write_result(out.file(), g, features, r);
      std::string sets;
      for (const auto& s : fs.sets) sets += (sets.empty() ? "" : ",") + s;
      out.file().set_attr(g, "sets", sets);
      std::int64_t n_silent = 0;
      for (auto s : r.silent) n_silent += s;
      char line[240];
      std::snprintf(line, sizeof line,
                    "  error %.3f (up to symmetry %.3f), active %.3f, silent %.3f; bank %.1f s, "
                    "confidence %.1f s, assignment %.1f s, score %.1f s",
                    r.score.overall, r.score.overall_symmetric, r.score.active, r.score.silent,
                    r.bank_seconds, r.confidence_seconds, r.assignment_seconds, r.score_seconds);
      say(line);
      rows.push_back({fs.name, std::move(r), n_silent});
    }
    out.commit();

    // The summary table.
    std::string header = "\nfeature set          error  sym.err  active  silent  #silent  paper";
    for (int l = 0; l < arch.layer_count(); ++l) header += "  " + arch.name(l);
    say(header);
    for (const auto& row : rows) {
      char line[200];
      const double paper = experiment::paper_feature_set(row.name);
      std::snprintf(line, sizeof line, "%-20s %6.3f  %7.3f  %6.3f  %6.3f  %7lld  %5s",
                    row.name.c_str(), row.r.score.overall, row.r.score.overall_symmetric,
                    row.r.score.active, row.r.score.silent, static_cast<long long>(row.silent),
                    std::isnan(paper) ? "-" : (std::to_string(paper).substr(0, 4)).c_str());
      std::string text = line;
      for (int l = 0; l < arch.layer_count(); ++l) {
        char cell[32];
        std::snprintf(cell, sizeof cell, "  %*.2f", static_cast<int>(arch.name(l).size()),
                      row.r.score.layer[l]);
        text += cell;
      }
      say(text);
    }
    say("(paper: digit-MNIST LeNet, 000 §6.1; error = mean over layers of the RMS graph distance)");
    dist::report_peak_resident(comm);
    say("wrote " + out_path);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
