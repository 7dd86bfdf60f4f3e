// SPDX-License-Identifier: PostgreSQL
// verify_directory: every data file and large object of a directory archive
// decoded without being kept; see include/pgarc/directory.hpp.
#include "pgarc/directory.hpp"

#include "compress/codec.hpp"
#include "format/copy_terminator.hpp"
#include "pgarc/errors.hpp"
#include "verify_problems.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace pgarc {

namespace {

/// Compressed bytes decoded at once, as in verify_archive: a few bytes can
/// decode to a great deal.
constexpr std::size_t verify_slice = 1024;

class directory_verifier {
public:
  explicit directory_verifier(const directory_archive& source) : m_source(source) {}

  verify_report run() {
    for (const auto& entry : m_source.contents().entries) {
      const data_file* file = m_source.file_of(entry.dump_id);
      if (!file)
        continue;
      ++m_report.data_blocks;
      if (file->is_blobs) {
        for (const auto& object : file->large_objects) {
          ++m_report.large_objects;
          check_file(entry, object.file, object.compression, false);
        }
      } else {
        check_file(entry, file->file, file->compression,
                   entry.copy_stmt && !entry.copy_stmt->empty());
      }
    }
    return std::move(m_report);
  }

private:
  void problem(const toc_entry& entry, std::string message) {
    detail::add_problem(m_report, &entry, 0, std::move(message));
  }

  void check_file(const toc_entry& entry, const std::string& name, compression_algorithm algorithm,
                  bool is_copy) {
    const std::string path = m_source.directory() + "/" + name;
    std::unique_ptr<detail::decompressor> decoder;
    try {
      decoder = detail::make_decompressor(algorithm, "member \"" + name + "\"", std::size_t(-1),
                                          detail::stream_framing::file);
    } catch (const unsupported_error& missing) {
      problem(entry, missing.what());
      return;
    }
    std::FILE* file = std::fopen(path.c_str(), "rbe");
    if (!file)
      throw io_error("could not open \"" + path + "\": " + std::strerror(errno));
    std::vector<std::byte> buffer(verify_slice);
    std::string produced;
    detail::stream_tail tail;
    try {
      for (;;) {
        const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file);
        if (got == 0)
          break;
        m_report.compressed_bytes += got;
        decoder->feed(std::span(buffer.data(), got), produced);
        m_report.decompressed_bytes += produced.size();
        tail.append(produced);
      }
      const bool failed = std::ferror(file) != 0;
      std::fclose(file);
      file = nullptr;
      if (failed)
        throw io_error("could not read \"" + path + "\"");
      decoder->finish(produced);
      m_report.decompressed_bytes += produced.size();
      tail.append(produced);
      if (is_copy && !detail::ends_with_copy_terminator(tail.tail, tail.total))
        problem(entry, "member \"" + name + "\": the COPY data does not end with its terminator (\\.)");
    } catch (const format_error& failure) {
      if (file)
        std::fclose(file);
      problem(entry, failure.what());
    }
  }

  const directory_archive& m_source;
  verify_report m_report;
};

} // namespace

verify_report verify_directory(const directory_archive& source) {
  return directory_verifier(source).run();
}

} // namespace pgarc
