// SPDX-License-Identifier: PostgreSQL
// The pg_restore -l style listing and the JSON view of a TOC; see listing.hpp.
#include "pgarc/listing.hpp"

#include "text/json.hpp"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace pgarc {

namespace {

bool starts_with(const pg_string& text, std::string_view prefix) {
  return text && text->compare(0, prefix.size(), prefix) == 0;
}

/// pg_restore's sanitize_line: line breaks become spaces, NULL may become
/// "-". An empty string stays empty, as pg_restore prints it (archives
/// before 1.14 hold "" in fields that later ones leave NULL).
std::string sanitized(const pg_string& text, bool want_hyphen) {
  if (!text)
    return want_hyphen ? "-" : "";
  std::string out = text.str();
  for (char& character : out)
    if (character == '\n' || character == '\r')
      character = ' ';
  return out;
}

/// The catalog id as pg_restore shows it: parsed with sscanf("%u").
std::uint32_t catalog_number(const pg_string& text) {
  unsigned int value = 0;
  if (text && std::sscanf(text.str().c_str(), "%u", &value) == 1)
    return value;
  return 0;
}

const char* section_name(std::int64_t section) {
  switch (section) {
  case 1: return "NONE";
  case 2: return "PRE_DATA";
  case 3: return "DATA";
  case 4: return "POST_DATA";
  default: return "UNKNOWN";
  }
}

const char* state_name(offset_state state) {
  switch (state) {
  case offset_state::not_set: return "POS_NOT_SET";
  case offset_state::position_set: return "POS_SET";
  case offset_state::no_data: return "NO_DATA";
  }
  return "UNKNOWN";
}

/// As pg_restore -l names the format (fmtName in pg_backup_archiver.c).
const char* layout_name(archive_layout layout) {
  switch (layout) {
  case archive_layout::custom: return "CUSTOM";
  case archive_layout::directory: return "DIRECTORY";
  case archive_layout::tar: return "TAR";
  }
  return "UNKNOWN";
}

const char* compression_name(const archive_header& header) {
  switch (header.compression()) {
  case compression_algorithm::none: return "none";
  case compression_algorithm::gzip: return "gzip";
  case compression_algorithm::lz4: return "lz4";
  case compression_algorithm::zstd: return "zstd";
  }
  return "unknown";
}

/// The creation time as pg_restore -l prints it: the broken-down local time
/// stored by pg_dump turned into a time with mktime (again with the zone's
/// own DST rule when mktime refuses the stored flag, as pg_restore does), then
/// printed as local time with its zone abbreviation. So it reads like
/// pg_restore's in the same time zone (TZ), even for an archive made in
/// summer time and listed where there is none.
std::string creation_time(const archive_header& header) {
  const auto as_int = [](std::int64_t value) {
    return value < INT_MIN ? INT_MIN : value > INT_MAX ? INT_MAX : static_cast<int>(value);
  };
  std::tm stored{};
  stored.tm_sec = as_int(header.tm_sec);
  stored.tm_min = as_int(header.tm_min);
  stored.tm_hour = as_int(header.tm_hour);
  stored.tm_mday = as_int(header.tm_mday);
  stored.tm_mon = as_int(header.tm_mon);
  stored.tm_year = as_int(header.tm_year);
  stored.tm_isdst = as_int(header.tm_isdst);
  std::tm attempt = stored;
  std::time_t when = std::mktime(&attempt);
  if (when == static_cast<std::time_t>(-1)) {
    attempt = stored;
    attempt.tm_isdst = -1;
    when = std::mktime(&attempt);
  }
  std::tm local{};
  char text[128];
  if (when != static_cast<std::time_t>(-1) && ::localtime_r(&when, &local) &&
      std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %Z", &local) > 0)
    return text;
  // Fields no calendar accepts: shown as stored.
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld",
                static_cast<long long>(header.tm_year) + 1900, static_cast<long long>(header.tm_mon) + 1,
                static_cast<long long>(header.tm_mday), static_cast<long long>(header.tm_hour),
                static_cast<long long>(header.tm_min), static_cast<long long>(header.tm_sec));
  return text;
}

/// Archives before 1.11 have no section field; ReadToc infers it from desc.
std::int64_t inferred_section(const toc_entry& entry) {
  const std::string_view desc = entry.desc_text();
  if (desc == "COMMENT" || desc == "ACL" || desc == "ACL LANGUAGE")
    return 1;
  if (desc == "TABLE DATA" || desc == "BLOBS" || desc == "BLOB COMMENTS")
    return 3;
  if (desc == "CONSTRAINT" || desc == "CHECK CONSTRAINT" || desc == "FK CONSTRAINT" ||
      desc == "INDEX" || desc == "RULE" || desc == "TRIGGER")
    return 4;
  return 2;
}

} // namespace

std::string json_string(std::string_view text) {
  std::string out;
  detail::append_json_string(out, text);
  return out;
}

bool is_listed_by_pg_restore(const toc_entry& entry, std::int64_t current_section) {
  const std::string_view desc = entry.desc_text();
  if (desc == "ENCODING" || desc == "STDSTRINGS" || desc == "SEARCHPATH")
    return false;
  if (desc == "<Init>" && entry.tag_text() == "Max OID")
    return false;
  // Database-level entries are restored only with -C.
  if (desc == "DATABASE" || desc == "DATABASE PROPERTIES")
    return false;
  if ((desc == "COMMENT" || desc == "ACL" || desc == "SECURITY LABEL") &&
      starts_with(entry.tag, "DATABASE "))
    return false;
  if (current_section < 2 || current_section > 4)
    return false;
  bool has_data = entry.has_data();
  if (!has_data)
    has_data = desc == "SEQUENCE SET" || desc == "BLOB" || desc == "BLOB METADATA" ||
               ((desc == "ACL" || desc == "COMMENT" || desc == "SECURITY LABEL") &&
                starts_with(entry.tag, "LARGE OBJECT"));
  const bool has_schema = entry.defn && !entry.defn->empty() &&
                          !starts_with(entry.defn, "-- load via partition root ");
  return has_data || has_schema || desc == "STATISTICS DATA";
}

std::string format_listing(const archive& contents) {
  const auto& header = contents.header;
  std::string out;
  char line[512];
  out += ";\n; Archive created at " + creation_time(header) + "\n";
  out += ";     dbname: " + sanitized(header.database_name, false) + "\n";
  out += ";     TOC Entries: " + std::to_string(contents.entries.size()) + "\n";
  // pg_restore up to 15, the last to read archives before 1.15 only, shows
  // their zlib level; later ones show the algorithm.
  out += ";     Compression: " +
         (header.version < k_vers_1_15 ? std::to_string(header.compression_level)
                                       : std::string(compression_name(header))) +
         "\n";
  std::snprintf(line, sizeof line, ";     Dump Version: %d.%d-%d\n", header.version.major,
                header.version.minor, header.version.rev);
  out += line;
  out += std::string(";     Format: ") + layout_name(contents.layout) + "\n";
  out += ";     Integer: " + std::to_string(header.int_size) + " bytes\n";
  out += ";     Offset: " + std::to_string(header.off_size) + " bytes\n";
  out += ";     Dumped from database version: " + sanitized(header.server_version, false) + "\n";
  out += ";     Dumped by pg_dump version: " + sanitized(header.pg_dump_version, false) + "\n";
  out += ";\n;\n; Selected TOC Entries:\n;\n";

  std::int64_t current_section = 2;
  for (const auto& entry : contents.entries) {
    const std::int64_t section =
        header.version < k_vers_1_11 ? inferred_section(entry) : entry.section;
    if (section != 1)
      current_section = section;
    if (!is_listed_by_pg_restore(entry, current_section))
      continue;
    out += std::to_string(entry.dump_id) + "; " + std::to_string(catalog_number(entry.table_oid)) +
           " " + std::to_string(catalog_number(entry.oid)) + " " + std::string(entry.desc_text()) + " " +
           sanitized(entry.namespace_name, true) + " " + sanitized(entry.tag, false) + " " +
           sanitized(entry.owner, false) + "\n";
  }
  return out;
}

std::string format_json(const archive& contents) {
  using detail::append_json_nullable;
  using detail::append_json_string;
  const auto& header = contents.header;
  std::string out = "{\"header\": {\"version\": ";
  append_json_string(out, std::string_view(std::to_string(header.version.major) + "." +
                              std::to_string(header.version.minor) + "." +
                              std::to_string(header.version.rev)));
  out += ", \"int_size\": " + std::to_string(header.int_size);
  out += ", \"off_size\": " + std::to_string(header.off_size);
  out += ", \"format\": " + std::to_string(header.format);
  out += ", \"layout\": ";
  append_json_string(out, std::string_view(layout_name(contents.layout)));
  out += ", \"compression\": ";
  append_json_string(out, std::string_view(compression_name(header)));
  if (header.version < k_vers_1_15)
    out += ", \"compression_level\": " + std::to_string(header.compression_level);
  char created[64];
  std::snprintf(created, sizeof created, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld",
                static_cast<long long>(header.tm_year + 1900),
                static_cast<long long>(header.tm_mon + 1), static_cast<long long>(header.tm_mday),
                static_cast<long long>(header.tm_hour), static_cast<long long>(header.tm_min),
                static_cast<long long>(header.tm_sec));
  out += ", \"created\": ";
  append_json_string(out, std::string_view(created));
  out += ", \"dbname\": ";
  append_json_nullable(out, header.database_name);
  out += ", \"server_version\": ";
  append_json_nullable(out, header.server_version);
  out += ", \"pg_dump_version\": ";
  append_json_nullable(out, header.pg_dump_version);
  out += ", \"toc_count\": " + std::to_string(contents.entries.size());
  out += "},\n\"entries\": [";
  bool first = true;
  for (const auto& entry : contents.entries) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "{\"id\": " + std::to_string(entry.dump_id);
    out += ", \"had_dumper\": " + std::to_string(entry.had_dumper);
    const std::pair<const char*, const pg_string*> strings[] = {
        {"tableoid", &entry.table_oid}, {"oid", &entry.oid}, {"tag", &entry.tag},
        {"desc", &entry.desc}};
    for (const auto& [name, value] : strings) {
      out += ", \"" + std::string(name) + "\": ";
      append_json_nullable(out, *value);
    }
    out += ", \"section\": ";
    append_json_string(out, std::string_view(section_name(entry.section)));
    const std::pair<const char*, const pg_string*> more[] = {
        {"defn", &entry.defn},           {"drop", &entry.drop_stmt},
        {"copy_stmt", &entry.copy_stmt}, {"namespace", &entry.namespace_name},
        {"tablespace", &entry.tablespace}, {"tableam", &entry.table_am},
        {"owner", &entry.owner},         {"with_oids", &entry.with_oids}};
    for (const auto& [name, value] : more) {
      out += ", \"" + std::string(name) + "\": ";
      append_json_nullable(out, *value);
    }
    out += ", \"relkind\": " + std::to_string(entry.relkind);
    out += ", \"deps\": [";
    for (std::size_t index = 0; index < entry.dependencies.size(); ++index) {
      if (index > 0)
        out += ", ";
      const std::string dependency(entry.dependencies[index]);
      const bool is_number = !dependency.empty() && dependency.size() <= 10 &&
                             dependency.find_first_not_of("0123456789") == std::string::npos &&
                             (dependency.size() == 1 || dependency[0] != '0');
      if (is_number)
        out += dependency;
      else
        append_json_string(out, std::string_view(dependency));
    }
    out += "], \"data_state\": ";
    append_json_string(out, std::string_view(state_name(entry.data_state)));
    out += ", \"data_pos\": " + std::to_string(entry.data_offset);
    if (contents.layout != archive_layout::custom) {
      out += ", \"data_file\": ";
      append_json_string(out, entry.data_file);
    }
    out += "}";
  }
  out += "\n]}\n";
  return out;
}

} // namespace pgarc
