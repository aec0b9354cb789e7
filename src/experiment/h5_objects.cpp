#include "h5_objects.hpp"

#include <cstdint>
#include <set>
#include <vector>

#include "netinfer/core/error.hpp"

namespace netinfer::experiment::detail {

namespace {

// An HDF5 identifier, checked when made and closed at scope exit.
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    NI_REQUIRE(id >= 0, "HDF5: cannot ", what);
  }
  ~Id() { close_(id_); }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  NI_REQUIRE(status >= 0, "HDF5: cannot ", what);
}

bool timing(const std::string& name) {
  const std::string suffix = "_seconds";
  return name.size() >= suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Names an object for messages: "" is the group compared.
std::string label(const std::string& where) {
  return where.empty() ? "the group" : where;
}

herr_t add_name(hid_t, const char* name, const H5A_info_t*, void* names) {
  static_cast<std::set<std::string>*>(names)->insert(name);
  return 0;
}
herr_t add_link(hid_t, const char* name, const H5L_info_t*, void* names) {
  static_cast<std::set<std::string>*>(names)->insert(name);
  return 0;
}

std::set<std::string> attribute_names(hid_t object, const std::string& where) {
  std::set<std::string> names;
  hsize_t at = 0;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &at, add_name, &names),
        "list the attributes of " + label(where));
  std::set<std::string> kept;
  for (const auto& n : names) {
    if (!timing(n)) kept.insert(n);
  }
  return kept;
}

// The bytes of an attribute or dataset as stored (its own type, fixed-size
// here: netinfer writes numbers and fixed-length strings).
std::vector<std::uint8_t> attribute_bytes(hid_t attr, hid_t type, const std::string& where) {
  Id space(H5Aget_space(attr), H5Sclose, "get the shape of " + where);
  const auto n = H5Sget_simple_extent_npoints(space);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n) * H5Tget_size(type));
  check(H5Aread(attr, type, bytes.data()), "read " + where);
  return bytes;
}

std::string attribute_difference(hid_t a, hid_t b, const std::string& where) {
  const auto names = attribute_names(a, where);
  if (names != attribute_names(b, where)) return "the attributes of " + label(where);
  for (const auto& n : names) {
    const std::string w = (where.empty() ? "" : where + " ") + "attribute " + n;
    Id aa(H5Aopen(a, n.c_str(), H5P_DEFAULT), H5Aclose, "open " + w);
    Id ab(H5Aopen(b, n.c_str(), H5P_DEFAULT), H5Aclose, "open " + w);
    Id ta(H5Aget_type(aa), H5Tclose, "get the type of " + w);
    Id tb(H5Aget_type(ab), H5Tclose, "get the type of " + w);
    if (H5Tequal(ta, tb) <= 0 || attribute_bytes(aa, ta, w) != attribute_bytes(ab, tb, w)) return w;
  }
  return "";
}

std::vector<std::uint8_t> dataset_bytes(hid_t set, hid_t type, std::vector<hsize_t>& dims,
                                        const std::string& where) {
  Id space(H5Dget_space(set), H5Sclose, "get the shape of " + where);
  dims.assign(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)), 0);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  const auto n = H5Sget_simple_extent_npoints(space);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n) * H5Tget_size(type));
  if (n > 0)
    check(H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), "read " + where);
  return bytes;
}

std::string object_difference(hid_t a, hid_t b, const std::string& where) {
  const H5I_type_t kind = H5Iget_type(a);
  if (kind != H5Iget_type(b)) return "the kind of " + label(where);
  if (const auto d = attribute_difference(a, b, where); !d.empty()) return d;
  if (kind == H5I_DATASET) {
    Id ta(H5Dget_type(a), H5Tclose, "get the type of " + where);
    Id tb(H5Dget_type(b), H5Tclose, "get the type of " + where);
    if (H5Tequal(ta, tb) <= 0) return "the type of " + where;
    std::vector<hsize_t> da, db;
    const auto va = dataset_bytes(a, ta, da, where), vb = dataset_bytes(b, tb, db, where);
    if (da != db) return "the shape of " + where;
    return va == vb ? "" : where;
  }
  if (kind != H5I_GROUP) return "";
  std::set<std::string> na, nb;
  check(H5Literate(a, H5_INDEX_NAME, H5_ITER_INC, nullptr, add_link, &na), "list " + label(where));
  check(H5Literate(b, H5_INDEX_NAME, H5_ITER_INC, nullptr, add_link, &nb), "list " + label(where));
  if (na != nb) return "the members of " + label(where);
  for (const auto& n : na) {
    const std::string child = where.empty() ? n : where + "/" + n;
    Id ca(H5Oopen(a, n.c_str(), H5P_DEFAULT), H5Oclose, "open " + child);
    Id cb(H5Oopen(b, n.c_str(), H5P_DEFAULT), H5Oclose, "open " + child);
    if (const auto d = object_difference(ca, cb, child); !d.empty()) return d;
  }
  return "";
}

}  // namespace

RawFile::RawFile(const std::string& path, bool write) : path_(path) {
  id_ = H5Fopen(path.c_str(), write ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT);
  NI_REQUIRE(id_ >= 0, "cannot open HDF5 file ", path);
}

RawFile::~RawFile() {
  H5Fclose(id_);
}

void RawFile::copy_from(const RawFile& source, const std::string& from, const std::string& to) {
  Id links(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "make a property list");
  check(H5Pset_create_intermediate_group(links, 1), "set a property list");
  check(H5Ocopy(source.id(), from.c_str(), id_, to.c_str(), H5P_DEFAULT, links),
        "copy " + source.path() + ":" + from + " to " + path_ + ":" + to);
}

std::string group_difference(const RawFile& fa, const std::string& a, const RawFile& fb,
                             const std::string& b) {
  Id ga(H5Oopen(fa.id(), a.c_str(), H5P_DEFAULT), H5Oclose, "open " + fa.path() + ":" + a);
  Id gb(H5Oopen(fb.id(), b.c_str(), H5P_DEFAULT), H5Oclose, "open " + fb.path() + ":" + b);
  return object_difference(ga, gb, "");
}

}  // namespace netinfer::experiment::detail
