// Column Definition (Protocol::ColumnDefinition41), one packet per column in
// result-set metadata, COM_STMT_PREPARE responses and COM_FIELD_LIST.
//
//   string<lenenc> catalog      (always "def")
//   string<lenenc> schema
//   string<lenenc> table        (alias)
//   string<lenenc> org_table
//   string<lenenc> name         (alias)
//   string<lenenc> org_name
//   [MariaDB, if caps & kMariaDbClientExtendedMetadata]
//     string<lenenc> extended info: repeated { int<1> kind (0 type name, 1 format),
//                                              string<lenenc> value }
//   int<lenenc>    length of the fixed fields (always 0x0C)
//   int<2>         character set / collation id
//   int<4>         column_length (max display length)
//   int<1>         type (MYSQL_TYPE_*)
//   int<2>         flags (NOT_NULL=1, PRI_KEY=2, ..., UNSIGNED=32, BINARY=128, ...)
//   int<1>         decimals
//   int<2>         filler 0x00 0x00
//   [COM_FIELD_LIST only] string<lenenc> default values
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::protocol {

// MYSQL_TYPE_* values (the ones the proxy looks at).
enum FieldType : uint8_t {
  kTypeDecimal = 0,
  kTypeTiny = 1,
  kTypeShort = 2,
  kTypeLong = 3,
  kTypeFloat = 4,
  kTypeDouble = 5,
  kTypeNull = 6,
  kTypeTimestamp = 7,
  kTypeLongLong = 8,
  kTypeInt24 = 9,
  kTypeDate = 10,
  kTypeTime = 11,
  kTypeDateTime = 12,
  kTypeYear = 13,
  kTypeNewDate = 14,
  kTypeVarchar = 15,
  kTypeBit = 16,
  kTypeJson = 245,
  kTypeNewDecimal = 246,
  kTypeEnum = 247,
  kTypeSet = 248,
  kTypeTinyBlob = 249,
  kTypeMediumBlob = 250,
  kTypeLongBlob = 251,
  kTypeBlob = 252,
  kTypeVarString = 253,
  kTypeString = 254,
  kTypeGeometry = 255,
};

// Column flags.
inline constexpr uint16_t kFlagNotNull = 1;
inline constexpr uint16_t kFlagPriKey = 2;
inline constexpr uint16_t kFlagUniqueKey = 4;
inline constexpr uint16_t kFlagMultipleKey = 8;
inline constexpr uint16_t kFlagBlob = 16;
inline constexpr uint16_t kFlagUnsigned = 32;
inline constexpr uint16_t kFlagZerofill = 64;
inline constexpr uint16_t kFlagBinary = 128;
inline constexpr uint16_t kFlagEnum = 256;
inline constexpr uint16_t kFlagAutoIncrement = 512;
inline constexpr uint16_t kFlagTimestamp = 1024;
inline constexpr uint16_t kFlagSet = 2048;
inline constexpr uint16_t kFlagNum = 32768;

// A column definition decoded without copying: every string is a view into
// the parsed payload (the caller keeps it alive while it uses the view).
// ColumnDefinition41::Parse is this plus copies.
struct ColumnDefinitionView {
  std::string_view catalog;
  std::string_view schema;
  std::string_view table;
  std::string_view org_table;
  std::string_view name;
  std::string_view org_name;
  std::string_view extended_metadata;  // see ColumnDefinition41
  uint16_t charset = 0;
  uint32_t column_length = 0;
  uint8_t type = 0;
  uint16_t flags = 0;
  uint8_t decimals = 0;
  std::optional<std::string_view> default_values;

  // caps: only kMariaDbClientExtendedMetadata matters. Malformed -> ERR 1158.
  static Result<ColumnDefinitionView> Parse(std::string_view payload, uint64_t caps = 0);
};

struct ColumnDefinition41 {
  std::string catalog = "def";
  std::string schema;
  std::string table;
  std::string org_table;
  std::string name;
  std::string org_name;
  // Raw contents of the MariaDB extended-metadata lenenc string (present only
  // when parsed/serialized with kMariaDbClientExtendedMetadata; may be empty).
  std::string extended_metadata;
  uint16_t charset = 0;
  uint32_t column_length = 0;
  uint8_t type = 0;
  uint16_t flags = 0;
  uint8_t decimals = 0;
  // COM_FIELD_LIST responses append the column's default value.
  std::optional<std::string> default_values;

  // caps: only kMariaDbClientExtendedMetadata matters.
  std::string Serialize(uint64_t caps = 0) const;
  static Result<ColumnDefinition41> Parse(std::string_view payload, uint64_t caps = 0);
};

}  // namespace shardproxy::protocol
