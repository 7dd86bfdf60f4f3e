// SPDX-License-Identifier: PostgreSQL
// Reads and writes TOC entries; see toc.hpp. The reader and the writer list
// the fields in the same order so that they can be compared line by line.
#include "format/toc.hpp"

#include "pgarc/errors.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>

namespace pgarc::detail {

namespace {

// Archive versions at which fields appeared (K_VERS_* in pg_backup_archiver.h).
constexpr archive_version v1_5{1, 5, 0}, v1_6{1, 6, 0}, v1_7{1, 7, 0}, v1_8{1, 8, 0},
    v1_9{1, 9, 0}, v1_3{1, 3, 0};

/// Number of int-sized fields (ints and string lengths) an entry has at least.
std::uint64_t min_entry_size(const archive_header& header) {
  const auto& version = header.version;
  std::uint64_t fields = 2 /* dumpId, hadDumper */ + 4 /* oid, tag, desc, defn */ + 1 /* drop */ +
                         1 /* owner */;
  fields += version >= v1_8 ? 1 : 0;         // tableoid
  fields += version >= k_vers_1_11 ? 1 : 0;  // section
  fields += version >= v1_3 ? 1 : 0;         // copyStmt
  fields += version >= v1_6 ? 1 : 0;         // namespace
  fields += version >= k_vers_1_10 ? 1 : 0;  // tablespace
  fields += version >= k_vers_1_14 ? 1 : 0;  // tableam
  fields += version >= k_vers_1_16 ? 1 : 0;  // relkind
  fields += version >= v1_9 ? 1 : 0;         // withOids
  fields += version >= v1_5 ? 1 : 0;         // dependency list terminator
  // The last field: a data offset, or in toc.dat a file name (an int length).
  const std::uint64_t offset =
      version < v1_7 ? 0 : 1u + (header.names_data_files() ? header.int_size : header.off_size);
  return fields * (1u + header.int_size) + offset;
}

/// "tag of TOC entry 3 (dump id 17)": a field of an entry, counted from 1,
/// with its dump id once that is known.
std::string field_of_entry(std::string_view field, std::size_t index, std::int64_t dump_id) {
  std::string text = std::string(field) + " of TOC entry " + std::to_string(index + 1);
  if (dump_id)
    text += " (dump id " + std::to_string(dump_id) + ")";
  return text;
}

[[noreturn]] void throw_bad_field(const std::string& what, std::uint64_t at,
                                  const std::string& problem) {
  throw format_error(what + " at byte " + std::to_string(at) + " " + problem, at);
}

class entry_reader {
public:
  entry_reader(byte_reader& in, const archive_header& header, std::size_t index)
      : m_in(in), m_layout(layout_of(header)), m_index(index) {}

  std::string what(std::string_view field) const { return field_of_entry(field, m_index, m_dump_id); }
  std::int64_t integer(std::string_view field) {
    try {
      return read_pg_int(m_in, m_layout, field);
    } catch (const format_error& problem) {
      rethrow_in_entry(problem, field);
    }
  }
  pg_string string(std::string_view field) {
    try {
      return read_pg_string(m_in, m_layout, field);
    } catch (const format_error& problem) {
      rethrow_in_entry(problem, field);
    }
  }
  pg_offset offset(std::string_view field) {
    try {
      return read_pg_offset(m_in, m_layout, field);
    } catch (const format_error& problem) {
      rethrow_in_entry(problem, field);
    }
  }
  /// A string pg_restore uses without a NULL check (a NULL crashes it).
  pg_string required(std::string_view field) {
    const std::uint64_t start = m_in.offset();
    pg_string value = string(field);
    if (!value)
      throw_bad_field(what(field), start, "is NULL, which pg_restore cannot handle");
    return value;
  }
  void set_dump_id(std::int64_t id) { m_dump_id = id; }

private:
  /// Fields are read with their bare name, so that nothing is formatted for
  /// the millions of fields that are fine; a failure gets the entry added:
  /// "tag is truncated ..." becomes "tag of TOC entry 3 (dump id 17) is ...".
  [[noreturn]] void rethrow_in_entry(const format_error& problem, std::string_view field) const {
    std::string message = problem.what();
    if (message.compare(0, field.size(), field) == 0)
      message = what(field) + message.substr(field.size());
    throw format_error(message, problem.offset(), problem.hint());
  }

  byte_reader& m_in;
  int_layout m_layout;
  std::size_t m_index;
  std::int64_t m_dump_id = 0;
};

/// Entries whose definition pg_restore parses while it reads the TOC, with
/// no NULL check (processEncodingEntry, processStdStringsEntry,
/// processSearchPathEntry in pg_backup_archiver.c).
bool definition_read_with_toc(std::string_view desc) {
  return desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH";
}

/// What pg_restore finds wrong in an ENCODING or STDSTRINGS definition
/// ("invalid ENCODING item", "invalid STDSTRINGS item"), or "" if nothing.
/// The encoding name itself is not checked against PostgreSQL's list.
std::string special_definition_problem(std::string_view desc, std::string_view defn) {
  const auto quote = defn.find('\'');
  if (desc == "ENCODING" && (quote == std::string::npos || defn.find('\'', quote + 1) == std::string::npos))
    return "is not a valid ENCODING item (expected the encoding name in single quotes)";
  if (desc == "STDSTRINGS" &&
      (quote == std::string::npos ||
       (defn.compare(quote, 4, "'on'") != 0 && defn.compare(quote, 5, "'off'") != 0)))
    return "is not a valid STDSTRINGS item (expected 'on' or 'off' in single quotes)";
  return {};
}

/// A dependency as pg_restore reads it (sscanf with "%d": leading blanks, a
/// sign, digits, anything after ignored), or nullopt if it holds no number.
/// Values beyond the int range are clamped; they are out of range anyway.
std::optional<std::int64_t> dependency_value(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size() && (text[at] == ' ' || (text[at] >= '\t' && text[at] <= '\r')))
    ++at;
  const bool negative = at < text.size() && text[at] == '-';
  if (at < text.size() && (text[at] == '-' || text[at] == '+'))
    ++at;
  constexpr std::int64_t clamp = std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
  std::int64_t value = 0;
  std::size_t digits = 0;
  for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits)
    value = std::min(clamp, value * 10 + (text[at] - '0'));
  if (digits == 0)
    return std::nullopt;
  return negative ? -value : value;
}

/// Where fields the whole-TOC checks report on were found.
struct entry_positions {
  std::uint64_t first_dependency = 0;
  std::uint64_t data_offset = 0;
};

/// Checks that need every entry, in TOC order: TABLE DATA's table dump id
/// (buildTocEntryArrays) and, when the file size is known, data positions.
void check_whole_toc(const std::vector<toc_entry>& entries,
                     const std::vector<entry_positions>& positions, std::uint64_t data_start,
                     std::optional<std::uint64_t> file_size) {
  std::int64_t max_dump_id = 0;
  for (const auto& entry : entries)
    max_dump_id = std::max(max_dump_id, entry.dump_id);
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const toc_entry& entry = entries[index];
    if (entry.desc_text() == "TABLE DATA" && !entry.dependencies.empty()) {
      // pg_restore indexes an array by this id: "bad table dumpId for TABLE DATA item".
      const std::string table(entry.dependencies.front());
      const auto table_id = dependency_value(table);
      if (!table_id || *table_id < 1 || *table_id > max_dump_id)
        throw_bad_field(field_of_entry("first dependency", index, entry.dump_id),
                        positions[index].first_dependency,
                        "is \"" + table + "\", not a table's dump id (TABLE DATA needs one from 1 to " +
                            std::to_string(max_dump_id) + ")");
    }
    if (entry.has_data() && entry.data_state == offset_state::position_set && file_size) {
      if (entry.data_offset >= *file_size)
        throw_bad_field(field_of_entry("data offset", index, entry.dump_id), positions[index].data_offset,
                        "points at byte " + std::to_string(entry.data_offset) +
                            ", past the end of the file (" + std::to_string(*file_size) +
                            " bytes)");
      if (entry.data_offset < data_start)
        throw_bad_field(field_of_entry("data offset", index, entry.dump_id), positions[index].data_offset,
                        "points at byte " + std::to_string(entry.data_offset) +
                            ", inside the header and TOC (data starts at byte " +
                            std::to_string(data_start) + ")");
    }
  }
}

} // namespace

std::vector<toc_entry> read_toc(byte_reader& in, const archive_header& header) {
  const auto& version = header.version;
  const int_layout layout = layout_of(header);
  const std::uint64_t count_at = in.offset();
  const std::int64_t count = read_pg_int(in, layout, "TOC entry count");
  if (count < 0)
    throw format_error("TOC entry count at byte " + std::to_string(count_at) + " is negative (" +
                           std::to_string(count) + ")",
                       count_at);
  // A hostile count must fail before anything is allocated for it.
  const auto left = in.remaining();
  if (left && static_cast<std::uint64_t>(count) > *left / min_entry_size(header))
    throw format_error("TOC entry count at byte " + std::to_string(count_at) + " claims " +
                           std::to_string(count) + " entries but only " + std::to_string(*left) +
                           " bytes follow",
                       count_at);

  std::vector<toc_entry> entries;
  std::vector<entry_positions> positions;
  if (left) {
    // Room for the few entries an edit adds (retargeting adds a schema and a
    // search_path): without it, adding one to a 100,000-entry TOC doubles
    // the vector, and both copies are alive while it moves (165 MiB at the
    // peak instead of 30 for the entries alone).
    entries.reserve(static_cast<std::size_t>(count) + 4);
    positions.reserve(static_cast<std::size_t>(count));
  }
  std::unordered_set<std::int64_t> seen_ids;
  std::vector<std::string> dependencies; // of one entry, packed when complete
  for (std::int64_t index = 0; index < count; ++index) {
    entry_reader field(in, header, static_cast<std::size_t>(index));
    toc_entry entry;
    entry_positions where;
    const std::uint64_t id_at = in.offset();
    entry.dump_id = field.integer("dump id");
    // pg_restore: "entry ID %d out of range -- perhaps a corrupt TOC"
    if (entry.dump_id <= 0 || entry.dump_id > std::numeric_limits<std::int32_t>::max())
      throw_bad_field(field.what("dump id"), id_at,
                      "is out of range (" + std::to_string(entry.dump_id) + ")");
    if (!seen_ids.insert(entry.dump_id).second)
      throw format_error("TOC entry " + std::to_string(index + 1) + " at byte " +
                             std::to_string(id_at) + " repeats dump id " +
                             std::to_string(entry.dump_id),
                         id_at);
    field.set_dump_id(entry.dump_id);
    entry.had_dumper = field.integer("data flag");
    if (version >= v1_8)
      entry.table_oid = field.required("catalog table oid");
    entry.oid = field.required("oid");
    entry.tag = field.required("tag");
    entry.desc = field.required("type");
    if (version >= k_vers_1_11)
      entry.section = field.integer("section");
    if (definition_read_with_toc(*entry.desc)) {
      const std::uint64_t defn_at = in.offset();
      entry.defn = field.required("definition");
      const std::string problem = special_definition_problem(*entry.desc, *entry.defn);
      if (!problem.empty())
        throw_bad_field(field.what("definition"), defn_at, problem);
    } else {
      entry.defn = field.string("definition");
    }
    entry.drop_stmt = field.string("drop statement");
    if (version >= v1_3)
      entry.copy_stmt = field.string("COPY statement");
    if (version >= v1_6)
      entry.namespace_name = field.string("schema");
    if (version >= k_vers_1_10)
      entry.tablespace = field.string("tablespace");
    if (version >= k_vers_1_14)
      entry.table_am = field.string("table access method");
    if (version >= k_vers_1_16)
      entry.relkind = field.integer("relkind");
    entry.owner = field.string("owner");
    if (version >= v1_9)
      entry.with_oids = field.required("WITH OIDS flag");
    if (version >= v1_5) {
      where.first_dependency = in.offset();
      dependencies.clear();
      for (;;) {
        pg_string dependency = field.string("dependency");
        if (!dependency)
          break;
        dependencies.push_back(dependency.str());
      }
      entry.dependencies = dependencies;
    }
    if (version >= v1_7 && header.names_data_files()) {
      // _ReadExtraToc of pg_backup_directory.c and pg_backup_tar.c: a file
      // name, "" (or NULL) when the entry has no data.
      entry.data_file = text_of(field.string("data file name"));
      entry.data_state = entry.data_file.empty() ? offset_state::no_data : offset_state::not_set;
    } else if (version >= v1_7) {
      // _ReadExtraToc
      where.data_offset = in.offset();
      const pg_offset offset = field.offset("data offset");
      entry.data_state = offset.state;
      entry.data_offset = offset.position;
    }
    entries.push_back(std::move(entry));
    positions.push_back(where);
  }
  const auto after_toc = in.remaining();
  check_whole_toc(entries, positions, in.offset(),
                  after_toc ? std::optional(in.offset() + *after_toc) : std::nullopt);
  return entries;
}

namespace {

/// Calls `field` for each encoded field of `entry` in file order, as WriteToc
/// does; used both to write and to measure.
template <typename Visitor>
void visit_fields(const archive_header& header, const toc_entry& entry, Visitor&& field) {
  const auto& version = header.version;
  field.integer(entry.dump_id);
  field.integer(entry.had_dumper);
  if (version >= v1_8)
    field.string(entry.table_oid);
  field.string(entry.oid);
  field.string(entry.tag);
  field.string(entry.desc);
  if (version >= k_vers_1_11)
    field.integer(entry.section);
  field.string(entry.defn);
  field.string(entry.drop_stmt);
  if (version >= v1_3)
    field.string(entry.copy_stmt);
  if (version >= v1_6)
    field.string(entry.namespace_name);
  if (version >= k_vers_1_10)
    field.string(entry.tablespace);
  if (version >= k_vers_1_14)
    field.string(entry.table_am);
  if (version >= k_vers_1_16)
    field.integer(entry.relkind);
  field.string(entry.owner);
  if (version >= v1_9)
    field.string(entry.with_oids);
  if (version >= v1_5) {
    for (const auto& dependency : entry.dependencies)
      field.string(pg_string(dependency));
    field.string(pg_string());
  }
  if (version >= v1_7 && header.names_data_files())
    field.string(pg_string(entry.data_file));
  else if (version >= v1_7)
    field.offset(pg_offset{entry.data_state, entry.data_offset});
}

struct field_writer {
  byte_writer& out;
  int_layout layout;
  void integer(std::int64_t value) { write_pg_int(out, layout, value); }
  void string(const pg_string& value) { write_pg_string(out, layout, value); }
  void offset(const pg_offset& value) { write_pg_offset(out, layout, value); }
};

struct field_measurer {
  int_layout layout;
  std::uint64_t total = 0;
  void integer(std::int64_t) { total += pg_int_size(layout); }
  void string(const pg_string& value) { total += pg_string_size(layout, value); }
  void offset(const pg_offset&) { total += pg_offset_size(layout); }
};

} // namespace

void write_toc(byte_writer& out, const archive_header& header, const std::vector<toc_entry>& entries) {
  field_writer writer{out, layout_of(header)};
  writer.integer(static_cast<std::int64_t>(entries.size()));
  for (const auto& entry : entries)
    visit_fields(header, entry, writer);
}

std::uint64_t toc_size(const archive_header& header, const std::vector<toc_entry>& entries) {
  field_measurer measurer{layout_of(header)};
  measurer.integer(static_cast<std::int64_t>(entries.size()));
  for (const auto& entry : entries)
    visit_fields(header, entry, measurer);
  return measurer.total;
}

} // namespace pgarc::detail
