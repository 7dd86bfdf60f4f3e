// SPDX-License-Identifier: PostgreSQL
// JSON string escaping; see json.hpp.
#include "text/json.hpp"

#include <cstdio>

namespace pgarc::detail {

namespace {

/// Length of the valid UTF-8 sequence starting at `index`, or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t index) {
  const auto lead = static_cast<unsigned char>(text[index]);
  std::size_t length = 0;
  unsigned int min_code = 0, code = 0;
  if (lead < 0x80)
    return 1;
  if ((lead & 0xe0) == 0xc0) {
    length = 2;
    code = lead & 0x1f;
    min_code = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    code = lead & 0x0f;
    min_code = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    code = lead & 0x07;
    min_code = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - index < length)
    return 0;
  for (std::size_t offset = 1; offset < length; ++offset) {
    const auto next = static_cast<unsigned char>(text[index + offset]);
    if ((next & 0xc0) != 0x80)
      return 0;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < min_code || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
    return 0;
  return length;
}

void append_escape(std::string& out, unsigned int code) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\u%04x", code);
  out += buffer;
}

} // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t index = 0; index < text.size();) {
    const auto byte = static_cast<unsigned char>(text[index]);
    switch (byte) {
    case '"': out += "\\\""; ++index; continue;
    case '\\': out += "\\\\"; ++index; continue;
    case '\n': out += "\\n"; ++index; continue;
    case '\r': out += "\\r"; ++index; continue;
    case '\t': out += "\\t"; ++index; continue;
    default: break;
    }
    if (byte < 0x20 || byte == 0x7f) {
      append_escape(out, byte);
      ++index;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, index);
    if (length == 0) {
      append_escape(out, byte);
      ++index;
      continue;
    }
    out.append(text.substr(index, length));
    index += length;
  }
  out += '"';
}

void append_json_nullable(std::string& out, const pg_string& text) {
  if (text)
    append_json_string(out, std::string_view(*text));
  else
    out += "null";
}

} // namespace pgarc::detail
