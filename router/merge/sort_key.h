// Ordering values as MariaDB does, by normalized keys: each value is encoded
// into bytes whose memcmp order is MariaDB's order for the column's type
// (numbers by value, strings by collation weights with PAD SPACE, temporal
// values by time), and whose byte equality is MariaDB's `=` (`'a' = 'A '`
// under utf8mb4_general_ci). A row's key is the concatenation of its sort
// columns' encodings, each self-delimiting, DESC columns bit-inverted; NULL
// sorts first in ASC and last in DESC. The heap, DISTINCT and the group maps
// all compare these bytes.
//
// The encodings (not stored anywhere, free to change):
//   every value:   0x00 NULL | 0x01 then the value
//   exact number:  sign byte (0 negative, 1 zero, 2 positive); non-zero: the
//                  decimal exponent E (value = 0.d1d2.. * 10^E) as a 4-byte
//                  sign-flipped big-endian int, the significant digits d+1,
//                  then 0x00; all bit-inverted for negatives
//   real:          IEEE-754 bits made order-preserving (-0 = 0)
//   collated:      the collation's weights (router/vpart/collation.h) as
//                  segments "k spaces then one non-space weight w": a header
//                  byte (w below the space weight: k ascending in 0x00..0x3F;
//                  above: k descending in 0xC0..0xFF; 4 more bytes for k >= 63)
//                  then w; 0x80 ends. This is PAD SPACE ordering exactly:
//                  'a\t' < 'a' = 'a ' < 'a b'.
//   bytes:         the bytes with 0x00 as 0x00 0xFF, then 0x00 0x00
//   date/datetime: 8-byte big-endian packed y,m,d,h,m,s,us
//   time:          8-byte sign-flipped microseconds
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "router/merge/value.h"

namespace shardproxy::router::vpart {
struct Collation;
}

namespace shardproxy::router::merge {

struct SortKey {
  uint32_t column = 0;      // index into the row
  bool descending = false;  // DESC
  nlohmann::json ToJson() const;
};

// Encodes the values of one column. Cheap to copy; not thread-safe (a scratch buffer).
class ValueEncoder {
 public:
  // ERR 1235 for columns the merge cannot order (ENUM/SET, GEOMETRY, an
  // unsupported collation or character set).
  static Result<ValueEncoder> Make(const ColumnType& type);

  ValueClass value_class() const { return class_; }
  // Appends c's encoding (bit-inverted when descending). ERR 1105 when the
  // value is not a value of the column's type ("abc" in an INT column,
  // bytes that are not the column's character set).
  Status Append(Cell c, bool descending, std::string* out) const;

 private:
  ValueClass class_ = ValueClass::kBytes;
  const vpart::Collation* collation_ = nullptr;  // kCollated
  uint8_t bytes_charset_ = 0;                    // vpart::Charset of the cells (kCollated)
  std::string space_weight_;                     // kCollated: the weight of U+0020
  mutable std::u32string scratch_cps_;
  mutable std::string scratch_weights_;
};

// Encodes the sort keys of a row.
class KeyEncoder {
 public:
  KeyEncoder() = default;  // no keys: every row's key is empty
  // Every key's column must be < columns.size().
  static Result<KeyEncoder> Make(std::vector<SortKey> keys, const std::vector<ColumnType>& columns);

  // Replaces *out with the key of row (row.size() must exceed every key column).
  Status Encode(Row row, std::string* out) const;
  const std::vector<SortKey>& keys() const { return keys_; }

 private:
  std::vector<SortKey> keys_;
  std::vector<ValueEncoder> encoders_;  // one per key
};

// MariaDB's comparison of two values of one column: <0, 0, >0 (NULL first).
// Builds an encoder per call: for tests and one-off comparisons; loops keep a
// ValueEncoder.
Result<int> CompareValues(const ColumnType& type, Cell a, Cell b);

}  // namespace shardproxy::router::merge
