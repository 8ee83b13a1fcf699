// Result-set encoder: column definitions + text rows -> packet payloads, for
// result sets the proxy produces itself (EXPLAIN SHARDING, SELECT
// CONNECTION_ID(), later the admin interface and merged results).
//
// Text protocol result set (COM_QUERY response), as the client expects it:
//   int<lenenc>  column_count                       (one packet)
//   ColumnDefinition41 x column_count               (one packet each, column_definition.h)
//   [without CLIENT_DEPRECATE_EOF] EOF_Packet       (0xFE, warnings, status)
//   ResultsetRow x N                                 (one packet each)
//       per column: string<lenenc> value, or 0xFB for NULL
//   terminator:
//     without CLIENT_DEPRECATE_EOF: EOF_Packet (0xFE, int<2> warnings, int<2> status)
//     with it: OK_Packet with header 0xFE (0xFE, lenenc 0 affected, lenenc 0
//              last_insert_id, int<2> status, int<2> warnings)
//
// Entry points: ResultSetWriter (streaming, one packet at a time, appended
// framed to an output buffer) and the payload builders it uses.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/protocol/column_definition.h"

namespace shardproxy::protocol {

// A column of a text result set with MariaDB's usual metadata for a string
// expression: utf8mb4_general_ci (45), VAR_STRING, column_length in bytes
// (max_chars * 4), nullable, decimals 39 (MariaDB's "not fixed").
ColumnDefinition41 TextColumn(std::string_view name, uint32_t max_chars = 255);

// Payload builders.
std::string ColumnCountPayload(uint64_t count);
// Metadata of an unsigned integer column as MariaDB sends it for
// CONNECTION_ID(): LONG, binary (63), length 10, NOT_NULL|UNSIGNED|BINARY.
ColumnDefinition41 UnsignedIntColumn(std::string_view name);
// A BIGINT as MariaDB sends it for ROW_COUNT() / LAST_INSERT_ID(): LONGLONG,
// binary (63), length 21, NOT_NULL|BINARY (|UNSIGNED).
ColumnDefinition41 BigIntColumn(std::string_view name, bool is_unsigned);
// A text row; nullopt is SQL NULL (0xFB).
std::string TextRowPayload(std::span<const std::optional<std::string_view>> values);
// The terminator after the rows: EOF_Packet, or OK(0xFE) under CLIENT_DEPRECATE_EOF.
std::string ResultSetEndPayload(uint64_t client_caps, uint16_t status_flags, uint16_t warnings);

// Appends a whole text result set, framed, to `out`. Usage:
//   ResultSetWriter w(&out, client_caps, /*first seq=*/1);
//   w.Begin(columns, status); w.Row({...}); ...; w.End(status_flags);
// The caller keeps `out` alive while the writer is used; seq() is the next
// sequence id (e.g. for a following packet).
class ResultSetWriter {
 public:
  ResultSetWriter(std::string* out, uint64_t client_caps, uint8_t first_seq);

  // Column count + column definitions (+ EOF carrying status_flags without
  // CLIENT_DEPRECATE_EOF).
  void Begin(std::span<const ColumnDefinition41> columns, uint16_t status_flags);
  void Row(std::span<const std::optional<std::string_view>> values);
  void Row(std::initializer_list<std::optional<std::string_view>> values) {
    Row(std::span<const std::optional<std::string_view>>(values.begin(), values.size()));
  }
  // The terminator. status_flags: the session's (autocommit, in-transaction);
  // SERVER_MORE_RESULTS_EXISTS when another result follows.
  void End(uint16_t status_flags, uint16_t warnings = 0);

  uint8_t seq() const { return seq_; }

 private:
  std::string* out_;
  uint64_t caps_;
  uint8_t seq_;
  std::string scratch_;  // one row's payload, reused
};

}  // namespace shardproxy::protocol
