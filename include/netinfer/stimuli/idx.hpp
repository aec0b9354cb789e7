// IDX files (the MNIST format, as shipped by Debian's dataset-fashion-mnist
// and by yann.lecun.com for digit MNIST), plain or gzip-compressed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netinfer::stimuli {

// Images as bytes, row-major: image i, row y, column x at [(i*rows + y)*cols + x].
struct IdxImages {
  std::int64_t count = 0;
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;
};

// Reads "<path>" or, when absent, "<path>.gz". Throws netinfer::Error naming
// the file on a missing file, wrong magic number, truncated data, or data
// after the end the header announces.
IdxImages read_idx_images(const std::string& path);
std::vector<std::uint8_t> read_idx_labels(const std::string& path);

// The default data directory: Debian's Fashion-MNIST.
inline const char* default_data_dir() {
  return "/usr/share/datasets/fashion-mnist";
}

// The four files of an MNIST-style directory (train/t10k images and labels);
// throws when a label count differs from its image count or the training and
// test images differ in size.
struct Dataset {
  IdxImages train_images, test_images;
  std::vector<std::uint8_t> train_labels, test_labels;
};
Dataset read_dataset(const std::string& dir);
IdxImages read_test_images(const std::string& dir);

}  // namespace netinfer::stimuli
