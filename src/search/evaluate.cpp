#include "netinfer/search/evaluate.hpp"

#include <filesystem>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/experiment/inputs.hpp"
#include "netinfer/localize/localize.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::search {

namespace {

// The cache key of one PATCH set: its spec and size, the spectrum's settings.
experiment::SpectrumKey spectrum_key(const PatchSet& set, const net::Architecture& arch,
                                     const EvaluateOptions& o) {
  experiment::SpectrumKey key;
  key.responses.set = set.spec();
  stimuli::ImageSetOptions io;
  io.shape = arch.shape(0);
  key.responses.images = stimuli::make_image_set(key.responses.set, io)->size();
  key.responses.seed = o.seed;
  key.transform = "abs";
  key.solver = o.solver;
  key.precision = o.precision;
  key.k = o.max_eigenvectors;
  return key;
}

}  // namespace

Subject load_subject(const std::string& path, const std::string& scratch_root) {
  net::Network network = net::load_weights(path);
  const std::string content = experiment::weights_digest(path);
  net::Graph graph(network.architecture());
  localize::Split split = localize::perfect_split(network.architecture());
  return {path,
          content,
          std::move(network),
          std::move(graph),
          std::move(split),
          scratch_root + "/net-" + experiment::file_stem(content)};
}

Evaluation evaluate(const Candidate& candidate, const Subject& subject, const EvaluateOptions& o,
                    MPI_Comm comm) {
  Evaluation e;
  Stopwatch inputs_clock;
  const net::Architecture& arch = subject.network.architecture();
  std::vector<experiment::SpectrumKey> keys;
  for (const auto& set : candidate.sets) keys.push_back(spectrum_key(set, arch, o));
  const std::string dir = o.cache ? subject.scratch : subject.scratch + "/uncached";
  if (!o.cache && mpi_rank(comm) == 0) std::filesystem::remove_all(dir);  // a killed run's
  const auto times = experiment::prepare_inputs(subject.network, keys, dir, false, comm);
  e.sets_computed = times.spectra_computed;
  e.sets_cached = static_cast<int>(keys.size()) - times.spectra_computed;
  std::vector<experiment::SetData> data;
  for (const auto& key : keys) data.push_back(experiment::load_set(dir, key));
  if (!o.cache) {
    NI_MPI(MPI_Barrier(comm));  // every rank has read the sets
    if (mpi_rank(comm) == 0) std::filesystem::remove_all(dir);
  }
  e.inputs_seconds = inputs_clock.seconds();

  Stopwatch localize_clock;
  std::vector<const experiment::SetData*> parts;
  for (const auto& d : data) parts.push_back(&d);
  localize::FeatureOptions fo;
  fo.moments = candidate.moments;
  fo.eigenvectors = candidate.eigenvectors;
  const auto inputs = experiment::feature_set_inputs(parts, fo);
  localize::LocalizeOptions lo;
  const std::uint64_t seed = Stream::mix(o.seed ^ purpose_id(candidate.key()));
  lo.bank.classifier.trees = o.trees;
  lo.bank.classifier.threads = o.threads;
  lo.bank.seed = seed;
  lo.prior_weight = o.prior_weight;
  lo.seed = seed;
  e.score =
      localize::localize(subject.graph, inputs.features, inputs.silent, subject.split, lo, comm)
          .score;
  e.localize_seconds = localize_clock.seconds();
  return e;
}

}  // namespace netinfer::search
