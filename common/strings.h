// Small ASCII string helpers for SQL keywords and identifiers (case-insensitive
// compares as MariaDB's for keywords; identifiers' characters as its lexer's).
// Header-only, allocation-free.
#pragma once

#include <cctype>
#include <cstddef>
#include <string_view>

namespace shardproxy {

inline bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

inline bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

// The first position of `needle` in `s`, case-insensitively, or npos.
inline size_t IFind(std::string_view s, std::string_view needle) {
  if (needle.size() > s.size()) return std::string_view::npos;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (IEquals(s.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

// A character that can continue an unquoted identifier.
inline bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// `word` occurs in `text` as a whole identifier (not inside a longer one);
// `ignore_case` for keywords, exact for schema names.
inline bool ContainsWord(std::string_view text, std::string_view word, bool ignore_case) {
  if (word.empty() || word.size() > text.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    std::string_view at = text.substr(i, word.size());
    if (ignore_case ? !IEquals(at, word) : at != word) continue;
    const size_t end = i + word.size();
    if ((i == 0 || !IsIdentChar(text[i - 1])) && (end >= text.size() || !IsIdentChar(text[end])))
      return true;
  }
  return false;
}

}  // namespace shardproxy
