#include "parser/digest/digest.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "common/errors.h"
#include "parser/digest/lexer.h"

namespace shardproxy::parser {
namespace {

using internal::Lexer;
using internal::Token;
using internal::TokenType;

constexpr std::string_view kValuesMarker = " /*, ...*/";

// What the previously emitted token was, for spacing decisions.
enum class Prev : uint8_t {
  kNone,           // start of text
  kOpenParen,      // "("
  kDot,            // "."
  kReservedWord,   // reserved keyword written "WORD ("
  kGlueWord,       // reserved function/type name written "WORD("
  kIdentWord,      // identifier / non-reserved word / quoted identifier
  kStringLiteral,  // a string literal (the next plain string concatenates with it)
  kOther,
};

// Builds the digest from the token stream. See digest.h for the rules.
class Digester {
 public:
  Digester(std::string_view sql, SqlMode mode, Digest* out) : sql_(sql), mode_(mode), d_(out) {}

  void Add(const Token& t) {
    if (t.type == TokenType::kLiteral) {
      AddLiteral(t);
      return;
    }
    std::string_view tok = sql_.substr(t.begin, t.end - t.begin);
    bool is_open = t.type == TokenType::kPunct && tok == "(";
    bool is_close = t.type == TokenType::kPunct && tok == ")";
    bool is_comma = t.type == TokenType::kPunct && tok == ",";
    BeforeToken(is_comma, is_open);

    Prev cls = Prev::kOther;
    switch (t.type) {
      case TokenType::kWord: {
        bool glue = false;
        bool reserved = !t.ident_only && internal::LookupReserved(tok, &glue);
        Space(t, false, false);
        if (reserved) {
          for (char c : tok) d_->text.push_back((c >= 'a' && c <= 'z') ? char(c - 32) : c);
          cls = glue ? Prev::kGlueWord : Prev::kReservedWord;
        } else {
          d_->text.append(tok);
          cls = Prev::kIdentWord;
        }
        break;
      }
      case TokenType::kQuotedIdent:
        Space(t, false, false);
        d_->text.append(tok);
        cls = Prev::kIdentWord;
        break;
      case TokenType::kPunct: {
        bool no_space_before = is_close || is_comma || tok == "." || tok == ";";
        Space(t, no_space_before, is_open);
        d_->text.append(tok);
        if (is_open) {
          cls = Prev::kOpenParen;
        } else if (tok == ".") {
          cls = Prev::kDot;
        }
        break;
      }
      default:  // kVariable, kHint, kExecOpen, kExecClose: verbatim
        Space(t, false, false);
        d_->text.append(tok);
        break;
    }
    prev_ = cls;
    AfterToken(t, tok, is_open, is_close, is_comma, cls);
  }

  void Finish() {
    if (v_state_ == VState::kAfterRow) {
      FinishValues(d_->text.size());
    } else if (v_state_ == VState::kAfterComma) {
      FinishValues(v_comma_pos_);
    } else if (v_state_ == VState::kInRow) {
      AbortValues();
    }
  }

 private:
  // Writes the separator before a token. `open` is true for "(".
  void Space(const Token& t, bool no_space_before, bool open) {
    if (d_->text.empty()) return;
    if (prev_ == Prev::kOpenParen || prev_ == Prev::kDot || no_space_before) return;
    if (open) {
      switch (prev_) {
        case Prev::kGlueWord:
          return;
        case Prev::kReservedWord:
          break;
        case Prev::kIdentWord:
          // MariaDB reads "COUNT (x)" differently from "COUNT(x)" unless IGNORE_SPACE.
          if (mode_.ignore_space || !t.space_before) return;
          break;
        default:
          break;
      }
    }
    d_->text.push_back(' ');
  }

  void AddLiteral(const Token& t) {
    const bool plain_string = t.literal_kind == LiteralKind::kString && t.literal_begin == t.begin;
    if (plain_string && prev_ == Prev::kStringLiteral && !d_->literals.empty()) {
      // 'a' 'b' is one string: extend the previous literal.
      Literal& last = d_->literals.back();
      last.length = t.end - last.offset;
      return;
    }
    BeforeToken(false, false);
    Space(t, false, false);
    if (t.literal_begin != t.begin) {
      // Introducer kept, glued to the "?": _utf8mb4? / N?
      if (t.intro_end == t.begin + 1 && (sql_[t.begin] == 'n' || sql_[t.begin] == 'N')) {
        d_->text.push_back('N');
      } else {
        d_->text.append(sql_.substr(t.begin, t.intro_end - t.begin));
      }
    }
    d_->text.push_back('?');
    Literal lit;
    lit.kind = t.literal_kind;
    lit.offset = t.literal_begin;
    lit.length = t.end - t.literal_begin;
    lit.intro_offset = t.begin;
    d_->slots.push_back(Slot{static_cast<uint32_t>(d_->literals.size()), 1, 1, false});
    d_->literals.push_back(lit);
    prev_ = t.literal_kind == LiteralKind::kString ? Prev::kStringLiteral : Prev::kOther;
    values_ok_ = tvc_paren_ok_ = false;
    AfterLiteral(t);
  }

  // ---- IN (...) collapsing -------------------------------------------------
  // kSawIn: "IN" emitted; kOpen: "IN (" [lit ,]* emitted, expecting a literal;
  // kAfterLit: expecting "," or ")".
  enum class InState : uint8_t { kNone, kSawIn, kOpen, kAfterLit };

  // ---- VALUES row collapsing -----------------------------------------------
  // kSawValues: "VALUES"/"VALUE" emitted; kInRow: inside a row (v_depth_ > 0);
  // kAfterRow: a row just closed; kAfterComma: "," after a row.
  enum class VState : uint8_t { kNone, kSawValues, kInRow, kAfterRow, kAfterComma };

  // Called before a token is emitted: ends a VALUES row list that the token
  // does not continue.
  void BeforeToken(bool is_comma, bool is_open) {
    if (v_state_ == VState::kAfterRow) {
      if (is_comma) {
        v_comma_pos_ = d_->text.size();
        v_state_ = VState::kAfterComma;
      } else {
        FinishValues(d_->text.size());
      }
    } else if (v_state_ == VState::kAfterComma && !is_open) {
      // "VALUES (..), x": not another row; the collapse ends before the ",".
      FinishValues(v_comma_pos_);
    }
  }

  void AfterLiteral(const Token& t) {
    // IN machine.
    if (in_state_ == InState::kOpen && t.literal_begin == t.begin) {
      in_state_ = InState::kAfterLit;
    } else {
      in_state_ = InState::kNone;
    }
    // VALUES machine ("VALUES ?" is not a row list).
    if (v_state_ == VState::kSawValues) v_state_ = VState::kNone;
  }

  void AfterToken(const Token& t, std::string_view tok, bool is_open, bool is_close, bool is_comma,
                  Prev cls) {
    // IN machine.
    switch (in_state_) {
      case InState::kSawIn:
        if (is_open) {
          in_state_ = InState::kOpen;
          in_paren_pos_ = d_->text.size() - 1;
          in_first_literal_ = static_cast<uint32_t>(d_->literals.size());
          in_first_slot_ = static_cast<uint32_t>(d_->slots.size());
        } else {
          in_state_ = InState::kNone;
        }
        break;
      case InState::kAfterLit:
        if (is_comma) {
          in_state_ = InState::kOpen;
        } else if (is_close) {
          CollapseIn();
          in_state_ = InState::kNone;
        } else {
          in_state_ = InState::kNone;
        }
        break;
      default:
        in_state_ = InState::kNone;
        break;
    }
    if (cls == Prev::kReservedWord && tok.size() == 2 && (tok[0] | 0x20) == 'i' &&
        (tok[1] | 0x20) == 'n') {
      in_state_ = InState::kSawIn;
    }

    // VALUES machine.
    switch (v_state_) {
      case VState::kSawValues:
        if (is_open) {
          v_state_ = VState::kInRow;
          v_depth_ = 1;
          v_row0_begin_ = d_->text.size() - 1;
          v_row_begin_ = v_row0_begin_;
          v_first_literal_ = static_cast<uint32_t>(d_->literals.size());
          v_first_slot_ = static_cast<uint32_t>(d_->slots.size());
          v_row_first_slot_ = v_first_slot_;
          v_row_first_literal_ = v_first_literal_;
          v_rows_ = 0;
        } else {
          v_state_ = VState::kNone;
        }
        break;
      case VState::kInRow:
        if (is_open) {
          ++v_depth_;
        } else if (is_close && --v_depth_ == 0) {
          EndRow();
        }
        break;
      case VState::kAfterComma:
        if (is_open) {  // (else: the comma itself)
          v_state_ = VState::kInRow;
          v_depth_ = 1;
          v_row_begin_ = d_->text.size() - 1;
          v_row_first_slot_ = static_cast<uint32_t>(d_->slots.size());
          v_row_first_literal_ = static_cast<uint32_t>(d_->literals.size());
        }
        break;
      default:
        break;
    }
    const bool values_ok = values_ok_;
    UpdateRowListContext(t, tok, is_open, is_close, cls);
    if (v_state_ == VState::kNone && values_ok && t.type == TokenType::kWord && !t.ident_only &&
        (EqualsUpper(tok, "VALUES") || EqualsUpper(tok, "VALUE"))) {
      v_state_ = VState::kSawValues;
    }
  }

  // VALUES/VALUE starts a row list only where a row list can stand: at the start,
  // after a table name or ")" (INSERT INTO t [(cols)] VALUES), after UNION /
  // EXCEPT / INTERSECT [ALL|DISTINCT], or after a "(" that can open a table value
  // constructor (at the start, after "(", FROM, JOIN, AS, IN, EXISTS, UNION...).
  // Elsewhere VALUES(x) / VALUE(x) is a function call and "VALUE(1), (2)" two
  // select items, which must not collapse.
  void UpdateRowListContext(const Token& t, std::string_view tok, bool is_open, bool is_close,
                            Prev cls) {
    bool values_ok = false, paren_ok = false;
    switch (t.type) {
      case TokenType::kHint:
      case TokenType::kExecOpen:
        return;  // transparent
      case TokenType::kQuotedIdent:
        values_ok = true;
        break;
      case TokenType::kWord:
        if (cls == Prev::kIdentWord) {
          values_ok = true;
        } else {
          static constexpr std::string_view kSetOps[] = {"UNION", "EXCEPT", "INTERSECT", "ALL",
                                                         "DISTINCT"};
          static constexpr std::string_view kParenOpeners[] = {"FROM", "JOIN", "AS", "IN",
                                                               "EXISTS"};
          for (std::string_view w : kSetOps) {
            if (EqualsUpper(tok, w)) values_ok = paren_ok = true;
          }
          for (std::string_view w : kParenOpeners) {
            if (EqualsUpper(tok, w)) paren_ok = true;
          }
        }
        break;
      default:
        if (is_open) {
          values_ok = tvc_paren_ok_;
          paren_ok = true;
        } else if (is_close) {
          values_ok = true;
        }
        break;
    }
    values_ok_ = values_ok;
    tvc_paren_ok_ = paren_ok;
  }

  static bool EqualsUpper(std::string_view a, std::string_view upper) {
    if (a.size() != upper.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      char c = a[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (c != upper[i]) return false;
    }
    return true;
  }

  void CollapseIn() {
    uint32_t count = static_cast<uint32_t>(d_->literals.size()) - in_first_literal_;
    d_->text.resize(in_paren_pos_);
    d_->text.append("(...)");
    d_->slots.resize(in_first_slot_);
    d_->slots.push_back(Slot{in_first_literal_, count, 1, true});
    prev_ = Prev::kOther;
  }

  bool RowHasCollapsedSlot() const {
    for (size_t i = v_row_first_slot_; i < d_->slots.size(); ++i) {
      if (d_->slots[i].collapsed) return true;
    }
    return false;
  }

  void EndRow() {
    uint32_t lits = static_cast<uint32_t>(d_->literals.size()) - v_row_first_literal_;
    if (v_rows_ == 0) {
      v_row0_end_ = d_->text.size();
      v_row_width_ = lits;
      if (lits == 0 || lits > std::numeric_limits<uint16_t>::max() || RowHasCollapsedSlot()) {
        v_state_ = VState::kNone;
        return;
      }
      v_rows_ = 1;
      v_state_ = VState::kAfterRow;
      return;
    }
    std::string_view row0(d_->text.data() + v_row0_begin_, v_row0_end_ - v_row0_begin_);
    std::string_view row(d_->text.data() + v_row_begin_, d_->text.size() - v_row_begin_);
    if (lits == v_row_width_ && row == row0 && !RowHasCollapsedSlot()) {
      d_->text.resize(v_comma_pos_);  // drop ", (row)"
      ++v_rows_;
      v_state_ = VState::kAfterRow;
      prev_ = Prev::kOther;
      return;
    }
    AbortValues();
  }

  // Rows 2..v_rows_ were dropped from the text while they matched row 0; put
  // them back (the list turned out not to be collapsible).
  void AbortValues() {
    if (v_rows_ > 1) {
      std::string tail = d_->text.substr(v_row0_end_);
      std::string row0 = d_->text.substr(v_row0_begin_, v_row0_end_ - v_row0_begin_);
      d_->text.resize(v_row0_end_);
      for (uint32_t i = 1; i < v_rows_; ++i) {
        d_->text.append(", ");
        d_->text.append(row0);
      }
      d_->text.append(tail);
    }
    v_state_ = VState::kNone;
    v_rows_ = 0;
  }

  // The row list ended at text position `at` (== text.size() unless a stray
  // comma follows): insert the marker and merge the slots into one.
  void FinishValues(size_t at) {
    if (at == d_->text.size()) {
      d_->text.append(kValuesMarker);
    } else {
      d_->text.insert(at, kValuesMarker);
    }
    uint32_t count = v_rows_ * v_row_width_;
    d_->slots.resize(v_first_slot_);
    d_->slots.push_back(Slot{v_first_literal_, count, static_cast<uint16_t>(v_row_width_), true});
    v_state_ = VState::kNone;
    v_rows_ = 0;
  }

  std::string_view sql_;
  SqlMode mode_;
  Digest* d_;
  Prev prev_ = Prev::kNone;

  bool values_ok_ = true;     // VALUES after the last token starts a row list
  bool tvc_paren_ok_ = true;  // "(" after the last token may open a table value constructor

  InState in_state_ = InState::kNone;
  size_t in_paren_pos_ = 0;
  uint32_t in_first_literal_ = 0;
  uint32_t in_first_slot_ = 0;

  VState v_state_ = VState::kNone;
  uint32_t v_depth_ = 0;
  size_t v_row0_begin_ = 0, v_row0_end_ = 0, v_row_begin_ = 0, v_comma_pos_ = 0;
  uint32_t v_first_literal_ = 0, v_first_slot_ = 0;
  uint32_t v_row_first_literal_ = 0, v_row_first_slot_ = 0;
  uint32_t v_row_width_ = 0, v_rows_ = 0;
};

uint32_t LineOf(std::string_view sql, size_t offset) {
  return 1 + static_cast<uint32_t>(std::count(sql.begin(), sql.begin() + offset, '\n'));
}

}  // namespace

const char* LiteralKindName(LiteralKind k) {
  switch (k) {
    case LiteralKind::kString:
      return "string";
    case LiteralKind::kInteger:
      return "integer";
    case LiteralKind::kDecimal:
      return "decimal";
    case LiteralKind::kFloat:
      return "float";
    case LiteralKind::kHex:
      return "hex";
    case LiteralKind::kBit:
      return "bit";
    case LiteralKind::kPlaceholder:
      return "placeholder";
  }
  return "?";
}

Status SyntaxErrorAt(std::string_view sql, size_t offset) {
  if (offset > sql.size()) offset = sql.size();
  std::string_view near = sql.substr(offset, 80);
  std::string msg =
      "You have an error in your SQL syntax; check the manual that corresponds to your "
      "MariaDB server version for the right syntax to use near '";
  msg.append(near);
  msg.append("' at line ");
  msg.append(std::to_string(LineOf(sql, offset)));
  return Status::Error(errors::kParse.code, errors::kParse.sqlstate, std::move(msg));
}

Status ComputeDigestInto(std::string_view sql, SqlMode mode, Digest* out, uint32_t* error_offset) {
  out->Clear();
  if (sql.size() >= std::numeric_limits<uint32_t>::max()) {
    if (error_offset) *error_offset = 0;
    return Status::Error(errors::kNetPacketTooLarge.code, errors::kNetPacketTooLarge.sqlstate,
                         "statement too large for the digest lexer");
  }
  if (out->text.capacity() < sql.size()) out->text.reserve(sql.size());
  Lexer lexer(sql, mode);
  Digester digester(sql, mode, out);
  Token t;
  while (true) {
    if (!lexer.Next(&t)) {
      uint32_t at = lexer.error_offset();
      out->Clear();
      if (error_offset) *error_offset = at;
      return SyntaxErrorAt(sql, at);
    }
    if (t.type == TokenType::kEnd) break;
    digester.Add(t);
  }
  digester.Finish();
  out->hash = XXH3_64bits(out->text.data(), out->text.size());
  return Status::Ok();
}

Result<Digest> ComputeDigest(std::string_view sql, SqlMode mode) {
  Digest d;
  Status st = ComputeDigestInto(sql, mode, &d);
  if (!st.ok()) return st;
  return d;
}

LiteralRef FindLiteral(const Digest& d, uint32_t offset) {
  // Last literal whose token (introducer included) starts at or before offset.
  auto it = std::upper_bound(d.literals.begin(), d.literals.end(), offset,
                             [](uint32_t off, const Literal& l) { return off < l.intro_offset; });
  if (it == d.literals.begin()) return {};
  --it;
  if (offset >= it->offset + it->length) return {};
  uint32_t idx = static_cast<uint32_t>(it - d.literals.begin());
  auto s = std::upper_bound(d.slots.begin(), d.slots.end(), idx,
                            [](uint32_t i, const Slot& sl) { return i < sl.first_literal; });
  if (s == d.slots.begin()) return {};
  --s;
  if (idx >= s->first_literal + s->count) return {};
  return LiteralRef{static_cast<int32_t>(s - d.slots.begin()), idx - s->first_literal};
}

std::string LiteralText(std::string_view sql, const Literal& lit, SqlMode mode) {
  if (static_cast<size_t>(lit.offset) + lit.length > sql.size()) return std::string();
  std::string_view tok = sql.substr(lit.offset, lit.length);
  if (lit.kind == LiteralKind::kPlaceholder) return "?";
  if (lit.kind != LiteralKind::kString) return std::string(tok);
  std::string out;
  out.reserve(tok.size());
  size_t i = 0;
  while (i < tok.size()) {
    char q = tok[i];
    if (q != '\'' && q != '"') {  // whitespace or comments between parts
      ++i;
      continue;
    }
    ++i;
    // The run up to the next quote or backslash is copied as is, in one
    // append; `quote` (the next quote at or after i) is searched again only
    // once i has passed it, so many escapes stay linear.
    size_t quote = std::min(tok.find(q, i), tok.size());
    while (i < tok.size()) {
      if (quote < i) quote = std::min(tok.find(q, i), tok.size());
      size_t stop = quote;
      if (!mode.no_backslash_escapes) {
        const void* bs = std::memchr(tok.data() + i, '\\', stop - i);
        if (bs != nullptr) stop = static_cast<size_t>(static_cast<const char*>(bs) - tok.data());
      }
      out.append(tok.data() + i, stop - i);
      i = stop;
      if (i >= tok.size()) break;
      char c = tok[i];
      if (c == '\\' && !mode.no_backslash_escapes && i + 1 < tok.size()) {
        char e = tok[i + 1];
        switch (e) {
          case '0':
            out.push_back('\0');
            break;
          case 'b':
            out.push_back('\b');
            break;
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'Z':
            out.push_back('\x1a');
            break;
          case '%':
            out.append("\\%");
            break;  // kept for LIKE, as MariaDB does
          case '_':
            out.append("\\_");
            break;
          default:
            out.push_back(e);
            break;
        }
        i += 2;
        continue;
      }
      if (c == q) {
        if (i + 1 < tok.size() && tok[i + 1] == q) {
          out.push_back(q);
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

namespace {

bool WordIs(std::string_view script, const Token& t, std::string_view upper) {
  if (t.type != TokenType::kWord || t.end - t.begin != upper.size()) return false;
  for (size_t i = 0; i < upper.size(); ++i) {
    char c = script[t.begin + i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}
bool PunctIs(std::string_view script, const Token& t, char c) {
  return t.type == TokenType::kPunct && t.end - t.begin == 1 && script[t.begin] == c;
}

// Block structure of a CREATE PROCEDURE / FUNCTION / TRIGGER / EVENT body, so
// the ';' inside BEGIN ... END (and IF/CASE/LOOP/WHILE/REPEAT ... END x) do
// not end the statement -- what the mariadb client's DELIMITER is for.
class CompoundTracker {
 public:
  explicit CompoundTracker(std::string_view script) : script_(script) {}

  // A new statement starts.
  void Reset() { *this = CompoundTracker(script_); }

  // Feeds one token; `next` is the token after it (kEnd if none).
  void Feed(const Token& t, const Token& next) {
    if (mode_ == Mode::kUnknown) Classify(t);
    if (mode_ != Mode::kCompound) return;
    if (PunctIs(script_, t, '(')) {
      ++parens_;
      stmt_start_ = false;
      return;
    }
    if (PunctIs(script_, t, ')')) {
      if (parens_ > 0) --parens_;
      stmt_start_ = false;
      return;
    }
    if (parens_ > 0) return;
    bool at_start = stmt_start_;
    stmt_start_ = false;
    if (PunctIs(script_, t, ';')) {
      stmt_start_ = depth_ > 0;
      return;
    }
    if (PunctIs(script_, t, ':')) {  // a label: what follows starts a statement
      stmt_start_ = at_start || depth_ > 0;
      return;
    }
    if (t.type != TokenType::kWord) {
      prev_word_.clear();
      return;
    }
    bool body_start = at_start || (depth_ == 0 && (prev_word_ == "ROW" || prev_word_ == "DO"));
    std::string_view w = Upper(t);
    prev_word_.assign(w);
    if (w == "BEGIN") {
      ++depth_;
      stmt_start_ = true;
      after_begin_ = 1;
      return;
    }
    if ((w == "NOT" && after_begin_ == 1) || (w == "ATOMIC" && after_begin_ == 2)) {
      stmt_start_ = true;  // BEGIN NOT ATOMIC
      ++after_begin_;
      return;
    }
    after_begin_ = 0;
    if (w == "END") {
      bool closes_flow = WordIs(script_, next, "IF") || WordIs(script_, next, "CASE") ||
                         WordIs(script_, next, "LOOP") || WordIs(script_, next, "WHILE") ||
                         WordIs(script_, next, "REPEAT") || WordIs(script_, next, "FOR");
      if (!at_start && !closes_flow && expr_case_ > 0) {
        --expr_case_;  // END of a CASE expression
      } else if ((at_start || closes_flow) && depth_ > 0) {
        --depth_;
        skip_next_ = closes_flow;
      }
      return;
    }
    if (skip_next_) {  // the IF/CASE/LOOP/... of "END IF"
      skip_next_ = false;
      return;
    }
    if (w == "CASE") {
      if (body_start) {
        ++depth_;
      } else {
        ++expr_case_;
      }
      return;
    }
    if (body_start && (w == "IF" || w == "LOOP" || w == "WHILE" || w == "REPEAT")) {
      ++depth_;
      stmt_start_ = w == "LOOP" || w == "REPEAT";
      return;
    }
    if (expr_case_ == 0 && depth_ > 0 && (w == "THEN" || w == "ELSE" || w == "DO")) {
      stmt_start_ = true;
    }
  }

  // Whether a ';' here is inside a stored program's body.
  bool InBody() const { return mode_ == Mode::kCompound && (depth_ > 0 || parens_ > 0); }

 private:
  enum class Mode : uint8_t { kUnknown, kPlain, kCompound };

  std::string_view Upper(const Token& t) {
    upper_.clear();
    for (uint32_t i = t.begin; i < t.end && upper_.size() < 16; ++i) {
      char c = script_[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      upper_.push_back(c);
    }
    return upper_;
  }
  // CREATE [OR REPLACE] [DEFINER = ..] [AGGREGATE] PROCEDURE|FUNCTION|TRIGGER|EVENT,
  // ALTER ... EVENT: decided by the first of those words (or an object word).
  void Classify(const Token& t) {
    if (t.type != TokenType::kWord) return;
    std::string_view w = Upper(t);
    if (words_++ == 0) {
      if (w != "CREATE" && w != "ALTER") mode_ = Mode::kPlain;
      return;
    }
    if (w == "PROCEDURE" || w == "FUNCTION" || w == "TRIGGER" || w == "EVENT") {
      mode_ = Mode::kCompound;
    } else if (w == "TABLE" || w == "VIEW" || w == "INDEX" || w == "DATABASE" || w == "SCHEMA" ||
               w == "SEQUENCE" || w == "USER" || w == "ROLE" || w == "SERVER" ||
               w == "TABLESPACE" || words_ > 12) {
      mode_ = Mode::kPlain;
    }
  }

  std::string_view script_;
  Mode mode_ = Mode::kUnknown;
  int words_ = 0;
  int depth_ = 0;            // open BEGIN / IF / CASE / LOOP / WHILE / REPEAT blocks
  int parens_ = 0;           // open parentheses
  int expr_case_ = 0;        // open CASE expressions (their END closes no block)
  int after_begin_ = 0;      // 1 after BEGIN, 2 after BEGIN NOT
  bool stmt_start_ = false;  // the next word starts a statement of a body
  bool skip_next_ = false;
  std::string prev_word_;  // upper-case, when the previous token was a word
  std::string upper_;
};

}  // namespace

std::vector<std::string_view> SplitStatements(std::string_view script, SqlMode mode) {
  std::vector<std::string_view> out;
  auto push = [&](size_t b, size_t e) {
    while (b < e && internal::IsSpace(static_cast<unsigned char>(script[b]))) ++b;
    while (e > b && internal::IsSpace(static_cast<unsigned char>(script[e - 1]))) --e;
    if (e > b) out.push_back(script.substr(b, e - b));
  };
  if (script.size() >= std::numeric_limits<uint32_t>::max()) {
    out.push_back(script);
    return out;
  }
  Lexer lexer(script, mode);
  CompoundTracker compound(script);
  Token t;
  Token next;
  size_t piece = 0;
  bool has_token = false;
  if (!lexer.Next(&next)) {
    push(piece, script.size());
    return out;
  }
  while (true) {
    t = next;
    if (t.type == TokenType::kEnd) break;
    bool in_exec = lexer.in_exec_comment();
    if (!lexer.Next(&next)) {  // unterminated: the rest is one statement
      push(piece, script.size());
      return out;
    }
    if (PunctIs(script, t, ';') && !in_exec && !compound.InBody()) {
      if (has_token) push(piece, t.begin);
      piece = t.end;
      has_token = false;
      compound.Reset();
      continue;
    }
    compound.Feed(t, next);
    has_token = true;
  }
  if (has_token) push(piece, script.size());
  return out;
}

bool IsCharsetSafeForLexing(uint8_t id) {
  switch (id) {
    case 0:  // not a collation
    case 1:
    case 84:  // big5
    case 13:
    case 88:  // sjis
    case 28:
    case 87:  // gbk
    case 95:
    case 96:  // cp932
    case 35:
    case 90:
    case 159:  // ucs2
    case 54:
    case 55:  // utf16
    case 56:
    case 62:  // utf16le
    case 60:
    case 61:  // utf32
      return false;
    default:
      break;
  }
  if (id >= 101 && id <= 124) return false;  // utf16 unicode collations
  if (id >= 128 && id <= 151) return false;  // ucs2 unicode collations
  if (id >= 160 && id <= 183) return false;  // utf32 unicode collations
  return true;
}

bool IsCharsetNameSafeForLexing(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  // Quoted names ('gbk', `gbk`) are accepted by SET NAMES.
  if (lower.size() >= 2 &&
      (lower.front() == '\'' || lower.front() == '"' || lower.front() == '`') &&
      lower.back() == lower.front()) {
    lower = lower.substr(1, lower.size() - 2);
  }
  for (std::string_view bad :
       {"big5", "gbk", "sjis", "cp932", "ucs2", "utf16", "utf16le", "utf32"}) {
    if (lower == bad) return false;
  }
  return true;
}

}  // namespace shardproxy::parser
