#include "proxy/session/kill_matcher.h"

#include <cctype>
#include <cstdint>

namespace shardproxy::session {

namespace {

// Cursor over the SQL text that skips whitespace and comments between tokens.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  // Skips whitespace and comments. Returns false on an unterminated /* comment.
  bool SkipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '#' || (c == '-' && Peek(1) == '-' &&
                              (pos_ + 2 >= s_.size() ||
                               std::isspace(static_cast<unsigned char>(s_[pos_ + 2]))))) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '/' && Peek(1) == '*') {
        // MariaDB executable comments (/*! ... */, /*M! ... */) would hide
        // code: treat them as not-a-comment so the statement is unsupported.
        if (Peek(2) == '!' || Peek(2) == 'M') return false;
        size_t end = s_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) return false;
        pos_ = end + 2;
      } else {
        break;
      }
    }
    return true;
  }

  // The next word of letters/digits/underscore (may be empty).
  std::string_view Word() {
    size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
      ++pos_;
    return s_.substr(start, pos_ - start);
  }

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Cur() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void Advance() { ++pos_; }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

 private:
  char Peek(size_t k) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  std::string_view s_;
  size_t pos_ = 0;
};

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

KillRequest MatchKill(std::string_view sql) {
  KillRequest r;
  Scanner sc(sql);
  if (!sc.SkipSpace()) return r;
  if (!IEquals(sc.Word(), "KILL")) return r;
  // From here on the statement is a KILL: anything we do not understand is
  // kUnsupported rather than relayed.
  r.kind = KillRequest::Kind::kUnsupported;
  // "KILL" must be followed by a separator, not e.g. "KILLER".
  if (!sc.AtEnd() && !std::isspace(static_cast<unsigned char>(sc.Cur())) && sc.Cur() != '/' &&
      sc.Cur() != '#' && sc.Cur() != '-')
    return KillRequest{};
  if (!sc.SkipSpace()) return r;
  std::string_view w = sc.Word();
  if (IEquals(w, "HARD") || IEquals(w, "SOFT")) {
    if (!sc.SkipSpace()) return r;
    w = sc.Word();
  }
  bool query_only = false;
  if (IEquals(w, "QUERY")) {
    query_only = true;
    if (!sc.SkipSpace()) return r;
    w = sc.Word();
  } else if (IEquals(w, "CONNECTION")) {
    if (!sc.SkipSpace()) return r;
    w = sc.Word();
  }
  // w must be the id: digits only.
  if (w.empty() || w.size() > 20) return r;
  uint64_t id = 0;
  for (char c : w) {
    if (c < '0' || c > '9') return r;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (id > (UINT64_MAX - d) / 10) return r;  // overflow
    id = id * 10 + d;
  }
  if (!sc.SkipSpace()) return r;
  if (sc.Cur() == ';') {
    sc.Advance();
    if (!sc.SkipSpace()) return r;
  }
  if (!sc.AtEnd()) return r;
  r.kind = KillRequest::Kind::kKill;
  r.query_only = query_only;
  r.id = id;
  return r;
}

bool ContainsKillStatement(std::string_view sql) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t i = 0; i + 4 <= sql.size(); ++i) {
    if (!IEquals(sql.substr(i, 4), "KILL")) continue;
    if (i > 0 && is_word(sql[i - 1])) continue;
    if (i + 4 < sql.size() && is_word(sql[i + 4])) continue;
    size_t j = i;
    while (j > 0 && std::isspace(static_cast<unsigned char>(sql[j - 1]))) --j;
    if (j == 0) return true;
    if (sql[j - 1] == ';') return true;
    while (j > 0 && std::isdigit(static_cast<unsigned char>(sql[j - 1]))) --j;
    if (j >= 3 && sql.substr(j - 3, 3) == "/*!") return true;
    if (j >= 4 && (sql.substr(j - 4, 4) == "/*M!" || sql.substr(j - 4, 4) == "/*m!")) return true;
  }
  return false;
}

}  // namespace shardproxy::session
