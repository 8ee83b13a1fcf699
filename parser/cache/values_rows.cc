#include "parser/cache/values_rows.h"

#include <algorithm>
#include <utility>

#include "parser/digest/lexer.h"
#include "parser/model_builder.h"

namespace shardproxy::parser {

namespace {

using internal::IsIdentChar;
using internal::IsSpace;
using internal::Lexer;
using internal::Token;
using internal::TokenType;

bool WordIs(std::string_view sql, uint32_t begin, uint32_t end, std::string_view upper) {
  if (end - begin != upper.size()) return false;
  for (size_t i = 0; i < upper.size(); ++i) {
    char c = sql[begin + i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (c != upper[i]) return false;
  }
  return true;
}

bool PunctIs(std::string_view sql, const Token& t, char c) {
  return t.type == TokenType::kPunct && t.end - t.begin == 1 && sql[t.begin] == c;
}

uint32_t SkipBlanks(std::string_view sql, uint32_t pos) {
  while (pos < sql.size() && IsSpace(static_cast<unsigned char>(sql[pos]))) ++pos;
  return pos;
}

// Refills a literal-backed Value from the digest literal `lit` (what Binder::Refill
// in parser/bind.cc does; the rest of the Value comes from the template).
void Refill(Value* v, LiteralRef ref, const Literal& lit, std::string_view sql, SqlMode mode) {
  v->ref = ref;
  v->kind =
      lit.kind == LiteralKind::kPlaceholder ? Value::Kind::kPlaceholder : Value::Kind::kLiteral;
  v->literal_kind = lit.kind;
  v->text = LiteralText(sql, lit, mode);
  v->offset = lit.offset;
  v->length = lit.length;
}

}  // namespace

bool ValuesRowForms::ScanValue(uint32_t* pos, Form* f) {
  std::string_view sql = sql_;
  const std::vector<Literal>& lits = d_->literals;
  uint32_t p = SkipBlanks(sql, *pos);
  if (p >= sql.size()) return false;
  *f = Form{};
  f->begin = p;
  bool negative = false;
  if (sql[p] == '-') {
    negative = true;
    p = SkipBlanks(sql, p + 1);
  }
  if (next_literal_ < lits.size() && lits[next_literal_].intro_offset == p) {
    const Literal& lit = lits[next_literal_++];
    f->type = negative ? FormType::kNegative : FormType::kLiteral;
    f->kind = lit.kind;
    f->intro_begin = lit.intro_offset;
    f->intro_len = lit.offset - lit.intro_offset;
    f->end = lit.offset + lit.length;
    *pos = f->end;
    return true;
  }
  if (negative) return false;  // "- NULL", "- x", "- -1": not a plain value
  uint32_t e = p;
  while (e < sql.size() && IsIdentChar(static_cast<unsigned char>(sql[e]))) ++e;
  if (WordIs(sql, p, e, "NULL")) {
    f->type = FormType::kNull;
  } else if (WordIs(sql, p, e, "TRUE")) {
    f->type = FormType::kTrue;
  } else if (WordIs(sql, p, e, "FALSE")) {
    f->type = FormType::kFalse;
  } else if (WordIs(sql, p, e, "DEFAULT")) {
    f->type = FormType::kDefault;
  } else {
    return false;
  }
  f->end = e;
  *pos = e;
  return true;
}

int ValuesRowForms::FormIndex(uint32_t column, const Form& f) {
  std::vector<Form>& col = forms_[column];
  for (size_t i = 0; i < col.size(); ++i) {
    const Form& g = col[i];
    if (g.type != f.type) continue;
    if (!f.has_literal()) return static_cast<int>(i);
    if (g.kind == f.kind && g.intro_len == f.intro_len &&
        sql_.substr(g.intro_begin, g.intro_len) == sql_.substr(f.intro_begin, f.intro_len)) {
      return static_cast<int>(i);
    }
  }
  if (col.size() >= kMaxFormsPerColumn) return -1;
  col.push_back(f);
  return static_cast<int>(col.size() - 1);
}

bool ValuesRowForms::Reduce(std::string_view sql, const Digest& d, SqlMode mode,
                            std::string* reduced) {
  if (d.literals.size() < 2) return false;
  sql_ = sql;
  d_ = &d;
  // 1. The row list: the first VALUES/VALUE outside parentheses of an
  // INSERT/REPLACE, with no literal before it. Only this prefix is lexed.
  Lexer lexer(sql, mode);
  Token t;
  bool first = true;
  int depth = 0;
  uint32_t list_begin = 0;
  while (true) {
    if (!lexer.Next(&t) || t.type == TokenType::kEnd || t.type == TokenType::kLiteral) return false;
    if (first) {
      if (t.type != TokenType::kWord ||
          !(WordIs(sql, t.begin, t.end, "INSERT") || WordIs(sql, t.begin, t.end, "REPLACE"))) {
        return false;
      }
      first = false;
      continue;
    }
    if (PunctIs(sql, t, '(')) {
      ++depth;
    } else if (PunctIs(sql, t, ')')) {
      --depth;
    } else if (depth == 0 && t.type == TokenType::kWord && !t.ident_only &&
               (WordIs(sql, t.begin, t.end, "VALUES") || WordIs(sql, t.begin, t.end, "VALUE"))) {
      if (lexer.in_exec_comment() || !lexer.Next(&t) || !PunctIs(sql, t, '(')) return false;
      list_begin = t.begin;
      break;
    }
  }

  // 2. The rows, from the bytes between the digest's literals: "(" value
  // ("," value)* ")" separated by ","; blanks only (no comments) in between.
  next_literal_ = 0;
  width_ = 0;
  rows_ = 0;
  value_form_.clear();
  value_ranges_.clear();
  row_ranges_.clear();
  uint32_t pos = list_begin;
  uint32_t row0_end = 0;
  uint32_t list_end = 0;
  while (true) {
    pos = SkipBlanks(sql, pos);
    if (pos >= sql.size() || sql[pos] != '(') return false;
    const uint32_t row_begin = pos;
    ++pos;
    uint32_t column = 0;
    while (true) {
      Form f;
      if (!ScanValue(&pos, &f)) return false;
      if (rows_ == 0) {
        if (column >= kMaxColumns) return false;
        if (forms_.size() <= column) forms_.resize(column + 1);
        forms_[column].clear();
      } else if (column >= width_) {
        return false;  // rows of different widths
      }
      int idx = FormIndex(column, f);
      if (idx < 0) return false;
      value_form_.push_back(static_cast<uint8_t>(idx));
      value_ranges_.push_back({f.begin, f.end});
      ++column;
      pos = SkipBlanks(sql, pos);
      if (pos >= sql.size()) return false;
      if (sql[pos] == ',') {
        ++pos;
        continue;
      }
      if (sql[pos] != ')') return false;
      ++pos;
      break;
    }
    if (rows_ == 0) {
      width_ = column;
      row0_end = pos;
    } else if (column != width_) {
      return false;
    }
    ++rows_;
    row_ranges_.push_back({row_begin, pos});
    list_end = pos;
    uint32_t next = SkipBlanks(sql, pos);
    if (next < sql.size() && sql[next] == ',') {
      pos = next + 1;
      continue;
    }
    break;
  }
  // No literal after the rows (their slots would move in the reduced statement).
  if (next_literal_ != d.literals.size() || rows_ < 2) return false;
  size_t most = 1;
  for (uint32_t c = 0; c < width_; ++c) most = std::max(most, forms_[c].size());
  if (most >= rows_) return false;  // nothing to gain
  reduced_rows_ = static_cast<uint32_t>(most);

  // 3. The reduced statement: everything up to the end of row 0, then row j
  // (1 <= j < reduced_rows_) holding form min(j, last) of each column, then
  // everything after the last row.
  reduced->clear();
  reduced->append(sql.substr(0, row0_end));
  expect_literal_.assign(static_cast<size_t>(reduced_rows_) * width_, -1);
  int32_t lit = 0;
  for (uint32_t c = 0; c < width_; ++c) {
    if (forms_[c][0].has_literal()) expect_literal_[c] = lit++;
  }
  for (uint32_t j = 1; j < reduced_rows_; ++j) {
    reduced->append(", (");
    for (uint32_t c = 0; c < width_; ++c) {
      const std::vector<Form>& col = forms_[c];
      const Form& f = col[std::min<size_t>(j, col.size() - 1)];
      if (c > 0) reduced->append(", ");
      reduced->append(sql.substr(f.begin, f.end - f.begin));
      if (f.has_literal()) expect_literal_[static_cast<size_t>(j) * width_ + c] = lit++;
    }
    reduced->push_back(')');
  }
  row0_end_ = row0_end;
  reduced_suffix_ = static_cast<uint32_t>(reduced->size());
  suffix_ = list_end;
  reduced->append(sql.substr(list_end));
  return true;
}

bool ValuesRowForms::Expand(Statement tmpl, const Digest& rd, std::string_view sql, const Digest& d,
                            Statement* out) {
  if (d_ != &d || sql_.data() != sql.data() || sql_.size() != sql.size()) return false;
  if (tmpl.rebind_by_parse || tmpl.insert_select ||
      (tmpl.kind != StatementKind::kInsert && tmpl.kind != StatementKind::kReplace) ||
      tmpl.rows.size() != reduced_rows_) {
    return false;
  }
  // The reduced statement's literals are exactly those of its rows.
  size_t expected_literals = 0;
  for (int32_t e : expect_literal_) expected_literals += e >= 0;
  if (rd.literals.size() != expected_literals) return false;

  // Every template value must be the value of its form: literal-backed ones
  // refer to their own literal, NULL/TRUE/FALSE/DEFAULT to none.
  for (uint32_t j = 0; j < reduced_rows_; ++j) {
    std::vector<Value>& row = tmpl.rows[j];
    if (row.size() != width_) return false;
    for (uint32_t c = 0; c < width_; ++c) {
      Value& v = row[c];
      int32_t want = expect_literal_[static_cast<size_t>(j) * width_ + c];
      if (v.ref.slot < 0) {
        if (v.IsConstant() || v.offset != 0 || v.length != 0) return false;
        continue;
      }
      if (want < 0 || static_cast<size_t>(v.ref.slot) >= rd.slots.size()) return false;
      const Slot& s = rd.slots[v.ref.slot];
      if (v.ref.index >= s.count || s.first_literal + v.ref.index != static_cast<uint32_t>(want)) {
        return false;
      }
      v.text.clear();  // refilled per row below; copies of the prototype stay cheap
    }
  }

  // How a cold parse of `sql` numbers the rows' literals: one collapsed slot
  // (rows of one digest text, differing only in literal kinds) or one slot each.
  const size_t nlit = d.literals.size();
  bool collapsed;
  if (d.slots.size() == 1 && d.slots[0].collapsed && d.slots[0].count == nlit) {
    collapsed = true;
  } else if (d.slots.size() == nlit) {
    collapsed = false;
    for (const Slot& s : d.slots) {
      if (s.collapsed) return false;
    }
  } else {
    return false;
  }

  std::vector<std::vector<Value>> protos = std::move(tmpl.rows);
  *out = std::move(tmpl);
  out->literals = d.literals;
  out->placeholder_count = 0;
  for (const Literal& l : d.literals) {
    if (l.kind == LiteralKind::kPlaceholder) ++out->placeholder_count;
  }
  out->rows_slot = collapsed ? 0 : -1;
  out->row_width = collapsed ? d.slots[0].row_width : 0;
  out->rows.clear();
  out->rows.resize(rows_);
  out->row_ranges = row_ranges_;
  const SqlMode mode = out->mode;
  uint32_t k = 0;  // literal index in d
  size_t vi = 0;   // value index
  for (uint32_t r = 0; r < rows_; ++r) {
    std::vector<Value>& row = out->rows[r];
    row.reserve(width_);
    for (uint32_t c = 0; c < width_; ++c) {
      uint8_t f = value_form_[vi++];
      const Value& proto = protos[f][c];
      row.push_back(proto);
      row.back().range = value_ranges_[vi - 1];
      if (forms_[c][f].has_literal()) {
        if (proto.ref.slot >= 0) {
          LiteralRef ref = collapsed ? LiteralRef{0, k} : LiteralRef{static_cast<int32_t>(k), 0};
          Refill(&row.back(), ref, d.literals[k], sql, mode);
        }
        ++k;
      }
    }
  }
  // Other ranges: before row 0's end the texts agree; after the rows they
  // are shifted by the rows' lengths; none lies in the rows.
  bool ranges_ok = true;
  ForEachSourceRange(out, [&](SourceRange* r) {
    if (r->end <= row0_end_) return;
    if (r->begin < reduced_suffix_) {
      ranges_ok = false;
      return;
    }
    r->begin = r->begin - reduced_suffix_ + suffix_;
    r->end = r->end - reduced_suffix_ + suffix_;
  });
  return k == nlit && ranges_ok;
}

void ValuesRowForms::Trim(size_t keep_bytes) {
  if (value_form_.capacity() > keep_bytes) std::vector<uint8_t>().swap(value_form_);
  if (value_ranges_.capacity() * sizeof(SourceRange) > keep_bytes) {
    std::vector<SourceRange>().swap(value_ranges_);
  }
  if (row_ranges_.capacity() * sizeof(SourceRange) > keep_bytes) {
    std::vector<SourceRange>().swap(row_ranges_);
  }
  if (expect_literal_.capacity() * sizeof(int32_t) > keep_bytes) {
    std::vector<int32_t>().swap(expect_literal_);
  }
  if (forms_.capacity() * sizeof(std::vector<Form>) > keep_bytes) {
    std::vector<std::vector<Form>>().swap(forms_);
  }
  sql_ = {};
  d_ = nullptr;
}

}  // namespace shardproxy::parser
