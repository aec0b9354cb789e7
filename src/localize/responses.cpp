#include "netinfer/localize/responses.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/huge_pages.hpp"
#include "netinfer/core/log.hpp"
#include "netinfer/dist/read_matrix.hpp"
#include "netinfer/dist/redistribute.hpp"

namespace netinfer::localize {

std::int64_t forward_images(const net::Architecture& arch) {
  std::int64_t images = kMomentChunk;
  while (images > 1 &&
         static_cast<std::uint64_t>(arch.neuron_count()) * images * sizeof(double) > kForwardBytes)
    images /= 2;
  return images;
}

ResponseShard compute_responses(const net::Network& network, const stimuli::ImageSet& set,
                                const net::Recording& recording, MPI_Comm comm) {
  const net::Architecture& arch = network.architecture();
  NI_REQUIRE(set.shape() == arch.shape(0), "image set ", set.spec(), " has images of ",
             set.shape().families, "x", set.shape().height, "x", set.shape().width,
             " but the network's input is ", arch.shape(0).families, "x", arch.shape(0).height, "x",
             arch.shape(0).width);
  ResponseShard shard;
  shard.spec = set.spec();
  shard.total_images = set.size();
  shard.rank = mpi_rank(comm);
  shard.ranks = mpi_size(comm);
  std::int64_t local = 0;  // this rank's images: its chunks r, r + P, ...
  for (std::int64_t c = shard.rank; c < shard.chunks(); c += shard.ranks)
    local += std::min(kMomentChunk, shard.total_images - c * kMomentChunk);
  shard.matrix.resize(recording.size(), local);
  advise_huge_pages(shard.matrix.data(), sizeof(double) * shard.matrix.size());

  const std::int64_t pixels = arch.shape(0).size(), batch = forward_images(arch);
  net::Matrix images, activations;
  Progress progress(set.spec() + " forward", shard.total_images, "images");
  // Forward calls of `batch` images within each chunk: GEMM rounding depends
  // on how images are grouped, so the grouping must not depend on the rank
  // count either.
  for (std::int64_t b = 0; b < local; b += kMomentChunk) {
    const std::int64_t chunk = std::min<std::int64_t>(kMomentChunk, local - b);
    for (std::int64_t s = 0; s < chunk; s += batch) {
      const std::int64_t n = std::min(batch, chunk - s);
      images.resize(pixels, n);
      for (std::int64_t j = 0; j < n; ++j)
        set.image(shard.global_image(b + s + j), images.col(j).data());
      network.forward(images, activations);
      if (recording.complete()) {
        shard.matrix.middleCols(b + s, n) = activations;
      } else {
        for (std::int64_t r = 0; r < recording.size(); ++r)
          shard.matrix.row(r).segment(b + s, n) = activations.row(recording.neuron(r));
      }
    }
    // Every rank advances at the same pace; rank 0 reports the whole set.
    progress.update((b + chunk) * shard.total_images / std::max<std::int64_t>(1, local));
  }
  progress.finish();
  return shard;
}

namespace {

// Sums per-chunk partial sums over all ranks in global chunk order. local:
// this rank's chunks (rows, in order) x values; rank r's row q is chunk
// q P + r. Gathering to rank 0 and adding the chunks in global order gives the
// same bits whatever the number of ranks.
std::vector<double> ordered_sum(const RowMatrix& local, MPI_Comm comm) {
  const int size = mpi_size(comm), rank = mpi_rank(comm);
  const auto width = local.cols();
  int mine = static_cast<int>(local.size());
  std::vector<int> counts(size), offsets(size, 0);
  NI_MPI(MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm));
  std::vector<double> all;
  if (rank == 0) {
    for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
    all.resize(offsets[size - 1] + counts[size - 1]);
  }
  NI_MPI(MPI_Gatherv(local.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                     MPI_DOUBLE, 0, comm));
  std::vector<double> total(width, 0.0);
  if (rank == 0) {
    const std::int64_t chunks =
        static_cast<std::int64_t>(all.size()) / std::max<Eigen::Index>(1, width);
    for (std::int64_t c = 0; c < chunks; ++c) {
      const double* row = all.data() + offsets[c % size] + (c / size) * width;
      for (Eigen::Index v = 0; v < width; ++v) total[v] += row[v];
    }
  }
  NI_MPI(MPI_Bcast(total.data(), static_cast<int>(width), MPI_DOUBLE, 0, comm));
  return total;
}

}  // namespace

Moments reduce_moments(const ResponseShard& shard, const net::Recording& recording, MPI_Comm comm) {
  const std::int64_t n = shard.matrix.rows(), local = shard.matrix.cols();
  NI_REQUIRE(n == recording.size(), "response shard of ", n, " rows for a recording of ",
             recording.size(), " neurons");
  const double m = static_cast<double>(shard.total_images);
  NI_REQUIRE(shard.total_images > 0, "image set ", shard.spec, " is empty");
  const std::int64_t chunks = (local + kMomentChunk - 1) / kMomentChunk;
  auto chunk_end = [&](std::int64_t c) { return std::min(local, (c + 1) * kMomentChunk); };
  Moments mo;
  mo.images = shard.total_images;
  // Pass 1: sums per chunk; minima and maxima (silence is exact: min == max).
  RowMatrix sums = RowMatrix::Zero(chunks, n);
  std::vector<double> lo(n, INFINITY), hi(n, -INFINITY);
  std::vector<std::int64_t> active(n, 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto row = shard.matrix.row(i);
    for (std::int64_t c = 0; c < chunks; ++c) {
      double s = 0;
      for (std::int64_t j = c * kMomentChunk; j < chunk_end(c); ++j) {
        s += row[j];
        lo[i] = std::min(lo[i], row[j]);
        hi[i] = std::max(hi[i], row[j]);
        active[i] += row[j] != 0;
      }
      sums(c, i) = s;
    }
  }
  const std::vector<double> sum = ordered_sum(sums, comm);
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, lo.data(), n, MPI_DOUBLE, MPI_MIN, comm));
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, hi.data(), n, MPI_DOUBLE, MPI_MAX, comm));
  NI_MPI(MPI_Allreduce(MPI_IN_PLACE, active.data(), n, MPI_INT64_T, MPI_SUM, comm));
  mo.mean.resize(n);
  mo.activation_rate.resize(n);
  for (std::int64_t i = 0; i < n; ++i) {
    mo.activation_rate[i] = static_cast<double>(active[i]) / m;
    mo.mean[i] = sum[i] / m;
    NI_REQUIRE(std::isfinite(mo.mean[i]), "non-finite response of neuron ", i, " to set ",
               shard.spec);
  }
  // Pass 2: central moments about the global mean (numerically stable), of
  // deviations in units of the neuron's range: responses of 1e-124 (softmax
  // outputs under some PATCH sets) would otherwise underflow in the third and
  // fourth powers and leave skewness and kurtosis 0/0.
  std::vector<double> range(n);
  for (std::int64_t i = 0; i < n; ++i) range[i] = hi[i] > lo[i] ? hi[i] - lo[i] : 1.0;
  RowMatrix powers = RowMatrix::Zero(chunks, 3 * n);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto row = shard.matrix.row(i);
    const double unit = 1 / range[i];
    for (std::int64_t c = 0; c < chunks; ++c) {
      double s2 = 0, s3 = 0, s4 = 0;
      for (std::int64_t j = c * kMomentChunk; j < chunk_end(c); ++j) {
        const double d = (row[j] - mo.mean[i]) * unit, d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
      }
      powers(c, 3 * i) = s2;
      powers(c, 3 * i + 1) = s3;
      powers(c, 3 * i + 2) = s4;
    }
  }
  const std::vector<double> central = ordered_sum(powers, comm);
  mo.std.resize(n);
  mo.skewness.resize(n);
  mo.kurtosis.resize(n);
  mo.silent.assign(n, 0);
  mo.silent_per_layer.assign(recording.layer_count(), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const double var = central[3 * i] / m;  // in units of range^2
    const double sd = std::sqrt(var) * range[i];
    // Silent: identical responses, or a spread so small it underflows
    // (e.g. softmax outputs of 1 - 1e-300 under IMPULSE's 1e9 inputs).
    if (lo[i] == hi[i] || !(sd > 0) || !(var > 0)) {
      mo.silent[i] = 1;
      ++mo.silent_per_layer[recording.layer_of_row(i)];
      mo.std[i] = mo.skewness[i] = mo.kurtosis[i] = 0.0;
      continue;
    }
    mo.std[i] = sd;
    mo.skewness[i] = central[3 * i + 1] / m / (var * std::sqrt(var));
    mo.kurtosis[i] = central[3 * i + 2] / m / (var * var);
  }
  return mo;
}

void write_network(h5::File& file, const net::Architecture& arch) {
  if (file.exists("/network/locations")) return;
  std::string names;
  for (int l = 0; l < arch.layer_count(); ++l) names += (l ? "," : "") + arch.name(l);
  file.set_attr("/network", "architecture", arch.to_string());
  file.set_attr("/network", "neuron_count", arch.neuron_count());
  file.set_attr("/network", "layer_names", names);
  std::vector<std::int32_t> loc(4 * arch.neuron_count());
  for (std::int64_t i = 0; i < arch.neuron_count(); ++i) {
    const auto l = arch.location(i);
    loc[4 * i] = l.layer;
    loc[4 * i + 1] = l.family;
    loc[4 * i + 2] = l.x;
    loc[4 * i + 3] = l.y;
  }
  file.write("/network/locations", loc.data(),
             {static_cast<std::uint64_t>(arch.neuron_count()), 4});
  file.set_attr("/network/locations", "axes", std::string("neuron, (layer family x y)"));
}

SetFeatures features_of(const Moments& m) {
  SetFeatures f;
  for (const auto* v : {&m.mean, &m.std, &m.skewness, &m.kurtosis})
    f.moments.emplace_back(v->data(), v->data() + v->size());
  f.silent = m.silent;
  return f;
}

void write_recording(h5::File& file, const net::Recording& recording) {
  if (recording.complete() || file.exists("/network/recorded")) return;
  file.write("/network/recorded", recording.neurons());
  file.set_attr("/network/recorded", "key", recording.key());
}

net::Recording read_recording(const h5::File& file, const net::Architecture& arch) {
  if (!file.exists("/network/recorded")) return net::Recording(arch);
  return net::Recording(arch, file.read<std::int64_t>("/network/recorded"),
                        file.attr_string("/network/recorded", "key"));
}

net::Architecture read_network(const h5::File& file) {
  NI_REQUIRE(file.has_attr("/network", "architecture"), file.path(),
             ": no /network architecture (not a file netinfer wrote for a network)");
  return net::Architecture::parse(file.attr_string("/network", "architecture"));
}

void write_moments(h5::File& file, const std::string& set, const Moments& moments,
                   const stimuli::ImageSetOptions& options) {
  const std::string g = "/responses/" + set;
  const auto n = static_cast<std::uint64_t>(moments.mean.size());
  file.write(g + "/mean", moments.mean.data(), {n});
  file.write(g + "/std", moments.std.data(), {n});
  file.write(g + "/skewness", moments.skewness.data(), {n});
  file.write(g + "/kurtosis", moments.kurtosis.data(), {n});
  file.write(g + "/activation_rate", moments.activation_rate);
  file.write(g + "/silent", moments.silent);
  file.write(g + "/silent_per_layer", moments.silent_per_layer);
  file.set_attr(g, "spec", set);
  file.set_attr(g, "images", moments.images);
  file.set_attr(g, "seed", static_cast<std::int64_t>(options.seed));
  file.set_attr(g, "data_dir", options.data_dir);
}

void write_responses(h5::File& file, const ResponseShard& shard, const Moments& moments,
                     const stimuli::ImageSetOptions& options) {
  write_moments(file, shard.spec, moments, options);
  const std::string g = "/responses/" + shard.spec;
  const auto n = static_cast<std::uint64_t>(shard.matrix.rows());
  const auto m = static_cast<std::uint64_t>(shard.total_images);
  file.create<double>(g + "/matrix", {n, m});
  // One collective write per round of chunks; a rank without a chunk in the
  // last round writes nothing.
  const std::int64_t local = shard.matrix.cols();
  const std::int64_t rounds = (shard.chunks() + shard.ranks - 1) / shard.ranks;
  RowMatrix block;
  for (std::int64_t q = 0; q < rounds; ++q) {
    const std::int64_t begin = std::min(local, q * kMomentChunk);
    const std::int64_t width = std::min(local, begin + kMomentChunk) - begin;
    block = shard.matrix.middleCols(begin, width);
    const auto first = static_cast<std::uint64_t>(width > 0 ? shard.global_image(begin) : 0);
    file.write_block(g + "/matrix", {0, first},
                     {width > 0 ? n : 0, static_cast<std::uint64_t>(width)}, block.data());
  }
  file.set_attr(g + "/matrix", "axes", std::string("neuron, image"));
}

template <typename T>
dist::BlockCyclic<T> response_columns(ResponseShard shard, const dist::Grid& grid, int mb, int nb) {
  const std::int64_t n = shard.matrix.rows(), m = shard.total_images;
  NI_REQUIRE(n < (std::int64_t{1} << 31) && m < (std::int64_t{1} << 31),
             "response matrix too large for ScaLAPACK's 32-bit indices");
  NI_REQUIRE(kMomentChunk * n <= dist::kRedistributePanel, n,
             " neurons: a chunk of responses exceeds the redistribution's panel");
  // The shards as they are: a P x 1 grid, kMomentChunk x n blocks.
  const dist::Grid column(grid.comm(), dist::GridShape{grid.size(), 1});
  dist::BlockCyclic<T> dealt(column, static_cast<int>(m), static_cast<int>(n),
                             static_cast<int>(kMomentChunk),
                             static_cast<int>(std::max<std::int64_t>(1, n)));
  NI_REQUIRE(dealt.local_rows() == shard.matrix.cols(), "response shard of ", shard.matrix.cols(),
             " images does not match the dealing (", dealt.local_rows(), ")");
  if (shard.matrix.size() > 0)
    std::copy(shard.matrix.data(), shard.matrix.data() + shard.matrix.size(), dealt.data());
  shard.matrix = RowMatrix();
  release_kept_memory();  // the double-precision shard
  dist::BlockCyclic<T> out(grid, static_cast<int>(m), static_cast<int>(n), mb, nb);
  dist::redistribute(dealt, out);
  return out;
}

template dist::BlockCyclic<double> response_columns(ResponseShard, const dist::Grid&, int, int);
template dist::BlockCyclic<float> response_columns(ResponseShard, const dist::Grid&, int, int);

std::vector<std::string> response_sets(const h5::File& file) {
  NI_REQUIRE(file.exists("/responses"), file.path(),
             ": no /responses group (not a responses file written by netinfer respond)");
  return file.children("/responses");
}

namespace {

// The set's group, with a clear refusal naming the sets the file has.
std::string set_group(const h5::File& file, const std::string& set) {
  const std::vector<std::string> sets = response_sets(file);
  if (std::find(sets.begin(), sets.end(), set) == sets.end()) {
    std::ostringstream known;
    for (std::size_t i = 0; i < sets.size(); ++i) known << (i ? ", " : "") << sets[i];
    NI_FAIL(file.path(), ": no responses for image set '", set,
            "' (it has: ", sets.empty() ? "none" : known.str(),
            "; run netinfer respond with --sets including it)");
  }
  return "/responses/" + set;
}

}  // namespace

Moments read_moments(const h5::File& file, const std::string& set) {
  const std::string g = set_group(file, set);
  Moments m;
  m.images = file.attr_int(g, "images");
  const auto mean = file.read<double>(g + "/mean");
  const h5::Dims n{mean.size()};
  m.mean = Eigen::Map<const net::Vector>(mean.data(), static_cast<Eigen::Index>(mean.size()));
  for (auto [name, v] :
       {std::pair{"std", &m.std}, {"skewness", &m.skewness}, {"kurtosis", &m.kurtosis}}) {
    const auto x = file.read<double>(g + "/" + name, n);
    *v = Eigen::Map<const net::Vector>(x.data(), static_cast<Eigen::Index>(x.size()));
  }
  if (file.exists(g + "/activation_rate"))
    m.activation_rate = file.read<double>(g + "/activation_rate", n);
  m.silent = file.read<std::uint8_t>(g + "/silent", n);
  m.silent_per_layer = file.read<std::int64_t>(g + "/silent_per_layer");
  return m;
}

ResponseDims response_dims(const h5::File& file, const std::string& set) {
  const std::string matrix = set_group(file, set) + "/matrix";
  NI_REQUIRE(file.exists(matrix), file.path(), ": set '", set, "' has no ", matrix);
  const h5::Dims dims = file.dims(matrix);
  NI_REQUIRE(dims.size() == 2, file.path(), ":", matrix, ": expected [neurons, images], found ",
             dims.size(), " dimensions");
  if (file.exists("/network/recorded")) {
    const std::int64_t expected = static_cast<std::int64_t>(file.dims("/network/recorded")[0]);
    NI_REQUIRE(expected == static_cast<std::int64_t>(dims[0]), file.path(), ":", matrix, ": ",
               dims[0], " rows but /network/recorded lists ", expected, " neurons");
  } else if (file.has_attr("/network", "neuron_count")) {
    const std::int64_t expected = file.attr_int("/network", "neuron_count");
    NI_REQUIRE(expected == static_cast<std::int64_t>(dims[0]), file.path(), ":", matrix, ": ",
               dims[0], " rows but /network has neuron_count ", expected);
  }
  return {static_cast<std::int64_t>(dims[0]), static_cast<std::int64_t>(dims[1])};
}

template <typename T>
dist::BlockCyclic<T> read_response_columns(const h5::File& file, const std::string& set,
                                           const dist::Grid& grid, int mb, int nb) {
  response_dims(file, set);  // checks the layout
  return dist::read_column_major<T>(file, "/responses/" + set + "/matrix", grid, mb, nb);
}

template dist::BlockCyclic<double> read_response_columns(const h5::File&, const std::string&,
                                                         const dist::Grid&, int, int);
template dist::BlockCyclic<float> read_response_columns(const h5::File&, const std::string&,
                                                        const dist::Grid&, int, int);

std::string silent_summary(const Moments& moments, const net::Architecture& arch) {
  std::ostringstream line;
  std::int64_t silent = 0;
  line << "silent neurons per layer:";
  for (int l = 0; l < arch.layer_count(); ++l) {
    line << " " << arch.name(l) << " " << moments.silent_per_layer[l];
    silent += moments.silent_per_layer[l];
  }
  line << " (total " << silent << " of " << moments.silent.size() << ")";
  return line.str();
}

void respond_sets(const net::Network& network, const net::Recording& recording,
                  const std::vector<std::string>& sets, const stimuli::ImageSetOptions& options,
                  h5::File& file, MPI_Comm comm) {
  const net::Architecture& arch = network.architecture();
  std::vector<std::unique_ptr<stimuli::ImageSet>> built;
  for (const auto& spec : sets) built.push_back(stimuli::make_image_set(spec, options));
  write_network(file, arch);
  write_recording(file, recording);
  for (const auto& set : built) {
    say("image set " + set->spec() + ": " + std::to_string(set->size()) + " images");
    const auto shard = compute_responses(network, *set, recording, comm);
    const auto moments = reduce_moments(shard, recording, comm);
    Stopwatch write_clock;
    write_responses(file, shard, moments, options);
    std::ostringstream line;
    line << "  " << silent_summary(moments, arch) << "; written in " << write_clock.seconds()
         << " s";
    say(line.str());
  }
  release_kept_memory();
}

}  // namespace netinfer::localize
