// COM_STMT_EXECUTE request (client -> server): decoded so the router can route
// an execute by its bound shard-key values, and re-encoded for a backend
// connection (another statement id; the parameter types always included, for
// a connection that never saw the execute that first bound them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace shardproxy::protocol {

// COM_STMT_EXECUTE payload (num_params comes from the COM_STMT_PREPARE OK):
//   int<1>  0x17
//   int<4>  statement_id     (MariaDB >= 10.2: 0xFFFFFFFF = the statement prepared
//                             last on this connection; the caller maps it)
//   int<1>  flags            cursor type (kCursorType* in command.h); kept verbatim
//   int<4>  iteration_count  always 1
//   if num_params > 0:
//     byte<(num_params + 7) / 8>  NULL bitmap: bit (i % 8) of byte (i / 8) set = param i is NULL
//     int<1>  new_params_bound_flag: 1 = types follow; 0 = the types of the previous
//             execute of this statement (MariaDB rejects any other value)
//     if new_params_bound_flag == 1, num_params times:
//       int<1> type (MYSQL_TYPE_*), int<1> flags (0x80 = unsigned; no other bit allowed)
//     for each param that is neither NULL nor sent with COM_STMT_SEND_LONG_DATA
//     (a long-data param has no value here even if its NULL bit is set):
//       the value in the binary protocol encoding of its type:
//         TINY                       int<1>
//         SHORT, YEAR                int<2>
//         LONG, INT24                int<4>
//         LONGLONG                   int<8>
//         FLOAT                      4-byte IEEE 754, little-endian
//         DOUBLE                     8-byte IEEE 754, little-endian
//         DATE, NEWDATE, DATETIME,   int<1> length (0, 4, 7 or 11), then
//         TIMESTAMP                    if length >= 4:  int<2> year, int<1> month, int<1> day
//                                      if length >= 7:  int<1> hour, int<1> min, int<1> sec
//                                      if length == 11: int<4> microsecond
//         TIME                       int<1> length (0, 8 or 12), then
//                                      if length >= 8:  int<1> is_negative, int<4> days,
//                                                       int<1> hour, int<1> min, int<1> sec
//                                      if length == 12: int<4> microsecond
//         DECIMAL, NEWDECIMAL,       string<lenenc>
//         VARCHAR, BIT, JSON, ENUM, SET, TINY/MEDIUM/LONG_BLOB, BLOB, VAR_STRING, STRING,
//         GEOMETRY
//         NULL                       nothing (its NULL bit must be set)
//   Bytes after the last value are ignored (as MariaDB does).
// Other type codes (e.g. TIMESTAMP2/DATETIME2/TIME2) are rejected, as MariaDB does.

// Type flag byte: the only bit a client may set.
inline constexpr uint8_t kParamFlagUnsigned = 0x80;

// (type, flags) of one parameter as sent with new_params_bound_flag = 1.
using ParamType = std::pair<uint8_t, uint8_t>;

struct BoundParam {
  uint8_t type = 0;          // MYSQL_TYPE_* (FieldType in column_definition.h)
  bool is_unsigned = false;  // type flag 0x80
  bool is_null = false;      // its bit in the NULL bitmap
  bool long_data = false;    // sent with COM_STMT_SEND_LONG_DATA: no value in this packet
  // The raw binary-protocol bytes of the value (length prefix included for the
  // lenenc and temporal types); empty when is_null or long_data. A view into the
  // parsed payload: the caller keeps that payload alive while it uses this.
  std::string_view value;
};

struct StmtExecute {
  uint32_t statement_id = 0;
  uint8_t flags = 0;
  uint32_t iteration_count = 1;
  bool new_params_bound = false;  // the packet carried the types
  std::vector<BoundParam> params;
  size_t values_offset = 0;  // where the values start in the payload
  size_t values_end = 0;     // one past the last value's last byte (<= payload size)

  // Parses `payload` (the whole logical packet, command byte first).
  //   num_params:       from the statement's COM_STMT_PREPARE OK.
  //   remembered_types: the (type, flags) of the previous execute of this statement,
  //                     used when new_params_bound_flag is 0; must then hold exactly
  //                     num_params entries (empty = none remembered: ERR).
  //   long_data_sent:   [i] = param i got COM_STMT_SEND_LONG_DATA since the last
  //                     execute/reset; shorter than num_params = the rest did not.
  //                     (A std::vector<bool> does not convert: keep a bool array.)
  // Malformed or truncated -> ERR 1210 (HY000) "Incorrect arguments to
  // mysqld_stmt_execute", what MariaDB answers. Never reads out of bounds.
  static Result<StmtExecute> Parse(std::string_view payload, uint16_t num_params,
                                   std::span<const ParamType> remembered_types,
                                   std::span<const bool> long_data_sent = {});

  // The (type, flags) of every parameter: what to remember for the next execute.
  std::vector<ParamType> ParamTypes() const;

  // The packet as parsed: the same id, the types only if new_params_bound (for
  // a valid input, the bytes Parse read up to values_end).
  std::string Serialize() const;
  // The same execute for `statement_id`, always with new_params_bound_flag = 1
  // and the types, so a backend connection that never saw the first execute
  // gets them.
  std::string SerializeWithTypes(uint32_t statement_id) const;

 private:
  std::string SerializeImpl(uint32_t id, bool with_types) const;
};

// A parameter's value as text the router can hash.
struct ParamText {
  enum Kind {
    kInteger,  // decimal text, signed or unsigned per the type flag: "-5", "18446744073709551615"
    kDecimal,  // DECIMAL/NEWDECIMAL: the client's text, verbatim
    kFloat,    // FLOAT/DOUBLE: shortest text that round-trips (FLOAT as a float): "0.1", "1e+100"
    kString,   // strings, blobs, BIT, ENUM, SET, JSON, GEOMETRY: the bytes; temporals as text
    kNull,     // NULL bit set, or the NULL type
  };
  Kind kind = kNull;
  std::string text;
};

// Temporal text (kString, as the same literal in a text-protocol query):
//   DATE/NEWDATE          'YYYY-MM-DD' (time fields, if sent, are ignored as MariaDB does)
//   DATETIME/TIMESTAMP    'YYYY-MM-DD hh:mm:ss' plus '.ffffff' when the microseconds are not 0
//   TIME                  '[-]hh:mm:ss[.ffffff]', hours = days * 24 + hour (may exceed 24;
//                         not clamped to 838); no '-' on a zero time
//   A zero-length value is the zero value ('0000-00-00', '0000-00-00 00:00:00', '00:00:00').
// Errors: a long-data param (ERR 1235: its value is not in the packet), bytes
// that do not match the type or microseconds > 999999 (ERR 1210).
Result<ParamText> ParamAsText(const BoundParam& p);

}  // namespace shardproxy::protocol
