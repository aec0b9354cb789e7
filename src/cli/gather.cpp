// `netinfer gather --out merged.h5 a.h5 b.h5 ...`: merges the results files of
// one experiment job (an array job's slices) into one file (see
// include/netinfer/experiment/gather.hpp and slurm/gather.sbatch).
#include <algorithm>

#include "netinfer/cli/command.hpp"
#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/experiment/gather.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/io/output_path.hpp"

namespace netinfer::cli {

Command gather_command() {
  Command c;
  c.name = "gather";
  c.summary =
      "merge the results files of one experiment job (array tasks' slices) into one "
      "(netinfer gather --out OUT A.h5 B.h5 ...)";
  c.add_options = [](po::options_description& o) {
    o.add_options()("inputs", po::value<std::vector<std::string>>()->multitoken(),
                    "the job's results files (slices, finished or .partial; or give them as "
                    "the words after `gather`)")(
        "out", po::value<std::string>()->default_value("experiment.h5"),
        "merged file (<out>.partial unless every run of the job is in it)")(
        "force", po::bool_switch(), "replace an existing --out");
  };
  c.positional = "inputs";
  c.run = [](const Invocation& inv) {
    NI_REQUIRE(mpi_size() == 1, "netinfer gather: run it as one process, not under mpirun -np ",
               mpi_size());
    experiment::GatherOptions o;
    if (inv.vm.count("inputs")) o.inputs = get<std::vector<std::string>>(inv, "inputs");
    o.out = get<std::string>(inv, "out");
    o.force = get<bool>(inv, "force");
    h5::check_output_path(o.out, o.force, "--out");
    o.command_line = inv.command_line;
    o.options_text = inv.options_text;
    const auto s = experiment::gather(o);
    say("gathered " + std::to_string(s.copied) + " of " + std::to_string(s.runs_in_job) +
        " runs from " + std::to_string(o.inputs.size()) + " files (" +
        std::to_string(s.duplicates) + " duplicate runs agreed)");
    const std::size_t shown = std::min<std::size_t>(s.missing.size(), 20);
    for (std::size_t i = 0; i < shown; ++i) say("  missing: " + s.missing[i]);
    if (shown < s.missing.size())
      say("  ... and " + std::to_string(s.missing.size() - shown) + " more");
    NI_REQUIRE(s.complete, "netinfer gather: ", s.missing.size(), " of ", s.runs_in_job,
               " runs are in no input; wrote ", h5::Output::partial_name(o.out));
    say("wrote " + o.out);
    return 0;
  };
  return c;
}

}  // namespace netinfer::cli
