// What the client has set on its session, as the backend reported it.
//
// Fed from the session-tracking info of every OK packet the backend sends
// (the backend connection turns on session_track_system_variables='*',
// session_track_schema, session_track_state_change and
// session_track_transaction_info=CHARACTERISTICS), from the status flags of
// every response's final packet, and from PrepareOk / COM_STMT_CLOSE. Later
// issues replay this state on another backend connection, or pin the session
// when it cannot be replayed. Plain data, single-threaded (owned by its session).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::session {

struct SessionState {
  std::string user;     // authenticated proxy user
  std::string schema;   // current database ("" = none)
  uint8_t charset = 0;  // collation id the backend connection was opened with
  // System variables as last reported (name -> value, as MariaDB prints them:
  // autocommit=ON, character_set_client=utf8mb4, sql_mode=..., time_zone=SYSTEM,
  // last_gtid=0-1-42, ...). Only variables that changed since connect appear.
  std::map<std::string, std::string> variables;
  uint16_t status_flags = 0;    // server status of the last response's final packet
  bool in_transaction = false;  // SERVER_STATUS_IN_TRANS of the last response
  bool autocommit = true;       // SERVER_STATUS_AUTOCOMMIT of the last response
  // SESSION_TRACK_TRANSACTION_CHARACTERISTICS: the statement(s) that would
  // reproduce the current transaction's characteristics ("" = defaults).
  std::string transaction_characteristics;
  // True once the backend reported a state change we cannot replay on another
  // connection: user variables, temporary tables, LOCK TABLES, GET_LOCK, SQL
  // PREPARE... (STATE_CHANGE without a system-variable or schema change to
  // explain it). Sticky until COM_RESET_CONNECTION / COM_CHANGE_USER.
  bool pinned = false;
  std::string pinned_reason;  // first reason, for logs
  // Prepared statements open on the backend connection (ids from PrepareOk).
  std::set<uint32_t> prepared_statements;

  // Every replayable setting back to connect-time defaults (user kept).
  void ResetForNewConnection();
  // One line for logs and tests: schema=... autocommit=... in_trans=... pinned=... vars{...}
  // stmts{...}
  std::string ToString() const;
};

// Applies the session-state info of one OK packet (already extracted, raw
// bytes of the SESSION_TRACK block) and its status flags. An error means the
// block was malformed: the state is then marked pinned (we no longer know it).
Status ApplySessionTrack(SessionState* state, std::string_view session_state_info);
// Applies the status flags of a response's final packet (OK/EOF/ERR-less).
void ApplyStatusFlags(SessionState* state, uint16_t status_flags);
// Applies a whole OK payload (parsing it with the backend's caps).
Status ApplyOkPacket(SessionState* state, std::string_view ok_payload, uint64_t backend_caps);

}  // namespace shardproxy::session
