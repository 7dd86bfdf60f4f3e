// SPDX-License-Identifier: PostgreSQL
// The names of a directory archive's members: which ones are safe to
// follow, the compression suffixes pg_restore tries, and the error that
// names a bad member. Used by the directory reader, writer and verifier.
#pragma once

#include "pgarc/archive.hpp"
#include "pgarc/errors.hpp"

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace pgarc::detail {

/// The suffixes pg_restore tries after the bare name, in its order
/// (InitDiscoverCompressFileHandle in compress_io.c).
inline constexpr std::array<std::pair<std::string_view, compression_algorithm>, 4> compression_suffixes{{
    {"", compression_algorithm::none},
    {".gz", compression_algorithm::gzip},
    {".lz4", compression_algorithm::lz4},
    {".zst", compression_algorithm::zstd},
}};

inline std::string_view suffix_of(compression_algorithm algorithm) noexcept {
  for (const auto& [suffix, each] : compression_suffixes)
    if (each == algorithm)
      return suffix;
  return {};
}

inline const char* compression_name(compression_algorithm algorithm) noexcept {
  switch (algorithm) {
  case compression_algorithm::none: return "none";
  case compression_algorithm::gzip: return "gzip";
  case compression_algorithm::lz4: return "lz4";
  case compression_algorithm::zstd: return "zstd";
  }
  return "unknown";
}

/// The first bytes of a file in each compressed format ("" for none).
inline std::string signature_of(compression_algorithm algorithm) {
  switch (algorithm) {
  case compression_algorithm::none: return {};
  case compression_algorithm::gzip: return std::string("\x1f\x8b", 2);
  case compression_algorithm::lz4: return std::string("\x04\x22\x4d\x18", 4);
  case compression_algorithm::zstd: return std::string("\x28\xb5\x2f\xfd", 4);
  }
  return {};
}

/// Why `name` may not be followed ("" when it may): pg_dump writes only
/// plain names ("4178.dat", "blobs.toc", "blob_17538.dat"), so a path, "."
/// or ".." is an attempt to reach outside the archive.
inline std::string unsafe_member_name(const std::string& name) {
  if (name.empty())
    return "is an empty name";
  if (name.front() == '/')
    return "is an absolute path, not a file name inside the archive";
  if (name == "." || name == "..")
    return "is not a file name inside the archive";
  if (name.find('/') != std::string::npos)
    return "contains \"/\", so it is not a file name inside the archive";
  if (name.find('\0') != std::string::npos)
    return "contains a NUL byte";
  return {};
}

/// "member "../x" of dump id 7 is ...": what is wrong with one member.
inline format_error member_problem(const std::string& owner, const std::string& member,
                                   const std::string& problem) {
  std::string quoted;
  for (const char character : member)
    quoted += static_cast<unsigned char>(character) < 0x20 ? '?' : character;
  return format_error("member \"" + quoted + "\" of " + owner + " " + problem, 0);
}

} // namespace pgarc::detail
