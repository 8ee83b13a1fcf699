// One client session: the MySQL server side of the proxy for one client
// connection, from the handshake to the close.
//
// Entry point: Session::Start (called by net/server.cc for each accepted
// socket). Threading: a session and its backend connections live on the one
// io_context thread that owns the client socket; every member is used on that
// thread only, except the few atomics read by KILL from other threads and the
// Request* methods, which post to the session's executor.
//
// The flow of one statement (HandleStatement) follows the design's stages:
//   1. protocol  the command packet is framed (client_in_)
//   2. session   commands the proxy answers itself (KILL, QUIT, CHANGE_USER, 1047)
//   3. parser    COM_QUERY / COM_STMT_PREPARE text parsed (parse_stage.h): sharding
//                clause cut, EXPLAIN SHARDING and SELECT CONNECTION_ID() answered,
//                gbk/big5/sjis/cp932 SETs refused; unparsable SQL passes through
//   4. router    a Plan of targets; today one: the session's default group
//   5. backend   a connection per target (BackendSet), the request relayed
//   6. merge     one target: raw relay of the response, packet by packet
//   7. protocol  bytes to the client; session state from every OK
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "parser/sql_mode.h"
#include "proxy/backend/backend_connection.h"
#include "proxy/config/config.h"
#include "proxy/protocol/command.h"
#include "proxy/protocol/frame_header_cursor.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/packet.h"
#include "proxy/protocol/response_tracker.h"
#include "proxy/protocol/stmt_execute.h"
#include "proxy/session/parse_stage.h"
#include "proxy/session/session_state.h"
#include "router/planner/plan.h"
#include "router/planner/planner.h"
#include "router/rules/rules_service.h"

namespace shardproxy::backend {
class BackendRegistry;
class HealthMonitor;
}  // namespace shardproxy::backend

namespace shardproxy::session {

class SessionRegistry;

// What every session of one io_context thread shares. Caller (net::Server)
// keeps all of it alive until the thread's io_context has stopped.
struct SessionContext {
  const Config* config = nullptr;
  SessionRegistry* sessions = nullptr;             // process-wide, mutex inside
  backend::BackendRegistry* backends = nullptr;    // this thread's, no locks
  const backend::HealthMonitor* health = nullptr;  // may be null (tests)
  const std::atomic<bool>* draining = nullptr;     // process-wide shutdown flag
  router::RulesService* rules = nullptr;           // routing metadata; null: all to groups[0]
};

// What a statement on several groups (Session::RunScatter) came to, before
// the client gets its final packet (so that DDL bookkeeping can still turn
// it into an ERR).
// One command on its way to the backends (Session::HandleStatement builds it,
// the executor sends it). `bytes`/`payload` are the client's frame or the
// session's rewrite buffer (RewriteRequest).
struct StatementRequest {
  StatementRequest(const protocol::Frame& f, protocol::Command c)
      : frame(f), cmd(c), bytes(frame.raw), payload(frame.payload) {}

  protocol::Frame frame;                               // the client's first frame of the command
  protocol::Command cmd;                               // its command byte
  std::string_view bytes;                              // framed, as sent to a backend
  std::string_view payload;                            // the same without the frame header
  StatementEffect effect = StatementEffect::kUnknown;  // on the tracked state
  std::string pin_reason;                              // untracked state it takes ("" = none)
  std::optional<std::string> names_collation;          // SET NAMES ... COLLATE (untracked)
  ParseOutcome* parsed = nullptr;  // the statements' models (nullptr: not parsed)
};

struct ScatterOutcome {
  Status error;              // the first error (a backend's ERR passes through)
  bool not_run = false;      // nothing was sent anywhere
  bool client_gone = false;  // the client left; close
  bool result_set = false;   // the header and rows were sent; a terminator is due
  protocol::OkPacket ok;     // combined OK (affected rows summed, ...)
  uint32_t warnings = 0;
  uint64_t rows = 0;                   // rows relayed (FOUND_ROWS() after a scatter)
  uint8_t seq = 0;                     // next sequence id to the client
  std::vector<std::string> ran_on;     // groups the statement was sent to
  std::vector<std::string> failed_on;  // groups that answered ERR
};

// The capabilities the proxy advertises to clients (issue 2): never SSL or
// COMPRESS, no MariaDB extended caps (CLIENT_MYSQL stays set).
uint64_t AdvertisedCapabilities();

// Runs one command (payload: command byte + arguments) on `conn` without
// relaying anything; OKs update *state as replayable effects. The server's
// ERR -> its Status (and *refused = true); I/O errors as the connection gives
// them (execute.cc).
boost::asio::awaitable<Status> RunSilently(backend::BackendConnection* conn,
                                           std::string_view payload, SessionState* state,
                                           bool* refused = nullptr);

// The session's backend connections, one per group at most. The only place
// that knows how many backends a session has. Connections are shared_ptrs:
// whoever may still touch one after a co_await (the running statement's
// RunRecord, an idle watch) holds its own reference, so dropping one from the
// set never frees it under anyone's feet.
class BackendSet {
 public:
  struct Slot {
    std::shared_ptr<backend::BackendConnection> conn;
    uint64_t serial = 0;  // unique per connection of this session (prepared-statement owner)
  };
  // A usable connection to `group`, connecting when there is none (a broken
  // one is replaced: the caller has judged the loss first). A new connection
  // is opened with `state`'s schema and connect-time charset and then gets
  // state->ReplayStatements(); their OKs are applied to *state. Errors:
  // kBackendUnavailable "... was not run", the backend's own ERR (1049,
  // 1045 ...), or a replay statement's ERR (the connection is then dropped).
  boost::asio::awaitable<Result<Slot>> Acquire(const GroupConfig& group, SessionState* state);
  // Drops (closes) the connection to `group`: a broken or dirty connection is never reused.
  void Drop(const std::string& group);
  void DropAll() { conns_.clear(); }
  const Slot* Find(const std::string& group) const;
  const std::map<std::string, Slot>& slots() const { return conns_; }

  // Connection parameters (set by the session before Acquire).
  boost::asio::any_io_executor ex;
  backend::BackendRegistry* registry = nullptr;
  const backend::HealthMonitor* health = nullptr;
  std::chrono::milliseconds connect_timeout{3000};
  uint64_t client_caps = 0;
  uint8_t charset = 45;

 private:
  std::map<std::string, Slot> conns_;
  uint64_t next_serial_ = 1;
};

// One target of the running statement: what KILL, the client-gone watch, a
// forced shutdown and a liveness abort reach. Keeps its connection alive
// until the statement is over, whatever happens to the BackendSet meanwhile.
struct RunRecord {
  std::shared_ptr<backend::BackendConnection> conn;
  const GroupConfig* group = nullptr;
  uint32_t backend_thread = 0;
  bool killed = false;  // an out-of-band KILL was already sent for it
};

// One row of SHOW PROCESSLIST (the proxy's sessions), made on the session's
// own thread.
struct ProcessRow {
  uint32_t id = 0;
  std::string user, host, db, command, state, info;
  bool has_db = false, has_info = false;
  int64_t time = 0;  // seconds in the current command (or idle)
};

// What the next client frame must look like, checked on its 4-byte header as
// soon as it arrives (before the payload it announces). See ReadClientFrame.
// What the running SHOW CREATE TABLE appends to MariaDB's text (show_create.cc).
struct ShowCreateAppend {
  bool active = false;   // a plain SHOW CREATE TABLE of a sharded or broadcast table, shown
  bool sharded = false;  // DBPARTITION BY HASH(shard_column); else BROADCAST
  std::string shard_column;
};

struct FrameRule {
  int first_seq = -1;            // sequence id a packet's first frame must carry (-1: any);
                                 // else ERR 1156 (continuations: the framer checks +1)
  size_t max_length = SIZE_MAX;  // longer frames: ERR 1043 Bad handshake (pre-auth)
};

class Session : public std::enable_shared_from_this<Session>, public backend::IdleWatchListener {
 public:
  Session(boost::asio::ip::tcp::socket socket, const SessionContext& ctx);
  ~Session();

  // Spawns the session's coroutine on the socket's executor.
  static void Start(std::shared_ptr<Session> session);

  // Thread-safe (post to the session's thread):
  void RequestKill();                // KILL CONNECTION <our id>
  void RequestShutdown(bool force);  // drain: close when idle (force: now)
  // KILL QUERY of the running statement's targets after the first (the
  // caller kills the first one itself and reports its outcome).
  void RequestKillQueryOnOtherGroups();

  // Thread-safe reads for KILL QUERY from another session.
  uint32_t connection_id() const { return id_; }
  uint32_t running_backend_thread() const {
    return running_thread_.load(std::memory_order_acquire);
  }
  const GroupConfig* running_group() const {
    return running_group_.load(std::memory_order_acquire);
  }
  // Thread-safe: builds this session's SHOW PROCESSLIST row on its own
  // thread and hands it to `done` there.
  void RequestProcessRow(std::function<void(ProcessRow)> done);

  // backend::IdleWatchListener: a backend socket became readable while idle.
  void OnBackendReadable(backend::BackendConnection* conn) override;

 private:
  boost::asio::awaitable<void> Run();
  boost::asio::awaitable<Status> Handshake();
  boost::asio::awaitable<void> CommandLoop();
  // Returns false when the session must close.
  boost::asio::awaitable<bool> HandleCommand(protocol::Frame frame);
  boost::asio::awaitable<bool> HandleStatement(protocol::Frame frame);
  // Stage 3 answers: a result set the proxy makes itself (EXPLAIN SHARDING,
  // SELECT CONNECTION_ID()). Returns false when the write failed.
  boost::asio::awaitable<bool> AnswerExplainSharding(const ParseOutcome& o, uint8_t seq);
  boost::asio::awaitable<bool> AnswerSessionFunction(const ParseOutcome& o, uint8_t seq);
  boost::asio::awaitable<bool> AnswerProcessList(bool full, uint8_t seq);
  ProcessRow MakeProcessRow() const;
  // SHOW CREATE TABLE with the sharding clause (show_create.cc): what this
  // command's row gets (inactive unless a lone COM_QUERY SHOW CREATE TABLE of
  // a sharded / broadcast table, the clause shown); RelayResponse's row hook
  // (false: relay the frame as is); SET SESSION shardproxy_show_sharding.
  ShowCreateAppend ShowCreateFor(protocol::Command cmd, const ParseOutcome* parsed) const;
  bool AppendShowCreateRow(const protocol::Frame& fr);
  boost::asio::awaitable<bool> AnswerSetShowSharding(const ParseOutcome& o, uint8_t seq);
  // The lexing-relevant sql_mode of this session: the tracked @@sql_mode
  // (plus NO_BACKSLASH_ESCAPES from the last status flags).
  parser::SqlMode CurrentSqlMode();
  uint16_t LocalStatusFlags() const;  // autocommit / in-transaction for our own replies
  boost::asio::awaitable<bool> HandleKill(uint64_t id, bool query_only, uint8_t seq);
  boost::asio::awaitable<bool> HandleChangeUser(protocol::Frame frame);
  boost::asio::awaitable<bool> RelayResponse(const BackendSet::Slot& target, protocol::Command cmd,
                                             uint8_t last_client_seq, StatementEffect effect);
  // The statement's backend connection, judging a broken one first: a lost
  // connection whose state cannot be replayed sets lost_.
  boost::asio::awaitable<Result<BackendSet::Slot>> AcquireFor(const GroupConfig& group);
  // A backend connection of this session was lost (`why`): when the session
  // state cannot be rebuilt on a new one, lost_ gets the ERR 1184 the next
  // command receives (the session then closes).
  void NoteLostConnection(const std::string& group, const Status& why);
  // Arms the idle watch of every open backend connection (CommandLoop).
  void WatchBackendsWhileIdle();
  boost::asio::awaitable<void> Ticker();

  // The planner's input from this session's state (schema, previous
  // statement's group, connection charset); the caller adds the statement.
  router::PlanInput SessionPlanInput() const;
  // 4. router: the plan of one command.
  router::Plan PlanCommand(protocol::Command cmd, const protocol::Frame& frame,
                           const ParseOutcome* parsed);
  // 5.-7. The executor (execute.cc): the plan's targets, one (the raw
  // relay) or several (results combined); the client's answer.
  boost::asio::awaitable<bool> ExecutePlan(const router::Plan& plan, StatementRequest& req);
  boost::asio::awaitable<bool> RunOnGroups(const router::Plan& plan, StatementRequest& req);
  boost::asio::awaitable<bool> RunOnOneGroup(const router::Plan& plan, StatementRequest& req);
  void RewriteRequest(StatementRequest* req, std::string_view sql);  // sends `sql` instead
  const GroupConfig* GroupByName(std::string_view name) const;
  boost::asio::awaitable<ScatterOutcome> RunScatter(const router::Plan& plan, protocol::Command cmd,
                                                    std::string_view sql, uint8_t reply_seq);
  boost::asio::awaitable<bool> FinishScatter(const ScatterOutcome& r);
  // Runs one command (payload: command byte + arguments) on `conn` without
  // relaying anything; OKs update the session state. ERR -> its Status.
  boost::asio::awaitable<Status> RunSilently(backend::BackendConnection* conn,
                                             std::string_view payload);
  // A session-wide statement's copies for the open connections other than `primary`.
  boost::asio::awaitable<void> RunOnOtherConnections(const std::string& primary,
                                                     std::string_view payload);
  // Prepares `sql` on `conn` without relaying (an execute routed to a group
  // the statement was not prepared on yet); the backend's statement id.
  boost::asio::awaitable<Result<uint32_t>> PrepareSilently(backend::BackendConnection* conn,
                                                           std::string_view sql);
  bool TouchesShardedSchema(const parser::Statement& m) const;
  // The first row of a text result set the proxy asks for itself (ddl.cc).
  boost::asio::awaitable<Result<std::optional<std::vector<std::optional<std::string>>>>> QueryRow(
      backend::BackendConnection* conn, std::string_view sql);
  // DDL bookkeeping after the statement ran on plan.targets (ddl.cc): records,
  // moves or forgets the table's rule. An error is what the client gets.
  boost::asio::awaitable<Status> WarnUniqueKeysWithoutShardKey(backend::BackendConnection* ask,
                                                               backend::BackendConnection* warn_on,
                                                               const router::TableRule& rule,
                                                               ScatterOutcome* r);
  // May add the proxy's own warnings to r->ok (SHOW WARNINGS then shows them
  // on the plan's first group).
  boost::asio::awaitable<Status> ApplyPlanEffect(const router::Plan& plan,
                                                 const parser::Statement* model, ScatterOutcome* r);

  // Client I/O.
  // Errors: the framer's (1153, 1156), the rule's (1156, 1043; bad_seq_ is
  // then the offending header's sequence id), or ClientGone.
  boost::asio::awaitable<Result<protocol::Frame>> ReadClientFrame(FrameRule rule = {});
  // Reads and drops the rest of a multi-frame client packet; returns the last seq.
  boost::asio::awaitable<Result<uint8_t>> SkipClientPacket(protocol::Frame first);
  boost::asio::awaitable<Status> Flush();
  void AppendErr(const Status& st, uint8_t seq);
  void AppendOk(uint8_t seq, uint16_t status_flags);
  boost::asio::awaitable<bool> SendErr(const Status& st, uint8_t seq);  // false: write failed
  // The ERR, then our half of the connection shut at once (the session ends).
  boost::asio::awaitable<void> SendErrAndClose(const Status& st, uint8_t seq);

  // Verifies a mysql_native_password response, switching the client to that
  // plugin first when it answered with another one. *seq: the next sequence
  // id to send; advanced. Returns the response to verify, or an error.
  boost::asio::awaitable<Result<std::string>> NativeAuthResponse(std::string plugin,
                                                                 std::string response,
                                                                 uint8_t* seq);
  Status AccessDenied(const std::string& user, bool used_password) const;

  void OnClientGone();     // ticker's watcher: the client closed mid-statement
  void KillRunning();      // KILL the running statement's backend connections (out of band)
  void CloseEverything();  // close the client socket and abort backends (on our thread)
  void ClearRunning();     // the statement is over: forget its run records

  boost::asio::ip::tcp::socket socket_;
  boost::asio::any_io_executor ex_;
  SessionContext ctx_;
  const Config& cfg_;
  const GroupConfig* default_group_;
  uint32_t id_ = 0;
  std::string peer_host_;
  uint16_t peer_port_ = 0;
  std::string scramble_;
  uint64_t client_caps_ = 0;
  bool entered_ = false;  // counted in SessionRegistry::TryEnter

  protocol::PacketFramer client_in_;
  protocol::FrameHeaderCursor client_headers_;  // the same bytes as client_in_
  uint8_t bad_seq_ = 0;                         // see ReadClientFrame
  std::string out_;                             // bytes queued for the client
  std::string rewrite_;                         // a command rewritten by the parser stage, framed
  std::string sql_mode_text_;                   // the @@sql_mode value sql_mode_ was computed from
  parser::SqlMode sql_mode_;
  protocol::ResponseTracker tracker_;
  SessionState state_;
  BackendSet backends_;
  // Set when a backend connection was lost with state that cannot be
  // replayed: the next command gets it (ERR 1184) and the session closes.
  Status lost_;
  std::vector<RunRecord> running_;        // the running statement's targets (empty when idle)
  std::string last_group_;                // the group the previous statement ran on
  bool last_was_multi_group_ = false;     // ... or it ran on several:
  std::vector<std::string> last_groups_;  //   those groups
  bool last_was_ddl_ = false;             //   a DDL (the same statement on each)
  int64_t last_row_count_ = -1;           //   ROW_COUNT() of it
  uint64_t last_found_rows_ = 0;          //   FOUND_ROWS() of it
  uint32_t last_warnings_ = 0;            //   @@warning_count of it
  std::string txn_write_group_;           // the group the open transaction wrote to ("" = none yet)
  bool refresh_other_connections_ = false;  // see PlanCommand (multi-statement with a SET)
  // A COM_STMT_EXECUTE routed by its parameters (PlanCommand), for the
  // rewrite to the chosen group's statement id; its params view the frame.
  std::optional<protocol::StmtExecute> execute_;
  std::vector<std::string> param_texts_;  // the bound values as text (KeyValue views them)
  uint32_t last_prepared_id_ = 0;         // the client id a PrepareOk just got
  // SHOW PROCESSLIST: what the session is doing (our thread only).
  protocol::Command command_ = protocol::Command::kSleep;
  std::string info_;              // the running statement's text (at most kMaxInfo bytes)
  ShowCreateAppend show_create_;  // this command's SHOW CREATE TABLE rewrite (ShowCreateFor)

  // Liveness/idle bookkeeping (our thread only).
  boost::asio::steady_timer ticker_;
  std::chrono::steady_clock::time_point last_activity_;
  std::chrono::steady_clock::time_point statement_start_;
  bool authenticated_ = false;
  bool waiting_for_command_ = false;
  bool closed_ = false;
  bool watching_client_ = false;  // an async_wait on the client socket is pending
  bool watch_done_ = false;       // this statement's watch ended (pipelined bytes seen)
  bool in_local_infile_ = false;  // the client is sending a file: its socket is ours to read
  bool idle_timed_out_ = false;
  // The running statement started in autocommit mode outside a transaction:
  // if the client leaves, the statement is left to finish (as MariaDB does).
  bool statement_autocommit_ = false;
  bool client_gone_ = false;  // the client left mid-statement; output is discarded
  size_t discarded_ = 0;      // bytes of output dropped since the client left

  // Read by other threads (KILL QUERY).
  std::atomic<uint32_t> running_thread_{0};
  std::atomic<const GroupConfig*> running_group_{nullptr};
};

}  // namespace shardproxy::session
