// SPDX-License-Identifier: PostgreSQL
// dependency_list: a TOC entry's dependencies, the dump ids pg_dump writes in
// decimal, kept as stored (a hostile archive may write "007" or "12abc",
// which must round-trip). Read like a list of std::string_view. The texts
// are packed, each after its length, into one pg_string: two or three short
// ids take no allocation, where a std::vector<std::string> takes 24 bytes
// plus 32 per id on the heap.
#pragma once

#include "pgarc/pg_string.hpp"

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace pgarc {

class dependency_list {
public:
  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    iterator() = default;
    explicit iterator(const char* at) noexcept : m_at(at) {}
    std::string_view operator*() const noexcept {
      std::size_t length = 0;
      const char* text = decode(m_at, length);
      return {text, length};
    }
    iterator& operator++() noexcept {
      std::size_t length = 0;
      m_at = decode(m_at, length) + length;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const iterator&, const iterator&) = default;

  private:
    const char* m_at = nullptr;
  };

  dependency_list() = default;
  dependency_list(std::initializer_list<std::string_view> texts) { assign(texts.begin(), texts.end()); }
  dependency_list(const std::vector<std::string>& texts) { assign(texts.begin(), texts.end()); }

  iterator begin() const noexcept { return iterator(m_packed->data()); }
  iterator end() const noexcept { return iterator(m_packed->data() + m_packed->size()); }
  bool empty() const noexcept { return m_packed->empty(); }
  std::size_t size() const noexcept { return static_cast<std::size_t>(std::distance(begin(), end())); }
  std::string_view front() const noexcept { return *begin(); }
  std::string_view operator[](std::size_t index) const noexcept { return *std::next(begin(), static_cast<std::ptrdiff_t>(index)); }
  bool contains(std::string_view text) const noexcept {
    for (const std::string_view item : *this)
      if (item == text)
        return true;
    return false;
  }

  /// Adds `text` at the end (copies the list: for adding a few, not for
  /// building a long one, which the constructors do in one go).
  void push_back(std::string_view text) {
    std::string packed(*m_packed);
    append(packed, text);
    m_packed = std::string_view(packed);
  }

  /// The texts as strings.
  std::vector<std::string> strings() const { return {begin(), end()}; }

  friend bool operator==(const dependency_list&, const dependency_list&) = default;

private:
  template <typename It> void assign(It first, It last) {
    std::string packed;
    for (; first != last; ++first)
      append(packed, *first);
    m_packed = std::string_view(packed);
  }
  /// Appends the length (7 bits a byte, low first; the high bit says more
  /// follow), then the text.
  static void append(std::string& packed, std::string_view text) {
    for (std::size_t length = text.size();; length >>= 7) {
      const auto low = static_cast<unsigned char>(length & 0x7F);
      if (length < 0x80) {
        packed += static_cast<char>(low);
        break;
      }
      packed += static_cast<char>(low | 0x80);
    }
    packed += text;
  }
  static const char* decode(const char* at, std::size_t& length) noexcept {
    length = 0;
    for (unsigned shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*at++);
      length |= static_cast<std::size_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80))
        return at;
    }
  }

  pg_string m_packed{std::string_view()};
};

} // namespace pgarc
