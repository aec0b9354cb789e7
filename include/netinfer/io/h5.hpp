// HDF5 files for every stage's input and output. One class, two modes:
//  - serial: a file opened by one process (comm = MPI_COMM_SELF);
//  - parallel: a file opened by every rank of a communicator with the MPI-IO
//    driver. Then *every* call is collective: all ranks call it with the same
//    name and shape. write() stores rank 0's data; write_block() stores each
//    rank's own hyperslab.
// Arrays are row-major (C order), as h5dump shows them. Every HDF5 return code
// is checked; failures throw netinfer::Error naming the file and object.
// A writable file is complete only when close() returns: it flushes the file
// (its disk space reserved first), closes it and syncs it to the disk, and
// throws if any of that failed. After a failed write the file is closed into
// memory instead, as HDF5 1.10 crashes closing a file whose flush failed.
#pragma once

#include <hdf5.h>
#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace netinfer::h5 {

using Dims = std::vector<std::uint64_t>;

class File {
 public:
  enum class Mode { Read, ReadWrite, Create };
  File(const std::string& path, Mode mode, MPI_Comm comm = MPI_COMM_SELF);
  // Closes as close() does and throws as it does, unless an exception is
  // already unwinding: then the file is abandoned (abandon()).
  ~File() noexcept(false);
  File(File&& other) noexcept;
  File& operator=(File&& other);
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  const std::string& path() const { return path_; }
  bool parallel() const { return parallel_; }
  // Collective for a parallel file. Throws "cannot write <path>: <reason>".
  void close();
  // Closes without writing anything more (a writable file's unwritten changes
  // are discarded; a file created by this object is removed); a parallel
  // file only collectively, else it is left open.
  void abandon() noexcept;

  // Objects are named by absolute paths ("/responses/GAUSSIAN/matrix");
  // missing parent groups are created.
  bool exists(const std::string& name) const;
  Dims dims(const std::string& name) const;
  std::vector<std::string> children(const std::string& group) const;
  void remove(const std::string& name);

  // Whole datasets. In a parallel file every rank calls, rank 0's data is stored.
  template <typename T>
  void write(const std::string& name, const T* data, const Dims& dims);
  template <typename T>
  void write(const std::string& name, const std::vector<T>& data) {
    write(name, data.data(), Dims{data.size()});
  }
  template <typename T>
  std::vector<T> read(const std::string& name) const;
  // Reads a dataset and checks that its shape is `expected`.
  template <typename T>
  std::vector<T> read(const std::string& name, const Dims& expected) const;

  // Hyperslabs: create once (collectively), then each rank writes or reads
  // its own block [offset, offset + count).
  template <typename T>
  void create(const std::string& name, const Dims& dims, const Dims& chunk = {});
  template <typename T>
  void write_block(const std::string& name, const Dims& offset, const Dims& count, const T* data);
  template <typename T>
  void read_block(const std::string& name, const Dims& offset, const Dims& count, T* data) const;

  // Attributes on a group or dataset ("/" for the root).
  void set_attr(const std::string& object, const std::string& key, const std::string& value);
  void set_attr(const std::string& object, const std::string& key, double value);
  void set_attr(const std::string& object, const std::string& key, std::int64_t value);
  void set_attr(const std::string& object, const std::string& key, int value) {
    set_attr(object, key, static_cast<std::int64_t>(value));
  }
  bool has_attr(const std::string& object, const std::string& key) const;
  std::string attr_string(const std::string& object, const std::string& key) const;
  double attr_double(const std::string& object, const std::string& key) const;
  std::int64_t attr_int(const std::string& object, const std::string& key) const;

  void make_groups(const std::string& name);  // creates "name" and its parents

 private:
  hid_t open_object(const std::string& name) const;
  std::string where(const std::string& name) const { return path_ + ":" + name; }
  // Records that the file can no longer be completed, and throws.
  [[noreturn]] void write_failed(const std::string& name, const std::string& what,
                                 const std::string& reason);

  std::string path_;
  hid_t id_ = -1;
  bool parallel_ = false;
  bool writable_ = false;
  bool created_ = false;  // Mode::Create: not yet an HDF5 file until closed
  MPI_Comm comm_ = MPI_COMM_SELF;
  std::string broken_;  // why a write failed; empty while the file is sound
};

// An output file written under "<path>.partial" and renamed to <path> by
// commit() once it is closed (flushed, synced) without error, so neither a
// killed job nor a full disk leaves a file that looks complete. Refuses to
// replace an existing <path> unless `force`. Collective over `comm`.
class Output {
 public:
  Output(const std::string& path, bool force, MPI_Comm comm = MPI_COMM_SELF);
  ~Output();  // without commit() (a refused or failed run): removes the .partial file
  File& file() { return file_; }
  void commit();
  static std::string partial_name(const std::string& path) { return path + ".partial"; }

 private:
  std::string path_;
  MPI_Comm comm_;
  File file_;
  bool committed_ = false;
};

// Fails with a clear message if `path` exists and `force` is false. Collective.
void refuse_overwrite(const std::string& path, bool force, MPI_Comm comm = MPI_COMM_SELF);

// Root attributes every netinfer output carries: program, version, git
// revision, ranks, the command line and the full option set, start time.
void write_provenance(File& file, const std::string& command, const std::string& options_text);

}  // namespace netinfer::h5
