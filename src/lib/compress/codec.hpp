// SPDX-License-Identifier: PostgreSQL
// Streaming (de)compression of one data stream with the archive's algorithm:
// a zlib stream (not gzip), one LZ4 frame, or one zstd frame, as pg_dump
// writes them (compress_io.c, compress_gzip.c, compress_lz4.c, compress_zstd.c).
#pragma once

#include "pgarc/archive.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>

namespace pgarc::detail {

/// Where a stream lives. Only gzip differs: the custom format's blocks hold
/// a zlib stream (RFC 1950), a directory archive's .gz file a gzip file
/// (RFC 1952, gzopen). lz4 and zstd frames are the same in both.
enum class stream_framing { block, file };

class decompressor {
public:
  virtual ~decompressor() = default;
  /// Decodes `input` (any part of the stream), appending output to `out`.
  /// Throws format_error("could not decompress ...") on corrupt data, and
  /// unsupported_error once `out` would grow past the limit given to
  /// make_decompressor (a few bytes can decode to gigabytes).
  virtual void feed(std::span<const std::byte> input, std::string& out) = 0;
  /// Ends the stream; throws format_error when it was incomplete.
  virtual void finish(std::string& out) = 0;

protected:
  decompressor(std::string what, std::size_t max_output)
      : m_what(std::move(what)), m_max_output(max_output) {}
  /// Appends decoded bytes to `out`, enforcing the output limit.
  void emit(std::string& out, const void* data, std::size_t size) const;
  const std::string& what() const noexcept { return m_what; }

private:
  std::string m_what;
  std::size_t m_max_output;
};

class compressor {
public:
  virtual ~compressor() = default;
  /// Encodes `input`, appending whatever output is ready to `out`.
  virtual void feed(std::span<const std::byte> input, std::string& out) = 0;
  /// Flushes and ends the stream.
  virtual void finish(std::string& out) = 0;
};

/// `what` names the stream in error messages ("data block of dump id 17");
/// the decoded stream may not grow beyond `max_output` bytes.
std::unique_ptr<decompressor> make_decompressor(compression_algorithm algorithm, std::string what,
                                                std::size_t max_output = std::size_t(-1),
                                                stream_framing framing = stream_framing::block);
/// `level` is the zlib level from a <= 1.14 header (-1 default); other
/// algorithms use their library default, as pg_dump does without a level.
std::unique_ptr<compressor> make_compressor(compression_algorithm algorithm, int level = -1,
                                            stream_framing framing = stream_framing::block);

/// Decodes the whole `compressed` stream (framed as `from`), passes it to
/// `change`, and encodes the result with the same algorithm framed as `to`.
/// The decoded stream may not exceed `max_output` bytes. Throws format_error
/// for a corrupt stream, unsupported_error beyond the limit.
std::string recompress(const std::string& compressed, compression_algorithm algorithm, int level,
                       stream_framing from, stream_framing to, std::string what, std::size_t max_output,
                       const std::function<std::string(std::string)>& change);

} // namespace pgarc::detail
