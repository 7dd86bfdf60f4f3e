// SPDX-License-Identifier: PostgreSQL
// zlib, lz4 frame and zstd streaming codecs; see codec.hpp.
#include "compress/codec.hpp"

#include "pgarc/errors.hpp"
#include "pgarc/features.hpp"

#if PGARC_WITH_LZ4
#include <lz4frame.h>
#endif
#include <zlib.h>
#if PGARC_WITH_ZSTD
#include <zstd.h>
#endif

#include <array>
#include <cstring>

namespace pgarc::detail {

namespace {

constexpr std::size_t step = 64 * 1024;

[[noreturn]] void throw_corrupt(const std::string& what, const std::string& reason) {
  throw format_error("could not decompress " + what + ": " + reason, 0);
}

} // namespace

void decompressor::emit(std::string& out, const void* data, std::size_t size) const {
  if (size == 0)
    return;
  if (size > m_max_output || out.size() > m_max_output - size) {
    constexpr std::size_t mib = std::size_t{1} << 20;
    const std::string limit = m_max_output % mib == 0
                                  ? std::to_string(m_max_output / mib) + " MiB"
                                  : std::to_string(m_max_output) + " bytes";
    throw unsupported_error(m_what + " decompresses to more than " + limit +
                            ", too large to hold in memory");
  }
  out.append(static_cast<const char*>(data), size);
}

namespace {

class none_decompressor final : public decompressor {
public:
  none_decompressor(std::string what, std::size_t max_output)
      : decompressor(std::move(what), max_output) {}
  void feed(std::span<const std::byte> input, std::string& out) override {
    emit(out, input.data(), input.size());
  }
  void finish(std::string&) override {}
};

class none_compressor final : public compressor {
public:
  void feed(std::span<const std::byte> input, std::string& out) override {
    out.append(reinterpret_cast<const char*>(input.data()), input.size());
  }
  void finish(std::string&) override {}
};

class zlib_decompressor final : public decompressor {
public:
  zlib_decompressor(std::string what, std::size_t max_output, stream_framing framing)
      : decompressor(std::move(what), max_output) {
    // 16 added to the window bits reads a gzip file's header and trailer.
    const int window_bits = framing == stream_framing::file ? MAX_WBITS + 16 : MAX_WBITS;
    if (inflateInit2(&m_stream, window_bits) != Z_OK)
      throw error("could not initialize zlib");
  }
  ~zlib_decompressor() override { inflateEnd(&m_stream); }
  void feed(std::span<const std::byte> input, std::string& out) override {
    m_stream.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(input.data()));
    m_stream.avail_in = static_cast<uInt>(input.size());
    while (m_stream.avail_in > 0) {
      if (m_ended)
        throw_corrupt(what(), "data after the end of the zlib stream");
      run(out);
    }
  }
  void finish(std::string& out) override {
    // pg_restore keeps inflating until the stream ends; so do we.
    m_stream.avail_in = 0;
    while (!m_ended) {
      const std::size_t before = out.size();
      run(out);
      if (!m_ended && out.size() == before)
        throw_corrupt(what(), "the zlib stream is incomplete");
    }
  }

private:
  void run(std::string& out) {
    std::array<unsigned char, step> buffer;
    m_stream.next_out = buffer.data();
    m_stream.avail_out = buffer.size();
    const int status = inflate(&m_stream, Z_NO_FLUSH);
    if (status == Z_STREAM_END)
      m_ended = true;
    else if (status == Z_BUF_ERROR && m_stream.avail_out == buffer.size())
      ; // needs more input
    else if (status != Z_OK)
      throw_corrupt(what(), m_stream.msg ? m_stream.msg : "zlib error " + std::to_string(status));
    emit(out, buffer.data(), buffer.size() - m_stream.avail_out);
  }
  z_stream m_stream{};
  bool m_ended = false;
};

class zlib_compressor final : public compressor {
public:
  zlib_compressor(int level, stream_framing framing) {
    const int window_bits = framing == stream_framing::file ? MAX_WBITS + 16 : MAX_WBITS;
    if (deflateInit2(&m_stream, level < 0 || level > 9 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED,
                     window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw error("could not initialize zlib");
  }
  ~zlib_compressor() override { deflateEnd(&m_stream); }
  void feed(std::span<const std::byte> input, std::string& out) override {
    m_stream.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(input.data()));
    m_stream.avail_in = static_cast<uInt>(input.size());
    while (m_stream.avail_in > 0)
      run(Z_NO_FLUSH, out);
  }
  void finish(std::string& out) override {
    while (run(Z_FINISH, out) != Z_STREAM_END) {
    }
  }

private:
  int run(int flush, std::string& out) {
    std::array<unsigned char, step> buffer;
    m_stream.next_out = buffer.data();
    m_stream.avail_out = buffer.size();
    const int status = deflate(&m_stream, flush);
    if (status == Z_STREAM_ERROR)
      throw error("zlib compression failed");
    out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size() - m_stream.avail_out);
    return status;
  }
  z_stream m_stream{};
};

#if PGARC_WITH_LZ4
class lz4_decompressor final : public decompressor {
public:
  lz4_decompressor(std::string what, std::size_t max_output)
      : decompressor(std::move(what), max_output) {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&m_context, LZ4F_VERSION)))
      throw error("could not initialize lz4");
  }
  ~lz4_decompressor() override { LZ4F_freeDecompressionContext(m_context); }
  void feed(std::span<const std::byte> input, std::string& out) override {
    const char* next = reinterpret_cast<const char*>(input.data());
    std::size_t left = input.size();
    std::array<char, step> buffer;
    m_started = m_started || left > 0;
    while (left > 0) {
      std::size_t produced = buffer.size();
      std::size_t consumed = left;
      const std::size_t hint =
          LZ4F_decompress(m_context, buffer.data(), &produced, next, &consumed, nullptr);
      if (LZ4F_isError(hint))
        throw_corrupt(what(), LZ4F_getErrorName(hint));
      emit(out, buffer.data(), produced);
      next += consumed;
      left -= consumed;
      m_done = hint == 0;
      if (m_done && left > 0)
        throw_corrupt(what(), "data after the end of the lz4 frame");
    }
  }
  void finish(std::string& out) override {
    // Drain output the context still holds.
    std::array<char, step> buffer;
    for (;;) {
      std::size_t produced = buffer.size();
      std::size_t consumed = 0;
      const std::size_t hint =
          LZ4F_decompress(m_context, buffer.data(), &produced, nullptr, &consumed, nullptr);
      if (LZ4F_isError(hint))
        throw_corrupt(what(), LZ4F_getErrorName(hint));
      emit(out, buffer.data(), produced);
      if (produced == 0)
        break;
    }
    if (!m_done && m_started)
      throw_corrupt(what(), "the lz4 frame is incomplete");
  }

private:
  LZ4F_dctx* m_context = nullptr;
  bool m_done = false;
  bool m_started = false; // pg_restore accepts an lz4 stream with no chunks
};

class lz4_compressor final : public compressor {
public:
  lz4_compressor() {
    if (LZ4F_isError(LZ4F_createCompressionContext(&m_context, LZ4F_VERSION)))
      throw error("could not initialize lz4");
  }
  ~lz4_compressor() override { LZ4F_freeCompressionContext(m_context); }
  void feed(std::span<const std::byte> input, std::string& out) override {
    begin(out);
    const char* next = reinterpret_cast<const char*>(input.data());
    std::size_t left = input.size();
    while (left > 0) {
      const std::size_t take = std::min(left, step);
      std::string buffer(LZ4F_compressBound(take, nullptr), '\0');
      const std::size_t made =
          LZ4F_compressUpdate(m_context, buffer.data(), buffer.size(), next, take, nullptr);
      if (LZ4F_isError(made))
        throw error(std::string("lz4 compression failed: ") + LZ4F_getErrorName(made));
      out.append(buffer.data(), made);
      next += take;
      left -= take;
    }
  }
  void finish(std::string& out) override {
    begin(out);
    std::string buffer(LZ4F_compressBound(0, nullptr) + 64, '\0');
    const std::size_t made = LZ4F_compressEnd(m_context, buffer.data(), buffer.size(), nullptr);
    if (LZ4F_isError(made))
      throw error(std::string("lz4 compression failed: ") + LZ4F_getErrorName(made));
    out.append(buffer.data(), made);
  }

private:
  void begin(std::string& out) {
    if (m_begun)
      return;
    std::array<char, LZ4F_HEADER_SIZE_MAX> header;
    const std::size_t made = LZ4F_compressBegin(m_context, header.data(), header.size(), nullptr);
    if (LZ4F_isError(made))
      throw error(std::string("lz4 compression failed: ") + LZ4F_getErrorName(made));
    out.append(header.data(), made);
    m_begun = true;
  }
  LZ4F_cctx* m_context = nullptr;
  bool m_begun = false;
};

#endif

#if PGARC_WITH_ZSTD
class zstd_decompressor final : public decompressor {
public:
  zstd_decompressor(std::string what, std::size_t max_output)
      : decompressor(std::move(what), max_output) {
    m_context = ZSTD_createDStream();
    if (!m_context)
      throw error("could not initialize zstd");
  }
  ~zstd_decompressor() override { ZSTD_freeDStream(m_context); }
  void feed(std::span<const std::byte> input, std::string& out) override {
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    std::array<char, step> buffer;
    while (in.pos < in.size) {
      ZSTD_outBuffer chunk{buffer.data(), buffer.size(), 0};
      const std::size_t hint = ZSTD_decompressStream(m_context, &chunk, &in);
      if (ZSTD_isError(hint))
        throw_corrupt(what(), ZSTD_getErrorName(hint));
      emit(out, buffer.data(), chunk.pos);
      m_pending = hint != 0;
    }
  }
  void finish(std::string& out) override {
    std::array<char, step> buffer;
    for (;;) {
      ZSTD_inBuffer in{nullptr, 0, 0};
      ZSTD_outBuffer chunk{buffer.data(), buffer.size(), 0};
      const std::size_t hint = ZSTD_decompressStream(m_context, &chunk, &in);
      if (ZSTD_isError(hint))
        throw_corrupt(what(), ZSTD_getErrorName(hint));
      emit(out, buffer.data(), chunk.pos);
      // Without input, only output the stream still held changes the state.
      if (chunk.pos > 0)
        m_pending = hint != 0;
      if (chunk.pos < buffer.size())
        break;
    }
    if (m_pending)
      throw_corrupt(what(), "the zstd frame is incomplete");
  }

private:
  ZSTD_DStream* m_context = nullptr;
  bool m_pending = false;
};

class zstd_compressor final : public compressor {
public:
  zstd_compressor() {
    m_context = ZSTD_createCStream();
    if (!m_context || ZSTD_isError(ZSTD_initCStream(m_context, ZSTD_CLEVEL_DEFAULT)))
      throw error("could not initialize zstd");
  }
  ~zstd_compressor() override { ZSTD_freeCStream(m_context); }
  void feed(std::span<const std::byte> input, std::string& out) override {
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    std::array<char, step> buffer;
    while (in.pos < in.size) {
      ZSTD_outBuffer chunk{buffer.data(), buffer.size(), 0};
      const std::size_t hint = ZSTD_compressStream2(m_context, &chunk, &in, ZSTD_e_continue);
      if (ZSTD_isError(hint))
        throw error(std::string("zstd compression failed: ") + ZSTD_getErrorName(hint));
      out.append(buffer.data(), chunk.pos);
    }
  }
  void finish(std::string& out) override {
    std::array<char, step> buffer;
    for (;;) {
      ZSTD_inBuffer in{nullptr, 0, 0};
      ZSTD_outBuffer chunk{buffer.data(), buffer.size(), 0};
      const std::size_t left = ZSTD_compressStream2(m_context, &chunk, &in, ZSTD_e_end);
      if (ZSTD_isError(left))
        throw error(std::string("zstd compression failed: ") + ZSTD_getErrorName(left));
      out.append(buffer.data(), chunk.pos);
      if (left == 0)
        break;
    }
  }

private:
  ZSTD_CStream* m_context = nullptr;
};

#endif

/// An archive compressed with a codec this build left out (-Dlz4=disabled).
[[maybe_unused]] [[noreturn]] void throw_missing_codec(const char* name) {
  throw unsupported_error(std::string("the data is ") + name + "-compressed, and this build of pgarc "
                          "was made without " + name + " support");
}

} // namespace

std::unique_ptr<decompressor> make_decompressor(compression_algorithm algorithm, std::string what,
                                                std::size_t max_output, stream_framing framing) {
  switch (algorithm) {
  case compression_algorithm::none:
    return std::make_unique<none_decompressor>(std::move(what), max_output);
  case compression_algorithm::gzip:
    return std::make_unique<zlib_decompressor>(std::move(what), max_output, framing);
  case compression_algorithm::lz4:
#if PGARC_WITH_LZ4
    return std::make_unique<lz4_decompressor>(std::move(what), max_output);
#else
    throw_missing_codec("lz4");
#endif
  case compression_algorithm::zstd:
#if PGARC_WITH_ZSTD
    return std::make_unique<zstd_decompressor>(std::move(what), max_output);
#else
    throw_missing_codec("zstd");
#endif
  }
  throw unsupported_error("the header names an unknown compression algorithm " +
                          std::to_string(static_cast<int>(algorithm)));
}

std::unique_ptr<compressor> make_compressor(compression_algorithm algorithm, int level,
                                            stream_framing framing) {
  switch (algorithm) {
  case compression_algorithm::none: return std::make_unique<none_compressor>();
  case compression_algorithm::gzip: return std::make_unique<zlib_compressor>(level, framing);
  case compression_algorithm::lz4:
#if PGARC_WITH_LZ4
    return std::make_unique<lz4_compressor>();
#else
    throw_missing_codec("lz4");
#endif
  case compression_algorithm::zstd:
#if PGARC_WITH_ZSTD
    return std::make_unique<zstd_compressor>();
#else
    throw_missing_codec("zstd");
#endif
  }
  throw unsupported_error("unknown compression algorithm " +
                          std::to_string(static_cast<int>(algorithm)));
}

std::string recompress(const std::string& compressed, compression_algorithm algorithm, int level,
                       stream_framing from, stream_framing to, std::string what, std::size_t max_output,
                       const std::function<std::string(std::string)>& change) {
  const auto decoder = make_decompressor(algorithm, std::move(what), max_output, from);
  std::string stream;
  decoder->feed(std::as_bytes(std::span(compressed.data(), compressed.size())), stream);
  decoder->finish(stream);
  stream = change(std::move(stream));
  const auto encoder = make_compressor(algorithm, level, to);
  std::string out;
  encoder->feed(std::as_bytes(std::span(stream.data(), stream.size())), out);
  encoder->finish(out);
  return out;
}

} // namespace pgarc::detail
