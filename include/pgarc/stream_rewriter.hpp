// SPDX-License-Identifier: PostgreSQL
// The hook through which write_archive() changes a data stream.
#pragma once

#include "pgarc/archive.hpp"

#include <string>

namespace pgarc {

/// Rewrites the decompressed data stream of chosen entries (the INSERT
/// statements of an --inserts archive). The stream is held in memory (up to
/// 256 MiB), so it is meant for small tables such as extension configuration
/// tables; everything else is copied without being decompressed. The entry
/// it is shown is the one being written, with the caller's edits.
class stream_rewriter {
public:
  virtual ~stream_rewriter() = default;
  virtual bool wants(const toc_entry& entry) const = 0;
  /// Returns the new content of `entry`'s data stream.
  virtual std::string rewrite(const toc_entry& entry, std::string stream) const = 0;
};

} // namespace pgarc
