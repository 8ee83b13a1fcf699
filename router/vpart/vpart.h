// The shard-key hash: which vpart a row (or a compared value) belongs to.
//
//   vpart = XXH3_64bits(canonical bytes of the key value) % vpart_count
//
// Only the proxy computes it (backends store no vpart column). The canonical
// bytes are specified exactly in docs/SHARDING.md ("Canonical bytes"), so that
// tests and tools can compute a row's vpart too. Two values that MariaDB says
// are equal under the key column's type and collation have the same canonical
// bytes; distinct non-NULL values have distinct canonical bytes.
//
// Pure: no I/O, no global state besides the collation tables (built once, on
// first use, thread-safe). Safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "parser/digest/digest.h"

namespace shardproxy::router {

inline constexpr uint32_t kDefaultVpartCount = 1024;

enum class KeyType : uint8_t {
  kInteger,   // TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, signed or unsigned
  kDecimal,   // DECIMAL(M,D) / NUMERIC
  kDate,      // DATE
  kDateTime,  // DATETIME(p). (TIMESTAMP is refused: its value depends on the session time_zone.)
  kString,    // CHAR(n), VARCHAR(n) with a supported collation
  kBinary,    // BINARY(n), VARBINARY(n)
};
const char* KeyTypeName(KeyType t);  // "integer", "decimal", ...

// What the proxy knows about a shard-key column.
struct KeyColumn {
  KeyType type = KeyType::kInteger;
  bool is_unsigned = false;   // kInteger, kDecimal
  uint32_t scale = 0;         // kDecimal: D of DECIMAL(M,D)
  std::string collation;      // kString: e.g. "utf8mb4_general_ci"; "" for every other type
  uint8_t int_bytes = 8;      // kInteger: 1 TINYINT, 2 SMALLINT, 3 MEDIUMINT, 4 INT, 8 BIGINT
  uint32_t precision = 0;     // kDecimal: M; kDateTime: fractional-second digits p (0..6)
  uint32_t length = 0;        // kString: max characters; kBinary: max bytes (0: not checked)
  bool fixed_length = false;  // CHAR / BINARY (BINARY(n) stores values right-padded with 0x00)
  std::string name;           // the column's name, for messages ("" when unknown)

  // From information_schema.COLUMNS of the backend: DATA_TYPE ("int"),
  // COLUMN_TYPE ("int(10) unsigned", "decimal(10,2)", "varchar(64)",
  // "datetime(3)"), NUMERIC_SCALE (-1 for NULL) and COLLATION_NAME ("" for
  // NULL). Refused with ERR 1235 (42000) naming the column and its type and
  // saying what to use instead: FLOAT/DOUBLE, TEXT/BLOB, JSON, TIMESTAMP,
  // YEAR/TIME, BIT, ENUM/SET, spatial types, and strings whose collation is not
  // one of SupportedKeyCollations().
  static Result<KeyColumn> FromColumnInfo(std::string_view data_type, std::string_view column_type,
                                          int64_t numeric_scale, std::string_view collation_name,
                                          std::string_view column_name = {});

  // "int unsigned", "decimal(10,2)", "varchar(20) utf8mb4_general_ci", "binary(16)".
  std::string ToString() const;
};

// The collations a kString key may have, comma-separated (for messages and docs).
std::string_view SupportedKeyCollations();

// What the router knows about one value compared with (or stored into) the
// key: a literal from the parser (kind + unquoted text as in
// parser::Value::text, `negative` for unary minus), or a bound
// prepared-statement parameter converted to the same form (integers as
// decimal text with kind kInteger, DECIMAL as kDecimal text, DOUBLE as kFloat
// text, strings as bytes in utf8mb4 with kind kString, dates as kString
// 'YYYY-MM-DD hh:mm:ss.ffffff').
struct KeyValue {
  parser::LiteralKind kind = parser::LiteralKind::kString;
  std::string_view text;  // caller keeps it alive during the call
  bool negative = false;  // unary minus applied directly to the literal
  bool is_null = false;   // NULL (kind and text ignored)
  // kString: the character set `text` is in: the literal's introducer
  // ("utf8mb4", "latin1", "binary", ...), "N" for N'..', else the session's
  // character_set_connection (the caller must set it: a latin1 session's bytes
  // read as utf8mb4 would hash wrongly). "" means utf8mb4 (bound parameters).
  // kHex: the introducer only ("" for a plain hex literal, a binary string).
  std::string_view charset;
  // parser::Value::typed: "DATE", "TIME" or "TIMESTAMP" for DATE '..' etc.; else "".
  std::string_view typed;
};

// How the value is used: the two differ where MariaDB converts a value on
// INSERT differently from how it compares it (DECIMAL rounding, DATE
// truncation, BINARY padding).
enum class KeyPurpose : uint8_t {
  kCompare,  // WHERE key = v, key IN (..), JOIN .. ON key = v: MariaDB's comparison
  kStore,    // INSERT/REPLACE VALUES, SET key = v: the value MariaDB would store
};

enum class KeyVerdict : uint8_t {
  kOneVpart,    // `bytes` are the canonical bytes: every matching row is in VpartOf(bytes)
  kNeverEqual,  // kCompare only: no value the key column can hold equals v (4.5 or 300 for a
                //   TINYINT key, -1 for UNSIGNED, '2024-01-05 10:00:00' for a DATE key):
                //   every group finds nothing. Route to all groups (or answer empty).
  kAllGroups,   // kCompare only: v may equal key values, but not provably exactly one canonical
                //   value ('42abc', 'abc' (= 0), a FLOAT literal, a value outside the documented
                //   forms or character sets): route to all groups.
};
const char* KeyVerdictName(KeyVerdict v);  // "one_vpart", "never_equal", "all_groups"

struct CanonicalKey {
  KeyVerdict verdict = KeyVerdict::kOneVpart;
  std::string bytes;   // kOneVpart: the canonical bytes (may be empty: NULL, '')
  std::string reason;  // kNeverEqual / kAllGroups: why, for EXPLAIN SHARDING and logs
};

// The canonical bytes of v for key column col (docs/SHARDING.md).
//   kCompare: a CanonicalKey with any verdict; a non-OK Status only for a [BUG].
//   kStore:   verdict is always kOneVpart; a non-OK Status when MariaDB (in
//             strict mode) would refuse the value or when what it would store
//             is not predictable from the value alone (the message says what to
//             write instead): 1264 (22003) out of range, 1366 (HY000) not a
//             valid value / character of the column, 1406 (22001) too long,
//             1235 (42000) a form the proxy does not route (a date form outside
//             the documented ones, a FLOAT literal for DECIMAL, ...).
// NULL has the empty canonical bytes (for both purposes: `key = NULL` matches
// no row anywhere, `key <=> NULL` finds the NULL rows in VpartOf("")).
Result<CanonicalKey> CanonicalKeyBytes(const KeyColumn& col, const KeyValue& v,
                                       KeyPurpose purpose = KeyPurpose::kCompare);

// XXH3_64bits(canonical_bytes) % vpart_count. vpart_count must be > 0 (0 gives 0).
uint32_t VpartOf(std::string_view canonical_bytes, uint32_t vpart_count = kDefaultVpartCount);

// MariaDB's WEIGHT_STRING(CONVERT(s USING <collation's charset>) COLLATE collation)
// for a utf8mb4 string s, trailing spaces included (tests compare it with the
// server). Fails (1366) when s is not well-formed utf8mb4 or has a character the
// collation's character set lacks, 1235 for an unsupported collation.
Result<std::string> WeightString(std::string_view collation, std::string_view utf8mb4);

}  // namespace shardproxy::router
