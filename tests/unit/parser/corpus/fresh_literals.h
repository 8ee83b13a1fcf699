// Fresh-literal variants of a statement, written from its Digest's literal
// offsets: every literal gets a different value of the same kind, every
// collapsed IN-list gets one item more or fewer, every collapsed VALUES slot one
// row more or fewer. The variant must share the original's digest text; the
// corpus test then checks that the cache-hit model (Bind of the original's
// template) equals a cold parse of the variant.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
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

// Start of the parenthesised row that contains the literal at `offset`: the
// unmatched '(' found scanning backwards. Between a row's '(' and its first
// literal there is no quoted text (it would be a literal itself).
inline size_t RowOpen(std::string_view sql, size_t offset) {
  int depth = 0;
  for (size_t i = offset; i-- > 0;) {
    if (sql[i] == ')') ++depth;
    if (sql[i] == '(') {
      if (depth == 0) return i;
      --depth;
    }
  }
  return std::string_view::npos;
}

// One past the ')' closing the row whose last literal ends at `end`.
inline size_t RowClose(std::string_view sql, size_t end) {
  int depth = 0;
  for (size_t i = end; i < sql.size(); ++i) {
    if (sql[i] == '(') ++depth;
    if (sql[i] == ')') {
      if (depth == 0) return i + 1;
      --depth;
    }
  }
  return std::string_view::npos;
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
    const Literal& last_first = lits[(rows - 1) * width];
    const Literal& last_last = lits[rows * width - 1];
    size_t row_open = RowOpen(sql, last_first.intro_offset);
    size_t row_close = RowClose(sql, last_last.offset + last_last.length);
    if (row_open == std::string_view::npos || row_close == std::string_view::npos) {
      return {"", "cannot find the parentheses of the last VALUES row"};
    }
    if (grow || rows == 1) {
      for (uint32_t i = 0; i < slot.count; ++i) {
        edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
      }
      // Copy of the last row with fresh literals, appended after it.
      std::vector<Edit> row_edits;
      for (uint32_t i = (rows - 1) * width; i < rows * width; ++i) {
        row_edits.push_back({lits[i].offset - row_open, lits[i].length,
                             FreshLiteral(sql, lits[i], ++salt)});
      }
      std::string row =
          ApplyEdits(sql.substr(row_open, row_close - row_open), std::move(row_edits));
      edits.push_back({row_close, 0, ", " + row});
    } else {
      for (uint32_t i = 0; i < (rows - 1) * width; ++i) {
        edits.push_back({lits[i].offset, lits[i].length, FreshLiteral(sql, lits[i], ++salt)});
      }
      const Literal& prev_last = lits[(rows - 1) * width - 1];
      size_t prev_close = RowClose(sql, prev_last.offset + prev_last.length);
      if (prev_close == std::string_view::npos || prev_close > row_open) {
        return {"", "cannot find the end of the previous VALUES row"};
      }
      edits.push_back({prev_close, row_close - prev_close, ""});
    }
  }
  return {ApplyEdits(sql, std::move(edits)), ""};
}

}  // namespace shardproxy::parser::corpus
