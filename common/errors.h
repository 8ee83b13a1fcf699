// Every errno/SQLSTATE the proxy itself produces, in one list. Backend errors
// are passed through unchanged and never appear here. docs/ERRORS.md documents
// each one for users; keep the two in step.
#pragma once

#include <cstdint>
#include <string_view>

namespace shardproxy::errors {

struct Code {
  uint16_t code;
  std::string_view sqlstate;
};

// MySQL/MariaDB server codes, used with their usual meaning.
inline constexpr Code kConCount{1040, "08004"};      // ER_CON_COUNT_ERROR: too many connections
inline constexpr Code kHandshake{1043, "08S01"};     // ER_HANDSHAKE_ERROR: bad handshake
inline constexpr Code kAccessDenied{1045, "28000"};  // ER_ACCESS_DENIED_ERROR
inline constexpr Code kNoDb{1046, "3D000"};          // ER_NO_DB_ERROR
inline constexpr Code kUnknownCom{1047, "08S01"};    // ER_UNKNOWN_COM_ERROR
inline constexpr Code kBadDb{1049, "42000"};         // ER_BAD_DB_ERROR
inline constexpr Code kParse{1064, "42000"};         // ER_PARSE_ERROR
inline constexpr Code kNoSuchTable{1146,
                                   "42S02"};       // ER_NO_SUCH_TABLE (no rule in a sharded schema)
inline constexpr Code kEmptyQuery{1065, "42000"};  // ER_EMPTY_QUERY (only blanks and ';')
inline constexpr Code kUnknownError{1105, "HY000"};          // ER_UNKNOWN_ERROR
inline constexpr Code kNoSuchThread{1094, "HY000"};          // ER_NO_SUCH_THREAD
inline constexpr Code kKillDenied{1095, "HY000"};            // ER_KILL_DENIED_ERROR
inline constexpr Code kNetPacketTooLarge{1153, "08S01"};     // ER_NET_PACKET_TOO_LARGE
inline constexpr Code kNetReadError{1158, "08S01"};          // ER_NET_READ_ERROR
inline constexpr Code kNetPacketsOutOfOrder{1156, "08S01"};  // ER_NET_PACKETS_OUT_OF_ORDER
inline constexpr Code kQueryInterrupted{1317, "70100"};      // ER_QUERY_INTERRUPTED
inline constexpr Code kNotSupportedYet{1235, "42000"};       // ER_NOT_SUPPORTED_YET
inline constexpr Code kStackOverrun{1436, "HY000"};          // ER_STACK_OVERRUN (nesting too deep)
inline constexpr Code kUnknownCharset{1115, "42000"};        // ER_UNKNOWN_CHARACTER_SET
inline constexpr Code kUnknownStmtHandler{1243, "HY000"};    // ER_UNKNOWN_STMT_HANDLER
inline constexpr Code kWrongValueForVar{1231, "42000"};      // ER_WRONG_VALUE_FOR_VAR
// ER_NO_DEFAULT_FOR_FIELD: an INSERT into a sharded table without a value for
// the shard key (NULL, DEFAULT, missing): the proxy cannot route the row.
inline constexpr Code kShardKeyMissing{1364, "HY000"};
// ER_UNIQUE_KEY_NEED_ALL_FIELDS_IN_PF, as a WARNING: CREATE TABLE ...
// DBPARTITION BY HASH(col) with a PRIMARY/UNIQUE key that leaves col out (the
// key is unique only within each group; the table is created).
inline constexpr Code kUniqueKeyWithoutShardKey{1503, "HY000"};
// ER_NEW_ABORTING_CONNECTION: the session's server state (transaction,
// autocommit=0, user variables, temporary tables, locks, prepared statements)
// was lost with a backend connection; SQLSTATE class 08 makes pools drop it.
inline constexpr Code kSessionStateLost{1184, "08S01"};

// The proxy's own codes for backend trouble (ER_CONNECT_TO_FOREIGN_DATA_SOURCE
// family: the MySQL code closest to "a server behind me is unreachable").
// The message always names the group and says whether the statement may have
// run.
inline constexpr Code kBackendUnavailable{
    1429, "HY000"};  // refused, reset, probe misses, handshake timeout

}  // namespace shardproxy::errors
