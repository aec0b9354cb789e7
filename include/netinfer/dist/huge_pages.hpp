// An allocator for the large local arrays of distributed matrices. Memory of
// 2 MiB or more is 2 MiB-aligned and marked for transparent huge pages
// (madvise; the system's THP mode here is "madvise"): on this VM the first
// touch of 4 KiB pages costs ~3.6 s of CPU per GiB against ~1.2 s with huge
// pages, which for LeNet's 1.6 GB of correlation matrix per rank is seconds.
#pragma once

#include <cstddef>
#include <new>

namespace netinfer::dist {

void* allocate_large(std::size_t bytes);
void free_large(void* p) noexcept;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_large(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { free_large(p); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const noexcept {
    return false;
  }
};

}  // namespace netinfer::dist
