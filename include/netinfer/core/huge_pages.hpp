// Transparent huge pages for large arrays that are written once (response
// matrices, the local blocks of distributed matrices, confidence matrices).
// Where the system's THP mode is "madvise", memory gets huge pages only when
// advised, and first touching 4 KiB pages costs several times the CPU of
// huge pages: seconds per stage for LeNet's GB-sized matrices
// (figures in docs/performance.md, "Memory handling").
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
// costs no page faults, while a fresh first touch of large matrices costs
// seconds even with huge pages. The price: the resident size stays at its
// high-water mark. Call once, first thing in main().
void keep_freed_memory();

// Hands the memory kept so far back to the kernel (malloc_trim): the
// exception to keep_freed_memory where the next stage allocates other shapes.
// Kept memory is not always reused then: on LeNet the freed response shard
// stayed resident beside the spectral stage's matrices, and the peak was the
// sum of the stages instead of the largest one, which the memory plan counts;
// with this called after the responses, the spectral read and each spectrum
// the peak exceeds the plan only by the libraries' own memory. Later sets
// then fault their matrices in again, which the main job's timings do not
// show (docs/performance.md, "Memory handling"; docs/scaling.md, "Memory plan
// against measured peaks").
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
