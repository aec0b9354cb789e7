#include "netinfer/dist/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdlib>

namespace netinfer::dist {

namespace {
constexpr std::size_t kHugePage = std::size_t(1) << 21;
}

void* allocate_large(std::size_t bytes) {
  if (bytes < kHugePage) {
    void* p = std::malloc(bytes ? bytes : 1);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
  madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure just means small pages
  return p;
}

void free_large(void* p) noexcept {
  std::free(p);
}

}  // namespace netinfer::dist
