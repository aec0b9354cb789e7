#include "netinfer/search/evaluate.hpp"

#include <filesystem>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/pipeline/run.hpp"
#include "netinfer/pipeline/set_data.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::search {

namespace {

// The cache key of one PATCH set: its spec and size, the spectrum's settings.
pipeline::SpectrumKey spectrum_key(const PatchSet& set, const net::Architecture& arch,
                                   const EvaluateOptions& o) {
  pipeline::SpectrumKey key;
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
  const std::string content = pipeline::weights_digest(path);
  net::Graph graph(network.architecture());
  net::Recording recording(network.architecture());
  localize::Split split = localize::perfect_split(network.architecture(), recording);
  return {path,
          content,
          std::move(network),
          std::move(graph),
          std::move(recording),
          std::move(split),
          scratch_root + "/net-" + pipeline::file_stem(content)};
}

Evaluation evaluate(const Candidate& candidate, const Subject& subject, const EvaluateOptions& o,
                    MPI_Comm comm) {
  Evaluation e;
  Stopwatch inputs_clock;
  const net::Architecture& arch = subject.network.architecture();
  std::vector<pipeline::SpectrumKey> keys;
  for (const auto& set : candidate.sets) keys.push_back(spectrum_key(set, arch, o));
  pipeline::SetSource source;
  source.network = &subject.network;
  pipeline::SetTimes times;
  const auto sets = pipeline::prepare_sets(
      source, keys, pipeline::SetCache(o.cache ? subject.scratch : ""), comm, &times);
  e.sets_computed = times.computed;
  e.sets_cached = times.cached;
  e.inputs_seconds = inputs_clock.seconds();

  Stopwatch localize_clock;
  std::vector<const pipeline::SetData*> parts;
  for (const auto& key : keys) parts.push_back(&sets.at(key.text()));
  localize::FeatureOptions fo;
  fo.moments = candidate.moments;
  fo.eigenvectors = candidate.eigenvectors;
  localize::LocalizeOptions lo;
  const std::uint64_t seed = Stream::mix(o.seed ^ purpose_id(candidate.key()));
  lo.bank.classifier.trees = o.trees;
  lo.bank.classifier.threads = o.threads;
  lo.bank.seed = seed;
  lo.prior_weight = o.prior_weight;
  lo.seed = seed;
  e.score = pipeline::localize_feature_set(subject.graph, subject.recording, parts, fo,
                                           subject.split, lo, comm)
                .result.score;
  e.localize_seconds = localize_clock.seconds();
  return e;
}

}  // namespace netinfer::search
