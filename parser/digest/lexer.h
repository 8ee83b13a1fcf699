// The byte lexer behind ComputeDigest and SplitStatements (internal to sp_digest).
//
// It reads MariaDB's lexical grammar closely enough to find token boundaries,
// literals, comments and quoting exactly as the server does; it does not know
// the grammar. Never allocates.
#pragma once

#include <cstdint>
#include <string_view>

#include "parser/digest/digest.h"
#include "parser/sql_mode.h"

namespace shardproxy::parser::internal {

enum class TokenType : uint8_t {
  kEnd,          // end of input
  kWord,         // unquoted identifier or keyword (may start with digits: 123abc)
  kQuotedIdent,  // `..` (or ".." under ANSI_QUOTES), quotes included
  kLiteral,      // see Token::literal_kind
  kPunct,        // operator or punctuation, 1-3 bytes ("(", "<=>", "\N", ...)
  kVariable,     // @name, @'name', @@[scope.]name
  kHint,         // /*+ ... */, whole comment
  kExecOpen,     // "/*!", "/*!NNNNN", "/*M!NNNNN": opening of an executable comment
  kExecClose,    // "*/" closing an executable comment
};

struct Token {
  TokenType type = TokenType::kEnd;
  bool space_before = false;  // whitespace or a plain comment precedes the token
  bool ident_only = false;    // kWord that MariaDB reads as an identifier whatever it
                              // spells (after "t." or before ".col")
  LiteralKind literal_kind = LiteralKind::kString;
  uint32_t begin = 0;          // first byte (the introducer's, for an introduced literal)
  uint32_t end = 0;            // one past the last byte
  uint32_t literal_begin = 0;  // kLiteral: first byte after the introducer (== begin if none)
  uint32_t intro_end = 0;      // kLiteral with introducer: end of the introducer word
};

class Lexer {
 public:
  Lexer(std::string_view sql, SqlMode mode) : sql_(sql), mode_(mode) {}

  // Reads the next token. False on a lexical error (unterminated string,
  // identifier or comment; malformed X'..' / b'..' / 1.5e); error_offset() says where.
  bool Next(Token* t);
  uint32_t error_offset() const { return error_offset_; }
  bool in_exec_comment() const { return in_exec_; }
  uint32_t pos() const { return pos_; }

 private:
  bool Fail(uint32_t at) {
    error_offset_ = at;
    return false;
  }
  // Skips whitespace and plain comments; false on an unterminated comment.
  bool SkipSpace(bool* saw_space);
  // pos_ at an opening quote q; on success pos_ is past the closing quote.
  bool ScanQuoted(char q, bool backslash_escapes);
  void ScanWordChars();
  bool LexNumber(Token* t);
  bool LexQuotedBinary(Token* t, uint32_t begin, LiteralKind kind);  // X'..' / B'..'
  enum class Intro { kNone, kLiteral, kError };
  Intro TryIntroducer(Token* t, uint32_t word_begin, uint32_t word_end);

  std::string_view sql_;
  SqlMode mode_;
  uint32_t pos_ = 0;
  uint32_t error_offset_ = 0;
  bool in_exec_ = false;                  // inside /*! ... */
  uint32_t last_ident_end_ = UINT32_MAX;  // end of the last word/quoted identifier
  bool next_is_ident_ = false;            // previous token was a '.' right after an identifier
};

inline bool IsIdentChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c >= 0x80;
}
inline bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Reserved-word lookup: false if `word` (any case) is not reserved; else
// *glue says whether it is written "WORD(" rather than "WORD (".
bool LookupReserved(std::string_view word, bool* glue);

// True if `name` (any case) is a character set MariaDB accepts as a `_name`
// introducer. The one list of those names: the ANTLR lexer support and the
// token source use it too.
bool IsCharsetName(std::string_view name);
bool ReservedWordsSorted();  // for the unit test

}  // namespace shardproxy::parser::internal
