// SPDX-License-Identifier: PostgreSQL
// The exceptions the pgarc library throws. Every failure is a pgarc::error; the
// subclasses differ only in what a caller does next.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace pgarc {

/// Root of every exception the library throws on bad input or failed I/O.
/// `what()` is the primary message (lowercase, no final period); `hint()` is a
/// full sentence telling the user what to do, or empty.
class error : public std::runtime_error {
public:
  explicit error(const std::string& message, std::string hint = {})
      : std::runtime_error(message), m_hint(std::move(hint)) {}
  const std::string& hint() const noexcept { return m_hint; }

private:
  std::string m_hint;
};

/// The bytes are not a valid custom-format archive. `offset()` is the byte
/// position where reading failed; the message names what was being read.
class format_error : public error {
public:
  format_error(const std::string& message, std::uint64_t offset, std::string hint = {})
      : error(message, std::move(hint)), m_offset(offset) {}
  std::uint64_t offset() const noexcept { return m_offset; }

private:
  std::uint64_t m_offset;
};

/// Valid input that pgarc does not handle: another archive version or format.
class unsupported_error : public error {
public:
  using error::error;
};

/// An operating-system call failed. The message names the file and the reason.
class io_error : public error {
public:
  using error::error;
};

} // namespace pgarc
