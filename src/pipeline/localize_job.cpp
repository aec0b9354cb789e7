#include "netinfer/pipeline/localize_job.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/io/output_path.hpp"
#include "netinfer/localize/memory_plan.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/localize/result_io.hpp"
#include "netinfer/net/graph.hpp"
#include "netinfer/pipeline/run.hpp"
#include "netinfer/pipeline/set_data.hpp"

namespace netinfer::pipeline {

namespace {

// The network of a job: its weights, the architecture of its responses file,
// or (for a plan) a layer list.
std::unique_ptr<net::Network> load_network(const LocalizeJob& job, MPI_Comm comm) {
  NI_REQUIRE(job.architecture.empty() || job.plan_only,
             "--architecture is for --plan (a run takes --weights)");
  if (!job.architecture.empty())
    return std::make_unique<net::Network>(net::Architecture::parse(job.architecture));
  if (job.responses.empty()) return std::make_unique<net::Network>(net::load_weights(job.weights));
  const h5::File probe(job.responses, h5::File::Mode::Read, comm);
  return std::make_unique<net::Network>(localize::read_network(probe));
}

void check_options(const LocalizeJob& job) {
  const auto& f = job.features;
  NI_REQUIRE(f.moments >= 0 && f.moments <= 4, "--moments must be 0..4, got ", f.moments);
  NI_REQUIRE(f.eigenvectors >= 0, "--eigenvectors must be >= 0, got ", f.eigenvectors);
  NI_REQUIRE(f.moments + f.eigenvectors > 0,
             "a feature set needs at least one feature "
             "(--moments and --eigenvectors are both 0)");
  NI_REQUIRE(job.images > 0, "--images must be positive");
  NI_REQUIRE(job.localize.bank.classifier.trees > 0, "--trees must be positive");
  NI_REQUIRE(job.localize.bank.classifier.threads > 0, "--threads must be positive");
  NI_REQUIRE(job.localize.prior_weight > 0 && job.localize.prior_weight < 1,
             "--prior-weight must lie in (0, 1)");
  NI_REQUIRE(job.keep_responses.empty() || job.responses.empty(),
             "--keep-responses writes computed responses; with --responses there are none");
  NI_REQUIRE(!job.feature_sets.empty(), "--feature-set: none given");
  NI_REQUIRE(job.responses.empty() || job.record == "all",
             "--record chooses the neurons of a forward pass; a responses file holds its own");
}

// The recorded neurons: --record's, or those of the responses file.
net::Recording load_recording(const LocalizeJob& job, const net::Architecture& arch,
                              MPI_Comm comm) {
  if (job.responses.empty())
    return net::make_recording(arch, job.record, static_cast<std::uint64_t>(job.record_seed));
  const h5::File probe(job.responses, h5::File::Mode::Read, comm);
  return localize::read_recording(probe, arch);
}

SpectrumKey key_of(const LocalizeJob& job, const net::Recording& recording,
                   const std::string& set) {
  SpectrumKey key;
  key.responses = {set, job.images, job.seed, job.data_dir, recording.key()};
  key.transform = spectral::transform_name(job.spectral.transform);
  key.solver = spectral::solver_name(job.spectral.solver);
  key.precision = spectral::precision_name(job.spectral.precision);
  key.k = job.features.eigenvectors;
  return key;
}

}  // namespace

LocalizeOutcome run_localize(const LocalizeJob& job, MPI_Comm comm) {
  check_options(job);
  std::vector<localize::FeatureSetSpec> feature_sets;
  std::vector<std::string> set_names;  // every image set, in order of first use
  for (const auto& text : job.feature_sets) {
    feature_sets.push_back(localize::parse_feature_set(text));
    for (const auto& s : feature_sets.back().sets) {
      if (std::find(set_names.begin(), set_names.end(), s) == set_names.end())
        set_names.push_back(s);
    }
  }
  if (!job.plan_only) h5::check_output_path(job.out, job.force, "--out", comm);
  if (!job.keep_responses.empty())
    h5::check_output_path(job.keep_responses, job.force, "--keep-responses", comm);
  const std::unique_ptr<net::Network> network = load_network(job, comm);
  const net::Architecture& arch = network->architecture();
  const net::Recording recording = load_recording(job, arch, comm);
  const localize::Split split = localize::make_split(arch, recording, job.split, job.split_seed);
  std::unique_ptr<h5::File> responses;
  if (!job.responses.empty())
    responses = std::make_unique<h5::File>(job.responses, h5::File::Mode::Read, comm);
  SetSource source;
  source.network = responses ? nullptr : network.get();
  source.recording = &recording;
  source.responses = responses.get();
  std::vector<SpectrumKey> keys;
  for (const auto& s : set_names) keys.push_back(key_of(job, recording, s));

  LocalizeOutcome outcome;
  for (int l = 0; l < arch.layer_count(); ++l) outcome.layer_names.push_back(arch.name(l));
  outcome.neurons = arch.neuron_count();
  outcome.recorded = recording.size();
  if (!recording.complete())
    say("recording " + std::to_string(recording.size()) + " of " +
        std::to_string(arch.neuron_count()) + " neurons (" + recording.key() + ")");
  outcome.tests = static_cast<std::int64_t>(split.test.size());
  {
    // Every set, k and the memory plan, before any long stage.
    std::int64_t images = 0, width = 0;
    for (const auto& k : keys) images = std::max(images, check_key(k, arch, source));
    for (const auto& fs : feature_sets)
      width = std::max(width, static_cast<std::int64_t>(fs.sets.size()) *
                                  (job.features.moments + job.features.eigenvectors));
    spectral::SpectralOptions so = job.spectral;
    so.k = std::max(1, job.features.eigenvectors);
    localize::check_memory_plan({*network, images, job.features.eigenvectors > 0, so, width,
                                 outcome.tests, 0, recording.size()},
                                comm, mpi_rank(comm) == 0, true);
  }
  if (job.plan_only) return outcome;
  dist::stage_peak_resident(comm);  // the stages' peaks below start here

  // The image sets: from the scratch cache of an earlier, killed run of this
  // network, or computed now (and kept there until the results are in).
  const SetCache cache(
      responses ? "" : job.out + ".scratch/net-" + file_stem(weights_digest(job.weights)));
  std::unique_ptr<h5::Output> kept;
  if (!job.keep_responses.empty()) {
    kept = std::make_unique<h5::Output>(job.keep_responses, job.force, comm);
    h5::write_provenance(kept->file(), job.command_line, job.options_text);
    localize::write_network(kept->file(), arch);
    localize::write_recording(kept->file(), recording);
    source.keep = &kept->file();
  }
  const std::map<std::string, SetData> sets = prepare_sets(source, keys, cache, comm);
  if (kept) kept->commit();

  h5::Output out(job.out, job.force, comm);
  h5::write_provenance(out.file(), job.command_line, job.options_text);
  localize::write_network(out.file(), arch);
  localize::write_recording(out.file(), recording);
  if (job.features.eigenvectors > 0) {
    for (const auto& k : keys)
      spectral::write_spectrum(out.file(), sets.at(k.text()).spectrum, spectral_options(k));
  }
  out.file().write("/splits/" + split.name + "/train", split.train);
  out.file().write("/splits/" + split.name + "/test", split.test);
  say("split " + split.name + ": " + std::to_string(split.train.size()) + " training, " +
      std::to_string(split.test.size()) + " test neurons");

  const net::Graph graph(arch);
  for (const auto& fs : feature_sets) {
    say("feature set " + fs.name);
    std::vector<const SetData*> parts;
    for (const auto& s : fs.sets) parts.push_back(&sets.at(key_of(job, recording, s).text()));
    FeatureSetRun run =
        localize_feature_set(graph, recording, parts, job.features, split, job.localize, comm);
    const auto& r = run.result;
    const std::string g = "/localize/" + split.name + "/" + fs.name;
    localize::write_result(out.file(), g, r);
    const localize::RowMatrix& x = run.inputs.features;
    out.file().write(g + "/features", x.data(),
                     {static_cast<std::uint64_t>(x.rows()), static_cast<std::uint64_t>(x.cols())});
    out.file().set_attr(g + "/features", "axes", std::string("recorded neuron, feature"));
    std::string names;
    for (const auto& s : fs.sets) names += (names.empty() ? "" : ",") + s;
    out.file().set_attr(g, "sets", names);
    char line[300];
    std::snprintf(line, sizeof line,
                  "  error %.3f (up to symmetry %.3f), active %.3f, silent %.3f; bank %.1f s, "
                  "confidence %.1f s, assignment %.1f s, score %.1f s; peak %s per rank",
                  r.score.overall, r.score.overall_symmetric, r.score.active, r.score.silent,
                  r.bank_seconds, r.confidence_seconds, r.assignment_seconds, r.score_seconds,
                  dist::format_bytes(dist::stage_peak_resident(comm)).c_str());
    say(line);
    LocalizeRow row{fs.name, std::move(run.result), 0};
    for (auto s : run.inputs.silent) row.silent += s;
    outcome.rows.push_back(std::move(row));
  }
  out.commit();
  NI_MPI(MPI_Barrier(comm));
  if (mpi_rank(comm) == 0) std::filesystem::remove_all(job.out + ".scratch");
  return outcome;
}

}  // namespace netinfer::pipeline
