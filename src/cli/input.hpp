// SPDX-License-Identifier: PostgreSQL
// What kind of archive an INPUT is: a directory (or its toc.dat), a tar
// stream (pg_dump -Ft, told by its first header) or a custom archive. A pipe
// is sniffed by reading its first block, which is then read again.
#pragma once

#include "pgarc/io.hpp"

#include <memory>
#include <string>

namespace pgarc::cli {

enum class input_kind { custom, directory, tar };

struct opened_input {
  input_kind kind = input_kind::custom;
  /// The bytes to read (nullptr for a directory, which the library opens).
  std::unique_ptr<byte_source> source;
};

/// Opens INPUT ("-" for standard input) and tells its kind. Throws io_error.
opened_input open_archive(const std::string& input);

} // namespace pgarc::cli
