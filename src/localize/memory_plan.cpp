#include "netinfer/localize/memory_plan.hpp"

#include <algorithm>
#include <cstdio>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/localize/assignment.hpp"
#include "netinfer/localize/confidence.hpp"
#include "netinfer/localize/responses.hpp"

namespace netinfer::localize {

std::vector<StageMemory> memory_plan(const net::Architecture& arch, std::int64_t images,
                                     bool spectral, const spectral::SpectralOptions& options,
                                     std::int64_t features, std::int64_t tests, int ranks,
                                     std::uint64_t available) {
  const std::uint64_t n = arch.neuron_count(), d = sizeof(double);
  // Images go to ranks in whole chunks: the largest shard has this many.
  const std::int64_t chunks = (images + kMomentChunk - 1) / kMomentChunk;
  const std::uint64_t shard_images = (chunks + ranks - 1) / ranks * kMomentChunk;
  std::uint64_t im2col = 0;  // one chunk's patches of the widest conv layer
  for (int l = 1; l < arch.layer_count(); ++l) {
    const auto& spec = arch.spec(l);
    if (spec.kind != net::LayerKind::Conv) continue;
    const std::uint64_t fan_in =
        static_cast<std::uint64_t>(arch.shape(l - 1).families) * spec.kernel * spec.kernel;
    const std::uint64_t positions =
        static_cast<std::uint64_t>(arch.shape(l).height) * arch.shape(l).width;
    im2col = std::max(im2col, kMomentChunk * positions * fan_in * d);
  }
  const std::uint64_t responses = n * shard_images * d + 2 * n * kMomentChunk * d + im2col;
  const std::uint64_t classifiers = n * static_cast<std::uint64_t>(features) * d;
  const std::uint64_t cost = ConfidenceTables::bytes(arch, tests) +
                             (store_dense_costs(tests, available)
                                  ? static_cast<std::uint64_t>(tests) * tests * sizeof(float)
                                  : 0);
  const std::uint64_t solver = assignment_workspace_bytes(tests);
  std::vector<StageMemory> plan;
  plan.push_back({"responses", responses, responses});
  if (spectral) {
    const std::uint64_t s =
        spectral::peak_bytes_per_rank(static_cast<std::int64_t>(n), images, options, ranks);
    plan.push_back({"spectral", s, s});
  }
  plan.push_back({"classifiers", classifiers, classifiers});
  plan.push_back({"confidence", classifiers + cost, classifiers});
  plan.push_back({"assignment", classifiers + cost + solver, classifiers});
  return plan;
}

void check_memory_plan(const std::vector<StageMemory>& plan, MPI_Comm comm) {
  std::uint64_t peak0 = 0, peak = 0;
  std::string line = "memory per rank:";
  for (const auto& s : plan) {
    line += " " + s.stage + " " + dist::format_bytes(s.rank0);
    if (s.other != s.rank0) line += " (rank 0; others " + dist::format_bytes(s.other) + ")";
    line += ",";
    peak0 = std::max(peak0, s.rank0);
    peak = std::max(peak, s.other);
  }
  say(line + " peak " + dist::format_bytes(peak0));
  dist::require_memory(mpi_rank(comm) == 0 ? peak0 : peak, "localize memory plan", comm);
}

}  // namespace netinfer::localize
