// SPDX-License-Identifier: PostgreSQL
// Replaces the global operator new/delete of the unit test executable so that
// allocation_watch can see every allocation's size; see allocations.hpp.
#include "allocations.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<bool> watching{false};
std::atomic<std::size_t> largest_seen{0};

void* allocate(std::size_t size) {
  if (watching.load(std::memory_order_relaxed)) {
    std::size_t seen = largest_seen.load(std::memory_order_relaxed);
    while (size > seen && !largest_seen.compare_exchange_weak(seen, size)) {
    }
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size))
    return memory;
  throw std::bad_alloc();
}

} // namespace

// Every form that can be paired with the replaced operator delete is
// replaced too (the standard library frees nothrow-allocated temporary
// buffers with plain delete), so that malloc and free always pair up.
void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }

namespace pgarc::test {

allocation_watch::allocation_watch() {
  largest_seen = 0;
  watching = true;
}

allocation_watch::~allocation_watch() { watching = false; }

std::size_t allocation_watch::largest() const noexcept { return largest_seen; }

} // namespace pgarc::test
