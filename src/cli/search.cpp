// `netinfer search`: the random search for perfect PATCH feature sets of Dyer & Griffin 2022
// §6.4 (see include/netinfer/search/search.hpp and jobs/search_patch.ini).
#include "netinfer/search/search.hpp"
#include "netinfer/cli/command.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/search/table.hpp"

namespace netinfer::cli {

Command search_command() {
  Command c;
  c.name = "search";
  c.summary =
      "random search for PATCH feature sets with zero error up to symmetry (Dyer & Griffin 2022 "
      "§6.4; "
      "jobs/search_patch.ini)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("networks", po::value<std::string>()->default_value("lenet.h5"),
                    "weights files, comma-separated, of one architecture; a candidate is "
                    "perfect only with zero error up to symmetry on every one")(
        "out", po::value<std::string>()->default_value("search.h5"),
        "results file, one group per candidate (<out>.partial until the search stops by "
        "its own rule; rerun to resume)")(
        "scratch", po::value<std::string>()->default_value(""),
        "cache directory of the image sets' spectra, per network, which searches may share; "
        "default <out>.scratch")(
        "cache", po::value<bool>()->default_value(true),
        "reuse the spectra of image sets across candidates (false: every candidate computes "
        "its own, for benchmarks)")(
        "budget", po::value<long>()->default_value(100),
        "stop when the results file holds this many candidates (0: no limit)")(
        "hours", po::value<double>()->default_value(0),
        "start no candidate after this many hours of this invocation (0: no limit)")(
        "target", po::value<double>()->default_value(0),
        "stop at the first candidate whose error up to symmetry is at most this on every "
        "network (0: a perfect one)")(
        "seed", po::value<long>()->default_value(1),
        "seed of the candidate sequence, the spectra and the classifiers")(
        "stream", po::value<int>()->default_value(0),
        "this task's stream, 0..streams-1 (e.g. $SLURM_ARRAY_TASK_ID): it evaluates every "
        "streams-th candidate of the sequence, so tasks never share one")(
        "streams", po::value<int>()->default_value(1),
        "number of streams (array tasks) sharing the sequence")(
        "pool", po::value<int>()->default_value(8),
        "width subsets shared by all candidates (each set picks one; 4 x pool image sets in "
        "all); 0: every set draws its own subset")(
        "max-width", po::value<int>()->default_value(0),
        "patch widths are drawn from [1, max-width] (0: the input's larger side, 28 for LeNet)")(
        "width-probability", po::value<double>()->default_value(0.2, "0.2"),
        "chance that a width of [1, input size] is in a drawn subset (redrawn while empty)")(
        "max-eigenvectors", po::value<int>()->default_value(40),
        "candidates take 1..this many eigenvectors per set; every set's spectrum is "
        "computed (and cached) with this many")("threads", po::value<int>()->default_value(1),
                                                "classifier threads per rank")(
        "force", po::bool_switch(),
        "discard an earlier results file of --out (and <out>.scratch; a --scratch is kept)");
    add_method_options(o);
  };
  c.run = [](const Invocation& inv) {
    search::SearchOptions o;
    o.networks = split_list(get<std::string>(inv, "networks"));
    o.out = get<std::string>(inv, "out");
    o.scratch = get<std::string>(inv, "scratch");
    o.command_line = inv.command_line;
    o.options_text = inv.options_text;
    o.space.pool = get<int>(inv, "pool");
    o.space.max_width = get<int>(inv, "max-width");
    o.space.width_probability = get<double>(inv, "width-probability");
    o.space.max_eigenvectors = get<int>(inv, "max-eigenvectors");
    o.evaluate.seed = static_cast<std::uint64_t>(get<long>(inv, "seed"));
    o.evaluate.trees = get<int>(inv, "trees");
    o.evaluate.threads = get<int>(inv, "threads");
    o.evaluate.max_eigenvectors = o.space.max_eigenvectors;
    o.evaluate.prior_weight = get<double>(inv, "prior-weight");
    o.evaluate.solver = get<std::string>(inv, "solver");
    o.evaluate.precision = get<std::string>(inv, "precision");
    o.evaluate.cache = get<bool>(inv, "cache");
    o.stream = get<int>(inv, "stream");
    o.streams = get<int>(inv, "streams");
    o.budget = get<long>(inv, "budget");
    o.hours = get<double>(inv, "hours");
    o.target = get<double>(inv, "target");
    o.force = get<bool>(inv, "force");
    h5::check_output_location(o.out, "--out");  // before any long stage
    const auto summary = search::run_search(o, MPI_COMM_WORLD);
    say(search::summary_text(summary, o.out));
    say("wrote " + o.out);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
