// The session's parser stage (the design's stage 3), as a pure function: the
// SQL of one COM_QUERY (possibly a multi-statement) or COM_STMT_PREPARE in,
// what the session does with it out. No Asio, no sockets: unit-tested in
// tests/unit/proxy/session/parse_stage_test.cc.
//
// Every statement goes through the calling thread's CachedParser (digest ->
// template cache -> Bind; ANTLR only on a miss) under the session's sql_mode.
// Routing is still "everything to the default group"; only these use the
// model today:
//   - CREATE TABLE ... DBPARTITION BY HASH(col) / BROADCAST: the clause is
//     cut out (by the byte range the model records) before the backend sees it.
//   - EXPLAIN SHARDING <stmt>: answered by the proxy (a small result set).
//   - SELECT CONNECTION_ID() alone: answered with the proxy's connection id.
//   - SHOW [FULL] PROCESSLIST alone: the proxy's sessions (answered locally);
//     SHOW [FULL] BACKEND PROCESSLIST (ours): the backends' threads.
//   - SET [SESSION] shardproxy_show_sharding = ON|OFF|DEFAULT (ours: does SHOW
//     CREATE TABLE show the sharding clause): answered by the session; any
//     other form of it (GLOBAL, with other variables, in a multi-statement,
//     prepared, SET STATEMENT) refused with 1235, a bad value with 1231.
//   - SET NAMES / SET CHARACTER SET / SET character_set_client naming big5,
//     gbk, sjis or cp932: refused (charset_guard.h) before the backend.
// A statement the grammar cannot read is passed through unchanged (the
// backend's own answer, e.g. MariaDB's 1064, reaches the client): the router
// will decide what to do with those later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "parser/cache/template_cache.h"
#include "parser/sql_mode.h"
#include "parser/statement.h"

namespace shardproxy::session {

// Per-thread parse counters (no metrics endpoint yet): logged at shutdown.
struct ParseCounters {
  uint64_t hits = 0;      // template-cache hit (Bind only)
  uint64_t misses = 0;    // parsed by ANTLR (then cached)
  uint64_t failures = 0;  // the grammar could not read it (passed through)
  uint64_t skipped = 0;   // not parsed: a statement sent in several frames (>= 16 MiB)
};
ParseCounters& ThreadParseCounters();

// The functions a lone `SELECT f() [AS alias]` may ask the proxy for.
enum class SessionFunction : uint8_t {
  kNone,
  kConnectionId,  // always answered: our id, not a backend's
  kRowCount,      // ROW_COUNT(), FOUND_ROWS(), LAST_INSERT_ID(): answered by the proxy
  kFoundRows,     //   after a statement that ran on several groups (else by the
  kLastInsertId,  //   previous statement's group, as usual);
  kWarningCount,  //   and @@warning_count
};

struct ParseOutcome {
  enum class Action : uint8_t {
    kPassThrough,         // send the client's bytes unchanged
    kRewrite,             // send `sql` instead (sharding clause(s) cut out)
    kExplainSharding,     // answer locally: `sql` is the explained statement as it would be sent
    kSessionFunction,     // a lone SELECT of `function`: the session may answer it; column `column`
    kRefuse,              // answer `error`; nothing is sent to a backend
    kProcessList,         // SHOW [FULL] PROCESSLIST: the proxy's own sessions (`full`)
    kBackendProcessList,  // SHOW [FULL] BACKEND PROCESSLIST: the backends' threads
    kSetShowSharding,     // SET [SESSION] shardproxy_show_sharding = v alone: the session
                          // keeps `show_sharding` (nothing is sent to a backend)
  };
  Action action = Action::kPassThrough;
  std::string sql;
  std::string column;
  SessionFunction function = SessionFunction::kNone;  // kSessionFunction
  std::string reason;                                 // kExplainSharding: the reason column
  std::string explain_inner;  // kExplainSharding: the explained statement, sharding clause kept
  Status error;
  bool full = false;  // kProcessList / kBackendProcessList: FULL (Info not cut to 100 chars)
  // kSetShowSharding: ON (true) / OFF (false); nullopt: DEFAULT (the config's
  // show_create_table_sharding).
  std::optional<bool> show_sharding;
  // Every statement was read, and each is a SET of system variables / NAMES /
  // CHARACTER SET (no user variable), SET TRANSACTION, USE, BEGIN, COMMIT or
  // ROLLBACK: whatever session state it changes is replayable (see
  // SessionState's StatementEffect).
  bool replayable_only = false;
  // State the statement takes that MariaDB's session tracking does not
  // report: "LOCK TABLES", "GET_LOCK", ... ("" = none). The session pins.
  std::string pin_reason;
  // SET NAMES as the last charset change of the statement: the collation it
  // sets ("" for none: the charset's default), which MariaDB's tracking
  // leaves out. nullopt: no SET NAMES.
  std::optional<std::string> names_collation;

  // Every statement of the command, in order, for the router: its text (a
  // view into the command's SQL), its model when the grammar read it, and
  // whether it names a user variable (@x; the digest tells, strings excluded).
  struct Piece {
    std::string_view sql;
    std::optional<parser::Statement> model;
    bool user_variables = false;
  };
  std::vector<Piece> pieces;
};

// `prepare`: the text of a COM_STMT_PREPARE (one statement; EXPLAIN SHARDING
// is refused there with 1235).
ParseOutcome RunParserStage(std::string_view sql, parser::SqlMode mode, bool prepare,
                            parser::CachedParser& parser, ParseCounters& counters);

// The proxy's own session variable (SET [SESSION] shardproxy_show_sharding).
inline constexpr std::string_view kShowShardingVariable = "shardproxy_show_sharding";

// A user variable (@x, not @@x) in a digest text (literals are "?" there, so
// a string holding '@' does not count).
bool HasUserVariable(std::string_view digest_text);

// Helpers, exposed for tests.
// The byte offset in `stmt` of the statement after "EXPLAIN SHARDING"
// (comments and blanks skipped), or npos when `stmt` does not start so.
size_t ExplainShardingInnerOffset(std::string_view stmt);
// True when `digest_text` is exactly SELECT CONNECTION_ID() [[AS] alias] [FROM DUAL].
SessionFunction LoneSessionFunction(std::string_view digest_text);

}  // namespace shardproxy::session
