#include "netinfer/stimuli/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "netinfer/core/error.hpp"

namespace netinfer::stimuli {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr std::uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension

// A plain or gzip file read through zlib (gzread passes plain files through).
class GzFile {
 public:
  explicit GzFile(const std::string& path) : name_(resolve(path)) {
    NI_REQUIRE(!std::filesystem::is_directory(name_), "IDX file ", name_, ": is a directory");
    file_ = gzopen(name_.c_str(), "rb");
    NI_REQUIRE(file_, "IDX file ", name_, ": cannot open");
  }
  ~GzFile() { gzclose(file_); }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;

  const std::string& name() const { return name_; }

  // Reads up to n bytes; fewer only at the end of the data.
  std::size_t read(std::uint8_t* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
      const int r = gzread(file_, out + got, chunk);
      int code = Z_OK;
      const char* message = gzerror(file_, &code);
      // zlib reports a gzip stream cut short as Z_BUF_ERROR after the last bytes.
      NI_REQUIRE(r >= 0 && code == Z_OK, "IDX file ", name_, ": ",
                 code == Z_BUF_ERROR ? "truncated gzip data" : message);
      if (r == 0) break;
      got += static_cast<std::size_t>(r);
    }
    return got;
  }

  std::uint32_t read_u32(const char* field) {
    std::uint8_t b[4];
    NI_REQUIRE(read(b, 4) == 4, "IDX file ", name_, ": truncated header (no ", field, ")");
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
  }

  void require_magic(std::uint32_t expected, const char* what) {
    const std::uint32_t magic = read_u32("magic number");
    NI_REQUIRE(magic == expected, "IDX file ", name_, ": magic number ", hex(magic), " is not ",
               hex(expected), " (", what, ")");
  }

  // Reads exactly `count` bytes of payload described by `what`, then requires
  // the end of the file.
  std::vector<std::uint8_t> read_payload(std::uint64_t count, const std::string& what) {
    // Grow in chunks, doubling from 64 KiB to 16 MiB, so that a corrupt header
    // cannot make us allocate wildly (fuzzing: a 16 MiB first chunk made every
    // short file with a big header cost 16 MiB).
    std::uint64_t chunk = 1 << 16;
    std::vector<std::uint8_t> data;
    std::uint64_t got = 0;
    while (got < count) {
      const std::uint64_t want = std::min(chunk, count - got);
      chunk = std::min<std::uint64_t>(2 * chunk, 1 << 24);
      data.resize(got + want);
      const std::size_t r = read(data.data() + got, want);
      got += r;
      NI_REQUIRE(r == want, "IDX file ", name_, ": truncated: the header promises ", what, " (",
                 count, " bytes) but the data ends after ", got, " bytes");
    }
    std::uint8_t extra;
    NI_REQUIRE(read(&extra, 1) == 0, "IDX file ", name_, ": trailing data after ", what);
    return data;
  }

 private:
  static std::string resolve(const std::string& path) {
    if (std::filesystem::exists(path)) return path;
    if (std::filesystem::exists(path + ".gz")) return path + ".gz";
    NI_FAIL("IDX file ", path, ": not found (nor ", path, ".gz)");
  }
  static std::string hex(std::uint32_t v) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", v);
    return text;
  }

  std::string name_;
  gzFile file_ = nullptr;
};

}  // namespace

IdxImages read_idx_images(const std::string& path) {
  GzFile file(path);
  file.require_magic(kImagesMagic, "IDX images of unsigned bytes");
  IdxImages images;
  images.count = file.read_u32("image count");
  const std::uint32_t rows = file.read_u32("row count"), cols = file.read_u32("column count");
  NI_REQUIRE(rows > 0 && cols > 0 && rows <= 65536 && cols <= 65536, "IDX file ", file.name(),
             ": implausible image size ", rows, "x", cols);
  images.rows = static_cast<int>(rows);
  images.cols = static_cast<int>(cols);
  images.pixels = file.read_payload(static_cast<std::uint64_t>(images.count) * rows * cols,
                                    std::to_string(images.count) + " images of " +
                                        std::to_string(rows) + "x" + std::to_string(cols));
  return images;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
  GzFile file(path);
  file.require_magic(kLabelsMagic, "IDX labels of unsigned bytes");
  const std::uint32_t count = file.read_u32("label count");
  return file.read_payload(count, std::to_string(count) + " labels");
}

IdxImages read_test_images(const std::string& dir) {
  return read_idx_images(dir + "/t10k-images-idx3-ubyte");
}

Dataset read_dataset(const std::string& dir) {
  Dataset d;
  const std::string train = dir + "/train-", test = dir + "/t10k-";
  d.train_images = read_idx_images(train + "images-idx3-ubyte");
  d.train_labels = read_idx_labels(train + "labels-idx1-ubyte");
  d.test_images = read_idx_images(test + "images-idx3-ubyte");
  d.test_labels = read_idx_labels(test + "labels-idx1-ubyte");
  NI_REQUIRE(static_cast<std::int64_t>(d.train_labels.size()) == d.train_images.count, "IDX data ",
             dir, ": ", d.train_labels.size(), " training labels for ", d.train_images.count,
             " training images");
  NI_REQUIRE(static_cast<std::int64_t>(d.test_labels.size()) == d.test_images.count, "IDX data ",
             dir, ": ", d.test_labels.size(), " test labels for ", d.test_images.count,
             " test images");
  NI_REQUIRE(d.train_images.rows == d.test_images.rows && d.train_images.cols == d.test_images.cols,
             "IDX data ", dir, ": training images are ", d.train_images.rows, "x",
             d.train_images.cols, " but test images are ", d.test_images.rows, "x",
             d.test_images.cols);
  return d;
}

}  // namespace netinfer::stimuli
