// The digest lexer: one hand-written pass over a statement that produces its
// digest text (literals -> ?, IN-lists and VALUES rows collapsed, whitespace,
// reserved-word case and comments normalised), a 64-bit XXH3 hash of that text,
// and every literal's position. No ANTLR; allocates only the output text and
// the two vectors (ComputeDigestInto reuses them).
//
// Digest text rules (the text is also what confirms a template-cache hit, so
// two statements share a digest text iff they differ only in literal values,
// IN-list lengths, VALUES row counts, whitespace, plain comments and the case
// of reserved words):
//   - Tokens are separated by one space, except: none after "(" or before ")"
//     and ","; none around "."; a word directly before "(" keeps the source's
//     choice (space or not) because MariaDB reads "COUNT (x)" differently from
//     "COUNT(x)" -- unless IGNORE_SPACE, or the word is a reserved keyword.
//     Reserved keywords get " (" (e.g. "IN (") unless they are function names
//     (CHAR, IF, LEFT, INSERT, ...), which get "(".
//   - Reserved words (SELECT, FROM, WHERE, IN, NULL, ...) are upper-cased.
//     Every other word is kept verbatim: a non-reserved keyword such as
//     `status` or `date` may be a table name, and table names are
//     case-sensitive. After "." every word is an identifier (t.select).
//     Backquoted identifiers are kept verbatim, quotes included.
//   - Literals become "?": strings ('..', and ".." unless ANSI_QUOTES),
//     adjacent strings ('a' 'b' is one literal), numbers (1, 1.5, .5, 1e10,
//     1.5E-3), X'..', 0x.., b'..', 0b.., and ? placeholders. A leading '-' is an
//     operator ("- ?"). NULL, TRUE, FALSE are keywords. A charset introducer
//     or N prefix stays in the text glued to the literal: _utf8mb4'x' -> "_utf8mb4?",
//     N'x' -> "N?".
//   - "IN (" followed only by literals separated by commas -> "IN (...)", one
//     collapsed slot.
//   - VALUES/VALUE followed by one or more parenthesised rows whose digest text
//     is identical and contains at least one literal and no collapsed IN-list
//     -> the first row's text followed by " /*, ...*/", e.g.
//     "VALUES (?, ?, NOW()) /*, ...*/", one collapsed slot whose row_width is
//     the number of literals per row.
//   - Plain comments (/* */, "-- ", #) are dropped. Optimizer hints /*+ ... */
//     are kept verbatim. Executable comments /*! ... */, /*!NNNNN ... */ and
//     /*M!NNNNN ... */ keep their opening marker verbatim, and their content is
//     lexed as SQL (literals inside are literals, offsets into `sql`).
//   - @user and @@system.variables are kept verbatim.
//
// Character sets: the lexer works on bytes. It is correct for client
// character sets in which every byte of a multi-byte character is >= 0x80
// (utf8mb3/utf8mb4, latin1 and the other single-byte sets, binary, ujis,
// euckr, gb2312). In gbk, big5, sjis and cp932 the second byte of a character
// may be 0x5C ('\') or 0x27 range bytes, which would end or escape a string
// early: the proxy refuses those at connect (IsCharsetSafeForLexing) and on
// SET NAMES / SET CHARACTER SET (IsCharsetNameSafeForLexing).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "parser/sql_mode.h"

namespace shardproxy::parser {

enum class LiteralKind : uint8_t {
  kString,       // '..' or ".." (no ANSI_QUOTES), with optional _charset / N prefix
  kInteger,      // 123
  kDecimal,      // 1.5  .5  1.
  kFloat,        // 1e10  1.5E-3
  kHex,          // X'4142' x'..' 0x4142
  kBit,          // b'101' B'..' 0b101
  kPlaceholder,  // ?
};

const char* LiteralKindName(LiteralKind k);  // "string", "integer", ...

struct Literal {
  LiteralKind kind = LiteralKind::kString;
  uint32_t offset = 0;  // first byte of the token in the SQL (the quote, 'X', '0' or '?')
  uint32_t length = 0;  // bytes of the token; for adjacent strings 'a' 'b', through the last quote
  // Start of the `_charset` introducer or `N` prefix; == offset when there is none.
  // sql.substr(intro_offset, offset - intro_offset) is the introducer (may end in spaces).
  uint32_t intro_offset = 0;

  bool has_introducer() const { return intro_offset != offset; }
  bool operator==(const Literal&) const = default;
};

// Literals are grouped into slots, in order; the slots partition `literals`.
struct Slot {
  uint32_t first_literal = 0;  // index into Digest::literals
  uint32_t count = 0;          // number of literals in this slot
  uint16_t row_width = 1;      // literals per VALUES row (count / row_width rows); 1 otherwise
  bool collapsed = false;      // an IN (...) list or collapsed VALUES rows; false: one literal

  bool operator==(const Slot&) const = default;
};

struct Digest {
  std::string text;               // the normalised text (rules above)
  uint64_t hash = 0;              // XXH3_64bits(text)
  std::vector<Literal> literals;  // every literal, in text order
  std::vector<Slot> slots;        // partition of `literals`, in order

  void Clear() {
    text.clear();
    hash = 0;
    literals.clear();
    slots.clear();
  }
};

// Computes the digest of one statement. Never throws. ERR 1064 (42000) with
// MariaDB's wording "... near '<rest>' at line N" on an unterminated string,
// quoted identifier or comment, or a malformed X'..' / b'..' literal; the
// byte offset of the offending token is stored in *error_offset if given.
Result<Digest> ComputeDigest(std::string_view sql, SqlMode mode);
// Same, writing into *out and reusing its buffers (no allocation once they are
// large enough). On error *out is left cleared.
Status ComputeDigestInto(std::string_view sql, SqlMode mode, Digest* out,
                         uint32_t* error_offset = nullptr);

// Map a literal's byte offset back to (slot, index-in-slot). Any offset inside
// the literal's token or its introducer matches. slot == -1 when none does.
struct LiteralRef {
  int32_t slot = -1;
  uint32_t index = 0;
  bool operator==(const LiteralRef&) const = default;
};
LiteralRef FindLiteral(const Digest& d, uint32_t offset);

// The value of a literal as text: string content unquoted and unescaped per
// `mode` (adjacent parts concatenated; introducer not included); numbers
// verbatim; hex/bit tokens verbatim (X'41', 0x41, b'1', 0b1); "?" for a placeholder.
std::string LiteralText(std::string_view sql, const Literal& lit, SqlMode mode);

// MariaDB's ER_PARSE_ERROR (1064, 42000): "You have an error in your SQL syntax;
// check the manual that corresponds to your MariaDB server version for the right
// syntax to use near '<at most 80 bytes from offset>' at line <line of offset>".
Status SyntaxErrorAt(std::string_view sql, size_t offset);

// Splits a script at top-level ';' (not inside quotes, identifiers or comments).
// Pieces are trimmed of surrounding whitespace; pieces with no token (empty, or
// only plain comments) are dropped. An unterminated quote or comment makes the
// rest of the script one piece (the parser then reports the error). No DELIMITER.
std::vector<std::string_view> SplitStatements(std::string_view script, SqlMode mode);

// Whether the digest lexer is correct for a client character set, by the
// collation id of the handshake / by charset name (SET NAMES, SET CHARACTER SET).
// False for big5, gbk, sjis, cp932 (a multi-byte character may contain 0x5C)
// and for ucs2/utf16/utf16le/utf32 (not valid client charsets).
bool IsCharsetSafeForLexing(uint8_t collation_id);
bool IsCharsetNameSafeForLexing(std::string_view charset_name);

}  // namespace shardproxy::parser
