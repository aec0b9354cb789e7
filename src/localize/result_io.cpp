#include "netinfer/localize/result_io.hpp"

#include <type_traits>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"

namespace netinfer::localize {

namespace {

// HDF5 stores per-test distances as int32 (int is 32 bits here).
template <typename T>
using Stored = std::conditional_t<std::is_same_v<T, int>, std::int32_t, T>;

}  // namespace

void write_result(h5::File& file, const std::string& g, const LocalizeResult& r) {
  file.make_groups(g);
  for_each_field(r, [&](const char* name, const auto& value, Field) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<V, double>) {
      file.set_attr(g, name, value);
    } else {
      using T = Stored<typename V::value_type>;
      file.write(g + "/" + name, std::vector<T>(value.begin(), value.end()));
    }
  });
  file.set_attr(g + "/assigned", "axes",
                std::string("location assigned to tests[i] (neuron index)"));
}

LocalizeResult read_result(const h5::File& file, const std::string& g, bool per_test) {
  LocalizeResult r;
  for_each_field(r, [&](const char* name, auto& value, Field kind) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<V, double>) {
      value = file.attr_double(g, name);
    } else if (per_test || kind != Field::per_test) {
      using T = Stored<typename V::value_type>;
      const auto stored = file.read<T>(g + "/" + name);
      value.assign(stored.begin(), stored.end());
    }
  });
  return r;
}

void pack_result(const LocalizeResult& r, std::vector<double>& out) {
  for_each_field(r, [&](const char*, const auto& value, Field) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<V, double>) {
      out.push_back(value);
    } else {
      out.push_back(static_cast<double>(value.size()));
      for (const auto& x : value) out.push_back(static_cast<double>(x));
    }
  });
}

LocalizeResult unpack_result(const std::vector<double>& in, std::size_t& at) {
  auto next = [&]() {
    NI_REQUIRE(at < in.size(), "localisation result: message ends early (", in.size(), " values)");
    return in[at++];
  };
  LocalizeResult r;
  for_each_field(r, [&](const char*, auto& value, Field) {
    using V = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<V, double>) {
      value = next();
    } else {
      value.resize(static_cast<std::size_t>(next()));
      for (auto& x : value) x = static_cast<typename V::value_type>(next());
    }
  });
  return r;
}

void broadcast_result(LocalizeResult& r, MPI_Comm comm) {
  std::vector<double> packed;
  if (mpi_rank(comm) == 0) pack_result(r, packed);
  std::int64_t size = static_cast<std::int64_t>(packed.size());
  NI_MPI(MPI_Bcast(&size, 1, MPI_INT64_T, 0, comm));
  packed.resize(size);
  NI_MPI(MPI_Bcast(packed.data(), static_cast<int>(size), MPI_DOUBLE, 0, comm));
  std::size_t at = 0;
  r = unpack_result(packed, at);
}

}  // namespace netinfer::localize
