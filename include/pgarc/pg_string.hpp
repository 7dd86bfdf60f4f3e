// SPDX-License-Identifier: PostgreSQL
// pg_string: a string field as pg_dump stores it, where NULL (length -1) is
// distinct from "". It is read like std::optional<std::string_view>
// (has_value, *, ->, ==) and assigned from text or std::nullopt. It takes 16
// bytes where std::optional<std::string> takes 40: text of up to 14 bytes is
// kept in place, longer text in one allocation of its exact size. An archive
// of 100,000 TOC entries holds 1.2 million of them.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pgarc {

class pg_string {
public:
  /// NULL.
  pg_string() noexcept { set_null(); }
  pg_string(std::nullopt_t) noexcept { set_null(); }
  pg_string(std::string_view text) { assign(text); }
  pg_string(const std::string& text) { assign(text); }
  pg_string(const char* text) { assign(std::string_view(text)); }
  pg_string(const std::optional<std::string>& text) {
    if (text)
      assign(*text);
    else
      set_null();
  }

  pg_string(const pg_string& other) {
    if (other.has_value())
      assign(*other);
    else
      set_null();
  }
  pg_string(pg_string&& other) noexcept {
    std::memcpy(m_raw, other.m_raw, sizeof m_raw);
    other.set_null();
  }
  pg_string& operator=(const pg_string& other) {
    if (this != &other)
      *this = other.has_value() ? pg_string(*other) : pg_string();
    return *this;
  }
  pg_string& operator=(pg_string&& other) noexcept {
    if (this != &other) {
      release();
      std::memcpy(m_raw, other.m_raw, sizeof m_raw);
      other.set_null();
    }
    return *this;
  }
  ~pg_string() { release(); }

  bool has_value() const noexcept { return tag() != null_tag; }
  explicit operator bool() const noexcept { return has_value(); }

  /// The text; "" for NULL (test has_value() first where that matters).
  std::string_view operator*() const noexcept {
    switch (tag()) {
    case null_tag:
      return {};
    case heap_tag:
      return {heap_data(), heap_size()};
    default:
      return {m_raw, tag()};
    }
  }
  /// `field->size()`, `field->find(...)` as on the text.
  struct text_pointer {
    std::string_view text;
    const std::string_view* operator->() const noexcept { return &text; }
  };
  text_pointer operator->() const noexcept { return {**this}; }
  /// The text as a std::string ("" for NULL).
  std::string str() const { return std::string(**this); }
  /// The text; throws std::bad_optional_access for NULL.
  std::string value() const {
    if (!has_value())
      throw std::bad_optional_access();
    return str();
  }
  std::string value_or(std::string_view fallback) const {
    return std::string(has_value() ? **this : fallback);
  }

  void reset() noexcept {
    release();
    set_null();
  }

  friend bool operator==(const pg_string& a, const pg_string& b) noexcept {
    return a.has_value() == b.has_value() && *a == *b;
  }
  friend bool operator==(const pg_string& a, std::nullopt_t) noexcept { return !a.has_value(); }
  friend bool operator==(const pg_string& a, std::string_view b) noexcept { return a.has_value() && *a == b; }
  friend bool operator==(const pg_string& a, const std::string& b) noexcept {
    return a.has_value() && *a == b;
  }
  friend bool operator==(const pg_string& a, const char* b) noexcept {
    return a.has_value() && *a == std::string_view(b);
  }

private:
  static constexpr std::size_t local_capacity = 14;
  static constexpr unsigned char heap_tag = 0xFE;
  static constexpr unsigned char null_tag = 0xFF;

  // Text of up to 14 bytes is in m_raw[0..13] and its length in m_raw[15];
  // longer text is a pointer in m_raw[0..7] and a 32-bit length in
  // m_raw[8..11], with heap_tag in m_raw[15].
  unsigned char tag() const noexcept { return static_cast<unsigned char>(m_raw[15]); }
  void set_tag(unsigned char value) noexcept { m_raw[15] = static_cast<char>(value); }
  void set_null() noexcept { set_tag(null_tag); }
  char* heap_data() const noexcept {
    char* data;
    std::memcpy(&data, m_raw, sizeof data);
    return data;
  }
  std::uint32_t heap_size() const noexcept {
    std::uint32_t size;
    std::memcpy(&size, m_raw + 8, sizeof size);
    return size;
  }
  void release() noexcept {
    if (tag() == heap_tag)
      delete[] heap_data();
  }
  /// Sets the text of a value that holds no allocation.
  void assign(std::string_view text) {
    if (text.size() <= local_capacity) {
      if (!text.empty()) // an empty view may hold a null pointer, which memcpy must not get
        std::memcpy(m_raw, text.data(), text.size());
      set_tag(static_cast<unsigned char>(text.size()));
      return;
    }
    if (text.size() > std::numeric_limits<std::uint32_t>::max())
      throw std::length_error("pg_string: text over 4 GiB");
    char* data = new char[text.size()];
    std::memcpy(data, text.data(), text.size());
    const auto size = static_cast<std::uint32_t>(text.size());
    std::memcpy(m_raw, &data, sizeof data);
    std::memcpy(m_raw + 8, &size, sizeof size);
    set_tag(heap_tag);
  }

  alignas(8) char m_raw[16];
};

static_assert(sizeof(pg_string) == 16);

} // namespace pgarc
