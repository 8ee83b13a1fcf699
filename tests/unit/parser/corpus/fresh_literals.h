// Fresh-literal variants of a statement, written from its Digest's literal
// offsets: every literal gets a different value of the same kind, every
// collapsed IN-list gets one item more or fewer, every collapsed VALUES slot one
// row more or fewer. The variant must share the original's digest text; the
// corpus test then checks that the cache-hit model (Bind of the original's
// template) equals a cold parse of the variant.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/digest/digest.h"

namespace shardproxy::parser::corpus {

// One replacement of sql[offset, offset + length).
struct Edit {
  size_t offset = 0;
  size_t length = 0;
  std::string text;
};

inline std::string ApplyEdits(std::string_view sql, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.offset < b.offset; });
  std::string out;
  size_t pos = 0;
  for (const Edit& e : edits) {
    out.append(sql.substr(pos, e.offset - pos));
    out.append(e.text);
    pos = e.offset + e.length;
  }
  out.append(sql.substr(pos));
  return out;
}

// Changes the last decimal digit before `stop` (npos: end) of a number token.
inline std::string BumpDigit(std::string tok, size_t stop = std::string::npos) {
  size_t end = stop == std::string::npos ? tok.size() : stop;
  for (size_t i = end; i-- > 0;) {
    if (std::isdigit(static_cast<unsigned char>(tok[i]))) {
      tok[i] = static_cast<char>('0' + ((tok[i] - '0') + 3) % 10);
      return tok;
    }
  }
  return tok;
}

// A different token of the same literal kind as sql[lit.offset, +lit.length).
// `salt` makes values differ between literals of one statement.
inline std::string FreshLiteral(std::string_view sql, const Literal& lit, unsigned salt) {
  std::string tok(sql.substr(lit.offset, lit.length));
  switch (lit.kind) {
    case LiteralKind::kPlaceholder:
      return "?";
    case LiteralKind::kInteger:
      return BumpDigit(tok);
    case LiteralKind::kDecimal:
      return BumpDigit(tok);
    case LiteralKind::kFloat: {
      size_t e = tok.find_first_of("eE");
      return BumpDigit(tok, e);
    }
    case LiteralKind::kHex: {
      // X'..' / x'..' or 0x..: rotate the first hex digit, same length.
      size_t first = 2;  // after "0x" or "X'"
      if (first < tok.size() && std::isxdigit(static_cast<unsigned char>(tok[first]))) {
        static const char kDigits[] = "0123456789ABCDEF";
        int v = std::isdigit(static_cast<unsigned char>(tok[first]))
                    ? tok[first] - '0'
                    : std::toupper(static_cast<unsigned char>(tok[first])) - 'A' + 10;
        tok[first] = kDigits[(v + 5) % 16];
      }
      return tok;
    }
    case LiteralKind::kBit: {
      size_t first = 2;  // after "0b" or "b'"
      if (first < tok.size() && (tok[first] == '0' || tok[first] == '1')) {
        tok[first] = tok[first] == '0' ? '1' : '0';
      } else if (tok.size() == 3) {  // b''
        tok = tok.substr(0, 2) + "1'";
      }
      return tok;
    }
    case LiteralKind::kString: {
      // Keep the quote character; adjacent strings 'a' 'b' become one string.
      char q = tok[0];
      return std::string(1, q) + "fresh" + std::to_string(salt) + "_v" + std::string(1, q);
    }
  }
  return tok;
}

// A tiny paren scanner over `sql` that steps over literal tokens (known from
// the digest) and backquoted names, so parentheses inside them do not count.
class ParenScanner {
 public:
  ParenScanner(std::string_view sql, const Digest& d) : sql_(sql) {
    for (const Literal& l : d.literals) skip_[l.offset] = l.offset + l.length;
  }
  // Positions of the '(' still open at `offset` (outermost first).
  std::vector<size_t> OpenAt(size_t offset) const {
    std::vector<size_t> stack;
    for (size_t i = 0; i < offset && i < sql_.size(); i = Next(i)) {
      if (sql_[i] == '(') stack.push_back(i);
      if (sql_[i] == ')' && !stack.empty()) stack.pop_back();
    }
    return stack;
  }
  // One past the ')' matching the '(' at `open`; npos if unbalanced.
  size_t Close(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < sql_.size(); i = Next(i)) {
      if (sql_[i] == '(') ++depth;
      if (sql_[i] == ')' && --depth == 0) return i + 1;
    }
    return std::string_view::npos;
  }
  // First '(' at or after `from`; npos if none.
  size_t NextOpen(size_t from) const {
    for (size_t i = from; i < sql_.size(); i = Next(i)) {
      if (sql_[i] == '(') return i;
    }
    return std::string_view::npos;
  }

 private:
  size_t Next(size_t i) const {
    auto it = skip_.find(i);
    if (it != skip_.end()) return it->second;
    if (sql_[i] == '`') {
      size_t e = sql_.find('`', i + 1);
      return e == std::string_view::npos ? sql_.size() : e + 1;
    }
    return i + 1;
  }
  std::string_view sql_;
  std::map<size_t, size_t> skip_;
};

// True if the word before `pos` (skipping blanks) is VALUES or VALUE.
inline bool AfterValuesKeyword(std::string_view sql, size_t pos) {
  size_t e = pos;
  while (e > 0 && std::isspace(static_cast<unsigned char>(sql[e - 1]))) --e;
  size_t b = e;
  while (b > 0 && std::isalpha(static_cast<unsigned char>(sql[b - 1]))) --b;
  std::string w(sql.substr(b, e - b));
  for (char& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return w == "VALUES" || w == "VALUE";
}

// [open, close) of every row of a collapsed VALUES slot; empty on failure.
inline std::vector<std::pair<size_t, size_t>> ValuesRows(std::string_view sql, const Digest& d,
                                                         const Slot& slot, uint32_t rows) {
  ParenScanner ps(sql, d);
  const Literal& first = d.literals[slot.first_literal];
  size_t open = std::string_view::npos;
  std::vector<size_t> stack = ps.OpenAt(first.intro_offset);
  for (size_t k = stack.size(); k-- > 0;) {
    if (AfterValuesKeyword(sql, stack[k])) {
      open = stack[k];
      break;
    }
  }
  std::vector<std::pair<size_t, size_t>> out;
  for (uint32_t r = 0; r < rows; ++r) {
    if (open == std::string_view::npos) return {};
    size_t close = ps.Close(open);
    if (close == std::string_view::npos) return {};
    out.emplace_back(open, close);
    open = ps.NextOpen(close);
  }
  return out;
}

// Kinds of the collapsed slots, in order, read from the digest text markers.
inline std::vector<bool> CollapsedSlotIsValues(const Digest& d) {
  std::vector<bool> out;
  size_t pos = 0;
  while (true) {
    size_t in = d.text.find("IN (...)", pos);
    size_t values = d.text.find("/*, ...*/", pos);
    if (in == std::string::npos && values == std::string::npos) break;
    if (values == std::string::npos || (in != std::string::npos && in < values)) {
      out.push_back(false);
      pos = in + 8;
    } else {
      out.push_back(true);
      pos = values + 9;
    }
  }
  return out;
}

struct Variant {
  std::string sql;
  std::string error;  // non-empty when no variant could be built
};

// `grow`: collapsed lists get one more item/row (else one fewer when they have
// more than one).
inline Variant MakeVariant(std::string_view sql, const Digest& d, bool grow) {
  std::vector<Edit> edits;
  std::vector<bool> values_kind = CollapsedSlotIsValues(d);
  size_t collapsed_seen = 0;
  unsigned salt = 0;
  for (const Slot& slot : d.slots) {
    const Literal* lits = d.literals.data() + slot.first_literal;
    if (!slot.collapsed) {
      for (uint32_t i = 0; i < slot.count; ++i) {
        edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
      }
      continue;
    }
    if (collapsed_seen >= values_kind.size()) {
      return {"", "more collapsed slots than IN (...) / VALUES markers in: " + d.text};
    }
    bool is_values = values_kind[collapsed_seen++];
    if (!is_values) {
      // IN list: items are single literals separated by ','.
      const Literal& last = lits[slot.count - 1];
      if (grow || slot.count == 1) {
        for (uint32_t i = 0; i < slot.count; ++i) {
          edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
        }
        edits.push_back({last.offset + last.length, 0, ", " + FreshLiteral(sql, last, ++salt)});
      } else {
        for (uint32_t i = 0; i + 1 < slot.count; ++i) {
          edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
        }
        const Literal& prev = lits[slot.count - 2];
        size_t from = prev.offset + prev.length;
        edits.push_back({from, last.offset + last.length - from, ""});
      }
      continue;
    }
    // VALUES rows of row_width literals each.
    uint32_t width = std::max<uint32_t>(slot.row_width, 1);
    uint32_t rows = slot.count / width;
    if (rows == 0 || slot.count % width != 0) {
      return {"", "VALUES slot with count " + std::to_string(slot.count) + " and row_width " +
                      std::to_string(width)};
    }
    std::vector<std::pair<size_t, size_t>> row_spans = ValuesRows(sql, d, slot, rows);
    if (row_spans.size() != rows) {
      return {"", "cannot find the parentheses of the VALUES rows"};
    }
    size_t row_open = row_spans.back().first;
    size_t row_close = row_spans.back().second;
    if (grow || rows == 1) {
      for (uint32_t i = 0; i < slot.count; ++i) {
        edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
      }
      // Copy of the last row with fresh literals, appended after it.
      std::vector<Edit> row_edits;
      for (uint32_t i = (rows - 1) * width; i < rows * width; ++i) {
        row_edits.push_back(
            {lits[i].offset - row_open, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
      }
      std::string row =
          ApplyEdits(sql.substr(row_open, row_close - row_open), std::move(row_edits));
      edits.push_back({row_close, 0, ", " + row});
    } else {
      for (uint32_t i = 0; i < (rows - 1) * width; ++i) {
        edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
      }
      size_t prev_close = row_spans[rows - 2].second;
      edits.push_back({prev_close, row_close - prev_close, ""});
    }
  }
  return {ApplyEdits(sql, std::move(edits)), ""};
}

// A mysqldump-like variant: every collapsed VALUES list gets three more rows,
// copies of its last row in which literals become NULL (even positions in
// the first copy, odd ones in the second) or, for numbers, negative fresh
// values; the third copy only has fresh literals. The rows then differ in NULL vs literal and in
// sign, so the digest no longer collapses them: a miss takes the row-form reduction
// (parser/cache/values_rows.h) when the rows hold plain values. Empty sql
// when the statement has no collapsed VALUES list. The variant may not parse
// (NULL where the grammar wants a literal, e.g. DATE '..'): callers skip those.
inline Variant MakeNullMixedVariant(std::string_view sql, const Digest& d) {
  std::vector<Edit> edits;
  std::vector<bool> values_kind = CollapsedSlotIsValues(d);
  size_t collapsed_seen = 0;
  unsigned salt = 1000;
  for (const Slot& slot : d.slots) {
    if (!slot.collapsed) continue;
    if (collapsed_seen >= values_kind.size()) return {"", "more collapsed slots than markers"};
    if (!values_kind[collapsed_seen++]) continue;
    uint32_t width = std::max<uint32_t>(slot.row_width, 1);
    uint32_t rows = slot.count / width;
    std::vector<std::pair<size_t, size_t>> spans = ValuesRows(sql, d, slot, rows);
    if (spans.size() != rows || rows == 0) return {"", "cannot find the VALUES rows"};
    const auto [open, close] = spans.back();
    const Literal* lits = d.literals.data() + slot.first_literal + (rows - 1) * width;
    std::string copies;
    for (int copy = 0; copy < 3; ++copy) {
      std::vector<Edit> row_edits;
      for (uint32_t i = 0; i < width; ++i) {
        const Literal& l = lits[i];
        const bool numeric = l.kind == LiteralKind::kInteger || l.kind == LiteralKind::kDecimal ||
                             l.kind == LiteralKind::kFloat;
        const bool minus_before = l.intro_offset > open && sql[l.intro_offset - 1] == '-';
        if (copy == 2) {
          row_edits.push_back({l.offset - open, l.length, FreshLiteral(sql, l, ++salt)});
        } else if (static_cast<int>(i % 2) == copy) {
          row_edits.push_back(
              {l.intro_offset - open, l.offset + l.length - l.intro_offset, "NULL"});
        } else if (numeric && !l.has_introducer() && !minus_before) {
          row_edits.push_back({l.offset - open, l.length, "-" + FreshLiteral(sql, l, ++salt)});
        } else {
          row_edits.push_back({l.offset - open, l.length, FreshLiteral(sql, l, ++salt)});
        }
      }
      copies += ", " + ApplyEdits(sql.substr(open, close - open), std::move(row_edits));
    }
    edits.push_back({close, 0, copies});
  }
  if (edits.empty()) return {"", ""};
  return {ApplyEdits(sql, std::move(edits)), ""};
}

}  // namespace shardproxy::parser::corpus
