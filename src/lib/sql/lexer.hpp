// SPDX-License-Identifier: PostgreSQL
// A PostgreSQL lexer that keeps byte positions: splits SQL text the way the
// server's scanner (src/backend/parser/scan.l) does, so that callers can
// replace exact byte ranges. Used by qualified_names.cpp and the rewriter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace pgarc::detail {

/// What a token is. The names follow scan.l's start conditions where one exists.
enum class token_kind : std::uint8_t {
  whitespace,         ///< run of space, tab, newline, carriage return, form feed, vertical tab
  line_comment,       ///< "--" up to (not including) the next newline or the end
  block_comment,      ///< "/* ... */", nested comments included
  identifier,         ///< unquoted identifier or keyword: letters, digits, _, $, bytes >= 0x80
  quoted_identifier,  ///< "..." with "" standing for one "
  unicode_identifier, ///< U&"..."; a following UESCAPE clause is separate tokens
  string,             ///< '...'; backslash escapes too when standard_conforming_strings is off
  escape_string,      ///< E'...' with backslash escapes
  national_string,    ///< N'...', otherwise like string
  unicode_string,     ///< U&'...'; a following UESCAPE clause is separate tokens
  bit_string,         ///< B'...'
  hex_string,         ///< X'...'
  dollar_string,      ///< $$...$$ or $tag$...$tag$, the body taken verbatim
  parameter,          ///< $1, $2, ...
  number,             ///< 42, 1.5, .5, 1e-3, 0x1F, 0o17, 0b101, 1_000
  operator_symbol,    ///< a run of ~ ! @ # ^ & | ` ? + - * / % < > = cut as scan.l cuts it
  punctuation,        ///< ( ) [ ] , ; . : :: := ..
  other,              ///< any other single byte (a lone $, a backslash, braces, control bytes)
};

/// Half-open byte range [begin, end) into the text that was tokenized.
struct byte_range {
  std::size_t begin = 0;
  std::size_t end = 0;

  std::size_t size() const noexcept { return end - begin; }
  friend bool operator==(const byte_range&, const byte_range&) = default;
};

/// One token. Every byte of the input belongs to exactly one token.
struct token {
  token_kind kind = token_kind::other;
  byte_range range;
  /// A quote, dollar quote or block comment that reached the end of the text
  /// without its closing delimiter; the token then runs to the end. The
  /// server would reject such text ("unterminated quoted string" etc.).
  bool is_unterminated = false;

  /// The token's bytes within `sql`, the text it was read from.
  std::string_view text(std::string_view sql) const noexcept {
    return sql.substr(range.begin, range.size());
  }
};

/// Scanner settings that change how text splits into tokens.
struct lexer_options {
  /// The archive's STDSTRINGS entry. When off, a plain '...' string also
  /// treats a backslash as an escape, so '\'' is one complete string.
  bool standard_conforming_strings = true;
};

/// Splits SQL text into tokens one at a time. Never reads outside the text,
/// always advances, never fails: any byte sequence is split into tokens,
/// with unterminated constructs marked (see token::is_unterminated).
///
/// A string constant continued across a newline ('a'\n'b', which the server
/// reads as 'ab') is one token covering both parts and what lies between.
class sql_lexer {
public:
  explicit sql_lexer(std::string_view sql, lexer_options options = {}) noexcept;

  /// The next token, or nothing at the end of the text.
  std::optional<token> next() noexcept;

private:
  struct scan_result {
    token_kind kind;
    std::size_t end;
    bool is_unterminated = false;
  };
  scan_result scan_token(std::size_t begin) const noexcept;
  scan_result scan_quoted(token_kind kind, std::size_t body, bool backslash_escapes,
                          bool doubled_quotes) const noexcept;
  scan_result scan_delimited_identifier(token_kind kind, std::size_t body) const noexcept;
  scan_result scan_block_comment(std::size_t begin) const noexcept;
  scan_result scan_dollar(std::size_t begin) const noexcept;
  scan_result scan_number(std::size_t begin) const noexcept;
  scan_result scan_operator(std::size_t begin) const noexcept;

  std::string_view m_sql;
  lexer_options m_options;
  std::size_t m_position = 0;
};

/// All tokens of `sql`, in order; their ranges tile the text exactly.
std::vector<token> tokenize(std::string_view sql, const lexer_options& options = {});

/// True for whitespace and comments, which the server's grammar never sees.
bool is_insignificant(token_kind kind) noexcept;

/// A short lowercase name for diagnostics and test output ("quoted_identifier").
std::string_view token_kind_name(token_kind kind) noexcept;

/// For the text of a dollar_string token, the delimiter tag ("" for $$,
/// "body" for $body$) and the quoted body. An unterminated token's body runs
/// to the end of its text.
std::string_view dollar_quote_tag(std::string_view token_text) noexcept;
std::string_view dollar_quote_body(std::string_view token_text) noexcept;

/// If a string continuation starts at `position` (just after a closing
/// quote): whitespace that contains a newline, "--" comments allowed, then an
/// opening quote. Returns the position just after that opening quote, or 0.
/// See {quotecontinue} in scan.l.
std::size_t find_quote_continuation(std::string_view sql, std::size_t position) noexcept;

} // namespace pgarc::detail
