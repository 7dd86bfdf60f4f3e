// SPDX-License-Identifier: PostgreSQL
// open_archive; see input.hpp.
#include "input.hpp"

#include "job.hpp"

#include "pgarc/directory.hpp"
#include "pgarc/tar.hpp"

#include <algorithm>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace pgarc::cli {

namespace {

/// Gives back the bytes read to sniff a pipe, then the rest of it.
class replaying_source final : public byte_source {
public:
  replaying_source(std::unique_ptr<byte_source> inner, std::vector<std::byte> first)
      : m_inner(std::move(inner)), m_first(std::move(first)) {}
  std::size_t read_some(std::span<std::byte> buffer) override {
    if (m_position < m_first.size()) {
      const std::size_t take = std::min(buffer.size(), m_first.size() - m_position);
      std::memcpy(buffer.data(), m_first.data() + m_position, take);
      m_position += take;
      return take;
    }
    return m_inner->read_some(buffer);
  }
  const std::string& name() const noexcept override { return m_inner->name(); }

private:
  std::unique_ptr<byte_source> m_inner;
  std::vector<std::byte> m_first;
  std::size_t m_position = 0;
};

constexpr std::size_t sniff_size = 512;

} // namespace

opened_input open_archive(const std::string& input) {
  opened_input opened;
  if (input != "-" && is_directory_archive(input)) {
    opened.kind = input_kind::directory;
    return opened;
  }
  std::unique_ptr<file_source> file = open_input(input);
  std::vector<std::byte> first(sniff_size);
  if (file->size()) {
    // A regular file is read by offset, so a look at its start consumes
    // nothing (and keeps the fast paths of file_source).
    const off_t start = ::lseek(file->descriptor(), 0, SEEK_CUR);
    const ssize_t got = ::pread(file->descriptor(), first.data(), first.size(), start < 0 ? 0 : start);
    first.resize(got < 0 ? 0 : static_cast<std::size_t>(got));
    opened.kind = looks_like_tar_archive(first) ? input_kind::tar : input_kind::custom;
    opened.source = std::move(file);
    return opened;
  }
  std::size_t got = 0;
  while (got < first.size()) {
    const std::size_t more = file->read_some(std::span(first).subspan(got));
    if (more == 0)
      break;
    got += more;
  }
  first.resize(got);
  opened.kind = looks_like_tar_archive(first) ? input_kind::tar : input_kind::custom;
  opened.source = std::make_unique<replaying_source>(std::move(file), std::move(first));
  return opened;
}

} // namespace pgarc::cli
