// The stimulus image sets of 000 (§4.2, §5.3, §6.3, §6.4). A set is named by a
// spec string:
//   GAUSSIAN          i.i.d. N(0,1) pixels
//   MNIST             the held-out test images of the IDX data directory
//                     (Fashion-MNIST by default), pixel/255, first `images`
//   trMNIST           MNIST image i translated by a uniform random (dx, dy),
//                     with wrap-around
//   trMNIST-<sigma>   translations round(N(0, sigma^2)) per axis, wrap-around
//   IMPULSE           one pixel of +-1e9 on zeros: every position with both
//                     signs, 2 x C x H x W images (fixed size)
//   IMPULSE*          `images` impulses at uniform random positions, signs
//                     alternating + - (balanced)
//   CONSTANT          every pixel of an image equals one N(0,1) draw
//   offGAUSSIAN[-<sigma>]  GAUSSIAN plus a per-image offset N(0, sigma^2)
//                     (sigma 1 by default)
//   tiGAUSSIAN        one (H/2)x(W/2) N(0,1) array tiled 2x2
//   PATCH(w=1:5:6:14:15:28,f=1,b=0)  a w x w square of value f on background
//                     b at every offset where it overlaps the image:
//                     (H-1+w)(W-1+w) images per width; widths may be ranges
//                     (w=1-28); the defaults give the paper's 9,367 images
//   MIXED(A+B+...)    the concatenation of the listed sets
//   FILE(path.h5:dataset)  a user's images: an HDF5 dataset [images, C, H, W]
//                     ([images, H, W] for one channel) of the network's input
//                     shape, values as stored; FILE(path): an IDX images file
//                     (one channel), pixel/255. Every image of the file
//                     (fixed size); the path may not hold ',' '+' or ')'.
// Image i of a set depends only on (seed, spec, i): any rank can make any
// shard. The sweeps trMNIST-<sigma> and offGAUSSIAN-<sigma> share their
// random draws across sigma, so only sigma changes between their sets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "netinfer/net/architecture.hpp"

namespace netinfer::stimuli {

struct ImageSetOptions {
  std::uint64_t seed = 1;
  std::int64_t images = 10000;  // size of sets that are not fixed-size
  std::string data_dir;         // IDX directory for MNIST-based sets; empty: the default
  net::Shape shape{1, 28, 28};  // the network's input shape
};

class ImageSet {
 public:
  virtual ~ImageSet() = default;
  virtual std::int64_t size() const = 0;
  // Writes image i (shape().size() values, CHW order) to out; throws when i is
  // outside [0, size()).
  void image(std::int64_t i, double* out) const;
  const std::string& spec() const { return spec_; }
  const net::Shape& shape() const { return shape_; }

 protected:
  ImageSet(std::string spec, net::Shape shape) : spec_(std::move(spec)), shape_(shape) {}
  // Writes image i, 0 <= i < size(): each set's generator.
  virtual void fill(std::int64_t i, double* out) const = 0;

 private:
  std::string spec_;
  net::Shape shape_;
};

// Builds a set from its spec; throws netinfer::Error on an unknown name or
// bad parameters, naming the spec.
std::unique_ptr<ImageSet> make_image_set(const std::string& spec, const ImageSetOptions& options);

// Splits a --sets list at top-level commas (commas inside parentheses belong
// to the set's parameters).
std::vector<std::string> split_set_list(const std::string& text);

}  // namespace netinfer::stimuli
