#include "netinfer/stimuli/idx.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

namespace fs = std::filesystem;
using namespace test_support;
using IdxTest = ScratchDir;

// 3 images of 2x4, pixel value = 10*image + 4*row + col.
std::vector<std::uint8_t> three_images() {
  std::vector<std::uint8_t> p;
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 8; ++k) p.push_back(static_cast<std::uint8_t>(10 * i + k));
  return idx_bytes(0x803, {3, 2, 4}, p);
}

void expect_three_images(const IdxImages& im) {
  ASSERT_EQ(im.count, 3);
  ASSERT_EQ(im.rows, 2);
  ASSERT_EQ(im.cols, 4);
  ASSERT_EQ(im.pixels.size(), 24u);
  for (int i = 0; i < 3; ++i)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 4; ++x) EXPECT_EQ(im.pixels[(i * 2 + y) * 4 + x], 10 * i + 4 * y + x);
}

TEST_F(IdxTest, ReadsPlainAndGzippedImagesAndLabels) {
  expect_three_images(read_idx_images(write_plain("a-images", three_images())));
  // "<path>" absent: "<path>.gz" is read.
  write_gz("b-images.gz", three_images());
  expect_three_images(read_idx_images((dir_ / "b-images").string()));
  expect_three_images(read_idx_images((dir_ / "b-images.gz").string()));

  const std::vector<std::uint8_t> labels = {7, 0, 9, 255};
  EXPECT_EQ(read_idx_labels(write_plain("l", idx_bytes(0x801, {4}, labels))), labels);
  EXPECT_EQ(read_idx_labels(write_gz("m.gz", idx_bytes(0x801, {4}, labels))), labels);
}

TEST_F(IdxTest, RejectsBadFilesNamingThem) {
  const std::string missing = (dir_ / "missing").string();
  EXPECT_NE(error_of([&] { read_idx_images(missing); }).find(missing + ": not found"),
            std::string::npos);

  // Labels given where images are expected, and vice versa.
  const std::string labels = write_plain("labels", idx_bytes(0x801, {1}, {5}));
  const std::string msg = error_of([&] { read_idx_images(labels); });
  EXPECT_NE(msg.find(labels), std::string::npos) << msg;
  EXPECT_NE(msg.find("magic number 0x00000801 is not 0x00000803"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { read_idx_labels(write_plain("im", three_images())); }).find("magic"),
            std::string::npos);

  // Truncated payload, plain and gzipped, and a truncated header.
  std::vector<std::uint8_t> cut = three_images();
  cut.resize(cut.size() - 1);
  EXPECT_NE(error_of([&] { read_idx_images(write_plain("cut", cut)); }).find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_idx_images(write_gz("cutz.gz", cut)); }).find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_idx_images(write_plain("hdr", {0, 0, 8, 3, 0, 0}));
            }).find("truncated header"),
            std::string::npos);

  // A gzip stream cut short (the compressed file loses its tail).
  const std::string whole = write_gz("whole.gz", three_images());
  fs::resize_file(whole, fs::file_size(whole) - 10);
  EXPECT_NE(error_of([&] { read_idx_images(whole); }).find("truncated"), std::string::npos);

  // Bytes after the announced data.
  std::vector<std::uint8_t> longer = three_images();
  longer.push_back(0);
  EXPECT_NE(error_of([&] { read_idx_images(write_plain("long", longer)); }).find("trailing"),
            std::string::npos);

  // A header announcing far more data than there is fails cleanly.
  EXPECT_NE(error_of([&] {
              read_idx_images(write_plain("huge", idx_bytes(0x803, {0xffffffffu, 9999, 9999}, {})));
            }).find("truncated"),
            std::string::npos);
}

TEST_F(IdxTest, DatasetRequiresMatchingLabelCounts) {
  write_plain("train-images-idx3-ubyte", three_images());
  write_gz("train-labels-idx1-ubyte.gz", idx_bytes(0x801, {3}, {1, 2, 3}));
  write_plain("t10k-images-idx3-ubyte", three_images());
  write_plain("t10k-labels-idx1-ubyte", idx_bytes(0x801, {3}, {4, 5, 6}));
  const Dataset d = read_dataset(dir_.string());
  expect_three_images(d.train_images);
  expect_three_images(d.test_images);
  EXPECT_EQ(d.test_labels, (std::vector<std::uint8_t>{4, 5, 6}));
  expect_three_images(read_test_images(dir_.string()));

  write_plain("t10k-labels-idx1-ubyte", idx_bytes(0x801, {2}, {4, 5}));
  const std::string msg = error_of([&] { read_dataset(dir_.string()); });
  EXPECT_NE(msg.find("2 test labels for 3 test images"), std::string::npos) << msg;
}

TEST(FashionMnist, TestImagesLoad) {
  if (!fs::exists(default_data_dir())) GTEST_SKIP() << default_data_dir() << " not installed";
  const IdxImages im = read_test_images(default_data_dir());
  EXPECT_EQ(im.count, 10000);
  EXPECT_EQ(im.rows, 28);
  EXPECT_EQ(im.cols, 28);
  EXPECT_EQ(im.pixels.size(), 10000u * 28 * 28);
  // Real images: not all zero, and both extremes of the byte range occur.
  EXPECT_EQ(*std::max_element(im.pixels.begin(), im.pixels.end()), 255);
  EXPECT_EQ(*std::min_element(im.pixels.begin(), im.pixels.end()), 0);
}

}  // namespace
}  // namespace netinfer::stimuli
