// Test helpers: a scratch directory holding hand-built IDX files (plain or
// gzipped), the message of an expected netinfer::Error, one image of a set.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "netinfer/core/error.hpp"
#include "netinfer/stimuli/image_set.hpp"

namespace netinfer::stimuli::test_support {

// Big-endian IDX header (magic, then dims) followed by the payload.
inline std::vector<std::uint8_t> idx_bytes(std::uint32_t magic, std::vector<std::uint32_t> dims,
                                           const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> out;
  dims.insert(dims.begin(), magic);
  for (std::uint32_t v : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back((v >> shift) & 0xff);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// A fixture owning a fresh directory, removed afterwards.
class ScratchDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("netinfer_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write_plain(const std::string& name, const std::vector<std::uint8_t>& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path;
  }
  std::string write_gz(const std::string& name, const std::vector<std::uint8_t>& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    EXPECT_EQ(gzwrite(f, bytes.data(), bytes.size()), static_cast<int>(bytes.size()));
    gzclose(f);
    return path;
  }

  std::filesystem::path dir_;
};

// The message of the netinfer::Error that f throws ("" when it throws none).
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

inline std::vector<double> image_of(const ImageSet& set, std::int64_t i) {
  std::vector<double> out(set.shape().size());
  set.image(i, out.data());
  return out;
}

}  // namespace netinfer::stimuli::test_support
