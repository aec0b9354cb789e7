// Transparent huge pages for large arrays that are written once (response
// matrices, the local blocks of distributed matrices, confidence matrices).
// The system's THP mode here is "madvise": on this VM the first touch of 4 KiB
// pages costs ~3.6 s of CPU per GiB against ~1.2 s with huge pages, which for
// LeNet's matrices of ~0.8-1.6 GB per rank is seconds per stage.
#pragma once

#include <cstddef>
#include <new>

namespace netinfer {

// Marks the 2 MiB-aligned interior of [data, data + bytes) for huge pages,
// for memory allocated elsewhere (an Eigen matrix); call before first touch.
// Advice only: where unsupported the memory keeps small pages.
void advise_huge_pages(void* data, std::size_t bytes);

// Makes malloc keep memory the process frees for its next allocations instead
// of returning it to the kernel (no mmap for large blocks, no trimming). The
// stages allocate matrices of the same sizes set after set; reused memory
// costs no page faults, while a fresh first touch costs seconds per GiB on
// this VM even with huge pages. The price: the resident size stays at its
// high-water mark. Call once, first thing in main().
void keep_freed_memory();

// Hands the memory kept so far back to the kernel (malloc_trim): the
// exception to keep_freed_memory where the next stage allocates other shapes.
// Kept memory is not always reused then: measured on LeNet at 2 ranks, the
// freed 0.86 GB response shard stayed resident beside the spectral stage's
// matrices, and the peak was the sum of the stages (2.16 GiB) instead of the
// largest one that the memory plan counts (1.27 GiB; 1.44 GiB measured with
// this called after the responses, the spectral read and each spectrum).
// Later sets then fault their matrices in again, but the main job's five sets
// take no longer for it (195-203 s against 199-207 s, peak 2.76 against 4.38 GiB).
void release_kept_memory();

// Memory of 2 MiB or more, 2 MiB-aligned and advised for huge pages.
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

}  // namespace netinfer
