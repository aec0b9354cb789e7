#include "netinfer/io/h5.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <sstream>
#include <utility>

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

// Why the last HDF5 call failed, from its error stack: the system's message
// for a failed read or write ("No space left on device"), else MPI's, else
// HDF5's innermost description.
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
        auto& r = *static_cast<std::string*>(out);
        const std::string desc = e->desc ? e->desc : "";
        const auto sys = desc.find("error message = '");
        if (sys != std::string::npos) {
          const auto from = sys + std::strlen("error message = '");
          r = desc.substr(from, desc.find('\'', from) - from);
          return 1;  // the system's message says it best
        }
        if (desc.rfind("MPI_ERR", 0) == 0 || r.empty()) r = desc;
        return 0;
      },
      &reason);
  return reason.empty() ? "unknown HDF5 error" : reason;
}

// hdf5_reason() for a write to `path`. MPI-IO reports a full disk as a short
// write without the system's message; the file system then has no block free.
std::string write_reason(const std::string& path) {
  std::string reason = hdf5_reason();
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  struct statvfs fs;
  if (reason == "file write failed" && ::statvfs(dir.c_str(), &fs) == 0 && fs.f_bavail == 0)
    reason = std::strerror(ENOSPC);
  return reason;
}

// HDF5 1.10 cannot recover from a flush that fails: every later flush fails
// too ("slist already enabled"), and a failed H5Fclose frees the file but
// keeps its identifier, which H5_term_library closes again at MPI_Finalize or
// exit: the segfault in H5F__close_cb. So a file is either flushed with its
// disk space secured first, or, once anything failed, closed into memory.

// Secures the disk blocks of every byte the file may still write: its whole
// extent (`size`, HDF5's end of allocation, or the file's size if larger;
// holes included) and a margin for what closing adds. Returns an
// error text, empty on success or where the file system cannot preallocate.
constexpr off_t kCloseMargin = 64 * 1024;
std::string reserve_space(hsize_t size, const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  if (fd < 0) return std::strerror(errno);
  struct stat st;
  if (::fstat(fd, &st) == 0) size = std::max<hsize_t>(size, st.st_size);
  const int rc = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(size) + kCloseMargin);
  const int err = errno;
  ::close(fd);
  if (rc == 0 || err == EOPNOTSUPP) return "";
  return std::strerror(err);
}

// Frees the margin that reserve_space preallocated past the end of the file.
void release_margin(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  if (fd < 0) return;
  struct stat st;
  if (::fstat(fd, &st) == 0)
    ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, st.st_size, kCloseMargin);
  ::close(fd);
}

// Forces the file's data from the page cache to the disk (some file systems
// report a full disk only here). Returns an error text, empty on success.
std::string sync_to_disk(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return std::strerror(errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  return rc == 0 ? "" : std::strerror(err);
}

// Points an open file's driver at an anonymous in-memory file, so that
// closing it writes nothing to the disk and cannot fail. Collective for a
// parallel file (the MPI-IO handle is closed and replaced).
void divert_to_memory(hid_t file, bool parallel) {
  const int memory = ::memfd_create("netinfer-discarded", 0);
  NI_REQUIRE(memory >= 0, "cannot create an in-memory file: ", std::strerror(errno));
  Plist fapl(H5Fget_access_plist(file));
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file, fapl, &handle) >= 0 && handle) {
    if (parallel) {
      auto* mpi_file = static_cast<MPI_File*>(handle);
      MPI_File_close(mpi_file);
      const std::string self = "/proc/self/fd/" + std::to_string(memory);
      MPI_File_open(MPI_COMM_SELF, self.c_str(), MPI_MODE_RDWR, MPI_INFO_NULL, mpi_file);
    } else {
      ::dup2(memory, *static_cast<int*>(handle));
    }
  }
  ::close(memory);
}

}  // namespace

File::File(const std::string& path, Mode mode, MPI_Comm comm)
    : path_(path),
      parallel_(mpi_size(comm) > 1),
      writable_(mode != Mode::Read),
      created_(mode == Mode::Create),
      comm_(comm) {
  Plist fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (parallel_) H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  // Without a sieve buffer a write reaches the disk in H5Dwrite, which
  // reports a full disk; with one it is deferred to closing the dataset,
  // whose failure leaves HDF5 a freed dataset to crash on at exit.
  if (writable_) H5Pset_sieve_buf_size(fapl, 0);
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

File::~File() noexcept(false) {
  if (std::uncaught_exceptions() > 0) {
    abandon();
  } else {
    close();  // throws if the file could not be completed
  }
}

File::File(File&& o) noexcept
    : path_(std::move(o.path_)),
      id_(o.id_),
      parallel_(o.parallel_),
      writable_(o.writable_),
      created_(o.created_),
      comm_(o.comm_),
      broken_(std::move(o.broken_)) {
  o.id_ = -1;
}

File& File::operator=(File&& o) {
  if (this != &o) {
    close();
    path_ = std::move(o.path_);
    id_ = o.id_;
    parallel_ = o.parallel_;
    writable_ = o.writable_;
    created_ = o.created_;
    comm_ = o.comm_;
    broken_ = std::move(o.broken_);
    o.id_ = -1;
  }
  return *this;
}

void File::close() {
  if (id_ < 0) return;
  if (!writable_) {
    H5Fclose(std::exchange(id_, -1));
    return;
  }
  // Every rank learns whether any rank failed, so all take the same path.
  const auto agree = [&](std::string& problem) {
    if (parallel_ && !all_ok(problem.empty(), comm_) && problem.empty())
      problem = "failed on another rank";
  };
  std::string problem = broken_;
  hsize_t size = 0;
  H5Fget_filesize(id_, &size);  // on every rank (0 where it fails: then the file's size)
  if (problem.empty() && (!parallel_ || mpi_rank(comm_) == 0)) problem = reserve_space(size, path_);
  agree(problem);
  if (!problem.empty()) {
    abandon();
    NI_FAIL("cannot write ", path_, ": ", problem);
  }
  const hid_t id = std::exchange(id_, -1);
  if (H5Fflush(id, H5F_SCOPE_LOCAL) < 0) problem = write_reason(path_);
  agree(problem);
  // Rare, as the space was reserved (a file system without fallocate, an I/O
  // error): HDF5 cannot close the file after this, so it stays open.
  NI_REQUIRE(problem.empty(), "cannot write ", path_, ": ", problem);
  if (H5Fclose(id) < 0) problem = write_reason(path_);
  if (problem.empty() && (!parallel_ || mpi_rank(comm_) == 0)) {
    release_margin(path_);
    problem = sync_to_disk(path_);
  }
  agree(problem);
  NI_REQUIRE(problem.empty(), "cannot write ", path_, ": ", problem);
}

void File::abandon() noexcept {
  if (id_ < 0) return;
  // A file created here and never completed is no HDF5 file: it goes. (While
  // an exception unwinds some ranks only, each of them removes it.)
  const bool unwinding = std::uncaught_exceptions() > 0;
  if (created_ && (!parallel_ || unwinding || mpi_rank(comm_) == 0)) std::remove(path_.c_str());
  // Closing a parallel file is collective: while an exception unwinds one
  // rank, the others may never arrive, so leave the file to MPI_Abort.
  if (parallel_ && unwinding) return;
  try {
    if (writable_) divert_to_memory(id_, parallel_);
  } catch (...) {
    return;  // leave it open rather than risk a failing close
  }
  H5Fclose(std::exchange(id_, -1));
}

void File::write_failed(const std::string& name, const std::string& what,
                        const std::string& reason) {
  broken_ = reason;
  NI_FAIL(where(name), ": ", what, " (", reason, ")");
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
  if (g < 0) write_failed(name, "cannot create group", write_reason(path_));
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
    if (H5Ldelete(id_, name.c_str(), H5P_DEFAULT) < 0)
      write_failed(name, "cannot delete", write_reason(path_));
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
  if (ds < 0) write_failed(name, "cannot create dataset", write_reason(path_));
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
  if (H5Dwrite(ds, type_of<T>(), mem_space, file_space, xfer, data) < 0)
    write_failed(name, "write failed", write_reason(path_));
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
// Creates (replacing) an attribute of the given type and scalar space and
// writes it. Returns what failed and why, or an empty pair.
std::pair<std::string, std::string> put_attr(hid_t file, const std::string& object,
                                             const std::string& key, hid_t type,
                                             const void* value) {
  Handle obj(H5Oopen(file, object.c_str(), H5P_DEFAULT));
  if (obj.id < 0) return {"cannot open for attribute " + key, hdf5_reason()};
  if (H5Aexists(obj, key.c_str()) > 0 && H5Adelete(obj, key.c_str()) < 0)
    return {"cannot replace attribute " + key, hdf5_reason()};
  Space space(H5Screate(H5S_SCALAR));
  const hid_t a = H5Acreate2(obj, key.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return {"cannot create attribute " + key, hdf5_reason()};
  const bool written = H5Awrite(a, type, value) >= 0;
  const std::string reason = written ? "" : hdf5_reason();
  H5Aclose(a);
  if (!written) return {"cannot write attribute " + key, reason};
  return {};
}
}  // namespace

void File::set_attr(const std::string& object, const std::string& key, const std::string& value) {
  make_groups(object);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.empty() ? 1 : value.size());
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  const char* text = value.empty() ? "" : value.c_str();
  const auto [failed, reason] = put_attr(id_, object, key, type, text);
  H5Tclose(type);
  if (!failed.empty()) write_failed(object, failed, reason);
}

void File::set_attr(const std::string& object, const std::string& key, double value) {
  make_groups(object);
  const auto [failed, reason] = put_attr(id_, object, key, H5T_NATIVE_DOUBLE, &value);
  if (!failed.empty()) write_failed(object, failed, reason);
}

void File::set_attr(const std::string& object, const std::string& key, std::int64_t value) {
  make_groups(object);
  const auto [failed, reason] = put_attr(id_, object, key, H5T_NATIVE_INT64, &value);
  if (!failed.empty()) write_failed(object, failed, reason);
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

Output::~Output() {
  if (committed_) return;
  // While an exception unwinds some ranks only, each of them removes the file
  // (removing it twice is harmless); otherwise all are here and rank 0 does.
  file_.abandon();
  if (std::uncaught_exceptions() > 0 || mpi_rank(comm_) == 0)
    std::remove(partial_name(path_).c_str());
}

void Output::commit() {
  NI_REQUIRE(!committed_, "output ", path_, " committed twice");
  file_.close();
  int err = 0;
  if (mpi_rank(comm_) == 0 && std::rename(partial_name(path_).c_str(), path_.c_str()) != 0)
    err = errno;
  NI_MPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm_));
  NI_REQUIRE(err == 0, "cannot rename ", partial_name(path_), " to ", path_, ": ",
             std::strerror(err));
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
