// Client collation ids -> ids MariaDB 10.11 knows.
//
// MySQL 8 clients announce utf8mb4_0900_ai_ci (255) in the handshake, and
// its language/accent variants (256..323) in COM_CHANGE_USER's 2-byte field.
// MariaDB 10.11 has no UCA 9.0.0 collations; we pick the nearest it has:
//   *_0900_ai_ci / *_0900_as_ci (case- and/or accent-insensitive) -> the
//     UCA-based utf8mb4 collation of the same language
//     (utf8mb4_unicode_520_ci 246 when there is no language one);
//   *_0900_as_cs / utf8mb4_0900_bin (case- and accent-sensitive)  -> utf8mb4_bin 46.
// Every other id (0..254: the ids MySQL and MariaDB share) passes through
// unchanged; the backend decides about ids it does not know.
#pragma once

#include <cstdint>
#include <string_view>

namespace shardproxy::session {

inline constexpr uint8_t kUtf8mb4GeneralCi = 45;
inline constexpr uint8_t kUtf8mb4Bin = 46;
inline constexpr uint8_t kUtf8mb4Unicode520Ci = 246;

// The collation id to use towards MariaDB for a client's id.
uint8_t MapClientCollation(uint16_t client_id);

// The character set of a collation id as MariaDB numbers them ("latin1",
// "utf8mb3", "utf8mb4", "binary"), or "unknown" for the others (the router then
// never pins a string literal to one vpart).
std::string_view CharsetOfCollation(uint8_t collation_id);

}  // namespace shardproxy::session
