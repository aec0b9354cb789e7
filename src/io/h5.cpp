#include "netinfer/io/h5.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <exception>
#include <sstream>

#include "netinfer/core/error.hpp"
#include "netinfer/core/mpi.hpp"
#include "netinfer/core/version.hpp"

namespace netinfer::h5 {

namespace {

template <typename T>
hid_t type_of();
template <>
hid_t type_of<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
hid_t type_of<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
hid_t type_of<std::int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
hid_t type_of<std::int64_t>() {
  return H5T_NATIVE_INT64;
}
template <>
hid_t type_of<std::uint8_t>() {
  return H5T_NATIVE_UINT8;
}

// Closes an HDF5 identifier of any kind at scope exit.
struct Handle {
  hid_t id;
  explicit Handle(hid_t i) : id(i) {}
  ~Handle() {
    if (id >= 0) H5Oclose(id);
  }
  operator hid_t() const { return id; }
};
struct Space {
  hid_t id;
  explicit Space(hid_t i) : id(i) {}
  ~Space() {
    if (id >= 0) H5Sclose(id);
  }
  operator hid_t() const { return id; }
};
struct Plist {
  hid_t id;
  explicit Plist(hid_t i) : id(i) {}
  ~Plist() {
    if (id >= 0) H5Pclose(id);
  }
  operator hid_t() const { return id; }
};

std::vector<hsize_t> to_hsize(const Dims& d) {
  return std::vector<hsize_t>(d.begin(), d.end());
}

std::string parent_of(const std::string& name) {
  const auto slash = name.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : name.substr(0, slash);
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// HDF5 prints its own error stack by default; we report our own line instead.
struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
} silence_hdf5;

}  // namespace

File::File(const std::string& path, Mode mode, MPI_Comm comm)
    : path_(path), parallel_(mpi_size(comm) > 1), comm_(comm) {
  Plist fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (parallel_) H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  if (mode == Mode::Create) {
    id_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    NI_REQUIRE(id_ >= 0, "cannot create HDF5 file ", path);
  } else {
    NI_REQUIRE(file_exists(path), "file not found: ", path);
    NI_REQUIRE(H5Fis_hdf5(path.c_str()) > 0, "not an HDF5 file (or corrupt): ", path);
    id_ = H5Fopen(path.c_str(), mode == Mode::Read ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl);
    NI_REQUIRE(id_ >= 0, "cannot open HDF5 file ", path);
  }
}

File::~File() {
  // Closing a parallel file is collective: while an exception unwinds one
  // rank, the others may never arrive, so leave the file to MPI_Abort.
  if (parallel_ && std::uncaught_exceptions() > 0) return;
  close();
}

File::File(File&& o) noexcept
    : path_(std::move(o.path_)), id_(o.id_), parallel_(o.parallel_), comm_(o.comm_) {
  o.id_ = -1;
}

File& File::operator=(File&& o) noexcept {
  if (this != &o) {
    close();
    path_ = std::move(o.path_);
    id_ = o.id_;
    parallel_ = o.parallel_;
    comm_ = o.comm_;
    o.id_ = -1;
  }
  return *this;
}

void File::close() {
  if (id_ >= 0) H5Fclose(id_);
  id_ = -1;
}

bool File::exists(const std::string& name) const {
  if (name == "/") return true;
  // Check each path component: H5Lexists fails on a missing intermediate group.
  std::string sofar;
  std::size_t pos = 1;
  while (pos <= name.size()) {
    const auto next = name.find('/', pos);
    sofar = name.substr(0, next);
    if (H5Lexists(id_, sofar.c_str(), H5P_DEFAULT) <= 0) return false;
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return true;
}

hid_t File::open_object(const std::string& name) const {
  NI_REQUIRE(exists(name), where(name), ": no such dataset or group");
  const hid_t id = H5Oopen(id_, name.c_str(), H5P_DEFAULT);
  NI_REQUIRE(id >= 0, where(name), ": cannot open");
  return id;
}

void File::make_groups(const std::string& name) {
  if (name.empty() || name == "/" || exists(name)) return;
  make_groups(parent_of(name));
  const hid_t g = H5Gcreate2(id_, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  NI_REQUIRE(g >= 0, where(name), ": cannot create group");
  H5Gclose(g);
}

Dims File::dims(const std::string& name) const {
  Handle ds(open_object(name));
  Space space(H5Dget_space(ds));
  NI_REQUIRE(space.id >= 0, where(name), ": not a dataset");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> d(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, d.data(), nullptr);
  return Dims(d.begin(), d.end());
}

std::vector<std::string> File::children(const std::string& group) const {
  std::vector<std::string> names;
  if (!exists(group)) return names;
  Handle g(open_object(group));
  H5G_info_t info;
  NI_REQUIRE(H5Gget_info(g, &info) >= 0, where(group), ": not a group");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n =
        H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string s(n, '\0');
    H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, s.data(), n + 1, H5P_DEFAULT);
    names.push_back(s);
  }
  return names;
}

void File::remove(const std::string& name) {
  if (exists(name))
    NI_REQUIRE(H5Ldelete(id_, name.c_str(), H5P_DEFAULT) >= 0, where(name), ": cannot delete");
}

template <typename T>
void File::create(const std::string& name, const Dims& dims, const Dims& chunk) {
  make_groups(parent_of(name));
  remove(name);
  const auto d = to_hsize(dims);
  Space space(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr));
  Plist dcpl(H5Pcreate(H5P_DATASET_CREATE));
  if (!chunk.empty()) {
    const auto c = to_hsize(chunk);
    H5Pset_chunk(dcpl, static_cast<int>(c.size()), c.data());
  }
  // Parallel HDF5 requires early allocation; do it always for identical files.
  H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
  const hid_t ds =
      H5Dcreate2(id_, name.c_str(), type_of<T>(), space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  NI_REQUIRE(ds >= 0, where(name), ": cannot create dataset");
  H5Dclose(ds);
}

template <typename T>
void File::write_block(const std::string& name, const Dims& offset, const Dims& count,
                       const T* data) {
  Handle ds(open_object(name));
  Space file_space(H5Dget_space(ds));
  const auto o = to_hsize(offset), c = to_hsize(count);
  NI_REQUIRE(static_cast<int>(o.size()) == H5Sget_simple_extent_ndims(file_space), where(name),
             ": block rank does not match the dataset");
  std::uint64_t elements = 1;
  for (auto x : c) elements *= x;
  if (elements == 0) {
    H5Sselect_none(file_space);
  } else {
    H5Sselect_hyperslab(file_space, H5S_SELECT_SET, o.data(), nullptr, c.data(), nullptr);
  }
  Space mem_space(elements == 0 ? H5Screate(H5S_NULL)
                                : H5Screate_simple(static_cast<int>(c.size()), c.data(), nullptr));
  if (elements == 0) H5Sselect_none(mem_space);
  Plist xfer(H5Pcreate(H5P_DATASET_XFER));
  if (parallel_) H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE);
  NI_REQUIRE(H5Dwrite(ds, type_of<T>(), mem_space, file_space, xfer, data) >= 0, where(name),
             ": write failed");
}

template <typename T>
void File::read_block(const std::string& name, const Dims& offset, const Dims& count,
                      T* data) const {
  Handle ds(open_object(name));
  Space file_space(H5Dget_space(ds));
  const auto o = to_hsize(offset), c = to_hsize(count);
  NI_REQUIRE(static_cast<int>(o.size()) == H5Sget_simple_extent_ndims(file_space), where(name),
             ": block rank does not match the dataset");
  std::uint64_t elements = 1;
  for (auto x : c) elements *= x;
  if (elements == 0) {
    H5Sselect_none(file_space);
  } else {
    H5Sselect_hyperslab(file_space, H5S_SELECT_SET, o.data(), nullptr, c.data(), nullptr);
  }
  Space mem_space(elements == 0 ? H5Screate(H5S_NULL)
                                : H5Screate_simple(static_cast<int>(c.size()), c.data(), nullptr));
  if (elements == 0) H5Sselect_none(mem_space);
  Plist xfer(H5Pcreate(H5P_DATASET_XFER));
  if (parallel_) H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE);
  NI_REQUIRE(H5Dread(ds, type_of<T>(), mem_space, file_space, xfer, data) >= 0, where(name),
             ": read failed (truncated or corrupt file?)");
}

template <typename T>
void File::write(const std::string& name, const T* data, const Dims& dims) {
  create<T>(name, dims);
  const bool mine = !parallel_ || mpi_rank(comm_) == 0;
  Dims zero(dims.size(), 0);
  write_block<T>(name, zero, mine ? dims : zero, data);
}

template <typename T>
std::vector<T> File::read(const std::string& name) const {
  const Dims d = dims(name);
  std::uint64_t n = 1;
  for (auto x : d) n *= x;
  std::vector<T> out(n);
  read_block<T>(name, Dims(d.size(), 0), d, out.data());
  return out;
}

template <typename T>
std::vector<T> File::read(const std::string& name, const Dims& expected) const {
  const Dims d = dims(name);
  if (d != expected) {
    std::ostringstream msg;
    msg << where(name) << ": shape [";
    for (std::size_t i = 0; i < d.size(); ++i) msg << (i ? "," : "") << d[i];
    msg << "], expected [";
    for (std::size_t i = 0; i < expected.size(); ++i) msg << (i ? "," : "") << expected[i];
    msg << "]";
    NI_FAIL(msg.str());
  }
  return read<T>(name);
}

#define NI_H5_INSTANTIATE(T)                                                                  \
  template void File::write<T>(const std::string&, const T*, const Dims&);                    \
  template std::vector<T> File::read<T>(const std::string&) const;                            \
  template std::vector<T> File::read<T>(const std::string&, const Dims&) const;               \
  template void File::create<T>(const std::string&, const Dims&, const Dims&);                \
  template void File::write_block<T>(const std::string&, const Dims&, const Dims&, const T*); \
  template void File::read_block<T>(const std::string&, const Dims&, const Dims&, T*) const;
NI_H5_INSTANTIATE(double)
NI_H5_INSTANTIATE(float)
NI_H5_INSTANTIATE(std::int32_t)
NI_H5_INSTANTIATE(std::int64_t)
NI_H5_INSTANTIATE(std::uint8_t)
#undef NI_H5_INSTANTIATE

namespace {
// Creates (replacing) an attribute of the given type and scalar space and writes it.
void put_attr(hid_t file, const std::string& where, const std::string& object,
              const std::string& key, hid_t type, const void* value) {
  Handle obj(H5Oopen(file, object.c_str(), H5P_DEFAULT));
  NI_REQUIRE(obj.id >= 0, where, ": cannot open for attribute ", key);
  if (H5Aexists(obj, key.c_str()) > 0) H5Adelete(obj, key.c_str());
  Space space(H5Screate(H5S_SCALAR));
  const hid_t a = H5Acreate2(obj, key.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
  NI_REQUIRE(a >= 0, where, ": cannot create attribute ", key);
  const herr_t rc = H5Awrite(a, type, value);
  H5Aclose(a);
  NI_REQUIRE(rc >= 0, where, ": cannot write attribute ", key);
}
}  // namespace

void File::set_attr(const std::string& object, const std::string& key, const std::string& value) {
  make_groups(object);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.empty() ? 1 : value.size());
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  const char* text = value.empty() ? "" : value.c_str();
  put_attr(id_, where(object), object, key, type, text);
  H5Tclose(type);
}

void File::set_attr(const std::string& object, const std::string& key, double value) {
  make_groups(object);
  put_attr(id_, where(object), object, key, H5T_NATIVE_DOUBLE, &value);
}

void File::set_attr(const std::string& object, const std::string& key, std::int64_t value) {
  make_groups(object);
  put_attr(id_, where(object), object, key, H5T_NATIVE_INT64, &value);
}

bool File::has_attr(const std::string& object, const std::string& key) const {
  if (!exists(object)) return false;
  Handle obj(open_object(object));
  return H5Aexists(obj, key.c_str()) > 0;
}

namespace {
hid_t open_attr(hid_t obj, const std::string& where, const std::string& key) {
  NI_REQUIRE(H5Aexists(obj, key.c_str()) > 0, where, ": missing attribute ", key);
  return H5Aopen(obj, key.c_str(), H5P_DEFAULT);
}
}  // namespace

std::string File::attr_string(const std::string& object, const std::string& key) const {
  Handle obj(open_object(object));
  const hid_t a = open_attr(obj, where(object), key);
  const hid_t type = H5Aget_type(a);
  std::string out;
  if (H5Tis_variable_str(type) > 0) {
    char* s = nullptr;
    const hid_t mem = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Aread(a, mem, &s);
    out = s ? s : "";
    H5free_memory(s);
    H5Tclose(mem);
  } else {
    out.resize(H5Tget_size(type));
    H5Aread(a, type, out.data());
    out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
  }
  H5Tclose(type);
  H5Aclose(a);
  return out;
}

double File::attr_double(const std::string& object, const std::string& key) const {
  Handle obj(open_object(object));
  const hid_t a = open_attr(obj, where(object), key);
  double v = 0;
  const herr_t rc = H5Aread(a, H5T_NATIVE_DOUBLE, &v);
  H5Aclose(a);
  NI_REQUIRE(rc >= 0, where(object), ": attribute ", key, " is not a number");
  return v;
}

std::int64_t File::attr_int(const std::string& object, const std::string& key) const {
  Handle obj(open_object(object));
  const hid_t a = open_attr(obj, where(object), key);
  std::int64_t v = 0;
  const herr_t rc = H5Aread(a, H5T_NATIVE_INT64, &v);
  H5Aclose(a);
  NI_REQUIRE(rc >= 0, where(object), ": attribute ", key, " is not an integer");
  return v;
}

void refuse_overwrite(const std::string& path, bool force, MPI_Comm comm) {
  int exists = 0;
  if (mpi_rank(comm) == 0) exists = file_exists(path) ? 1 : 0;
  NI_MPI(MPI_Bcast(&exists, 1, MPI_INT, 0, comm));
  NI_REQUIRE(!exists || force, "output file ", path, " exists (use --force to replace it)");
}

Output::Output(const std::string& path, bool force, MPI_Comm comm)
    : path_(path),
      comm_(comm),
      file_((refuse_overwrite(path, force, comm), partial_name(path)), File::Mode::Create, comm) {}

Output::~Output() = default;  // an uncommitted file keeps its .partial name

void Output::commit() {
  NI_REQUIRE(!committed_, "output ", path_, " committed twice");
  file_.close();
  NI_MPI(MPI_Barrier(comm_));
  int ok = 1;
  if (mpi_rank(comm_) == 0) ok = std::rename(partial_name(path_).c_str(), path_.c_str()) == 0;
  NI_MPI(MPI_Bcast(&ok, 1, MPI_INT, 0, comm_));
  NI_REQUIRE(ok, "cannot rename ", partial_name(path_), " to ", path_);
  committed_ = true;
}

void write_provenance(File& file, const std::string& command, const std::string& options_text) {
  char stamp[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  file.set_attr("/", "program", std::string("netinfer"));
  file.set_attr("/", "version", std::string(version()));
  file.set_attr("/", "git_revision", std::string(git_revision()));
  file.set_attr("/", "command", command);
  file.set_attr("/", "options", options_text);
  file.set_attr("/", "mpi_ranks", static_cast<std::int64_t>(mpi_size(MPI_COMM_WORLD)));
  file.set_attr("/", "start_time", std::string(stamp));
}

}  // namespace netinfer::h5
