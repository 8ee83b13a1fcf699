#include "proxy/session/charset_guard.h"

#include <array>

#include "common/errors.h"

namespace shardproxy::session {

namespace {

// Collation ids (1..255, the handshake's byte) of the refused character sets.
struct RefusedCollation {
  uint8_t id;
  const char* charset;
};
constexpr std::array<RefusedCollation, 8> kRefusedCollations = {{
    {1, "big5"},    // big5_chinese_ci
    {84, "big5"},   // big5_bin
    {13, "sjis"},   // sjis_japanese_ci
    {88, "sjis"},   // sjis_bin
    {28, "gbk"},    // gbk_chinese_ci
    {87, "gbk"},    // gbk_bin
    {95, "cp932"},  // cp932_japanese_ci
    {96, "cp932"},  // cp932_bin
}};
constexpr std::array<const char*, 4> kRefusedCharsets = {"big5", "gbk", "sjis", "cp932"};

}  // namespace

std::optional<std::string> RefusedCharsetOfCollation(uint16_t collation_id) {
  if (collation_id >= 1024) collation_id = static_cast<uint16_t>(collation_id - 1024);
  for (const auto& c : kRefusedCollations) {
    if (c.id == collation_id) return std::string(c.charset);
  }
  return std::nullopt;
}

std::optional<std::string> RefusedCharsetOfName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  if (lower.size() >= 2 &&
      (lower.front() == '\'' || lower.front() == '"' || lower.front() == '`') &&
      lower.back() == lower.front()) {
    lower = lower.substr(1, lower.size() - 2);
  }
  // A collation name starts with its charset's name and '_'.
  std::string_view charset = lower;
  if (size_t u = charset.find('_'); u != std::string_view::npos) charset = charset.substr(0, u);
  for (const char* bad : kRefusedCharsets) {
    if (charset == bad) return std::string(bad);
  }
  return std::nullopt;
}

Status RefusedCharsetError(std::string_view charset) {
  return Status::Error(
      errors::kUnknownCharset.code, errors::kUnknownCharset.sqlstate,
      "shardproxy: character set '" + std::string(charset) +
          "' is not supported: its multi-byte characters can contain the byte 0x5C (backslash), "
          "which the SQL lexer cannot read safely; connect with utf8mb4");
}

}  // namespace shardproxy::session
