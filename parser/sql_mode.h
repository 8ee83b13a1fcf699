// SqlMode: the sql_mode bits that change how a statement is lexed or parsed.
//
// Only these four matter to parser/: everything else in @@sql_mode (STRICT_*,
// ONLY_FULL_GROUP_BY, ...) changes execution, not syntax. Bits() is part of
// the template-cache key, so the same text under two lexically different modes
// never shares a template.
#pragma once

#include <cctype>
#include <cstdint>
#include <string_view>

namespace shardproxy::parser {

struct SqlMode {
  bool ansi_quotes = false;           // "..." is an identifier, not a string
  bool no_backslash_escapes = false;  // '\' is an ordinary character inside strings
  bool pipes_as_concat = false;       // || is CONCAT, not OR
  bool ignore_space = false;          // "COUNT (x)" == "COUNT(x)": built-in names are reserved

  // bit 0 ansi_quotes, bit 1 no_backslash_escapes, bit 2 pipes_as_concat, bit 3 ignore_space.
  uint8_t Bits() const {
    return static_cast<uint8_t>((ansi_quotes ? 1 : 0) | (no_backslash_escapes ? 2 : 0) |
                                (pipes_as_concat ? 4 : 0) | (ignore_space ? 8 : 0));
  }
  static SqlMode FromBits(uint8_t bits) {
    SqlMode m;
    m.ansi_quotes = bits & 1;
    m.no_backslash_escapes = bits & 2;
    m.pipes_as_concat = bits & 4;
    m.ignore_space = bits & 8;
    return m;
  }

  // Parses the value of @@sql_mode (comma-separated, any case, spaces tolerated),
  // expanding MariaDB's combination modes: ANSI, ORACLE, POSTGRESQL, MSSQL, DB2 and
  // MAXDB all imply ANSI_QUOTES, PIPES_AS_CONCAT and IGNORE_SPACE. Unknown names
  // are ignored (they do not change lexing).
  static SqlMode FromString(std::string_view sql_mode_var) {
    SqlMode m;
    size_t i = 0;
    while (i <= sql_mode_var.size()) {
      size_t j = sql_mode_var.find(',', i);
      if (j == std::string_view::npos) j = sql_mode_var.size();
      std::string_view w = sql_mode_var.substr(i, j - i);
      while (!w.empty() && std::isspace(static_cast<unsigned char>(w.front()))) w.remove_prefix(1);
      while (!w.empty() && std::isspace(static_cast<unsigned char>(w.back()))) w.remove_suffix(1);
      if (EqualsNoCase(w, "ANSI_QUOTES")) {
        m.ansi_quotes = true;
      } else if (EqualsNoCase(w, "NO_BACKSLASH_ESCAPES")) {
        m.no_backslash_escapes = true;
      } else if (EqualsNoCase(w, "PIPES_AS_CONCAT")) {
        m.pipes_as_concat = true;
      } else if (EqualsNoCase(w, "IGNORE_SPACE")) {
        m.ignore_space = true;
      } else if (EqualsNoCase(w, "ANSI") || EqualsNoCase(w, "ORACLE") ||
                 EqualsNoCase(w, "POSTGRESQL") || EqualsNoCase(w, "MSSQL") ||
                 EqualsNoCase(w, "DB2") || EqualsNoCase(w, "MAXDB")) {
        m.ansi_quotes = m.pipes_as_concat = m.ignore_space = true;
      }
      i = j + 1;
    }
    return m;
  }

  bool operator==(const SqlMode& o) const { return Bits() == o.Bits(); }

 private:
  static bool EqualsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(a[k])) != b[k]) return false;
    }
    return true;
  }
};

}  // namespace shardproxy::parser
