#include "netinfer/experiment/engine.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <type_traits>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/experiment/record.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/memory_plan.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/net/graph.hpp"
#include "netinfer/pipeline/run.hpp"
#include "netinfer/pipeline/set_data.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::experiment {

namespace {

constexpr int kResultTag = 5101;
namespace fs = std::filesystem;

// Rank 0's view of the results file before the runs start.
struct Stored {
  std::vector<std::uint8_t> done;  // per run of the job
  std::int64_t next_group = 0;     // the number of the next /runs group
};

// Opens (creating or resuming) the results file on rank 0 and finds which of
// the job's runs it already holds. Throws when it was made by other settings.
Stored open_results(const EngineOptions& o, const std::vector<RunSpec>& runs,
                    const net::Architecture& arch) {
  const std::string partial = h5::Output::partial_name(o.out);
  const std::string digest = pipeline::weights_digest(o.weights);
  if (o.force) {
    fs::remove(o.out);
    fs::remove(partial);
    if (o.scratch.empty()) fs::remove_all(scratch_dir(o));
  }
  Stored s;
  if (!fs::exists(o.out) && !fs::exists(partial)) {
    h5::File f(partial, h5::File::Mode::Create);
    h5::write_provenance(f, o.command_line, o.options_text);
    localize::write_network(f, arch);
    f.make_groups("/experiment");
    f.set_attr("/experiment", "name", o.name);
    f.set_attr("/experiment", "settings", o.settings.text());
    f.set_attr("/experiment", "axes", o.axes.text());
    f.set_attr("/experiment", "slice", o.slice.text());
    f.set_attr("/experiment", "weights_digest", digest);
    say("baseline: RMS graph distance of every pair of neurons (random assignment)");
    const auto stats = net::graph_stats(net::Graph(arch));
    f.write("/experiment/baseline_layer_rms", stats.layer_rms);
    f.set_attr("/experiment", "baseline_rms", stats.rms);
    f.set_attr("/experiment", "baseline_mean", stats.mean);
    s.done.assign(runs.size(), 0);
    return s;
  }
  // A finished file is checked as it is, and only then becomes work in progress again.
  const bool finished = fs::exists(o.out);
  h5::File f(finished ? o.out : partial, h5::File::Mode::ReadWrite);
  NI_REQUIRE(f.has_attr("/experiment", "settings"), f.path(),
             ": not an experiment results file (no /experiment settings)");
  const std::string made_for = localize::read_network(f).to_string();
  NI_REQUIRE(made_for == arch.to_string(), f.path(), ": made for architecture '", made_for,
             "', the weights have '", arch.to_string(), "' (use --force or another --out)");
  const std::string before = f.attr_string("/experiment", "settings");
  if (before != o.settings.text()) {
    const auto [was, now] = first_difference(before, o.settings.text());
    NI_FAIL(f.path(), ": made with other settings (", was, ", now ", now,
            "); use --force or another --out");
  }
  const std::string slice =
      f.has_attr("/experiment", "slice") ? f.attr_string("/experiment", "slice") : "0/1";
  NI_REQUIRE(slice == o.slice.text(), f.path(), ": holds slice ", slice, " of its job, now ",
             o.slice.text(), "; use --force or another --out");
  NI_REQUIRE(!f.has_attr("/experiment", "weights_digest") ||
                 f.attr_string("/experiment", "weights_digest") == digest,
             f.path(), ": made from other weights than ", o.weights,
             "; use --force or another --out");
  // A forest-seed axis renames every run (its key ends in the forest seed),
  // so a file made without it would keep runs the job no longer has.
  const bool seeded_before =
      !JobAxes::parse(f.attr_string("/experiment", "axes")).forest_seeds.empty();
  NI_REQUIRE(seeded_before == !o.axes.forest_seeds.empty(), f.path(), ": made by a job ",
             seeded_before ? "with" : "without", " a forest-seed axis, this job has ",
             seeded_before ? "none" : "one", "; use --force or another --out");
  // The job may have grown since: the file describes the latest.
  f.set_attr("/experiment", "axes", o.axes.text());
  for (const auto& name : incomplete_runs(f)) f.remove("/runs/" + name);
  std::set<std::string> keys;
  if (f.exists("/runs")) {
    for (const auto& name : f.children("/runs")) {
      keys.insert(f.attr_string("/runs/" + name, "key"));
      s.next_group = std::max<std::int64_t>(s.next_group, std::stoll(name) + 1);
    }
  }
  for (const auto& r : runs) s.done.push_back(keys.count(r.key()) ? 1 : 0);
  f.close();
  if (finished) fs::rename(o.out, partial);
  return s;
}

// Algorithm 1 for one run on the ranks of `group`; the leader's record is whole.
RunRecord execute(const net::Graph& graph, const net::Recording& recording, const RunSpec& spec,
                  const std::vector<const pipeline::SetData*>& sets, const EngineOptions& o,
                  MPI_Comm group) {
  Stopwatch clock;
  localize::FeatureOptions fo;
  fo.moments = spec.moments;
  fo.eigenvectors = spec.eigenvectors;
  const auto split =
      localize::make_split(graph.architecture(), recording, spec.split, spec.split_seed);
  localize::LocalizeOptions lo;
  const std::uint64_t seed = spec.seed(o.settings.seed);
  lo.bank.classifier.method = localize::parse_method(spec.method);
  lo.bank.classifier.trees = o.settings.trees;
  lo.bank.classifier.threads = o.threads;
  lo.bank.balance_layers = spec.balance;
  lo.bank.seed = spec.bank_seed(o.settings.seed);
  lo.prior_weight = o.settings.prior_weight;
  lo.seed = seed;
  pipeline::FeatureSetRun run =
      pipeline::localize_feature_set(graph, recording, sets, fo, split, lo, group);
  RunRecord r;
  r.result = std::move(run.result);
  if (mpi_rank(group) == 0) {
    Stopwatch floor_clock;
    r.floor = silent_floor(graph, r.result.tests, r.result.silent);
    r.floor_seconds = floor_clock.seconds();
    for (auto t : r.result.tests) r.activation_rate.push_back(run.inputs.activation_rate.at(t));
    for (auto s : run.inputs.silent) r.silent_neurons += s;
  }
  r.total_seconds = clock.seconds();
  return r;
}

// Rank 0's writer: appends each finished run to the results file at once.
class Recorder {
 public:
  Recorder(const EngineOptions& o, const std::vector<RunSpec>& runs, std::int64_t next_group,
           std::int64_t expected)
      : o_(o), runs_(runs), next_(next_group), expected_(expected) {}

  void record(const RunRecord& r) {
    const RunSpec& spec = runs_.at(r.index);
    char name[32];
    std::snprintf(name, sizeof name, "%06lld", static_cast<long long>(next_++));
    {
      h5::File f(h5::Output::partial_name(o_.out), h5::File::Mode::ReadWrite);
      write_run(f, name, spec, spec.seed(o_.settings.seed), r);
    }  // closed: the run is on disk
    ++recorded_;
    const auto& x = r.result;
    sum_.bank_seconds += x.bank_seconds;
    sum_.confidence_seconds += x.confidence_seconds;
    sum_.assignment_seconds += x.assignment_seconds;
    sum_.score_seconds += x.score_seconds;
    sum_.floor_seconds += r.floor_seconds;
    sum_.run_seconds += r.total_seconds;
    char line[400];
    std::snprintf(
        line, sizeof line,
        "  run %lld/%lld %s | %s #%d | moments %d, eigenvectors %d, %s, %s, balance %d, "
        "%lld images%s: error %.3f (active %.3f, silent %.3f), %.1f s",
        static_cast<long long>(recorded_), static_cast<long long>(expected_),
        spec.feature_set.name.c_str(), spec.split.c_str(), spec.split_seed, spec.moments,
        spec.eigenvectors, spec.transform.c_str(), spec.method.c_str(),
        static_cast<int>(spec.balance), static_cast<long long>(spec.images),
        spec.forest_seed > 0 ? (", forest seed " + std::to_string(spec.forest_seed)).c_str() : "",
        x.score.overall, x.score.active, x.score.silent, r.total_seconds);
    say(line);
  }
  // Records every run that has arrived from other ranks; with `wait`, until
  // all expected runs are in.
  void drain(MPI_Comm comm, bool wait) {
    while (recorded_ < expected_) {
      int flag = 0;
      MPI_Status status;
      if (wait) {
        NI_MPI(MPI_Probe(MPI_ANY_SOURCE, kResultTag, comm, &status));
        flag = 1;
      } else {
        NI_MPI(MPI_Iprobe(MPI_ANY_SOURCE, kResultTag, comm, &flag, &status));
      }
      if (!flag) return;
      int count = 0;
      NI_MPI(MPI_Get_count(&status, MPI_DOUBLE, &count));
      std::vector<double> packed(count);
      NI_MPI(MPI_Recv(packed.data(), count, MPI_DOUBLE, status.MPI_SOURCE, kResultTag, comm,
                      MPI_STATUS_IGNORE));
      record(unpack(packed));
    }
  }
  const JobSummary& sums() const { return sum_; }

 private:
  const EngineOptions& o_;
  const std::vector<RunSpec>& runs_;
  std::int64_t next_, expected_, recorded_ = 0;
  JobSummary sum_;
};

// Adds this invocation's stage times to the file's totals; marks completion.
void finish_results(const EngineOptions& o, const JobSummary& s) {
  const std::string partial = h5::Output::partial_name(o.out);
  {
    // A finished file is checked as it is, and only then becomes work in progress again.
    const bool finished = fs::exists(o.out);
    h5::File f(finished ? o.out : partial, h5::File::Mode::ReadWrite);
    const std::pair<const char*, double> times[] = {{"responses_seconds", s.responses_seconds},
                                                    {"spectra_seconds", s.spectra_seconds},
                                                    {"runs_seconds", s.runs_seconds},
                                                    {"total_seconds", s.total_seconds}};
    for (const auto& [key, value] : times) {
      const double before = f.has_attr("/experiment", key) ? f.attr_double("/experiment", key) : 0;
      f.set_attr("/experiment", key, before + value);
    }
    f.set_attr("/experiment", "runs_in_job", s.job_runs);
    f.set_attr("/experiment", "complete", s.complete ? 1 : 0);
  }
  if (s.complete) fs::rename(partial, o.out);
}

// Every field of a summary, in one fixed order (for its broadcast).
template <class Summary, class Visit>
void for_each_field(Summary& s, Visit&& visit) {
  visit(s.job_runs);
  visit(s.runs);
  visit(s.done_before);
  visit(s.done_now);
  visit(s.complete);
  for (auto* t : {&s.responses_seconds, &s.spectra_seconds, &s.runs_seconds, &s.total_seconds,
                  &s.bank_seconds, &s.confidence_seconds, &s.assignment_seconds, &s.score_seconds,
                  &s.floor_seconds, &s.run_seconds})
    visit(*t);
}

// Every rank ends with rank 0's summary.
void broadcast(JobSummary& s, MPI_Comm comm) {
  std::vector<double> packed;
  for_each_field(s, [&](const auto& v) { packed.push_back(static_cast<double>(v)); });
  NI_MPI(MPI_Bcast(packed.data(), static_cast<int>(packed.size()), MPI_DOUBLE, 0, comm));
  std::size_t at = 0;
  for_each_field(s, [&](auto& v) { v = static_cast<std::decay_t<decltype(v)>>(packed[at++]); });
}

}  // namespace

std::string scratch_dir(const EngineOptions& o) {
  return o.scratch.empty() ? o.out + ".scratch" : o.scratch;
}

JobSummary run_job(const EngineOptions& o, MPI_Comm comm) {
  Stopwatch total;
  const int rank = mpi_rank(comm);
  NI_REQUIRE(o.group_size >= 1, "--group-size must be positive");
  NI_REQUIRE(o.threads >= 1, "--threads must be positive");
  NI_REQUIRE(o.settings.trees >= 1, "--trees must be positive");
  NI_REQUIRE(o.settings.prior_weight > 0 && o.settings.prior_weight < 1,
             "--prior-weight must lie in (0, 1)");
  const std::vector<RunSpec> runs = expand(o.axes);
  const net::Network network = net::load_weights(o.weights);
  const net::Architecture& arch = network.architecture();
  // Bad splits and image-set names fail now, before any long stage; their
  // sizes go into the memory plan.
  std::map<std::pair<std::string, int>, std::int64_t> split_tests;
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> set_images;
  for (const auto& r : runs) {
    if (!split_tests.count({r.split, r.split_seed}))
      split_tests[{r.split, r.split_seed}] = static_cast<std::int64_t>(
          localize::make_split(arch, net::Recording(arch), r.split, r.split_seed).test.size());
    for (const auto& s : r.feature_set.sets) {
      if (set_images.count({s, r.images})) continue;
      stimuli::ImageSetOptions io;
      io.seed = o.settings.seed;
      io.images = r.images;
      io.data_dir = o.settings.data_dir;
      io.shape = arch.shape(0);
      set_images[{s, r.images}] = stimuli::make_image_set(s, io)->size();
    }
  }
  Stored stored;
  if (rank == 0) stored = open_results(o, runs, arch);
  stored.done.resize(runs.size());
  NI_MPI(MPI_Bcast(stored.done.data(), static_cast<int>(runs.size()), MPI_UINT8_T, 0, comm));

  JobSummary summary;
  summary.job_runs = static_cast<std::int64_t>(runs.size());
  const std::vector<std::int64_t> mine = slice_runs(runs, o.slice);
  summary.runs = static_cast<std::int64_t>(mine.size());
  std::vector<std::int64_t> todo;  // costliest first
  for (auto i : mine) {
    if (!stored.done[i]) todo.push_back(i);
  }
  summary.done_before = summary.runs - static_cast<std::int64_t>(todo.size());
  if (o.max_runs >= 0 && static_cast<std::int64_t>(todo.size()) > o.max_runs)
    todo.resize(o.max_runs);
  say("job " + o.name + ": " + std::to_string(runs.size()) + " runs" +
      (o.slice.whole() ? "" : ", slice " + o.slice.text() + " of " + std::to_string(mine.size())) +
      ", " + std::to_string(summary.done_before) + " already in " + o.out + ", " +
      std::to_string(todo.size()) + " to do now");

  // Shared inputs of the runs to do.
  const Plan p = plan(runs, o.settings);
  std::vector<SpectrumKey> keys;
  std::set<std::string> seen;
  for (auto i : todo) {
    for (const auto& k : p.run_sets[i]) {
      if (seen.insert(k.text()).second) keys.push_back(k);
    }
  }
  pipeline::SetSource source;
  source.network = &network;
  if (o.keep_responses) source.keep_dir = scratch_dir(o);
  for (const auto& k : keys)
    pipeline::check_spectrum_key(k, arch.neuron_count(),
                                 set_images.at({k.responses.set, k.responses.images}));
  if (!todo.empty()) {
    // The memory plan of the runs to do: inputs with every rank, each run's
    // confidence and assignment on its group's leader, all sets' features
    // held by every rank throughout.
    localize::PlanInputs in{network, 0, false, {}, 0, 0, 0};
    const auto n = static_cast<std::uint64_t>(arch.neuron_count());
    for (const auto& k : keys) {
      in.images = std::max(in.images, set_images.at({k.responses.set, k.responses.images}));
      if (k.k > 0 && (!in.spectral || k.k > in.options.k))
        in.options = pipeline::spectral_options(k);
      in.spectral = in.spectral || k.k > 0;
      // SetData: four moments, the activation rate and k eigenvectors per
      // neuron in doubles, the silent mask in bytes.
      in.loaded += n * ((5 + static_cast<std::uint64_t>(k.k)) * sizeof(double) + 1);
    }
    for (auto i : todo) {
      const RunSpec& r = runs[i];
      in.features = std::max(in.features, static_cast<std::int64_t>(r.feature_set.sets.size()) *
                                              (r.moments + r.eigenvectors));
      in.tests = std::max(in.tests, split_tests.at({r.split, r.split_seed}));
    }
    localize::check_memory_plan(in, comm, rank % o.group_size == 0);
  }
  pipeline::SetTimes times;
  const std::map<std::string, pipeline::SetData> sets =
      pipeline::prepare_sets(source, keys, pipeline::SetCache(scratch_dir(o)), comm, &times);
  summary.responses_seconds = times.responses;
  summary.spectra_seconds = times.spectra;

  // The runs: group leaders take the next run from rank 0's counter.
  Stopwatch runs_clock;
  const net::Graph graph(arch);
  const net::Recording recording(arch);
  MPI_Comm group;
  NI_MPI(MPI_Comm_split(comm, rank / o.group_size, rank, &group));
  const bool leader = mpi_rank(group) == 0;
  std::int64_t* counter = nullptr;
  MPI_Win window;
  NI_MPI(MPI_Win_allocate(rank == 0 ? sizeof(std::int64_t) : 0, sizeof(std::int64_t), MPI_INFO_NULL,
                          comm, &counter, &window));
  if (rank == 0) *counter = 0;
  NI_MPI(MPI_Barrier(comm));
  NI_MPI(MPI_Win_lock_all(0, window));
  const auto limit = static_cast<std::int64_t>(todo.size());
  std::unique_ptr<Recorder> recorder;
  if (rank == 0) recorder = std::make_unique<Recorder>(o, runs, stored.next_group, limit);
  std::vector<std::vector<double>> outbox;
  std::vector<MPI_Request> requests;
  for (;;) {
    std::int64_t next = 0;
    if (leader) {
      const std::int64_t one = 1;
      NI_MPI(MPI_Fetch_and_op(&one, &next, MPI_INT64_T, 0, 0, MPI_SUM, window));
      NI_MPI(MPI_Win_flush(0, window));
    }
    NI_MPI(MPI_Bcast(&next, 1, MPI_INT64_T, 0, group));
    if (next >= limit) break;
    const std::int64_t index = todo[next];
    std::vector<const pipeline::SetData*> parts;
    for (const auto& k : p.run_sets[index]) parts.push_back(&sets.at(k.text()));
    RunRecord r = execute(graph, recording, runs[index], parts, o, group);
    r.index = index;
    if (!leader) continue;
    if (rank == 0) {
      recorder->record(r);
      recorder->drain(comm, false);
    } else {
      outbox.push_back(pack(r));
      requests.emplace_back();
      NI_MPI(MPI_Isend(outbox.back().data(), static_cast<int>(outbox.back().size()), MPI_DOUBLE, 0,
                       kResultTag, comm, &requests.back()));
    }
  }
  if (rank == 0) recorder->drain(comm, true);
  NI_MPI(MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE));
  NI_MPI(MPI_Win_unlock_all(window));
  NI_MPI(MPI_Win_free(&window));
  NI_MPI(MPI_Comm_free(&group));
  summary.runs_seconds = runs_clock.seconds();

  if (rank == 0) {
    const JobSummary& sums = recorder->sums();
    summary.done_now = limit;
    summary.complete = summary.done_before + summary.done_now == summary.runs;
    summary.bank_seconds = sums.bank_seconds;
    summary.confidence_seconds = sums.confidence_seconds;
    summary.assignment_seconds = sums.assignment_seconds;
    summary.score_seconds = sums.score_seconds;
    summary.floor_seconds = sums.floor_seconds;
    summary.run_seconds = sums.run_seconds;
    summary.total_seconds = total.seconds();
    finish_results(o, summary);
  }
  broadcast(summary, comm);
  return summary;
}

}  // namespace netinfer::experiment
