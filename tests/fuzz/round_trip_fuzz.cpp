// SPDX-License-Identifier: PostgreSQL
// libFuzzer target over read -> write -> read: whatever pgarc reads and
// copies, it must read back as the same model and copy again unchanged; and
// decompressing and recompressing every data stream must give the same
// streams. Input pgarc refuses must be refused with a pgarc::error.
// Built by -Dfuzzing=true; replay_main.cpp replays the corpus without libFuzzer.
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"
#include "pgarc/reader.hpp"
#include "pgarc/writer.hpp"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace {

using pgarc::archive;

void require(bool condition) {
  if (!condition)
    std::abort();
}

struct copy_result {
  archive model;
  std::vector<std::byte> bytes;
};

copy_result copy(std::span<const std::byte> input, bool seekable,
                 const pgarc::stream_rewriter* rewriter = nullptr) {
  pgarc::memory_source source(input);
  pgarc::archive_reader reader(source);
  pgarc::memory_sink sink(seekable);
  pgarc::write_options how;
  how.rewriter = rewriter;
  pgarc::write_archive(reader, reader.contents(), sink, how);
  return {reader.contents(), sink.bytes()};
}

/// `model` with the data positions of entries that have data cleared, for
/// comparing archives whose blocks moved.
archive without_positions(archive model) {
  for (auto& entry : model.entries)
    if (entry.has_data() && entry.data_state != pgarc::offset_state::no_data) {
      entry.data_state = pgarc::offset_state::not_set;
      entry.data_offset = 0;
    }
  return model;
}

/// Hands every data stream (not large objects) back unchanged, keeping a copy.
class stream_recorder final : public pgarc::stream_rewriter {
public:
  bool wants(const pgarc::toc_entry& entry) const override { return entry.desc_text() != "BLOBS"; }
  std::string rewrite(const pgarc::toc_entry& entry, std::string stream) const override {
    m_streams[entry.dump_id] = stream;
    return stream;
  }
  const std::map<std::int64_t, std::string>& streams() const { return m_streams; }

private:
  mutable std::map<std::int64_t, std::string> m_streams;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = std::as_bytes(std::span(data, size));
  copy_result first;
  try {
    // To a pipe: positions stay as the input had them, so the model must not change.
    first = copy(input, false);
  } catch (const pgarc::error&) {
    return 0;
  }
  // From here on every step works on pgarc's own output and must succeed.
  const copy_result second = copy(first.bytes, false);
  require(second.model == first.model);
  require(second.bytes == first.bytes);

  // To a seekable sink every block gets its position, which a copy checks.
  const copy_result positioned = copy(first.bytes, true);
  const copy_result checked = copy(positioned.bytes, false);
  require(without_positions(checked.model) == without_positions(first.model));
  for (const auto& entry : checked.model.entries)
    require(!entry.has_data() || entry.data_state != pgarc::offset_state::not_set);

  // Decompress and recompress every data stream; corrupt streams are refused.
  stream_recorder recorder;
  copy_result recompressed;
  try {
    recompressed = copy(first.bytes, true, &recorder);
  } catch (const pgarc::error&) {
    return 0;
  }
  stream_recorder reread;
  const copy_result again = copy(recompressed.bytes, false, &reread);
  require(reread.streams() == recorder.streams());
  require(without_positions(again.model) == without_positions(first.model));
  return 0;
}
