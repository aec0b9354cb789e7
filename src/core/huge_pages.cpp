#include "netinfer/core/huge_pages.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <climits>
#include <cstdint>
#include <cstdlib>

namespace netinfer {

namespace {
constexpr std::size_t kHugePage = std::size_t(1) << 21;
}

void advise_huge_pages(void* data, std::size_t bytes) {
  const auto first = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (first + kHugePage - 1) & ~(kHugePage - 1),
                       end = (first + bytes) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, INT_MAX);  // blocks under 2 GiB come from the heap
  mallopt(M_TRIM_THRESHOLD, -1);
}

void release_kept_memory() {
  malloc_trim(0);
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

}  // namespace netinfer
