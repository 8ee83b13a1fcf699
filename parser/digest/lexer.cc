#include "parser/digest/lexer.h"

#include <algorithm>
#include <cstring>

namespace shardproxy::parser::internal {
namespace {

#include "parser/digest/reserved_words.inc"

// Character sets MariaDB accepts as `_name` introducers.
constexpr std::string_view kCharsets[] = {
    "armscii8", "ascii",  "big5",     "binary",  "cp1250",  "cp1251", "cp1256", "cp1257", "cp850",
    "cp852",    "cp866",  "cp932",    "dec8",    "eucjpms", "euckr",  "gb2312", "gbk",    "geostd8",
    "greek",    "hebrew", "hp8",      "keybcs2", "koi8r",   "koi8u",  "latin1", "latin2", "latin5",
    "latin7",   "macce",  "macroman", "sjis",    "swe7",    "tis620", "ucs2",   "ujis",   "utf16",
    "utf16le",  "utf32",  "utf8",     "utf8mb3", "utf8mb4"};

bool EqualsLower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(a[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (c != static_cast<unsigned char>(lower[i])) return false;
  }
  return true;
}

bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Open-addressing table over kReservedWords, keyed by a hash of the
// upper-cased word; built once. A lookup upper-cases into a stack buffer,
// hashes, and compares one or two candidates.
class ReservedTable {
 public:
  static constexpr size_t kSlots = 1024;  // power of two, > 4x the word count
  static constexpr size_t kMaxLen = 32;

  ReservedTable() {
    for (auto& s : slots_) s = -1;
    for (size_t i = 0; i < std::size(kReservedWords); ++i) {
      std::string_view w = kReservedWords[i].word;
      size_t h = Hash(w.data(), w.size()) & (kSlots - 1);
      while (slots_[h] >= 0) h = (h + 1) & (kSlots - 1);
      slots_[h] = static_cast<int16_t>(i);
    }
  }

  const ReservedWord* Find(std::string_view word) const {
    if (word.empty() || word.size() > kMaxLen) return nullptr;
    char buf[kMaxLen];
    for (size_t i = 0; i < word.size(); ++i) {
      char c = word[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      buf[i] = c;
    }
    size_t h = Hash(buf, word.size()) & (kSlots - 1);
    while (slots_[h] >= 0) {
      const ReservedWord& r = kReservedWords[slots_[h]];
      if (r.word.size() == word.size() && std::memcmp(r.word.data(), buf, word.size()) == 0) {
        return &r;
      }
      h = (h + 1) & (kSlots - 1);
    }
    return nullptr;
  }

 private:
  static size_t Hash(const char* p, size_t n) {  // FNV-1a
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(p[i]);
      h *= 16777619u;
    }
    return h ^ (h >> 15);
  }
  int16_t slots_[kSlots];
};

const ReservedTable& Reserved() {
  static const ReservedTable table;
  return table;
}

}  // namespace

bool LookupReserved(std::string_view word, bool* glue) {
  const ReservedWord* r = Reserved().Find(word);
  if (r == nullptr) return false;
  if (glue) *glue = r->glue;
  return true;
}

bool ReservedWordsSorted() {
  return std::is_sorted(
      std::begin(kReservedWords), std::end(kReservedWords),
      [](const ReservedWord& a, const ReservedWord& b) { return a.word < b.word; });
}

bool Lexer::SkipSpace(bool* saw_space) {
  const uint32_t n = static_cast<uint32_t>(sql_.size());
  while (pos_ < n) {
    unsigned char c = static_cast<unsigned char>(sql_[pos_]);
    if (IsSpace(c)) {
      ++pos_;
      *saw_space = true;
      continue;
    }
    if (c == '#' || (c == '-' && pos_ + 1 < n && sql_[pos_ + 1] == '-' &&
                     (pos_ + 2 >= n || static_cast<unsigned char>(sql_[pos_ + 2]) <= ' ' ||
                      sql_[pos_ + 2] == 0x7f))) {
      // "#..." and "-- ..." run to the end of the line. MariaDB requires a space
      // or control character after "--" (so 1--1 is 1 - -1).
      while (pos_ < n && sql_[pos_] != '\n') ++pos_;
      *saw_space = true;
      continue;
    }
    if (c == '/' && pos_ + 1 < n && sql_[pos_ + 1] == '*') {
      if (pos_ + 2 < n) {
        char k = sql_[pos_ + 2];
        bool exec = k == '!' || (k == 'M' && pos_ + 3 < n && sql_[pos_ + 3] == '!');
        // Executable comments and hints are tokens (nested ones are plain comments).
        if ((exec && !in_exec_) || k == '+') return true;
      }
      size_t close = sql_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) return Fail(pos_);
      pos_ = static_cast<uint32_t>(close + 2);
      *saw_space = true;
      continue;
    }
    break;
  }
  return true;
}

bool Lexer::ScanQuoted(char q, bool backslash_escapes) {
  // memchr to the next quote and, before it, the next backslash: a long
  // string costs a few library calls instead of a loop step per byte.
  const char* s = sql_.data();
  const size_t n = sql_.size();
  const uint32_t start = pos_;
  auto find = [s, n](char c, size_t from, size_t to) -> size_t {
    if (from >= to) return to;
    const void* p = std::memchr(s + from, c, to - from);
    return p == nullptr ? to : static_cast<size_t>(static_cast<const char*>(p) - s);
  };
  size_t i = static_cast<size_t>(pos_) + 1;
  size_t quote = find(q, i, n);  // the next quote at or after i (n: none)
  while (i < n) {
    if (backslash_escapes) {
      size_t bs = find('\\', i, quote);
      if (bs < quote) {
        i = bs + 2;  // the escaped byte is skipped, whatever it is
        if (i > quote) quote = find(q, i, n);
        continue;
      }
    }
    if (quote >= n) break;
    if (quote + 1 < n && s[quote + 1] == q) {  // doubled quote
      i = quote + 2;
      quote = find(q, i, n);
      continue;
    }
    pos_ = static_cast<uint32_t>(quote + 1);
    return true;
  }
  return Fail(start);
}

void Lexer::ScanWordChars() {
  const uint32_t n = static_cast<uint32_t>(sql_.size());
  while (pos_ < n && IsIdentChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
}

bool Lexer::LexQuotedBinary(Token* t, uint32_t begin, LiteralKind kind) {
  // pos_ at the quote after X / B.
  uint32_t q = pos_;
  size_t close = sql_.find('\'', q + 1);
  if (close == std::string_view::npos) return Fail(begin);
  std::string_view body = sql_.substr(q + 1, close - q - 1);
  for (char c : body) {
    bool ok =
        kind == LiteralKind::kHex ? IsHex(static_cast<unsigned char>(c)) : (c == '0' || c == '1');
    if (!ok) return Fail(begin);
  }
  if (kind == LiteralKind::kHex && body.size() % 2 != 0) return Fail(begin);
  pos_ = static_cast<uint32_t>(close + 1);
  t->type = TokenType::kLiteral;
  t->literal_kind = kind;
  t->end = pos_;
  return true;
}

bool Lexer::LexNumber(Token* t) {
  // pos_ at a digit, or at '.' followed by a digit.
  const uint32_t n = static_cast<uint32_t>(sql_.size());
  const uint32_t start = pos_;
  auto at = [&](uint32_t i) -> unsigned char {
    return i < n ? static_cast<unsigned char>(sql_[i]) : 0;
  };
  auto finish = [&](uint32_t end, LiteralKind kind) {
    pos_ = end;
    t->type = TokenType::kLiteral;
    t->literal_kind = kind;
    t->end = end;
    return true;
  };
  auto as_word = [&]() {
    pos_ = start;
    ScanWordChars();
    t->type = TokenType::kWord;
    t->end = pos_;
    return true;
  };
  if (at(start) == '0' && (at(start + 1) == 'x' || at(start + 1) == 'b')) {
    bool hex = at(start + 1) == 'x';
    uint32_t j = start + 2;
    while (hex ? IsHex(at(j)) : (at(j) == '0' || at(j) == '1')) ++j;
    if (j > start + 2 && !IsIdentChar(at(j))) {
      return finish(j, hex ? LiteralKind::kHex : LiteralKind::kBit);
    }
    return as_word();  // 0x, 0xZZ, 0b12: identifiers
  }
  uint32_t j = start;
  while (IsDigit(at(j))) ++j;
  if (at(j) == '.') {
    ++j;
    while (IsDigit(at(j))) ++j;
    if (at(j) == 'e' || at(j) == 'E') {
      uint32_t k = j + 1;
      if (at(k) == '+' || at(k) == '-') ++k;
      if (!IsDigit(at(k))) return Fail(start);  // 1.5e: MariaDB rejects it
      while (IsDigit(at(k))) ++k;
      return finish(k, LiteralKind::kFloat);
    }
    return finish(j, LiteralKind::kDecimal);
  }
  if (at(j) == 'e' || at(j) == 'E') {
    uint32_t k = j + 1;
    if (at(k) == '+' || at(k) == '-') ++k;
    if (IsDigit(at(k))) {
      while (IsDigit(at(k))) ++k;
      return finish(k, LiteralKind::kFloat);
    }
  }
  if (IsIdentChar(at(j))) return as_word();  // 123abc, 1e, 1ex
  return finish(j, LiteralKind::kInteger);
}

Lexer::Intro Lexer::TryIntroducer(Token* t, uint32_t word_begin, uint32_t word_end) {
  // `_charset` [spaces] followed by a string, X'..', B'..', 0x.. or 0b.. literal.
  std::string_view name = sql_.substr(word_begin + 1, word_end - word_begin - 1);
  if (!IsCharsetName(name)) return Intro::kNone;
  const uint32_t n = static_cast<uint32_t>(sql_.size());
  uint32_t j = word_end;
  while (j < n && IsSpace(static_cast<unsigned char>(sql_[j]))) ++j;
  if (j >= n) return Intro::kNone;
  char c = sql_[j];
  char c1 = j + 1 < n ? sql_[j + 1] : 0;
  bool string = c == '\'' || (c == '"' && !mode_.ansi_quotes);
  bool quoted_bin = (c == 'x' || c == 'X' || c == 'b' || c == 'B') && c1 == '\'';
  bool zero_bin = c == '0' && (c1 == 'x' || c1 == 'b');
  if (!string && !quoted_bin && !zero_bin) return Intro::kNone;
  t->literal_begin = j;
  t->intro_end = word_end;
  pos_ = j;
  if (string) {
    if (!ScanQuoted(c, !mode_.no_backslash_escapes)) return Intro::kError;
    t->type = TokenType::kLiteral;
    t->literal_kind = LiteralKind::kString;
    t->end = pos_;
    return Intro::kLiteral;
  }
  if (quoted_bin) {
    pos_ = j + 1;
    return LexQuotedBinary(t, j, (c == 'x' || c == 'X') ? LiteralKind::kHex : LiteralKind::kBit)
               ? Intro::kLiteral
               : Intro::kError;
  }
  Token tmp;
  LexNumber(&tmp);
  if (tmp.type != TokenType::kLiteral) {  // _utf8 0xZZ: not an introducer after all
    pos_ = word_end;
    t->literal_begin = 0;
    t->intro_end = 0;
    return Intro::kNone;
  }
  t->type = TokenType::kLiteral;
  t->literal_kind = tmp.literal_kind;
  t->end = pos_;
  return Intro::kLiteral;
}

bool Lexer::Next(Token* t) {
  *t = Token();
  bool space = false;
  if (!SkipSpace(&space)) return false;
  const bool ident_next = next_is_ident_;
  next_is_ident_ = false;
  const uint32_t n = static_cast<uint32_t>(sql_.size());
  t->space_before = space;
  t->begin = pos_;
  t->literal_begin = pos_;
  if (pos_ >= n) {
    if (in_exec_) return Fail(n);  // unterminated /*! ... : MariaDB says near ''
    t->type = TokenType::kEnd;
    t->end = n;
    return true;
  }
  auto at = [&](uint32_t i) -> unsigned char {
    return i < n ? static_cast<unsigned char>(sql_[i]) : 0;
  };
  const uint32_t start = pos_;
  const unsigned char c = at(start);
  const unsigned char c1 = at(start + 1);

  // Executable comment markers and hints.
  if (c == '/' && c1 == '*') {
    if (at(start + 2) == '+') {
      size_t close = sql_.find("*/", start + 3);
      if (close == std::string_view::npos) return Fail(start);
      pos_ = static_cast<uint32_t>(close + 2);
      t->type = TokenType::kHint;
      t->end = pos_;
      return true;
    }
    // "/*!" or "/*M!" followed by an optional version number (up to 6 digits).
    pos_ = start + (at(start + 2) == '!' ? 3 : 4);
    for (int d = 0; d < 6 && IsDigit(at(pos_)); ++d) ++pos_;
    in_exec_ = true;
    t->type = TokenType::kExecOpen;
    t->end = pos_;
    return true;
  }
  if (in_exec_ && c == '*' && c1 == '/') {
    in_exec_ = false;
    pos_ = start + 2;
    t->type = TokenType::kExecClose;
    t->end = pos_;
    return true;
  }

  // A word right after "ident." is an identifier whatever it looks like (t.5, t.select).
  if (ident_next && IsIdentChar(c)) {
    ScanWordChars();
    t->type = TokenType::kWord;
    t->ident_only = true;
    t->end = pos_;
    last_ident_end_ = pos_;
    return true;
  }

  if (IsDigit(c) || (c == '.' && IsDigit(c1) && start != last_ident_end_)) {
    if (!LexNumber(t)) return false;
    if (t->type == TokenType::kWord) last_ident_end_ = t->end;
    return true;
  }

  if (IsIdentChar(c)) {
    // X'..', B'..', N'..' prefixes.
    if (c1 == '\'') {
      if (c == 'x' || c == 'X' || c == 'b' || c == 'B') {
        pos_ = start + 1;
        return LexQuotedBinary(t, start,
                               (c == 'x' || c == 'X') ? LiteralKind::kHex : LiteralKind::kBit);
      }
      if (c == 'n' || c == 'N') {
        pos_ = start + 1;
        if (!ScanQuoted('\'', !mode_.no_backslash_escapes)) return false;
        t->type = TokenType::kLiteral;
        t->literal_kind = LiteralKind::kString;
        t->literal_begin = start + 1;
        t->intro_end = start + 1;
        t->end = pos_;
        return true;
      }
    }
    ScanWordChars();
    uint32_t word_end = pos_;
    if (c == '_' && word_end - start > 1) {
      switch (TryIntroducer(t, start, word_end)) {
        case Intro::kLiteral:
          return true;
        case Intro::kError:
          return false;
        case Intro::kNone:
          break;
      }
    }
    t->type = TokenType::kWord;
    t->end = word_end;
    // "word.ident": MariaDB reads the word as an identifier even if reserved.
    if (at(word_end) == '.' &&
        (IsIdentChar(at(word_end + 1)) || at(word_end + 1) == '`' || at(word_end + 1) == '*' ||
         (at(word_end + 1) == '"' && mode_.ansi_quotes))) {
      t->ident_only = true;
    }
    last_ident_end_ = word_end;
    return true;
  }

  if (c == '`' || (c == '"' && mode_.ansi_quotes)) {
    if (!ScanQuoted(static_cast<char>(c), false)) return false;
    t->type = TokenType::kQuotedIdent;
    t->end = pos_;
    last_ident_end_ = pos_;
    return true;
  }
  if (c == '\'' || c == '"') {
    if (!ScanQuoted(static_cast<char>(c), !mode_.no_backslash_escapes)) return false;
    t->type = TokenType::kLiteral;
    t->literal_kind = LiteralKind::kString;
    t->end = pos_;
    return true;
  }
  if (c == '?') {
    pos_ = start + 1;
    t->type = TokenType::kLiteral;
    t->literal_kind = LiteralKind::kPlaceholder;
    t->end = pos_;
    return true;
  }
  if (c == '@') {
    // @@[scope.]name, @name, @'name', @"name", @`name`.
    uint32_t j = start + 1;
    if (at(j) == '@') ++j;
    unsigned char q = at(j);
    if (q == '\'' || q == '"' || q == '`') {
      pos_ = j;
      if (!ScanQuoted(static_cast<char>(q), q != '`' && !mode_.no_backslash_escapes)) {
        return false;
      }
    } else {
      pos_ = j;
      while (pos_ < n && (IsIdentChar(at(pos_)) || at(pos_) == '.')) ++pos_;
      if (pos_ < n && at(pos_) == '`' && at(pos_ - 1) == '.') {  // @@session.`x`
        if (!ScanQuoted('`', false)) return false;
      }
    }
    t->type = TokenType::kVariable;
    t->end = pos_;
    return true;
  }
  if (c == '\\' && c1 == 'N') {  // \N is NULL
    pos_ = start + 2;
    t->type = TokenType::kPunct;
    t->end = pos_;
    return true;
  }
  if (c == '.' && start == last_ident_end_) next_is_ident_ = true;
  // Operators: longest match.
  uint32_t len = 1;
  if (c == '<' && c1 == '=' && at(start + 2) == '>') {
    len = 3;
  } else if ((c == '<' && (c1 == '=' || c1 == '>' || c1 == '<')) ||
             (c == '>' && (c1 == '=' || c1 == '>')) || (c == '!' && c1 == '=') ||
             (c == ':' && c1 == '=') || (c == '|' && c1 == '|') || (c == '&' && c1 == '&')) {
    len = 2;
  }
  pos_ = start + len;
  t->type = TokenType::kPunct;
  t->end = pos_;
  return true;
}

bool IsCharsetName(std::string_view name) {
  for (std::string_view cs : kCharsets) {
    if (EqualsLower(name, cs)) return true;
  }
  return false;
}

}  // namespace shardproxy::parser::internal
