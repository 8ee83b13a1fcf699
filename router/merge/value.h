// Rows and columns as the merge engine sees them (library sp_router_merge).
//
// A row is a span of cells; a cell is NULL or the bytes of one value as the
// TEXT protocol sends it ("42", "-1.50", "2024-01-02 03:04:05.5", "abc").
// Binary-protocol rows are converted to this form by the row codec before they
// reach the merge. Cells never own bytes: whoever builds a row keeps its bytes
// alive as long as the API that takes it says (stream_merger.h, result_merger.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/errors.h"
#include "common/status.h"

namespace shardproxy::router::merge {

class Cell {
 public:
  Cell() = default;  // NULL
  explicit Cell(std::string_view value) : data_(value.data()), size_(value.size()), null_(false) {}
  static Cell Null() { return Cell(); }

  bool is_null() const { return null_; }
  std::string_view value() const { return {data_, size_}; }  // "" for NULL

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool null_ = true;
};
using Row = std::span<const Cell>;

// MYSQL_TYPE_* codes (the column definition's type byte; the same numbers as
// proxy/protocol/column_definition.h, repeated so router/ does not depend on proxy/).
namespace mysql_type {
inline constexpr uint8_t kDecimal = 0, kTiny = 1, kShort = 2, kLong = 3, kFloat = 4, kDouble = 5,
                         kNull = 6, kTimestamp = 7, kLongLong = 8, kInt24 = 9, kDate = 10,
                         kTime = 11, kDateTime = 12, kYear = 13, kNewDate = 14, kVarchar = 15,
                         kBit = 16, kJson = 245, kNewDecimal = 246, kEnum = 247, kSet = 248,
                         kTinyBlob = 249, kMediumBlob = 250, kLongBlob = 251, kBlob = 252,
                         kVarString = 253, kString = 254, kGeometry = 255;
}  // namespace mysql_type

// One column of the rows being merged: what its values are compared as.
struct ColumnType {
  uint8_t mysql_type = mysql_type::kVarString;  // MYSQL_TYPE_*
  bool is_unsigned = false;                     // UNSIGNED_FLAG (integers; informational)
  uint8_t decimals = 0;                         // the column definition's decimals
  // The collation strings are ordered by (utf8mb4_general_ci, latin1_bin,
  // "binary" for BINARY/VARBINARY/BLOB, ...). Note: a column definition's
  // character set number is the result's (character_set_results) collation,
  // not necessarily the column's: the planner should take the column's
  // collation from the schema. Empty: collation_id decides.
  std::string collation;
  uint16_t collation_id = 0;  // used when `collation` is empty: 45, 46, 224, 33, 83, 192, 8, 47, 63
  // The character set the cells' bytes are in (character_set_results):
  // "utf8mb4", "latin1", ...; empty: the collation's own.
  std::string charset;
  bool enum_or_set = false;  // ENUM_FLAG / SET_FLAG: sorted by index, which the text lacks: refused

  static ColumnType Int(bool is_unsigned = false) {
    return {mysql_type::kLongLong, is_unsigned, 0, "", 0, "", false};
  }
  static ColumnType Decimal(uint8_t scale) {
    return {mysql_type::kNewDecimal, false, scale, "", 0, "", false};
  }
  static ColumnType Double() { return {mysql_type::kDouble, false, 31, "", 0, "", false}; }
  static ColumnType String(std::string collation) {
    return {mysql_type::kVarString, false, 0, std::move(collation), 0, "", false};
  }
  static ColumnType Of(uint8_t type, uint8_t decimals = 0) {
    return {type, false, decimals, "", 0, "", false};
  }
};

// How values of a column compare (from ColumnType::mysql_type and collation).
enum class ValueClass : uint8_t {
  kExactNumber,  // integers, YEAR, DECIMAL: exact decimal value, any length
  kReal,         // FLOAT, DOUBLE: as double
  kCollated,     // CHAR, VARCHAR, TEXT, JSON: weights of the collation, PAD SPACE
  kBytes,        // BINARY, VARBINARY, BLOB, BIT: bytewise, no padding
  kDateTime,     // DATE, DATETIME, TIMESTAMP (as the session's time zone shows it)
  kTime,         // TIME, negative and beyond 24 h
  kNull,         // MYSQL_TYPE_NULL: every value is NULL
};
const char* ValueClassName(ValueClass c);

// The proxy's errors for merges (to be listed in common/errors.h and
// docs/ERRORS.md when the merge is wired in).
// ER_OUT_OF_SORTMEMORY: an in-memory group merge past its byte limit.
inline constexpr errors::Code kMergeMemoryExceeded{1038, "HY001"};
// ER_NOT_SUPPORTED_YET: LIMIT past the cap, a column type the merge cannot
// order (ENUM, SET, GEOMETRY), an unsupported collation.
inline constexpr errors::Code kMergeUnsupported = errors::kNotSupportedYet;
// ER_UNKNOWN_ERROR: a backend value the merge cannot read as its column's type.
inline constexpr errors::Code kMergeBadValue = errors::kUnknownError;

inline Status MergeError(errors::Code code, std::string message) {
  return Status::Error(code.code, code.sqlstate, std::move(message));
}

}  // namespace shardproxy::router::merge
