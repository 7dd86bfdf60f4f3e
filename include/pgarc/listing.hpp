// SPDX-License-Identifier: PostgreSQL
// Human- and machine-readable views of an archive's TOC.
#pragma once

#include "pgarc/archive.hpp"

#include <string>
#include <string_view>

namespace pgarc {

/// True when `pg_restore -l` (PostgreSQL 18, default options) would list the
/// entry: everything but ENCODING/STDSTRINGS/SEARCHPATH, database-level
/// entries (restored only with -C) and entries with neither SQL nor data.
/// See _tocEntryRequired in pg_backup_archiver.c.
bool is_listed_by_pg_restore(const toc_entry& entry, std::int64_t current_section);

/// The TOC as `pg_restore -l` prints it: a commented header, then one line
/// per listed entry: "dumpId; tableoid oid desc schema tag owner".
std::string format_listing(const archive& contents);

/// The whole model as one JSON object: header fields and every TOC entry
/// (listed or not) with every field, NULL as null.
std::string format_json(const archive& contents);

/// `text` as a JSON string literal, quotes included (bytes that are not
/// UTF-8 become \u00XX escapes).
std::string json_string(std::string_view text);

} // namespace pgarc
