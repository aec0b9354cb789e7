// `netinfer experiment`: one experiment of Dyer & Griffin 2022 §6 as a fanned-out, resumable
// batch job (see include/netinfer/experiment/engine.hpp and jobs/fig14.ini).
#include <cstdio>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/experiment/engine.hpp"
#include "netinfer/experiment/report.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/stimuli/idx.hpp"

namespace netinfer::cli {

namespace {

std::vector<std::string> values(const Invocation& inv, const std::string& key) {
  return inv.vm.count(key) ? get<std::vector<std::string>>(inv, key) : std::vector<std::string>{};
}

// The end-of-job figures of issue 5, item 4: wall time per stage and the
// parts of the run time.
void print_times(const experiment::JobSummary& s) {
  const double total = std::max(s.total_seconds, 1e-9), run = std::max(s.run_seconds, 1e-9);
  char line[600];
  std::snprintf(
      line, sizeof line,
      "\nstage times (this invocation, %.1f s wall):\n"
      "  responses  %8.1f s  %5.1f%%\n  spectra    %8.1f s  %5.1f%%\n"
      "  runs       %8.1f s  %5.1f%%\n  other      %8.1f s  %5.1f%%\n"
      "run time summed over ranks %.1f s: bank %.1f%%, confidence %.1f%%, "
      "assignment %.1f%%, score %.1f%%, silent floor %.1f%%",
      s.total_seconds, s.responses_seconds, 100 * s.responses_seconds / total, s.spectra_seconds,
      100 * s.spectra_seconds / total, s.runs_seconds, 100 * s.runs_seconds / total,
      s.total_seconds - s.responses_seconds - s.spectra_seconds - s.runs_seconds,
      100 * (s.total_seconds - s.responses_seconds - s.spectra_seconds - s.runs_seconds) / total,
      s.run_seconds, 100 * s.bank_seconds / run, 100 * s.confidence_seconds / run,
      100 * s.assignment_seconds / run, 100 * s.score_seconds / run, 100 * s.floor_seconds / run);
  say(line);
}

}  // namespace

Command experiment_command() {
  Command c;
  c.name = "experiment";
  c.summary =
      "run an experiment of Dyer & Griffin 2022 §6 as a resumable job of many runs "
      "(jobs/fig14.ini)";
  c.add_options = [](po::options_description& o) {
    using strings = std::vector<std::string>;
    o.add_options()("weights", po::value<std::string>()->default_value("lenet.h5"),
                    "network weights (netinfer or PyTorch state_dict layout)")(
        "out", po::value<std::string>()->default_value("experiment.h5"),
        "results file (<out>.partial until complete)")(
        "scratch", po::value<std::string>()->default_value(""),
        "directory of shared inputs (responses, spectra), which jobs may share; default "
        "<out>.scratch")("name", po::value<std::string>()->default_value("experiment"),
                         "the job's title in the report")(
        "feature-set", po::value<strings>()->multitoken(),
        "axis: an image set, or NAME=SET1,SET2,... to concatenate (repeatable)")(
        "split", po::value<strings>()->multitoken(),
        "axis: perfect | random[:<train>[:<test>]][*N] (N random splits; repeatable)")(
        "moments", po::value<strings>()->multitoken(),
        "axis: response moments per set, 0-4 (lists 1,2 and ranges 0..4; default 2)")(
        "eigenvectors", po::value<strings>()->multitoken(),
        "axis: leading eigenvectors per set (lists, ranges; default 16)")(
        "transform", po::value<strings>()->multitoken(),
        "axis: cm | abs | cm^2 | abs(cm^3) | cm^4 (default abs)")(
        "method", po::value<strings>()->multitoken(), "axis: rf | nn | dt | lr (default rf)")(
        "balance", po::value<strings>()->multitoken(),
        "axis: layer-balance the layer classifier's training set, true | false (default true)")(
        "images", po::value<strings>()->multitoken(),
        "axis: images per set that is not fixed-size (lists, ranges; default 10000)")(
        "forest-seed", po::value<strings>()->multitoken(),
        "axis: seed of the classifier bank alone, which keeps each run's images, spectra, "
        "split and test shuffle (lists, ranges; default: the run's own seed)")(
        "seed", po::value<long>()->default_value(1), "seed of images, spectra and runs")(
        "data-dir", po::value<std::string>()->default_value(stimuli::default_data_dir()),
        "IDX directory for the MNIST-based sets")(
        "group-size", po::value<int>()->default_value(1),
        "ranks per run group (a run's classifier bank fans out within its group)")(
        "threads", po::value<int>()->default_value(1), "classifier threads per rank")(
        "max-runs", po::value<long>()->default_value(-1),
        "do at most this many of the remaining runs now, then stop (resume later; < 0: all)")(
        "slice", po::value<std::string>()->default_value("0/1"),
        "I/N: do only slice I (0-based) of N of the job's runs (an array task's share, the "
        "same at any rank count); --out is the slice's own file, `netinfer gather` merges "
        "them")("keep-responses", po::bool_switch(),
                "keep the response matrices in the scratch directory")(
        "force", po::bool_switch(),
        "discard earlier results of --out (and <out>.scratch; a --scratch is kept)")(
        "plots", po::value<std::string>()->default_value(""),
        "when the job is complete, also draw its figures into this directory");
    add_method_options(o);
  };
  c.run = [](const Invocation& inv) {
    experiment::EngineOptions o;
    o.axes.feature_sets = values(inv, "feature-set");
    o.axes.splits = values(inv, "split");
    o.axes.moments = values(inv, "moments");
    o.axes.eigenvectors = values(inv, "eigenvectors");
    o.axes.transforms = values(inv, "transform");
    o.axes.methods = values(inv, "method");
    o.axes.balance = values(inv, "balance");
    o.axes.images = values(inv, "images");
    o.axes.forest_seeds = values(inv, "forest-seed");
    o.settings.seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
    o.settings.trees = get<int>(inv, "trees");
    o.settings.prior_weight = get<double>(inv, "prior-weight");
    o.settings.solver = get<std::string>(inv, "solver");
    o.settings.precision = get<std::string>(inv, "precision");
    o.settings.data_dir = get<std::string>(inv, "data-dir");
    o.weights = get<std::string>(inv, "weights");
    o.out = get<std::string>(inv, "out");
    o.scratch = get<std::string>(inv, "scratch");
    o.name = get<std::string>(inv, "name");
    o.command_line = inv.command_line;
    o.options_text = inv.options_text;
    o.force = get<bool>(inv, "force");
    o.keep_responses = get<bool>(inv, "keep-responses");
    o.group_size = get<int>(inv, "group-size");
    o.threads = get<int>(inv, "threads");
    o.max_runs = get<long>(inv, "max-runs");
    o.slice = experiment::parse_slice(get<std::string>(inv, "slice"));
    h5::check_output_location(o.out, "--out");  // before any long stage
    const auto summary = experiment::run_job(o, MPI_COMM_WORLD);
    print_times(summary);
    dist::report_peak_resident(MPI_COMM_WORLD);
    if (!summary.complete) {
      say((o.slice.whole() ? "job" : "slice " + o.slice.text()) +
          " incomplete: " + std::to_string(summary.done_before + summary.done_now) + " of " +
          std::to_string(summary.runs) + " runs in " + h5::Output::partial_name(o.out) +
          "; rerun the same command to continue");
      return 0;
    }
    if (mpi_rank() == 0) {
      const h5::File file(o.out, h5::File::Mode::Read);
      say("\n" + experiment::format_report(file));
      const std::string plots = get<std::string>(inv, "plots");
      if (!plots.empty()) {
        for (const auto& png : experiment::write_plots(file, plots)) say("wrote " + png);
      }
    }
    say("wrote " + o.out);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
