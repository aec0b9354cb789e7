// Spec parsing, set lists, sizes, MIXED, and the determinism rule: image i
// depends only on (seed, spec, i).
#include "netinfer/stimuli/image_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "netinfer/stimuli/idx.hpp"

#include "stimuli/support.hpp"

namespace netinfer::stimuli {
namespace {

using test_support::error_of;
using test_support::image_of;

// A scratch IDX directory of 40 random 28x28 test images, for MNIST-based sets.
class ImageSets : public test_support::ScratchDir {
 protected:
  void SetUp() override {
    ScratchDir::SetUp();
    std::vector<std::uint8_t> pixels(40 * 784);
    for (std::size_t k = 0; k < pixels.size(); ++k)
      pixels[k] = static_cast<std::uint8_t>(k * 37 % 251);
    write_plain("t10k-images-idx3-ubyte", test_support::idx_bytes(0x803, {40, 28, 28}, pixels));
    options_.data_dir = dir_.string();
    options_.images = 40;
  }
  ImageSetOptions options_;
};

TEST(SetList, SplitsAtTopLevelCommasOnly) {
  EXPECT_EQ(split_set_list("GAUSSIAN,PATCH(w=1:5,f=1,b=0),IMPULSE"),
            (std::vector<std::string>{"GAUSSIAN", "PATCH(w=1:5,f=1,b=0)", "IMPULSE"}));
  EXPECT_EQ(split_set_list(" MIXED(GAUSSIAN+PATCH(w=1,f=1,b=0)) , trMNIST-4 "),
            (std::vector<std::string>{"MIXED(GAUSSIAN+PATCH(w=1,f=1,b=0))", "trMNIST-4"}));
  EXPECT_EQ(split_set_list("IMPULSE*"), (std::vector<std::string>{"IMPULSE*"}));
  for (const char* bad : {"GAUSSIAN,,IMPULSE", "GAUSSIAN,", "", "PATCH(w=1,f=1", "GAUSSIAN)"}) {
    const std::string msg = error_of([&] { split_set_list(bad); });
    EXPECT_NE(msg.find(std::string("image set list '") + bad + "'"), std::string::npos)
        << bad << ": " << msg;
  }
}

TEST(SetSpecs, UnknownOrMalformedSpecsNameTheSpecAndKnownSets) {
  const std::string msg = error_of([] { make_image_set("GAUSIAN", {}); });
  EXPECT_NE(msg.find("image set 'GAUSIAN': unknown name; known sets: GAUSSIAN, MNIST, trMNIST"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("PATCH(w=<widths>,f=<fg>,b=<bg>), MIXED("), std::string::npos) << msg;
  for (const char* bad :
       {"gaussian", "trMNIST-", "trMNIST-x", "trMNIST--1", "offGAUSSIAN-nan", "GAUSSIAN(x)",
        "PATCH(w=1", "MIXED()", "MIXED(GAUSSIAN+)", "MIXED(GAUSSIAN+FOO)", "IMPULSE**"})
    EXPECT_NE(error_of([&] { make_image_set(bad, {}); }).find("image set '"), std::string::npos)
        << bad;
  ImageSetOptions none;
  none.images = 0;
  EXPECT_NE(error_of([&] {
              make_image_set("GAUSSIAN", none);
            }).find("image set 'GAUSSIAN': the number of images (--images) must be positive"),
            std::string::npos);
  EXPECT_EQ(make_image_set("IMPULSE", none)->size(), 1568);  // fixed size: no count needed
  ImageSetOptions empty;
  empty.shape = {0, 28, 28};
  EXPECT_NE(error_of([&] { make_image_set("GAUSSIAN", empty); }).find("is empty"),
            std::string::npos);
}

TEST(SetSpecs, ImagesOutsideTheSetAreRefused) {
  const auto set = make_image_set(" CONSTANT ", {});
  EXPECT_EQ(set->spec(), "CONSTANT");
  std::vector<double> out(784);
  EXPECT_THROW(set->image(10000, out.data()), Error);
  EXPECT_THROW(set->image(-1, out.data()), Error);
}

TEST(SetSpecs, DefaultSizesMatchThePaper) {
  const ImageSetOptions o;  // 10,000 images, 1x28x28
  const std::pair<const char*, std::int64_t> sizes[] = {
      {"GAUSSIAN", 10000},    {"IMPULSE", 1568},        {"IMPULSE*", 10000},   {"CONSTANT", 10000},
      {"offGAUSSIAN", 10000}, {"offGAUSSIAN-4", 10000}, {"tiGAUSSIAN", 10000}, {"PATCH", 9367}};
  for (const auto& [spec, size] : sizes) EXPECT_EQ(make_image_set(spec, o)->size(), size) << spec;
  if (!std::filesystem::exists(default_data_dir()))
    GTEST_SKIP() << default_data_dir() << " not installed";
  EXPECT_EQ(make_image_set("MNIST", o)->size(), 10000);
  EXPECT_EQ(make_image_set("trMNIST", o)->size(), 10000);
  EXPECT_EQ(make_image_set("trMNIST-4", o)->size(), 10000);
  EXPECT_EQ(make_image_set("MIXED(GAUSSIAN+MNIST+trMNIST+IMPULSE)", o)->size(), 31568);
}

TEST_F(ImageSets, MixedConcatenatesItsMembers) {
  ImageSetOptions o = options_;
  o.images = 5;
  const auto mixed = make_image_set("MIXED(GAUSSIAN+IMPULSE+PATCH(w=2,f=1,b=0)+MNIST)", o);
  const auto gaussian = make_image_set("GAUSSIAN", o), impulse = make_image_set("IMPULSE", o),
             patch = make_image_set("PATCH(w=2,f=1,b=0)", o), mnist = make_image_set("MNIST", o);
  ASSERT_EQ(mixed->size(), 5 + 1568 + 29 * 29 + 5);
  EXPECT_EQ(image_of(*mixed, 0), image_of(*gaussian, 0));
  EXPECT_EQ(image_of(*mixed, 4), image_of(*gaussian, 4));
  EXPECT_EQ(image_of(*mixed, 5), image_of(*impulse, 0));
  EXPECT_EQ(image_of(*mixed, 5 + 1567), image_of(*impulse, 1567));
  EXPECT_EQ(image_of(*mixed, 5 + 1568), image_of(*patch, 0));
  EXPECT_EQ(image_of(*mixed, 5 + 1568 + 840), image_of(*patch, 840));
  EXPECT_EQ(image_of(*mixed, 5 + 1568 + 841), image_of(*mnist, 0));
  EXPECT_EQ(image_of(*mixed, mixed->size() - 1), image_of(*mnist, 4));
  // Nesting only groups.
  const auto nested = make_image_set("MIXED(MIXED(GAUSSIAN+IMPULSE)+PATCH(w=2,f=1,b=0)+MNIST)", o);
  ASSERT_EQ(nested->size(), mixed->size());
  for (std::int64_t i = 0; i < mixed->size(); i += 97)
    ASSERT_EQ(image_of(*nested, i), image_of(*mixed, i)) << i;
}

// Image i made alone equals image i made after all before it, in a set of
// another size too; another seed changes the random sets.
TEST_F(ImageSets, ImageDependsOnlyOnSeedSpecAndIndex) {
  const char* specs[] = {"GAUSSIAN",
                         "MNIST",
                         "trMNIST",
                         "trMNIST-3",
                         "IMPULSE",
                         "IMPULSE*",
                         "CONSTANT",
                         "offGAUSSIAN",
                         "offGAUSSIAN-2",
                         "tiGAUSSIAN",
                         "PATCH(w=3:7,f=-1,b=0)",
                         "MIXED(GAUSSIAN+MNIST+trMNIST+IMPULSE)"};
  const bool random[] = {true, false, true, true, false, true, true, true, true, true, false, true};
  for (std::size_t s = 0; s < std::size(specs); ++s) {
    const auto in_order = make_image_set(specs[s], options_);
    std::vector<std::vector<double>> images;
    const std::int64_t n = std::min<std::int64_t>(in_order->size(), 40);
    for (std::int64_t i = 0; i < n; ++i) images.push_back(image_of(*in_order, i));

    ImageSetOptions fewer = options_;
    fewer.images = 30;
    const auto alone = make_image_set(specs[s], fewer);
    for (std::int64_t i : {29, 3, 17})
      EXPECT_EQ(image_of(*alone, i), images[i]) << specs[s] << " " << i;

    ImageSetOptions reseeded = options_;
    reseeded.seed = 2;
    const auto other = make_image_set(specs[s], reseeded);
    int differ = 0;
    for (std::int64_t i = 0; i < 10; ++i) differ += image_of(*other, i) != images[i];
    EXPECT_EQ(differ > 0, random[s]) << specs[s];
  }
}

}  // namespace
}  // namespace netinfer::stimuli
