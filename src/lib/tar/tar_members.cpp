// SPDX-License-Identifier: PostgreSQL
// tar_member_cursor; see tar_members.hpp.
#include "tar/tar_members.hpp"

#include "directory/member_names.hpp"
#include "pgarc/errors.hpp"

#include <climits>

namespace pgarc::detail {

std::optional<tar_member> read_tar_member_header(byte_reader& in) {
  if (in.at_end())
    return std::nullopt;
  const std::uint64_t at = in.offset();
  tar_header_bytes header{};
  in.read_exact(header, "tar header");
  return decode_tar_header(header, at);
}

namespace {

/// The OID of a "blob_OID.dat" member, or 0.
std::uint32_t large_object_oid(const std::string& name) {
  if (!name.starts_with("blob_") || !name.ends_with(".dat") || name.size() <= 9)
    return 0;
  std::uint64_t oid = 0;
  for (std::size_t at = 5; at < name.size() - 4; ++at) {
    if (name[at] < '0' || name[at] > '9' || oid > UINT32_MAX / 10)
      return 0;
    oid = oid * 10 + static_cast<std::uint64_t>(name[at] - '0');
  }
  return oid <= UINT32_MAX ? static_cast<std::uint32_t>(oid) : 0;
}

} // namespace

tar_member_cursor::tar_member_cursor(byte_reader& in, const std::vector<toc_entry>& entries)
    : m_in(in), m_entries(entries) {
  for (const auto& entry : entries)
    if (entry.has_data() && !entry.data_file.empty())
      m_by_name.emplace(entry.data_file, &entry);
}

std::optional<tar_data_member> tar_member_cursor::next() {
  auto member = read_tar_member_header(m_in);
  if (!member)
    return std::nullopt;
  const std::string owner = "the tar archive";
  if (const std::string problem = unsafe_member_name(member->name); !problem.empty())
    throw member_problem(owner, member->name, problem);
  const auto left = m_in.remaining();
  if (left && member->size > *left)
    throw member_problem(owner, member->name,
                         "at byte " + std::to_string(member->offset) + " claims " + std::to_string(member->size) +
                             " bytes but only " + std::to_string(*left) + " follow");
  if (!m_seen.emplace(member->name, true).second)
    throw member_problem(owner, member->name, "appears twice");
  tar_data_member found;
  found.member = std::move(*member);
  if (const auto named = m_by_name.find(found.member.name); named != m_by_name.end()) {
    found.entry = named->second;
    found.kind = named->second->desc_text() == "BLOBS" ? member_kind::large_object_list : member_kind::data;
  } else if (found.member.name == "restore.sql") {
    found.kind = member_kind::script;
  } else if (const std::uint32_t oid = large_object_oid(found.member.name)) {
    found.kind = member_kind::large_object;
    found.oid = oid;
  } else if (found.member.name == "blobs.toc" || (found.member.name.starts_with("blobs_") && found.member.name.ends_with(".toc"))) {
    // Archives before 1.16 name the list differently in the TOC (_LoadLOs).
    found.kind = member_kind::large_object_list;
    for (const auto& entry : m_entries)
      if (entry.desc_text() == "BLOBS" && entry.has_data() && !m_seen.contains(entry.data_file)) {
        found.entry = &entry;
        m_seen.emplace(entry.data_file, true);
        break;
      }
  } else {
    throw member_problem(owner, found.member.name, "is not named by toc.dat");
  }
  return found;
}

void tar_member_cursor::finish_member(const tar_member& member) {
  m_in.copy_to(nullptr, tar_padding(member.size), "padding of member \"" + member.name + "\"");
}

void tar_member_cursor::check_complete() const {
  for (const auto& entry : m_entries)
    if (entry.has_data() && !entry.data_file.empty() && !m_seen.contains(entry.data_file))
      throw member_problem("dump id " + std::to_string(entry.dump_id), entry.data_file,
                           "is missing from the tar archive");
}

} // namespace pgarc::detail
