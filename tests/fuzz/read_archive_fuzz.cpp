// SPDX-License-Identifier: PostgreSQL
// libFuzzer target over archive_reader: any input must end in a model or in a
// pgarc::error; any other exception, a crash or a sanitizer report is a bug.
// What can be read is also verified (verify_archive), which must report
// problems rather than throw.
// Built by -Dfuzzing=true; replay_main.cpp replays the corpus without libFuzzer.
#include "pipe_source.hpp"

#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/verify.hpp"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>

namespace {

std::optional<pgarc::archive> read_or_refuse(pgarc::byte_source& source) {
  try {
    pgarc::archive_reader reader(source);
    return reader.contents();
  } catch (const pgarc::error&) {
    return std::nullopt;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  pgarc::memory_source file(bytes);
  const auto from_file = read_or_refuse(file);
  if (!from_file)
    return 0;
  // Whatever was read can be listed.
  (void)pgarc::format_listing(*from_file);
  (void)pgarc::format_json(*from_file);
  // From a pipe the reader knows less (no size to check lengths and offsets
  // against), so it must accept at least what it accepts from a file, and
  // read the same model.
  pgarc::test::pipe_source pipe(bytes);
  const auto from_pipe = read_or_refuse(pipe);
  if (!from_pipe || !(*from_pipe == *from_file))
    std::abort();
  // Decompresses every block; only an I/O failure may throw, and memory has none.
  pgarc::memory_source again(bytes);
  pgarc::archive_reader reader(again);
  (void)pgarc::verify_archive(reader);
  return 0;
}
