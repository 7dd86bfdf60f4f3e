// SPDX-License-Identifier: PostgreSQL
// libFuzzer target over tar streams: any input must end in a model or a
// pgarc::error, read from memory and through a pipe-like source (no size).
// What can be read is listed, verified (problems reported, never thrown) and
// written as a new tar, which must read back as the same model and write the
// same bytes again.
// Built by -Dfuzzing=true; replay_main.cpp replays the corpus without libFuzzer.
#include "pipe_source.hpp"

#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/listing.hpp"
#include "pgarc/tar.hpp"

#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  try {
    pgarc::memory_source listed_source(bytes);
    pgarc::tar_archive_reader listed(listed_source);
    (void)pgarc::format_listing(listed.contents());
    (void)pgarc::format_json(listed.contents());
  } catch (const pgarc::error&) {
    return 0;
  }
  {
    pgarc::test::pipe_source pipe(bytes);
    try {
      pgarc::tar_archive_reader checked(pipe);
      (void)pgarc::verify_tar(checked);
    } catch (const pgarc::error&) {
      std::abort(); // the header and toc.dat were read from memory: a pipe must read them too
    }
  }
  pgarc::memory_sink first;
  pgarc::archive model;
  try {
    pgarc::memory_source source(bytes);
    pgarc::tar_archive_reader reader(source);
    model = reader.contents();
    pgarc::write_tar(reader, reader.contents(), first);
  } catch (const pgarc::error&) {
    return 0; // a member after toc.dat is refused
  }
  // pgarc's own output must read back as the same model and copy to the same bytes.
  pgarc::memory_source again(first.bytes());
  pgarc::tar_archive_reader reread(again);
  if (!(reread.contents().header == model.header) || !(reread.contents().entries == model.entries))
    std::abort();
  pgarc::memory_sink second;
  pgarc::write_tar(reread, reread.contents(), second);
  if (second.bytes() != first.bytes())
    std::abort();
  return 0;
}
