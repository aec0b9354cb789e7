#include "netinfer/search/search.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/search/table.hpp"
#include "netinfer/spectral/stage.hpp"

namespace netinfer::search {

namespace {

void validate(const SearchOptions& o) {
  NI_REQUIRE(!o.networks.empty(), "--networks names no weights file");
  NI_REQUIRE(o.budget >= 0, "--budget must be 0 (no limit) or more, not ", o.budget);
  NI_REQUIRE(o.hours >= 0, "--hours must be 0 (no limit) or more, not ", o.hours);
  NI_REQUIRE(o.target >= 0, "--target must be 0 (a perfect candidate) or more, not ", o.target);
  NI_REQUIRE(o.evaluate.trees >= 1, "--trees must be positive");
  NI_REQUIRE(o.evaluate.threads >= 1, "--threads must be positive");
  NI_REQUIRE(o.evaluate.prior_weight > 0 && o.evaluate.prior_weight < 1,
             "--prior-weight must lie in (0, 1)");
  spectral::parse_solver(o.evaluate.solver);
  spectral::parse_precision(o.evaluate.precision);
}

// What the results depend on, compared on resume ("key = value" lines).
std::string settings_text(const SearchOptions& o, const std::vector<Subject>& subjects) {
  std::ostringstream out;
  const auto& e = o.evaluate;
  out << "seed = " << e.seed << "\nstream = " << o.stream << " of " << o.streams
      << "\npool = " << o.space.pool << "\nwidth-probability = " << o.space.width_probability
      << "\nmax-width = " << o.space.max_width << "\nmax-eigenvectors = " << e.max_eigenvectors
      << "\ntrees = " << e.trees << "\nprior-weight = " << e.prior_weight
      << "\nsolver = " << e.solver << "\nprecision = " << e.precision;
  for (std::size_t i = 0; i < subjects.size(); ++i)
    out << "\nnetwork " << i + 1 << " = " << subjects[i].content;
  return out.str();
}

}  // namespace

SearchSummary run_search(const SearchOptions& given, MPI_Comm comm) {
  Stopwatch clock;
  SearchSummary summary;
  SearchOptions o = given;
  validate(o);
  const std::string scratch = o.scratch.empty() ? o.out + ".scratch" : o.scratch;
  std::vector<Subject> subjects;
  for (const auto& path : o.networks) subjects.push_back(load_subject(path, scratch));
  const net::Architecture& arch = subjects.front().network.architecture();
  for (const auto& s : subjects) {
    NI_REQUIRE(s.network.architecture().to_string() == arch.to_string(), s.path, ": architecture '",
               s.network.architecture().to_string(), "' differs from ", subjects.front().path,
               "'s '", arch.to_string(), "'");
  }
  for (int l = 0; l < arch.layer_count(); ++l) summary.layers.push_back(arch.name(l));
  const int input_size = std::max(arch.shape(0).height, arch.shape(0).width);
  NI_REQUIRE(o.space.max_width >= 0 && o.space.max_width <= input_size,
             "--max-width must lie in [0, ", input_size, "] (0: the input size ", input_size,
             "), not ", o.space.max_width);
  if (o.space.max_width == 0) o.space.max_width = input_size;
  Sequence sequence(o.evaluate.seed, o.space, o.stream, o.streams);  // checks the space

  // The search's own stop: a candidate within the target on every network.
  const auto reached = [&o](const Record& r) { return r.error_symmetric() <= o.target; };

  // Rank 0 owns the file; every rank learns which candidates it holds.
  const int rank = mpi_rank(comm);
  std::unique_ptr<Store> store;
  std::vector<std::int64_t> done;
  bool found = false;
  if (rank == 0) {
    if (o.force && o.scratch.empty()) std::filesystem::remove_all(scratch);
    std::string networks;
    for (const auto& path : o.networks) networks += (networks.empty() ? "" : "\n") + path;
    store = std::make_unique<Store>(Store::Options{o.out, settings_text(o, subjects), networks,
                                                   o.command_line, o.options_text, o.force},
                                    arch);
    for (const auto& r : store->records()) {
      done.push_back(r.index);
      found = found || reached(r);
      if (!summary.best || better(r, *summary.best)) summary.best = r;
    }
  }
  std::int64_t count = static_cast<std::int64_t>(done.size());
  NI_MPI(MPI_Bcast(&count, 1, MPI_INT64_T, 0, comm));
  done.resize(count);
  NI_MPI(MPI_Bcast(done.data(), static_cast<int>(count), MPI_INT64_T, 0, comm));
  int any_perfect = found ? 1 : 0;
  NI_MPI(MPI_Bcast(&any_perfect, 1, MPI_INT, 0, comm));
  found = any_perfect != 0;
  const std::set<std::int64_t> stored(done.begin(), done.end());
  summary.before = count;
  say("search: stream " + std::to_string(o.stream) + " of " + std::to_string(o.streams) + ", " +
      std::to_string(subjects.size()) + " network(s), " + std::to_string(count) +
      " candidates already in " + o.out + ", cache " + (o.evaluate.cache ? scratch : "off"));
  say(table_header(static_cast<int>(subjects.size())));

  for (;;) {
    if (found) {
      std::ostringstream stop;
      if (o.target == 0)
        stop << "a perfect candidate (zero error up to symmetry on every network)";
      else
        stop << "a candidate within the target (error up to symmetry at most " << o.target
             << " on every network)";
      summary.stop = stop.str();
      break;
    }
    if (o.budget > 0 && count >= o.budget) {
      summary.stop = "the budget of " + std::to_string(o.budget) + " candidates";
      break;
    }
    int late = rank == 0 && o.hours > 0 && clock.seconds() >= o.hours * 3600 ? 1 : 0;
    NI_MPI(MPI_Bcast(&late, 1, MPI_INT, 0, comm));
    if (late) {
      std::ostringstream stop;
      stop << "the time limit of " << o.hours << " hours";
      summary.stop = stop.str();
      break;
    }
    const std::optional<Candidate> candidate = sequence.next();
    if (!candidate) {
      summary.stop = "the search space is exhausted (100000 draws in a row repeated candidates)";
      break;
    }
    if (stored.count(candidate->index)) continue;  // finished by an earlier run
    Stopwatch candidate_clock;
    std::vector<Evaluation> evaluations;
    for (const auto& subject : subjects)
      evaluations.push_back(evaluate(*candidate, subject, o.evaluate, comm));
    const Record record = make_record(*candidate, evaluations, candidate_clock.seconds());
    summary.sets_computed += record.sets_computed;
    summary.sets_cached += record.sets_cached;
    if (rank == 0) {
      store->append(record);
      if (!summary.best || better(record, *summary.best)) summary.best = record;
    }
    say(table_row(record));
    ++count;
    found = reached(record);  // the same score on every rank
  }
  summary.candidates = count;
  summary.seconds = clock.seconds();
  if (rank == 0) store->finish(summary.stop, summary.seconds);
  return summary;
}

}  // namespace netinfer::search
