#include "netinfer/experiment/inputs.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/random.hpp"
#include "netinfer/io/h5.hpp"
#include "netinfer/localize/responses.hpp"
#include "netinfer/spectral/stage.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::experiment {

namespace {

bool exists_on_rank0(const std::string& path, MPI_Comm comm) {
  int found = mpi_rank(comm) == 0 && std::filesystem::exists(path) ? 1 : 0;
  NI_MPI(MPI_Bcast(&found, 1, MPI_INT, 0, comm));
  return found != 0;
}

// The responses of one image set, with its activation rates, into their own file.
void compute_responses_file(const net::Network& network, const ResponseKey& key,
                            const std::string& path, MPI_Comm comm) {
  const net::Architecture& arch = network.architecture();
  stimuli::ImageSetOptions io;
  io.seed = key.seed;
  io.images = key.images;
  io.data_dir = key.data_dir;
  io.shape = arch.shape(0);
  const auto set = stimuli::make_image_set(key.set, io);
  say("responses of " + key.set + ": " + std::to_string(set->size()) + " images");
  const auto shard = localize::compute_responses(network, *set, comm);
  const auto moments = localize::reduce_moments(shard, arch, comm);
  std::vector<std::int64_t> active(arch.neuron_count(), 0);
  for (std::int64_t i = 0; i < shard.matrix.rows(); ++i) {
    for (std::int64_t j = 0; j < shard.matrix.cols(); ++j) active[i] += shard.matrix(i, j) != 0;
  }
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, active.data(), static_cast<int>(active.size()), MPI_INT64_T,
                       MPI_SUM, comm));
  std::vector<double> rate(active.size());
  for (std::size_t i = 0; i < active.size(); ++i)
    rate[i] = static_cast<double>(active[i]) / static_cast<double>(shard.total_images);

  h5::Output out(path, true, comm);
  localize::write_network(out.file(), arch);
  localize::write_responses(out.file(), shard, moments, io);
  out.file().write("/responses/" + key.set + "/activation_rate", rate);
  out.file().set_attr("/", "key", key.text());
  out.commit();
  std::int64_t silent = 0;
  for (auto s : moments.silent) silent += s;
  say("  " + std::to_string(silent) + " silent neurons of " + std::to_string(arch.neuron_count()));
}

void compute_set_file(const SpectrumKey& key, const std::string& responses_path,
                      const std::string& path, MPI_Comm comm) {
  const h5::File responses(responses_path, h5::File::Mode::Read, comm);
  const std::string set = key.responses.set;
  auto features = localize::read_set_moments(responses, set);
  const auto rate = responses.read<double>("/responses/" + set + "/activation_rate");
  const std::int64_t images = responses.attr_int("/responses/" + set, "images");
  const auto n = static_cast<std::uint64_t>(features.silent.size());
  spectral::Spectrum spectrum;
  if (key.k > 0) {
    const spectral::SpectralOptions so = spectral_options(key);
    say("spectrum of " + set + " (" + key.transform + ", k " + std::to_string(key.k) + ")");
    spectrum = spectral::compute_spectrum(responses, set, so, comm);
    char line[160];
    std::snprintf(line, sizeof line, "  read %.1f s, correlation %.1f s, eigensolver %.1f s",
                  spectrum.read_seconds, spectrum.correlation_seconds, spectrum.solver_seconds);
    say(line);
  }
  const localize::RowMatrix vectors = spectrum.eigenvectors;  // neurons x k, row-major on disk
  h5::Output out(path, true, comm);
  std::vector<double> moments;
  for (const auto& m : features.moments) moments.insert(moments.end(), m.begin(), m.end());
  out.file().write("/moments", moments.data(), {4, n});
  out.file().set_attr("/moments", "axes", std::string("mean, std, skewness, kurtosis; neuron"));
  out.file().write("/silent", features.silent);
  out.file().write("/activation_rate", rate);
  if (key.k > 0) {
    const auto k = static_cast<std::uint64_t>(key.k);
    out.file().write("/eigenvalues", spectrum.eigenvalues.data(), {k});
    out.file().write("/eigenvectors", vectors.data(), {n, k});
    out.file().set_attr("/eigenvectors", "axes", std::string("neuron, eigenvector (descending)"));
  }
  out.file().set_attr("/", "key", key.text());
  out.file().set_attr("/", "images", images);
  out.commit();
}

}  // namespace

spectral::SpectralOptions spectral_options(const SpectrumKey& key) {
  spectral::SpectralOptions so;
  so.k = key.k;
  so.transform = spectral::parse_transform(key.transform);
  so.solver = spectral::parse_solver(key.solver);
  so.precision = spectral::parse_precision(key.precision);
  so.seed = key.responses.seed;
  return so;
}

std::string set_file(const std::string& scratch, const SpectrumKey& key) {
  return scratch + "/set-" + file_stem(key.text()) + ".h5";
}

std::string responses_file(const std::string& scratch, const ResponseKey& key) {
  return scratch + "/responses-" + file_stem(key.text()) + ".h5";
}

InputTimes prepare_inputs(const net::Network& network, const std::vector<SpectrumKey>& keys,
                          const std::string& scratch, bool keep_responses, MPI_Comm comm) {
  if (mpi_rank(comm) == 0) std::filesystem::create_directories(scratch);
  NI_MPI(MPI_Barrier(comm));
  InputTimes times;
  std::vector<SpectrumKey> missing;
  for (const auto& key : keys) {
    if (!exists_on_rank0(set_file(scratch, key), comm)) missing.push_back(key);
  }
  // Responses first, each set's matrix in its own file.
  Stopwatch responses_clock;
  std::set<std::string> done;
  for (const auto& key : missing) {
    const std::string path = responses_file(scratch, key.responses);
    if (!done.insert(path).second || exists_on_rank0(path, comm)) continue;
    compute_responses_file(network, key.responses, path, comm);
    release_kept_memory();  // the response shard
    ++times.responses_computed;
  }
  times.responses = responses_clock.seconds();
  Stopwatch spectra_clock;
  for (const auto& key : missing) {
    compute_set_file(key, responses_file(scratch, key.responses), set_file(scratch, key), comm);
    ++times.spectra_computed;
  }
  times.spectra = spectra_clock.seconds();
  // Every set file exists now: the response matrices are needed no more.
  if (!keep_responses && mpi_rank(comm) == 0) {
    for (const auto& key : keys) std::filesystem::remove(responses_file(scratch, key.responses));
  }
  NI_MPI(MPI_Barrier(comm));
  return times;
}

SetData load_set(const std::string& scratch, const SpectrumKey& key) {
  const std::string path = set_file(scratch, key);
  const h5::File f(path, h5::File::Mode::Read);
  NI_REQUIRE(f.attr_string("/", "key") == key.text(), path, ": holds '", f.attr_string("/", "key"),
             "', expected '", key.text(), "'");
  SetData d;
  d.features.silent = f.read<std::uint8_t>("/silent");
  const auto n = static_cast<std::uint64_t>(d.features.silent.size());
  const auto moments = f.read<double>("/moments", {4, n});
  for (std::uint64_t m = 0; m < 4; ++m)
    d.features.moments.emplace_back(moments.begin() + m * n, moments.begin() + (m + 1) * n);
  d.activation_rate = f.read<double>("/activation_rate", {n});
  d.features.eigenvectors.resize(static_cast<Eigen::Index>(n), key.k);
  if (key.k > 0) {
    const auto vectors = f.read<double>("/eigenvectors", {n, static_cast<std::uint64_t>(key.k)});
    d.features.eigenvectors =
        Eigen::Map<const localize::RowMatrix>(vectors.data(), static_cast<Eigen::Index>(n), key.k);
  }
  d.images = f.attr_int("/", "images");
  return d;
}

std::string weights_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NI_REQUIRE(in, "cannot read ", path);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  char hex[20];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(purpose_id(bytes)));
  return hex;
}

FeatureSetInputs feature_set_inputs(const std::vector<const SetData*>& sets,
                                    const localize::FeatureOptions& options) {
  NI_REQUIRE(!sets.empty(), "a feature set needs at least one image set");
  FeatureSetInputs in;
  in.silent = sets.front()->features.silent;
  std::vector<const localize::SetFeatures*> parts;
  for (const auto* s : sets) {
    parts.push_back(&s->features);
    for (std::size_t i = 0; i < in.silent.size(); ++i) in.silent[i] &= s->features.silent[i];
  }
  in.features = localize::build_features(parts, options);
  return in;
}

}  // namespace netinfer::experiment
