// Whole-object HDF5 operations that netinfer::h5::File does not offer, for
// `netinfer gather` (private to the module): copying a group with everything
// in it, bit for bit, and comparing two groups byte for byte. Serial files,
// HDF5's C API; every return code is checked.
#pragma once

#include <hdf5.h>

#include <string>

namespace netinfer::experiment::detail {

class RawFile {
 public:
  RawFile(const std::string& path, bool write);
  ~RawFile();
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;
  const std::string& path() const { return path_; }
  hid_t id() const { return id_; }

  // Copies object `from` of `source` (a group: with all it holds) to `to` here.
  void copy_from(const RawFile& source, const std::string& from, const std::string& to);

 private:
  std::string path_;
  hid_t id_ = -1;
};

// The first difference between group `a` of `fa` and group `b` of `fb` (their
// members, datasets' types, shapes and bytes, attributes' types and bytes),
// skipping attributes whose names end in "_seconds" (timings); empty when the
// groups agree.
std::string group_difference(const RawFile& fa, const std::string& a, const RawFile& fb,
                             const std::string& b);

}  // namespace netinfer::experiment::detail
