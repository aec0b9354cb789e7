// FILE(...): a user's images from HDF5 ([images, C, H, W]) or IDX, usable in
// MIXED; wrong shapes refused with the expected shape named.
#include <gtest/gtest.h>

#include "netinfer/io/h5.hpp"
#include "netinfer/stimuli/image_set.hpp"
#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

using test_support::error_of;
using test_support::image_of;

class FileSets : public test_support::ScratchDir {
 protected:
  // 3 images of 2x3x4 with value 100*i + k at CHW index k.
  std::string write_h5() {
    const std::string path = (dir_ / "stimuli.h5").string();
    std::vector<double> v(3 * 24);
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = 100.0 * (k / 24) + k % 24;
    h5::File f(path, h5::File::Mode::Create);
    f.write("/images", v.data(), {3, 2, 3, 4});
    f.write("/flat", v.data(), {3, 24});
    return path;
  }
};

TEST_F(FileSets, Hdf5ImagesInChwOrder) {
  const std::string path = write_h5();
  ImageSetOptions o;
  o.shape = net::Shape{2, 3, 4};
  const auto set = make_image_set("FILE(" + path + ":images)", o);
  ASSERT_EQ(set->size(), 3);
  const auto image = image_of(*set, 2);
  for (int k = 0; k < 24; ++k) EXPECT_EQ(image[k], 200.0 + k);
  // In MIXED like any other set: the file's 3 images, then 5 Gaussian ones.
  o.images = 5;
  const auto mixed = make_image_set("MIXED(FILE(" + path + ":images)+GAUSSIAN)", o);
  EXPECT_EQ(mixed->size(), 8);
  EXPECT_EQ(image_of(*mixed, 1)[3], 103.0);
}

TEST_F(FileSets, WrongShapeOrDatasetIsRefused) {
  const std::string path = write_h5();
  ImageSetOptions o;
  o.shape = net::Shape{1, 3, 4};
  EXPECT_NE(error_of([&] {
              make_image_set("FILE(" + path + ":images)", o);
            }).find("must have shape [images, 1, 3, 4]"),
            std::string::npos);
  o.shape = net::Shape{2, 3, 4};
  EXPECT_NE(
      error_of([&] { make_image_set("FILE(" + path + ":flat)", o); }).find("[images, 2, 3, 4]"),
      std::string::npos);
  EXPECT_NE(error_of([&] {
              make_image_set("FILE(" + path + ":nothing)", o);
            }).find("has no dataset /nothing"),
            std::string::npos);
}

TEST_F(FileSets, IdxImagesScaledAsMnist) {
  std::vector<std::uint8_t> pixels(2 * 12);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = static_cast<std::uint8_t>(10 * k);
  const std::string path =
      write_plain("mine-idx3-ubyte", test_support::idx_bytes(0x803, {2, 3, 4}, pixels));
  ImageSetOptions o;
  o.shape = net::Shape{1, 3, 4};
  const auto set = make_image_set("FILE(" + path + ")", o);
  ASSERT_EQ(set->size(), 2);
  EXPECT_DOUBLE_EQ(image_of(*set, 1)[5], 170.0 / 255.0);
  o.shape = net::Shape{3, 3, 4};
  EXPECT_NE(error_of([&] {
              make_image_set("FILE(" + path + ")", o);
            }).find("IDX images are 1x3x4, the network's input is 3x3x4"),
            std::string::npos);
}

}  // namespace
}  // namespace netinfer::stimuli
