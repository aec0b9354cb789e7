#include "netinfer/localize/memory_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/localize/assignment.hpp"
#include "netinfer/localize/confidence.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::localize {

std::vector<StageMemory> memory_plan(const PlanInputs& in, int ranks, std::uint64_t available) {
  const net::Architecture& arch = in.network.architecture();
  const std::uint64_t all = arch.neuron_count(), d = sizeof(double);
  const std::uint64_t n = in.recorded > 0 ? in.recorded : all;
  const std::uint64_t batch = forward_images(arch);
  // Images go to ranks in whole chunks: the largest shard has this many.
  const std::int64_t chunks = (in.images + kMomentChunk - 1) / kMomentChunk;
  const std::uint64_t shard_images = (chunks + ranks - 1) / ranks * kMomentChunk;
  // The recorded rows of the shard, and one forward call: its images, the
  // activations of the whole network and the scratch of its ops.
  const std::uint64_t responses =
      n * shard_images * d + (arch.shape(0).size() + all) * batch * d +
      in.network.forward_scratch_bytes(static_cast<std::int64_t>(batch));
  const std::uint64_t classifiers = n * static_cast<std::uint64_t>(in.features) * d + in.loaded;
  const bool stored = store_dense_costs(in.tests, available);
  const std::uint64_t cost =
      ConfidenceTables::bytes(arch, in.tests) +
      (stored ? static_cast<std::uint64_t>(in.tests) * in.tests * sizeof(float) : 0);
  const std::uint64_t solver =
      stored ? assignment_workspace_bytes(in.tests) : sparse_assignment_bytes(in.tests);
  std::vector<StageMemory> plan;
  plan.push_back({"responses", responses, responses});
  if (in.spectral) {
    const auto s =
        spectral::phase_bytes_per_rank(static_cast<std::int64_t>(n), in.images, in.options, ranks);
    plan.push_back({"correlation", s.correlation, s.correlation});
    plan.push_back({"eigensolver", s.eigensolver, s.eigensolver});
  }
  plan.push_back({"classifiers", classifiers, classifiers});
  plan.push_back({"confidence", classifiers + cost, classifiers});
  plan.push_back({"assignment", classifiers + cost + solver, classifiers});
  for (auto& stage : plan) {
    stage.rank0 += in.resident;
    stage.other += in.resident;
  }
  return plan;
}

namespace {

// The largest stage on rank 0 and on the other ranks.
StageMemory peaks(const std::vector<StageMemory>& plan) {
  StageMemory p{"peak", 0, 0};
  for (const auto& s : plan) {
    p.rank0 = std::max(p.rank0, s.rank0);
    p.other = std::max(p.other, s.other);
  }
  return p;
}

// r of n as a --record fraction rounded down to 3 significant digits.
std::string record_fraction(std::int64_t r, std::int64_t n) {
  if (r >= n) return "all";
  const double f = static_cast<double>(r) / static_cast<double>(n);
  const int digits = 2 - static_cast<int>(std::floor(std::log10(f)));
  const double unit = std::pow(10.0, -digits);
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", std::max(digits, 1), std::floor(f / unit) * unit);
  return text;
}

}  // namespace

std::uint64_t node_bytes(const std::vector<StageMemory>& plan, int ranks_per_node, int heavy) {
  const StageMemory p = peaks(plan);
  heavy = std::min(heavy, ranks_per_node);
  return heavy * p.rank0 + static_cast<std::uint64_t>(ranks_per_node - heavy) * p.other;
}

std::int64_t largest_recording(const PlanInputs& in, int nodes, int ranks_per_node, int heavy,
                               std::uint64_t available) {
  const std::int64_t all = in.network.architecture().neuron_count();
  const std::int64_t now = in.recorded > 0 ? in.recorded : all;
  auto fits = [&](std::int64_t r) {
    PlanInputs p = in;
    p.recorded = r;
    p.tests = std::max<std::int64_t>(1, in.tests * r / now);
    return node_bytes(memory_plan(p, nodes * ranks_per_node, available), ranks_per_node, heavy) <=
           available;
  };
  if (!fits(1)) return 0;
  std::int64_t lo = 1, hi = all;  // fits(lo); the answer lies in [lo, hi]
  while (lo < hi) {
    const std::int64_t mid = hi - (hi - lo) / 2;
    if (fits(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

int nodes_needed(const PlanInputs& in, int ranks_per_node, int heavy, std::uint64_t available) {
  for (int nodes = 1; nodes <= 4096; ++nodes) {
    const auto plan = memory_plan(in, nodes * ranks_per_node, available);
    if (node_bytes(plan, ranks_per_node, heavy) <= available) return nodes;
  }
  return 0;
}

void check_memory_plan(const PlanInputs& in, MPI_Comm comm, bool heavy, bool recordable) {
  // What the process holds already (libraries, MPI, the network) comes on
  // top of every stage: the largest rank's resident set now.
  PlanInputs with = in;
  unsigned long long resident = dist::resident_bytes();
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, &resident, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, comm));
  with.resident = resident;
  // Rank 0's figure, so that every rank plans the same cost storage.
  unsigned long long available = dist::available_bytes();
  NI_MPI(MPI_Bcast(&available, 1, MPI_UNSIGNED_LONG_LONG, 0, comm));
  const auto plan = memory_plan(with, mpi_size(comm), available);
  const StageMemory peak = peaks(plan);
  std::string line = "memory per rank:";
  for (const auto& s : plan) {
    line += " " + s.stage + " " + dist::format_bytes(s.rank0);
    if (s.other != s.rank0) line += " (rank 0; others " + dist::format_bytes(s.other) + ")";
    line += ",";
  }
  say(line + " peak " + dist::format_bytes(peak.rank0) + " (each with the process's " +
      dist::format_bytes(with.resident) + ")");
  // The refusal names how many nodes like rank 0's (as many ranks, as many of
  // them running the assignment) would hold the run.
  MPI_Comm node;
  NI_MPI(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node));
  int shape[2] = {mpi_size(node), 0}, one = heavy ? 1 : 0;
  NI_MPI(MPI_Allreduce(&one, &shape[1], 1, MPI_INT, MPI_SUM, node));
  NI_MPI(MPI_Comm_free(&node));
  NI_MPI(MPI_Bcast(shape, 2, MPI_INT, 0, comm));
  const int nodes = nodes_needed(with, shape[0], std::max(shape[1], 1), available);
  std::string advice = std::to_string(nodes) + " node(s) like this one with " +
                       std::to_string(shape[0]) + " rank(s) each would hold it";
  if (nodes == 0) {
    // The assignment stage on rank 0 does not shrink with more ranks.
    advice = plan.back().rank0 > available
                 ? "no number of nodes holds it: rank 0's assignment stage alone exceeds a "
                   "node; use fewer test neurons"
                 : "more than 4096 nodes like this one would be needed; use fewer images or a "
                   "smaller network";
  }
  if (recordable) {
    // What these nodes hold when only part of the network is recorded.
    const int here = (mpi_size(comm) + shape[0] - 1) / shape[0];
    const std::int64_t r =
        largest_recording(with, here, shape[0], std::max(shape[1], 1), available);
    const std::string most =
        r == 0 ? "no recording fits: one forward call of the whole network does not"
               : "the largest recording these " + std::to_string(here) + " node(s) hold is " +
                     std::to_string(r) + " of " +
                     std::to_string(with.network.architecture().neuron_count()) +
                     " neurons (--record " +
                     record_fraction(r, in.network.architecture().neuron_count()) + ")";
    say(most);
    advice += "; or " + most;
  }
  dist::require_memory(heavy ? peak.rank0 : peak.other, "memory plan", comm, advice);
}

}  // namespace netinfer::localize
