// SPDX-License-Identifier: PostgreSQL
// tar_archive_reader: the toc.dat member into the model; see
// include/pgarc/tar.hpp.
#include "pgarc/tar.hpp"

#include "format/header.hpp"
#include "format/toc.hpp"
#include "io/byte_reader.hpp"
#include "pgarc/errors.hpp"
#include "tar/tar_members.hpp"

#include <cstring>

namespace pgarc {

bool looks_like_tar_archive(std::span<const std::byte> first) noexcept {
  if (first.size() < detail::tar_block)
    return false;
  detail::tar_header_bytes header{};
  std::memcpy(header.data(), first.data(), header.size());
  return detail::is_tar_toc_header(header);
}

tar_archive_reader::tar_archive_reader(byte_source& source)
    : m_reader(std::make_unique<detail::byte_reader>(source)) {
  detail::byte_reader& in = *m_reader;
  const auto member = detail::read_tar_member_header(in);
  if (!member || member->name != "toc.dat")
    throw format_error("the first member of a tar-format archive must be toc.dat" +
                           (member ? ", not \"" + member->name + "\"" : std::string(", and there is none")),
                       0);
  // pg_restore reads toc.dat into memory too; a gigabyte is far more than a
  // TOC of a million entries takes.
  constexpr std::uint64_t max_toc = std::uint64_t{1} << 30;
  const auto left = in.remaining();
  if (member->size > max_toc || (left && member->size > *left))
    throw format_error("member \"toc.dat\" claims " + std::to_string(member->size) + " bytes, more than " +
                           (member->size > max_toc ? std::string("1 GiB") : std::to_string(*left) + " that follow"),
                       member->offset);
  std::string toc;
  in.read_append(toc, member->size, "member \"toc.dat\"");
  in.copy_to(nullptr, detail::tar_padding(member->size), "padding of member \"toc.dat\"");
  std::memcpy(m_toc_header.data(), member->header.data(), m_toc_header.size());
  memory_source toc_source(std::as_bytes(std::span(toc.data(), toc.size())), "toc.dat");
  detail::byte_reader toc_in(toc_source);
  try {
    m_archive.header = detail::read_header(toc_in, archive_layout::tar);
    m_archive.entries = detail::read_toc(toc_in, m_archive.header);
  } catch (const format_error& problem) {
    throw format_error("member \"toc.dat\": " + std::string(problem.what()), problem.offset(), problem.hint());
  } catch (const unsupported_error& problem) {
    throw unsupported_error("member \"toc.dat\": " + std::string(problem.what()), problem.hint());
  }
  if (m_archive.header.compression() != compression_algorithm::none)
    throw unsupported_error("member \"toc.dat\" says the data is compressed, which pg_dump -Ft never does; "
                            "pgarc reads only uncompressed tar archives");
  m_archive.data_start = in.offset();
  m_archive.layout = archive_layout::tar;
  m_entries_read = m_archive.entries;
}

tar_archive_reader::~tar_archive_reader() = default;

} // namespace pgarc
