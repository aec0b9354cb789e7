#include "netinfer/pipeline/set_data.hpp"

#include <filesystem>
#include <optional>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/dist/grid.hpp"
#include "netinfer/dist/memory.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::pipeline {

namespace {

// The cache file layout's version: files of another layout are recomputed.
constexpr std::int64_t kCacheLayout = 2;

stimuli::ImageSetOptions image_options(const ResponseKey& key, const net::Architecture& arch) {
  stimuli::ImageSetOptions io;
  io.seed = key.seed;
  io.images = key.images;
  io.data_dir = key.data_dir;
  io.shape = arch.shape(0);
  return io;
}

// The responses laid out images x neurons on a grid over comm, from the
// forward pass's shard or from a file, then the spectrum.
template <typename T>
spectral::Spectrum spectrum_of(localize::ResponseShard* shard, const h5::File* file,
                               const std::string& set, const spectral::SpectralOptions& so,
                               MPI_Comm comm) {
  const dist::Grid grid(comm);
  Stopwatch clock;
  dist::BlockCyclic<T> z =
      shard
          ? localize::response_columns<T>(std::move(*shard), grid, spectral::kImageBlock, so.block)
          : localize::read_response_columns<T>(*file, set, grid, spectral::kImageBlock, so.block);
  NI_MPI(MPI_Barrier(comm));
  const double seconds = clock.seconds();
  release_kept_memory();  // the layout's intermediate blocks
  spectral::Spectrum s = spectral::compute_spectrum<T>(std::move(z), set, so);
  s.read_seconds = seconds;
  return s;
}

spectral::Spectrum spectrum(localize::ResponseShard* shard, const h5::File* file,
                            const std::string& set, const spectral::SpectralOptions& so,
                            MPI_Comm comm) {
  return so.precision == spectral::Precision::double_precision
             ? spectrum_of<double>(shard, file, set, so, comm)
             : spectrum_of<float>(shard, file, set, so, comm);
}

void report_spectrum(const spectral::Spectrum& s, MPI_Comm comm) {
  char line[200];
  std::snprintf(line, sizeof line,
                "  layout %.1f s, correlation %.1f s, eigensolver %.1f s; peak %s per rank",
                s.read_seconds, s.correlation_seconds, s.solver_seconds,
                dist::format_bytes(dist::stage_peak_resident(comm)).c_str());
  say(line);
}

// One set from the source: responses (forward pass or file), moments, spectrum.
SetData compute_set(const SetSource& source, const SpectrumKey& key, SetTimes& times,
                    MPI_Comm comm) {
  const std::string& set = key.responses.set;
  SetData d;
  Stopwatch responses_clock;
  localize::ResponseShard shard;
  if (source.network) {
    const net::Architecture& arch = source.network->architecture();
    const auto io = image_options(key.responses, arch);
    const auto images = stimuli::make_image_set(set, io);
    say("image set " + set + ": " + std::to_string(images->size()) + " images");
    std::optional<net::Recording> all;  // built only without a recording
    if (!source.recording) all.emplace(arch);
    const net::Recording& recording = source.recording ? *source.recording : *all;
    shard = localize::compute_responses(*source.network, *images, recording, comm);
    d.moments = localize::reduce_moments(shard, recording, comm);
    if (source.keep) localize::write_responses(*source.keep, shard, d.moments, io);
    if (!source.keep_dir.empty()) {
      if (mpi_rank(comm) == 0) std::filesystem::create_directories(source.keep_dir);
      NI_MPI(MPI_Barrier(comm));
      h5::Output kept(source.keep_dir + "/responses-" + file_stem(key.responses.text()) + ".h5",
                      true, comm);
      localize::write_network(kept.file(), arch);
      if (source.recording) localize::write_recording(kept.file(), *source.recording);
      localize::write_responses(kept.file(), shard, d.moments, io);
      kept.commit();
    }
    say("  " + localize::silent_summary(d.moments, arch) + "; peak " +
        dist::format_bytes(dist::stage_peak_resident(comm)) + " per rank");
  } else {
    d.moments = localize::read_moments(*source.responses, set);
  }
  times.responses += responses_clock.seconds();
  if (key.k > 0) {
    Stopwatch spectra_clock;
    const spectral::SpectralOptions so = spectral_options(key);
    say("spectrum of " + set + " (" + key.transform + ", k " + std::to_string(key.k) + ", " +
        key.precision + ")");
    spectral::check_request(set, d.moments.mean.size(), d.moments.images, so, comm);
    d.spectrum = spectrum(source.network ? &shard : nullptr, source.responses, set, so, comm);
    report_spectrum(d.spectrum, comm);
    times.spectra += spectra_clock.seconds();
  } else {
    d.spectrum.set = set;
    d.spectrum.neurons = d.moments.mean.size();
    d.spectrum.images = d.moments.images;
    d.spectrum.eigenvectors.resize(d.spectrum.neurons, 0);
  }
  release_kept_memory();  // the response shard
  ++times.computed;
  return d;
}

}  // namespace

localize::SetFeatures SetData::features() const {
  localize::SetFeatures f = localize::features_of(moments);
  f.eigenvectors = spectrum.eigenvectors;
  return f;
}

std::string SetCache::path(const SpectrumKey& key) const {
  return dir_ + "/set-" + file_stem(key.text()) + ".h5";
}

bool SetCache::has(const SpectrumKey& key, MPI_Comm comm) const {
  int found = 0;
  if (enabled() && mpi_rank(comm) == 0 && std::filesystem::exists(path(key))) {
    const h5::File f(path(key), h5::File::Mode::Read);
    found = f.has_attr("/", "layout") && f.attr_int("/", "layout") == kCacheLayout;
    if (!found) say("cache: " + path(key) + " is in an older layout; recomputing it");
  }
  NI_MPI(MPI_Bcast(&found, 1, MPI_INT, 0, comm));
  return found != 0;
}

SetData SetCache::load(const SpectrumKey& key) const {
  const std::string file = path(key);
  const h5::File f(file, h5::File::Mode::Read);
  NI_REQUIRE(f.attr_string("/", "key") == key.text(), file, ": holds '", f.attr_string("/", "key"),
             "', expected '", key.text(), "'");
  SetData d;
  d.moments = localize::read_moments(f, key.responses.set);
  if (key.k > 0) {
    d.spectrum = spectral::read_spectrum(f, key.responses.set);
    NI_REQUIRE(d.spectrum.eigenvectors.cols() == key.k &&
                   d.spectrum.neurons == static_cast<std::int64_t>(d.moments.silent.size()),
               file, ": spectrum disagrees with its key");
  } else {
    d.spectrum.eigenvectors.resize(static_cast<Eigen::Index>(d.moments.silent.size()), 0);
  }
  return d;
}

void SetCache::store(const SpectrumKey& key, const SetData& d, MPI_Comm comm) const {
  if (mpi_rank(comm) == 0) std::filesystem::create_directories(dir_);
  NI_MPI(MPI_Barrier(comm));
  h5::Output out(path(key), true, comm);
  stimuli::ImageSetOptions io;
  io.seed = key.responses.seed;
  io.data_dir = key.responses.data_dir;
  localize::write_moments(out.file(), key.responses.set, d.moments, io);
  if (key.k > 0) spectral::write_spectrum(out.file(), d.spectrum, spectral_options(key));
  out.file().set_attr("/", "key", key.text());
  out.file().set_attr("/", "layout", kCacheLayout);
  out.commit();
}

void SetCache::remove() const {
  if (enabled()) std::filesystem::remove_all(dir_);
}

std::int64_t check_key(const SpectrumKey& key, const net::Architecture& arch,
                       const SetSource& source) {
  std::int64_t images = 0, neurons = 0;
  if (source.network) {
    images = stimuli::make_image_set(key.responses.set, image_options(key.responses, arch))->size();
    neurons = source.recording ? source.recording->size() : arch.neuron_count();
  } else {
    const auto dims = localize::response_dims(*source.responses, key.responses.set);
    images = dims.images;
    neurons = dims.neurons;
  }
  check_spectrum_key(key, neurons, images);
  return images;
}

void check_spectrum_key(const SpectrumKey& key, std::int64_t neurons, std::int64_t images) {
  if (key.k > 0)
    spectral::validate_request(key.responses.set, neurons, images, spectral_options(key));
}

std::map<std::string, SetData> prepare_sets(const SetSource& source,
                                            const std::vector<SpectrumKey>& keys,
                                            const SetCache& cache, MPI_Comm comm, SetTimes* times) {
  NI_REQUIRE((source.network != nullptr) != (source.responses != nullptr),
             "a set source is a network or a responses file");
  SetTimes t;
  std::map<std::string, SetData> sets;
  for (const auto& key : keys) {
    if (sets.count(key.text())) continue;
    if (cache.has(key, comm)) {
      say("image set " + key.responses.set + ": from the cache (" + cache.path(key) + ")");
      sets.emplace(key.text(), cache.load(key));
      ++t.cached;
      continue;
    }
    SetData d = compute_set(source, key, t, comm);
    if (cache.enabled()) cache.store(key, d, comm);
    sets.emplace(key.text(), std::move(d));
  }
  if (times) *times = t;
  return sets;
}

spectral::Spectrum spectrum_from_file(const h5::File& responses, const std::string& set,
                                      const spectral::SpectralOptions& options, MPI_Comm comm) {
  const localize::ResponseDims dims = localize::response_dims(responses, set);
  spectral::check_request(set, dims.neurons, dims.images, options, comm);
  return spectrum(nullptr, &responses, set, options, comm);
}

}  // namespace netinfer::pipeline
