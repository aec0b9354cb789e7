// MNIST, trMNIST and trMNIST-<sigma> on a generated IDX directory of random
// bytes (so that every translation of an image is distinguishable), and MNIST
// on Debian's Fashion-MNIST when installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "netinfer/stimuli/idx.hpp"
#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

using test_support::error_of;
using test_support::image_of;

class MnistSets : public test_support::ScratchDir {
 protected:
  // Writes `count` random images of rows x cols as the directory's test set.
  void write_test_images(int count, int rows, int cols) {
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(count) * rows * cols);
    std::uint64_t state = 12345;
    for (auto& p : pixels)
      p = static_cast<std::uint8_t>(
          (state = state * 6364136223846793005ull + 1442695040888963407ull) >> 56);
    write_gz("t10k-images-idx3-ubyte.gz",
             test_support::idx_bytes(
                 0x803, {std::uint32_t(count), std::uint32_t(rows), std::uint32_t(cols)}, pixels));
    bytes_ = pixels;
    rows_ = rows;
    cols_ = cols;
  }
  ImageSetOptions options(std::int64_t images) const {
    ImageSetOptions o;
    o.images = images;
    o.data_dir = dir_.string();
    o.shape = {1, rows_, cols_};
    return o;
  }
  // The source image i as the set should scale it.
  std::vector<double> source(std::int64_t i) const {
    const std::size_t n = static_cast<std::size_t>(rows_) * cols_;
    std::vector<double> out(n);
    for (std::size_t k = 0; k < n; ++k) out[k] = bytes_[i * n + k] / 255.0;
    return out;
  }
  // The signed shift (dx, dy) in (-size/2, size/2] that maps source(i) onto
  // `im` with wrap-around, found by trying all; fails unless exactly one fits.
  std::pair<int, int> shift_of(std::int64_t i, const std::vector<double>& im) const {
    const std::vector<double> in = source(i);
    std::vector<std::pair<int, int>> fits;
    for (int dy = 0; dy < rows_; ++dy)
      for (int dx = 0; dx < cols_; ++dx) {
        bool same = true;
        for (int y = 0; y < rows_ && same; ++y)
          for (int x = 0; x < cols_ && same; ++x)
            same = im[y * cols_ + x] ==
                   in[((y - dy + rows_) % rows_) * cols_ + (x - dx + cols_) % cols_];
        if (same)
          fits.emplace_back(dx > cols_ / 2 ? dx - cols_ : dx, dy > rows_ / 2 ? dy - rows_ : dy);
      }
    EXPECT_EQ(fits.size(), 1u) << "image " << i;
    return fits.empty() ? std::pair<int, int>{999, 999} : fits[0];
  }

  std::vector<std::uint8_t> bytes_;
  int rows_ = 0, cols_ = 0;
};

TEST_F(MnistSets, MnistIsTheTestImagesScaled) {
  write_test_images(30, 28, 28);
  const auto all = make_image_set("MNIST", options(10000));
  ASSERT_EQ(all->size(), 30);  // capped at the file's count
  for (std::int64_t i = 0; i < 30; ++i) ASSERT_EQ(image_of(*all, i), source(i));
  const auto first = make_image_set("MNIST", options(12));
  EXPECT_EQ(first->size(), 12);
  EXPECT_EQ(image_of(*first, 11), source(11));
}

TEST_F(MnistSets, UniformTranslationsPreservePixelsAndSpread) {
  write_test_images(120, 28, 28);
  const auto set = make_image_set("trMNIST", options(10000));
  ASSERT_EQ(set->size(), 120);
  std::vector<int> dx_hits(28, 0), dy_hits(28, 0);
  for (std::int64_t i = 0; i < set->size(); ++i) {
    std::vector<double> im = image_of(*set, i), in = source(i);
    const auto [dx, dy] = shift_of(i, im);
    ++dx_hits[(dx + 28) % 28];
    ++dy_hits[(dy + 28) % 28];
    std::sort(im.begin(), im.end());
    std::sort(in.begin(), in.end());
    ASSERT_EQ(im, in) << "image " << i;  // the pixel multiset is preserved
  }
  // 120 uniform draws over 28 shifts hit about 28 (1 - e^(-120/28)) = 27.6.
  EXPECT_GE(28 - std::count(dx_hits.begin(), dx_hits.end(), 0), 24);
  EXPECT_GE(28 - std::count(dy_hits.begin(), dy_hits.end(), 0), 24);
}

TEST_F(MnistSets, NormalTranslationsScaleWithSigma) {
  write_test_images(150, 9, 31);  // non-square, so that the axes cannot be swapped
  const auto none = make_image_set("trMNIST-0", options(150));
  const auto two = make_image_set("trMNIST-2", options(150));
  const auto four = make_image_set("trMNIST-4", options(150));
  double sum_sq = 0;
  for (std::int64_t i = 0; i < 150; ++i) {
    EXPECT_EQ(image_of(*none, i), source(i));
    const auto [dx2, dy2] = shift_of(i, image_of(*two, i));
    const auto [dx4, dy4] = shift_of(i, image_of(*four, i));
    // Shared draws z: round(4z) - 2 round(2z) is -1, 0 or 1, modulo the axis.
    const auto near_double = [](int d4, int d2, int n) {
      const int r = ((d4 - 2 * d2) % n + n) % n;
      return r == 0 || r == 1 || r == n - 1;
    };
    EXPECT_TRUE(near_double(dx4, dx2, 31)) << i << ": " << dx4 << " vs " << dx2;
    EXPECT_TRUE(near_double(dy4, dy2, 9)) << i << ": " << dy4 << " vs " << dy2;
    sum_sq += dx2 * dx2;
  }
  // round(2z) has variance ~4 + 1/12; 150 draws: standard error ~0.5.
  EXPECT_NEAR(sum_sq / 150, 4.08, 1.6);
}

TEST_F(MnistSets, ShapeAndDirectoryErrorsNameTheSet) {
  write_test_images(3, 28, 28);
  ImageSetOptions wrong = options(10);
  wrong.shape = {1, 32, 32};
  const std::string msg = error_of([&] { make_image_set("trMNIST", wrong); });
  EXPECT_NE(msg.find("image set 'trMNIST': the test images of " + dir_.string() +
                     " are 1x28x28 but the network input is 1x32x32"),
            std::string::npos)
      << msg;
  ImageSetOptions missing = options(10);
  missing.data_dir = (dir_ / "nowhere").string();
  EXPECT_NE(error_of([&] { make_image_set("MNIST", missing); }).find("nowhere/t10k-images"),
            std::string::npos);
  EXPECT_NE(error_of([&] { make_image_set("MNIST", options(0)); }).find("must be positive"),
            std::string::npos);
}

TEST(FashionMnistSet, DefaultDataDirectory) {
  if (!std::filesystem::exists(default_data_dir()))
    GTEST_SKIP() << default_data_dir() << " not installed";
  const auto set = make_image_set("MNIST", {});
  ASSERT_EQ(set->size(), 10000);
  const IdxImages raw = read_test_images(default_data_dir());
  const std::vector<double> last = image_of(*set, 9999);
  for (int k = 0; k < 784; ++k) ASSERT_EQ(last[k], raw.pixels[9999 * 784 + k] / 255.0);
}

}  // namespace
}  // namespace netinfer::stimuli
