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
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "parser/statement.h"

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
  // LAST_INSERT_ID() of the session: the last non-zero last_insert_id of an
  // OK packet (0 = none yet). Replayed after a reconnect.
  uint64_t last_insert_id = 0;
  // SET SESSION shardproxy_show_sharding (answered by the proxy, never sent to
  // a backend): does SHOW CREATE TABLE show the sharding clause. nullopt: the
  // config's show_create_table_sharding.
  std::optional<bool> show_sharding;

  // Prepared statements, by the id the CLIENT was given (the proxy's own,
  // never reused within one client connection, so a handle can never name a
  // statement prepared later on another backend connection).
  struct PreparedStatement {
    uint32_t backend_id = 0;   // the id the backend gave it
    uint64_t conn_serial = 0;  // the backend connection it lives on (BackendSet serial)
    std::string sql;           // its text (SHOW PROCESSLIST; preparing it on another group)
    std::string group;         // the group it was prepared on first
    // Routed by its parameters (a statement on sharded tables): each execute
    // is planned with the bound values; `model` is its statement model, parsed
    // under `schema` (the current schema at PREPARE).
    std::shared_ptr<const parser::Statement> model;
    std::string schema;
    bool user_variables = false;
    uint16_t num_params = 0;
    std::vector<std::pair<uint8_t, uint8_t>> param_types;  // of the last execute that sent them
    std::vector<char> long_data;  // per parameter: sent by COM_STMT_SEND_LONG_DATA (0/1)
    struct Copy {
      uint32_t backend_id = 0;
      uint64_t conn_serial = 0;
    };
    std::map<std::string, Copy> copies;  // prepared again on other groups, lazily
  };

  std::map<uint32_t, PreparedStatement> prepared_statements;
  uint32_t next_statement_id = 1;  // kept across ResetForNewConnection

  // Every replayable setting back to connect-time defaults (user kept).
  void ResetForNewConnection();

  // Why this state cannot be rebuilt exactly on a new backend connection
  // ("" when it can): an open transaction, autocommit off, pinned state (user
  // variables, temporary tables, locks, SQL PREPARE), prepared statements, a
  // variable whose value cannot be set back (timestamp, insert_id, ...).
  std::string UnreplayableReason() const;
  // The statements that rebuild this state on a new backend connection opened
  // with `schema` and `charset` (each one plain COM_QUERY text; the
  // variables in one SET). Empty when nothing differs from connect defaults.
  // Read-only and one-shot variables (last_gtid, warning_count, ...) and the
  // proxy's own session_track_* settings are never replayed.
  std::vector<std::string> ReplayStatements() const;
  // One line for logs and tests: schema=... autocommit=... in_trans=... pinned=... vars{...}
  // stmts{...}
  std::string ToString() const;
};

// What the statement that produced an OK packet is known to change:
// kReplayableOnly when the parser read every statement of it as a SET of
// system variables / NAMES / CHARACTER SET, USE, SET TRANSACTION, BEGIN,
// COMMIT or ROLLBACK (whose effects the tracked variables, schema, status
// flags and transaction characteristics describe completely); kUnknown
// otherwise. A STATE_CHANGE flag from a kUnknown statement pins the state.
enum class StatementEffect : uint8_t { kUnknown, kReplayableOnly };

// Applies the session-state info of one OK packet (already extracted, raw
// bytes of the SESSION_TRACK block) and its status flags. An error means the
// block was malformed: the state is then marked pinned (we no longer know it).
Status ApplySessionTrack(SessionState* state, std::string_view session_state_info,
                         StatementEffect effect = StatementEffect::kUnknown);
// Marks the state pinned (unreplayable) for `reason` (the first reason is kept).
void PinState(SessionState* state, std::string reason);
// Applies the status flags of a response's final packet (OK/EOF/ERR-less).
void ApplyStatusFlags(SessionState* state, uint16_t status_flags);
// Applies a whole OK payload (parsing it with the backend's caps): status
// flags, session-track info, last insert id.
Status ApplyOkPacket(SessionState* state, std::string_view ok_payload, uint64_t backend_caps,
                     StatementEffect effect = StatementEffect::kUnknown);

}  // namespace shardproxy::session
