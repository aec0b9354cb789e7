// Counter-based random streams: every draw in netinfer comes from a Stream
// keyed by (seed, purpose, index) — image i of a set, tree t of a forest,
// simulation s of generator g — so results never depend on how work is split
// over ranks or threads. The generator is SplitMix64 over a key hashed from
// the three parts; it is small, fast, and identical on every platform (unlike
// std::normal_distribution, whose algorithm is implementation-defined).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace netinfer {

// FNV-1a of a purpose string, so purposes can be named ("GAUSSIAN", "split").
constexpr std::uint64_t purpose_id(std::string_view name) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

class Stream {
 public:
  Stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index)
      : state_(mix(mix(mix(seed) ^ purpose) ^ (index * 0x9e3779b97f4a7c15ull + 1))) {}

  std::uint64_t next_u64() {
    state_ += 0x9e3779b97f4a7c15ull;
    return mix(state_);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return (next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n) (n > 0), without modulo bias worth noting for n << 2^64.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next_u64()) * n) >> 64);
  }
  // Standard normal by Box–Muller (the second value is cached).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0;
    do u = uniform();
    while (u <= 0.0);
    const double r = std::sqrt(-2.0 * std::log(u)), t = 2.0 * M_PI * uniform();
    spare_ = r * std::sin(t);
    has_spare_ = true;
    return r * std::cos(t);
  }

  // The SplitMix64 finaliser (a bijection on 64-bit words).
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace netinfer
