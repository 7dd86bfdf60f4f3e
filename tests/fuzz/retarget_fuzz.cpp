// SPDX-License-Identifier: PostgreSQL
// libFuzzer target over read -> retarget -> write -> read -> retarget: the
// definitions, tags and statements of a hostile TOC go through the SQL lexer
// and the rewriter. Whatever pgarc accepts it must retarget and write without
// crashing; its output must read back; and retargeting that output again
// must change nothing (the tool's promise for its own output), in both
// directions the tool is used in.
// Built by -Dfuzzing=true; replay_main.cpp replays the corpus without libFuzzer.
#include "pgarc/catalog.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/retarget.hpp"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace {

void require(bool condition) {
  if (!condition)
    std::abort();
}

/// Retargets `input` as pgarc-retarget does and returns the written archive
/// with what the run changed.
std::vector<std::byte> retarget_copy(std::span<const std::byte> input, const pgarc::retarget_options& options,
                                     bool& changed) {
  pgarc::memory_source source(input);
  pgarc::memory_sink sink(true);
  changed = pgarc::retarget_archive(source, sink, options).changed();
  return sink.bytes();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = std::as_bytes(std::span(data, size));
  for (const bool reverse : {false, true}) {
    pgarc::retarget_options options;
    if (reverse) {
      options.from_schema = "heroku_ext";
      options.to_schema = "public";
    }
    options.catalogs = {&pgarc::builtin_extension_catalog()};
    // --search-path for half of the inputs: the merge into DATABASE PROPERTIES.
    options.add_search_path = size % 2 == 1;
    bool changed = false;
    std::vector<std::byte> first;
    try {
      first = retarget_copy(input, options, changed);
    } catch (const pgarc::error&) {
      continue; // refused input (or a data stream that cannot be rewritten)
    }
    // pgarc's own output: it must read, and a second run must change nothing.
    bool changed_again = true;
    const std::vector<std::byte> second = retarget_copy(first, options, changed_again);
    require(!changed_again);
    require(second == first);
  }
  return 0;
}
