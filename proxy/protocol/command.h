// Client command packets (the first payload byte of every packet a client sends
// after authentication) and the few command-specific messages.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "proxy/protocol/column_definition.h"

namespace shardproxy::protocol {

enum class Command : uint8_t {
  kSleep = 0x00,          // internal server state; clients never send it
  kQuit = 0x01,           // close the connection; no response
  kInitDb = 0x02,         // USE <db>: string<EOF> schema -> OK | ERR
  kQuery = 0x03,          // string<EOF> SQL -> OK | ERR | LOCAL INFILE | text result set(s)
  kFieldList = 0x04,      // string<NUL> table, string<EOF> wildcard -> column defs + EOF | ERR
  kCreateDb = 0x05,       // deprecated
  kDropDb = 0x06,         // deprecated
  kRefresh = 0x07,        // int<1> flags -> OK | ERR
  kShutdown = 0x08,       // -> OK | ERR
  kStatistics = 0x09,     // -> one string<EOF> packet
  kProcessInfo = 0x0a,    // deprecated: text result set
  kConnect = 0x0b,        // internal
  kProcessKill = 0x0c,    // int<4> connection id -> OK | ERR
  kDebug = 0x0d,          // -> EOF | ERR
  kPing = 0x0e,           // -> OK
  kTime = 0x0f,           // internal
  kDelayedInsert = 0x10,  // internal
  kChangeUser = 0x11,     // re-authenticate; see ChangeUserRequest
  kBinlogDump = 0x12,     // replication
  kTableDump = 0x13,
  kConnectOut = 0x14,
  kRegisterSlave = 0x15,     // replication
  kStmtPrepare = 0x16,       // string<EOF> SQL -> StmtPrepareOk + defs | ERR
  kStmtExecute = 0x17,       // int<4> stmt id, int<1> flags, ... -> OK | ERR | binary result set(s)
  kStmtSendLongData = 0x18,  // int<4> stmt id, int<2> param, data; no response
  kStmtClose = 0x19,         // int<4> stmt id; no response
  kStmtReset = 0x1a,         // int<4> stmt id -> OK | ERR
  kSetOption = 0x1b,         // int<2> option -> EOF (OK with DEPRECATE_EOF) | ERR
  kStmtFetch = 0x1c,         // int<4> stmt id, int<4> rows -> rows + EOF | ERR
  kDaemon = 0x1d,            // internal
  kBinlogDumpGtid = 0x1e,    // replication
  kResetConnection = 0x1f,   // -> OK | ERR
  kStmtBulkExecute = 0xfa,   // MariaDB: int<4> stmt id, int<2> flags, ... -> OK | ERR | result set
};

// "COM_QUERY" style name; "COM_UNKNOWN" for values outside the enum.
const char* CommandName(Command cmd);

// COM_CHANGE_USER payload (caps = the connection's negotiated capabilities):
//   int<1>      0x11
//   string<NUL> username
//   if SECURE_CONNECTION: int<1> length + auth response  else string<NUL> auth response
//   string<NUL> database
//   [if more data] int<2> charset
//   [if PLUGIN_AUTH and more data] string<NUL> auth plugin name
//   [if CONNECT_ATTRS and more data] int<lenenc> total length, then lenenc key/value pairs
struct ChangeUserRequest {
  std::string username;
  std::string auth_response;
  std::string database;
  uint16_t charset = 0;
  std::string auth_plugin_name;
  std::vector<std::pair<std::string, std::string>> attributes;

  std::string Serialize(uint64_t caps) const;
  static Result<ChangeUserRequest> Parse(std::string_view payload, uint64_t caps);  // ERR 1043
};

// COM_STMT_PREPARE OK response, 12 bytes:
//   int<1> 0x00, int<4> statement_id, int<2> num_columns, int<2> num_params,
//   int<1> 0x00 filler, int<2> warnings
// Followed by num_params column definitions (+EOF unless DEPRECATE_EOF) and
// num_columns column definitions (+EOF unless DEPRECATE_EOF).
struct StmtPrepareOk {
  uint32_t statement_id = 0;
  uint16_t num_columns = 0;
  uint16_t num_params = 0;
  uint16_t warnings = 0;

  std::string Serialize() const;
  static Result<StmtPrepareOk> Parse(std::string_view payload);
};

// Statement id of COM_STMT_EXECUTE/CLOSE/RESET/FETCH/SEND_LONG_DATA/BULK_EXECUTE
// (payload including the command byte; int<4> at offset 1). 0 if too short.
uint32_t StmtIdOf(std::string_view payload);
// Overwrites that statement id in place (for rewriting ids between client and
// backend); false if the payload is too short.
bool SetStmtId(std::string* payload, uint32_t stmt_id);
// The same on a payload inside a larger buffer (e.g. after a frame header).
bool SetStmtId(std::span<char> payload, uint32_t stmt_id);

// A command packet's payload: the command byte, then `arg` (COM_QUERY's SQL,
// COM_INIT_DB's schema, ...).
std::string CommandPayload(Command cmd, std::string_view arg);

// COM_STMT_EXECUTE flags byte (offset 5): cursor types.
inline constexpr uint8_t kCursorTypeNoCursor = 0;
inline constexpr uint8_t kCursorTypeReadOnly = 1;
inline constexpr uint8_t kCursorTypeForUpdate = 2;
inline constexpr uint8_t kCursorTypeScrollable = 4;

}  // namespace shardproxy::protocol
