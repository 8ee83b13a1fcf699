#include "proxy/session/session.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>
#include <mutex>

#include "common/errors.h"
#include "parser/cache/template_cache.h"
#include "proxy/backend/backend_registry.h"
#include "proxy/backend/client_handshake.h"
#include "proxy/backend/control.h"
#include "proxy/backend/health.h"
#include "proxy/backend/messages.h"
#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/err_packet.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/handshake.h"
#include "proxy/protocol/resultset_writer.h"
#include "proxy/protocol/stmt_execute.h"
#include "proxy/session/charset_guard.h"
#include "proxy/session/collation.h"
#include "proxy/session/kill_matcher.h"
#include "proxy/session/session_registry.h"
#include "router/planner/planner.h"

namespace shardproxy::session {

namespace asio = boost::asio;
using protocol::Command;
using protocol::Frame;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kFlushBytes = 64 * 1024;  // relay: write at least once this much is queued
constexpr size_t kReadChunk = 16 * 1024;   // client socket reads
// Output of a statement whose client left that is read and dropped before the
// statement is killed (about what a server's buffers hold before its write fails).
constexpr size_t kMaxDiscard = 1024 * 1024;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);  // client must finish the handshake
constexpr auto kWatchAfter = std::chrono::milliseconds(500);  // watch for a client close after this
// Largest frame accepted before authentication (handshake response, auth
// switch response): a real one is a few hundred bytes (connect attributes
// included); longer is refused with 1043 on its header.
constexpr size_t kMaxPreAuthFrame = 64 * 1024;

// Completion handler of detached coroutines: an escaped exception (a bug or
// bad_alloc) is logged and ends only that coroutine, never the io thread.
auto LogException(const char* what) {
  return [what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("[BUG] {} coroutine ended with an exception: {}", what, ex.what());
    } catch (...) {
      spdlog::error("[BUG] {} coroutine ended with an unknown exception", what);
    }
  };
}

Status Err(const errors::Code& c, std::string msg) {
  return Status::Error(c.code, c.sqlstate, std::move(msg));
}

// The client went away (a Status field, never sent to anyone).
Status ClientGone() { return Status::ClientGone(); }
bool IsClientGone(const Status& st) { return st.client_gone(); }

}  // namespace

uint64_t AdvertisedCapabilities() {
  using namespace protocol;  // NOLINT
  return kClientLongPassword | kClientFoundRows | kClientLongFlag | kClientConnectWithDb |
         kClientLocalFiles | kClientIgnoreSpace | kClientProtocol41 | kClientInteractive |
         kClientTransactions | kClientSecureConnection | kClientMultiStatements |
         kClientMultiResults | kClientPsMultiResults | kClientPluginAuth | kClientConnectAttrs |
         kClientPluginAuthLenencClientData | kClientSessionTrack | kClientDeprecateEof;
}

// ---------------------------------------------------------------- BackendSet

asio::awaitable<Result<BackendSet::Slot>> BackendSet::Acquire(const GroupConfig& group,
                                                              SessionState* state) {
  auto it = conns_.find(group.name);
  if (it != conns_.end()) {
    if (!it->second.conn->broken()) co_return it->second;
    conns_.erase(it);  // never reuse a broken connection
  }
  if (health != nullptr && !health->IsUp(group.name)) {
    co_return backend::UnreachableError(group.name, "master", group.master.ToString(),
                                        "declared down by the liveness probe", backend::Ran::kNo);
  }
  backend::ConnectOptions opts;
  opts.group = &group;
  opts.client_caps = client_caps;
  opts.charset = charset;
  opts.database = state->schema;
  opts.connect_timeout = connect_timeout;
  opts.health = health;
  auto r = co_await backend::BackendConnection::Connect(ex, std::move(opts));
  if (!r.ok()) co_return r.status();
  std::shared_ptr<backend::BackendConnection> conn = std::move(*r);
  if (registry != nullptr) registry->Register(conn.get());
  // Whether it must join the session's transaction: decided before the
  // replay, whose OKs (from a connection outside it) update the tracked flags.
  std::vector<std::string> join;
  if (!state->autocommit) join.emplace_back("SET autocommit = 0");
  if (state->in_transaction) {
    std::string_view trx = state->transaction_characteristics;
    while (!trx.empty() && (trx.back() == ';' || trx.back() == ' ')) trx.remove_suffix(1);
    const size_t at = trx.find("START TRANSACTION");
    join.emplace_back(at == std::string_view::npos ? std::string_view("START TRANSACTION")
                                                   : trx.substr(at));
  }
  // Rebuild what the session set (SET NAMES, sql_mode, time_zone, isolation
  // level, LAST_INSERT_ID ...) before the connection's first statement.
  for (const std::string& sql : state->ReplayStatements()) {
    bool refused = false;
    Status st = co_await RunSilently(conn.get(), protocol::CommandPayload(Command::kQuery, sql),
                                     state, &refused);
    if (refused) {
      // The settings cannot be rebuilt: the session's server state is lost.
      co_return Status::Error(
          errors::kSessionStateLost.code, errors::kSessionStateLost.sqlstate,
          fmt::format("shardproxy: the session's server state was lost: a new connection to "
                      "group {} {} {} refused the session's settings ({}: {}); the statement "
                      "was not run. Reconnect and start again.",
                      group.name, conn->role(), conn->endpoint(), sql, st.message()));
    }
    if (!st.ok()) co_return st;
  }
  // A connection opened inside the session's transaction joins it.
  for (const std::string& sql : join) {
    Status st =
        co_await RunSilently(conn.get(), protocol::CommandPayload(Command::kQuery, sql), state);
    if (!st.ok()) co_return st;
  }
  Slot slot{std::move(conn), next_serial_++};
  conns_[group.name] = slot;
  co_return slot;
}

void BackendSet::Drop(const std::string& group) { conns_.erase(group); }

const BackendSet::Slot* BackendSet::Find(const std::string& group) const {
  auto it = conns_.find(group);
  return it == conns_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------- Session

Session::Session(asio::ip::tcp::socket socket, const SessionContext& ctx)
    : socket_(std::move(socket)),
      ex_(socket_.get_executor()),
      ctx_(ctx),
      cfg_(*ctx.config),
      default_group_(&ctx.config->groups.at(0)),
      client_in_(ctx.config->max_allowed_packet),
      ticker_(socket_.get_executor()) {
  backends_.ex = ex_;
  backends_.registry = ctx.backends;
  backends_.health = ctx.health;
  backends_.connect_timeout = cfg_.backend.connect;
}

Session::~Session() = default;

void Session::Start(std::shared_ptr<Session> session) {
  auto ex = session->ex_;
  asio::co_spawn(
      ex, [s = std::move(session)]() -> asio::awaitable<void> { co_await s->Run(); },
      LogException("session"));
}

void Session::RequestKill() {
  asio::post(ex_, [self = shared_from_this()] {
    if (self->closed_) return;
    spdlog::info("session {}: killed (KILL CONNECTION)", self->id_);
    self->KillRunning();
    self->CloseEverything();
  });
}

void Session::RequestKillQueryOnOtherGroups() {
  asio::post(ex_, [self = shared_from_this()] {
    for (size_t i = 1; i < self->running_.size(); ++i) {
      const RunRecord& r = self->running_[i];
      if (r.group == nullptr || r.backend_thread == 0) continue;
      asio::co_spawn(
          self->ex_,
          [ex = self->ex_, group = r.group, tid = r.backend_thread,
           timeout = self->cfg_.backend.connect]() -> asio::awaitable<void> {
            (void)co_await backend::KillOnBackend(ex, *group, tid, /*query_only=*/true, timeout);
          },
          LogException("session"));
    }
  });
}

void Session::RequestShutdown(bool force) {
  asio::post(ex_, [self = shared_from_this(), force] {
    if (self->closed_) return;
    if (force || self->waiting_for_command_ || !self->authenticated_) {
      if (force && !self->running_.empty()) self->KillRunning();
      self->CloseEverything();
    }
    // Otherwise a statement is running: CommandLoop closes after it.
  });
}

void Session::CloseEverything() {
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);
  ticker_.cancel();
  for (RunRecord& r : running_) r.conn->Abort(Err(errors::kNetReadError, "client session closed"));
}

void Session::ClearRunning() {
  running_.clear();
  running_thread_.store(0, std::memory_order_release);
  if (watching_client_) {
    // Ends the client-gone watch: left pending, it would complete together
    // with the next command's read and find the bytes already taken.
    boost::system::error_code ec;
    socket_.cancel(ec);
  }
}

void Session::KillRunning() {
  for (RunRecord& r : running_) {
    if (r.killed || r.group == nullptr || r.backend_thread == 0) continue;
    r.killed = true;
    // KILL CONNECTION: stops the statement and rolls back the transaction.
    // The connection is closed by us anyway and never reused. The coroutine
    // keeps no reference to the connection or to this session.
    asio::co_spawn(
        ex_,
        [ex = ex_, group = r.group, tid = r.backend_thread, timeout = cfg_.backend.connect,
         id = id_]() -> asio::awaitable<void> {
          Status st =
              co_await backend::KillOnBackend(ex, *group, tid, /*query_only=*/false, timeout);
          if (!st.ok())
            spdlog::warn("session {}: KILL {} on group {} failed: {}", id, tid, group->name,
                         st.ToString());
        },
        LogException("session"));
  }
}

void Session::OnClientGone() {
  if (closed_ || client_gone_) return;
  if (statement_autocommit_) {
    // An autocommit statement is left to finish, as MariaDB would (it does
    // not notice a vanished client until it writes): its output is dropped,
    // then the session closes.
    spdlog::info(
        "session {}: client disconnected mid-statement; letting the autocommit "
        "statement finish",
        id_);
    client_gone_ = true;
    discarded_ = 0;
    boost::system::error_code ec;
    socket_.close(ec);
    return;
  }
  spdlog::info(
      "session {}: client disconnected mid-transaction; killing backend thread {} (rolls back) "
      "and closing",
      id_, running_.empty() ? 0 : running_[0].backend_thread);
  KillRunning();
  CloseEverything();
}

// Idle timeout, handshake deadline, and (during long statements) a watch on
// the client socket so that a client that disconnects mid-statement gets its
// backend statement killed promptly. No per-statement timer cost.
asio::awaitable<void> Session::Ticker() {
  auto self = shared_from_this();
  // Idle check granularity: a tenth of idle_timeout (50 ms .. 1 s); while a
  // statement runs or the handshake is pending, every 250 ms (client watch).
  const auto idle_period = std::clamp<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.idle_timeout / 10),
      std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
  const auto busy_period =
      std::min<std::chrono::milliseconds>(idle_period, std::chrono::milliseconds(250));
  const auto started = Clock::now();
  while (!closed_) {
    ticker_.expires_after((!running_.empty() || !authenticated_) ? busy_period : idle_period);
    auto [ec] = co_await ticker_.async_wait(kTuple);
    if (ec || closed_) break;
    const auto now = Clock::now();
    if (!authenticated_ && now - started > kHandshakeTimeout) {
      spdlog::info("session {}: handshake not finished within {} s; closing", id_,
                   std::chrono::duration_cast<std::chrono::seconds>(kHandshakeTimeout).count());
      CloseEverything();
      break;
    }
    if (authenticated_ && waiting_for_command_ && now - last_activity_ >= cfg_.idle_timeout) {
      spdlog::info("session {}: idle for {} ms; closing", id_, cfg_.idle_timeout.count());
      idle_timed_out_ = true;
      CloseEverything();
      break;
    }
    if (!running_.empty() && !client_gone_ && !watching_client_ && !watch_done_ &&
        !in_local_infile_ && now - statement_start_ >= kWatchAfter) {
      watching_client_ = true;
      socket_.async_wait(
          asio::ip::tcp::socket::wait_read, [this, self](const boost::system::error_code& wec) {
            watching_client_ = false;
            if (wec || closed_) return;
            boost::system::error_code aec;
            size_t avail = socket_.available(aec);
            if (aec || avail == 0) {
              OnClientGone();  // readable with nothing to read: the peer closed
            } else {
              watch_done_ = true;  // pipelined bytes: leave them for the next command read
            }
          });
    }
  }
}

asio::awaitable<void> Session::Run() {
  auto self = shared_from_this();
  id_ = ctx_.sessions->NextConnectionId();
  {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_host_ = ec ? "unknown" : ep.address().to_string();
    peer_port_ = ec ? 0 : ep.port();
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  }
  ctx_.sessions->Add(id_, weak_from_this(), "");
  last_activity_ = Clock::now();
  asio::co_spawn(ex_, Ticker(), LogException("session"));

  Status st = co_await Handshake();
  if (st.ok()) {
    authenticated_ = true;
    co_await CommandLoop();
  } else {
    spdlog::info("session {}: handshake from {} failed: {}", id_, peer_host_, st.ToString());
  }

  // Cleanup: a statement still running on a backend is killed; every backend
  // connection is closed (closing rolls back an open transaction), never reused.
  if (!running_.empty()) KillRunning();
  ClearRunning();
  backends_.DropAll();
  closed_ = true;
  ticker_.cancel();
  boost::system::error_code ec;
  socket_.close(ec);
  ctx_.sessions->Remove(id_);
  if (entered_) ctx_.sessions->Leave();
  entered_ = false;
  spdlog::debug("session {}: closed{}", id_, idle_timed_out_ ? " (idle timeout)" : "");
}

// ------------------------------------------------------------ client I/O

asio::awaitable<Result<Frame>> Session::ReadClientFrame(FrameRule rule) {
  // The rule, applied to a header (whole frame or only its first 4 bytes).
  auto check = [&](uint32_t length, uint8_t seq, bool first) -> Status {
    if (first && rule.first_seq >= 0 && seq != static_cast<uint8_t>(rule.first_seq)) {
      bad_seq_ = seq;
      return Err(errors::kNetPacketsOutOfOrder, "Got packets out of order");
    }
    if (length > rule.max_length) {
      bad_seq_ = seq;
      return Err(errors::kHandshake, "Bad handshake");
    }
    return Status::Ok();
  };
  while (true) {
    auto r = client_in_.NextFrame();
    if (!r.ok()) co_return r.status();
    if (r->has_value()) {
      const Frame& f = **r;
      if (Status st = check(static_cast<uint32_t>(f.payload.size()), f.seq, f.first); !st.ok())
        co_return st;
      co_return f;
    }
    // Incomplete: the unread bytes are one frame's beginning. Once its header
    // is here, judge it now rather than after the payload it announces.
    if (client_in_.buffered() >= protocol::kFrameHeaderSize && client_headers_.last()) {
      const auto& h = *client_headers_.last();
      if (Status st = check(h.length, h.seq, h.first); !st.ok()) co_return st;
    }
    if (closed_) co_return ClientGone();
    std::span<char> buf = client_in_.PrepareWrite(kReadChunk);
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buf.data(), buf.size()), kTuple);
    if (ec) co_return ClientGone();
    client_headers_.Feed(std::string_view(buf.data(), n));
    client_in_.Commit(n);
  }
}

asio::awaitable<Result<uint8_t>> Session::SkipClientPacket(Frame first) {
  uint8_t seq = first.seq;
  bool last = first.last;
  while (!last) {
    auto f = co_await ReadClientFrame();
    if (!f.ok()) co_return f.status();
    seq = f->seq;
    last = f->last;
  }
  co_return seq;
}

asio::awaitable<Status> Session::Flush() {
  if (client_gone_) {  // a statement left to finish: nobody reads its output
    discarded_ += out_.size();
    out_.clear();
    // MariaDB itself would abort a statement whose output it cannot write
    // once its buffers are full: a big result is not read to its end.
    if (discarded_ > kMaxDiscard) co_return ClientGone();
    co_return Status::Ok();
  }
  if (out_.empty()) co_return Status::Ok();
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(out_), kTuple);
  out_.clear();
  if (ec) co_return ClientGone();
  co_return Status::Ok();
}

void Session::AppendErr(const Status& st, uint8_t seq) {
  protocol::AppendPacket(&out_, &seq, protocol::MakeErrPacket(st, client_caps_));
}

void Session::AppendOk(uint8_t seq, uint16_t status_flags) {
  protocol::OkPacket ok;
  ok.status_flags = status_flags;
  protocol::AppendPacket(&out_, &seq, ok.Serialize(client_caps_));
}

asio::awaitable<bool> Session::SendErr(const Status& st, uint8_t seq) {
  AppendErr(st, seq);
  Status w = co_await Flush();
  co_return w.ok();
}

asio::awaitable<void> Session::SendErrAndClose(const Status& st, uint8_t seq) {
  AppendErr(st, seq);
  // Written synchronously (a small packet: the socket buffer takes it) and
  // followed at once by the FIN, with no scheduling gap between them: a
  // pooled driver that checks the socket before reusing the connection
  // (go-sql-driver's connCheck) then always sees it closed.
  // TCP_CORK holds the ERR until the shutdown, so the ERR and the FIN leave
  // in one segment: no reader can see the one without the other.
  boost::system::error_code ec;
  int one = 1;
  ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_CORK, &one, sizeof one);
  if (!client_gone_) asio::write(socket_, asio::buffer(out_), ec);
  out_.clear();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  co_return;
}

Status Session::AccessDenied(const std::string& user, bool used_password) const {
  return Err(errors::kAccessDenied, "Access denied for user '" + user + "'@'" + peer_host_ +
                                        "' (using password: " + (used_password ? "YES" : "NO") +
                                        ")");
}

asio::awaitable<Result<std::string>> Session::NativeAuthResponse(std::string plugin,
                                                                 std::string response,
                                                                 uint8_t* seq) {
  const bool native = plugin.empty() || plugin == protocol::kNativePasswordPlugin;
  if (native || !(client_caps_ & protocol::kClientPluginAuth)) co_return response;
  // The client answered with another plugin (MySQL 8: caching_sha2_password):
  // ask it to switch to mysql_native_password with our scramble.
  protocol::AuthSwitchRequest sw;
  sw.plugin_name = std::string(protocol::kNativePasswordPlugin);
  sw.plugin_data = scramble_ + std::string(1, '\0');
  protocol::AppendPacket(&out_, seq, sw.Serialize());
  if (Status w = co_await Flush(); !w.ok()) co_return w;
  FrameRule rule;
  rule.first_seq = *seq;
  if (!authenticated_) rule.max_length = kMaxPreAuthFrame;
  auto f = co_await ReadClientFrame(rule);
  if (!f.ok()) co_return f.status();
  if (!f->last) co_return Err(errors::kHandshake, "Bad handshake");
  *seq = static_cast<uint8_t>(f->seq + 1);
  co_return std::string(f->payload);
}

asio::awaitable<Status> Session::Handshake() {
  // 1. Initial handshake v10, sequence id 0.
  if (!protocol::GenerateScramble(&scramble_)) {
    Status st = Status::Bug("random scramble generation failed");
    co_await SendErr(st, 0);
    co_return st;
  }
  protocol::InitialHandshake hs;
  hs.server_version = cfg_.server_version;
  hs.connection_id = id_;
  hs.auth_plugin_data = scramble_;
  hs.capabilities = AdvertisedCapabilities();
  hs.charset = kUtf8mb4GeneralCi;
  hs.status_flags = protocol::kServerStatusAutocommit;
  hs.auth_plugin_name = std::string(protocol::kNativePasswordPlugin);
  uint8_t seq = 0;
  protocol::AppendPacket(&out_, &seq, hs.Serialize());
  if (Status w = co_await Flush(); !w.ok()) co_return w;

  // 2. Handshake response, sequence id 1, at most kMaxPreAuthFrame bytes:
  // both judged on the frame header, so garbage (an HTTP request) is refused
  // at once instead of after the megabytes its "header" announces.
  FrameRule rule;
  rule.first_seq = 1;
  rule.max_length = kMaxPreAuthFrame;
  auto f = co_await ReadClientFrame(rule);
  if (!f.ok()) {
    if (f.status().code() == errors::kNetPacketsOutOfOrder.code) {
      co_await SendErr(f.status(), static_cast<uint8_t>(bad_seq_ + 1));
    } else if (!IsClientGone(f.status())) {
      co_await SendErr(f.status(), 2);
    }
    co_return f.status();
  }
  if (!f->last) {
    Status st = Err(errors::kHandshake, "Bad handshake");
    co_await SendErr(st, 2);
    co_return st;
  }
  auto resp = protocol::HandshakeResponse::Parse(f->payload);
  if (!resp.ok()) {
    Status st = Err(errors::kHandshake, "Bad handshake");
    co_await SendErr(st, 2);
    co_return resp.status();
  }
  if (resp->is_ssl_request) {
    Status st =
        Err(errors::kHandshake, "Bad handshake: shardproxy does not support SSL/TLS connections");
    co_await SendErr(st, 2);
    co_return st;
  }
  client_caps_ = resp->capabilities & AdvertisedCapabilities();
  // A client character set whose multi-byte characters may contain 0x5C:
  // the SQL lexer cannot read its statements safely (charset_guard.h).
  if (auto bad = RefusedCharsetOfCollation(resp->charset)) {
    Status st = RefusedCharsetError(*bad);
    co_await SendErr(st, 2);
    co_return st;
  }
  seq = 2;

  // 3. Authentication: mysql_native_password against the config's users.
  auto auth = co_await NativeAuthResponse(resp->auth_plugin_name, resp->auth_response, &seq);
  if (!auth.ok()) {
    if (!IsClientGone(auth.status())) co_await SendErr(auth.status(), seq);
    co_return auth.status();
  }
  const UserConfig* user = cfg_.FindUser(resp->username);
  if (user == nullptr || !protocol::NativePasswordVerify(scramble_, *auth, user->password)) {
    Status st = AccessDenied(resp->username, !auth->empty());
    co_await SendErr(st, seq);
    co_return st;
  }

  // 4. Session defaults, then the backend connection (unknown database -> the
  // backend's own 1049 passes through).
  // Counted after authentication (as MySQL 8 does), so the ERR carries the
  // client's caps (SQLSTATE 08004) and every client library reads it right.
  // Connections still in the handshake are bounded by kHandshakeTimeout.
  if (!ctx_.sessions->TryEnter()) {
    spdlog::warn("session {}: refused {}@{}: max_connections ({}) reached", id_, resp->username,
                 peer_host_, cfg_.max_connections);
    Status st = Err(errors::kConCount, "Too many connections");
    co_await SendErr(st, seq);
    co_return st;
  }
  entered_ = true;
  state_.user = resp->username;
  state_.charset = MapClientCollation(resp->charset);
  state_.schema = (client_caps_ & protocol::kClientConnectWithDb) ? resp->database : std::string();
  state_.ResetForNewConnection();
  ctx_.sessions->SetUser(id_, state_.user);
  backends_.client_caps = client_caps_;
  backends_.charset = state_.charset;
  auto conn = co_await backends_.Acquire(*default_group_, &state_);
  if (!conn.ok()) {
    co_await SendErr(conn.status(), seq);
    co_return conn.status();
  }
  running_group_.store(default_group_, std::memory_order_release);
  if (!conn->conn->setup_ok_payload().empty()) {
    (void)ApplyOkPacket(&state_, conn->conn->setup_ok_payload(), conn->conn->caps());
    state_.pinned = false;  // the tracking SET itself is not client state
    state_.pinned_reason.clear();
  }

  // 5. OK.
  AppendOk(seq, protocol::kServerStatusAutocommit);
  if (Status w = co_await Flush(); !w.ok()) co_return w;
  spdlog::info("session {}: {}@{} connected (caps 0x{:x}, collation {}, db '{}')", id_, state_.user,
               peer_host_, client_caps_, state_.charset, state_.schema);
  co_return Status::Ok();
}

// ------------------------------------------------------------ command loop

asio::awaitable<void> Session::CommandLoop() {
  while (!closed_) {
    if (ctx_.draining != nullptr && ctx_.draining->load(std::memory_order_relaxed)) break;
    waiting_for_command_ = true;
    command_ = Command::kSleep;
    last_activity_ = Clock::now();
    WatchBackendsWhileIdle();
    // A command starts at sequence id 0: judged on the header.
    FrameRule rule;
    rule.first_seq = 0;
    auto f = co_await ReadClientFrame(rule);
    waiting_for_command_ = false;
    last_activity_ = Clock::now();
    if (!f.ok()) {
      // 1156 (wrong first sequence id): answered after the bad header's id.
      // 1153 (packet too large) from the framer: tell the client, then close.
      // A vanished client: just close.
      if (f.status().code() == errors::kNetPacketsOutOfOrder.code) {
        co_await SendErr(f.status(), static_cast<uint8_t>(bad_seq_ + 1));
      } else if (!IsClientGone(f.status())) {
        co_await SendErr(f.status(), 1);
      }
      break;
    }
    if (f->payload.empty()) {
      co_await SendErr(Err(errors::kUnknownCom, "Unknown command"), 1);
      continue;
    }
    if (!co_await HandleCommand(*f)) break;
  }
}

router::PlanInput Session::SessionPlanInput() const {
  router::PlanInput in;
  in.current_schema = state_.schema;
  in.last_group = last_group_;
  in.last_was_multi_group = last_was_multi_group_;
  in.last_groups = last_groups_;
  in.last_was_ddl = last_was_ddl_;
  auto cs = state_.variables.find("character_set_connection");
  in.connection_charset = cs != state_.variables.end() ? std::string_view(cs->second)
                                                       : CharsetOfCollation(state_.charset);
  return in;
}

router::Plan Session::PlanCommand(Command cmd, const Frame& frame, const ParseOutcome* parsed) {
  router::Plan plan;
  if (ctx_.rules == nullptr) {  // no routing metadata (unit tests): the default group
    plan.targets.push_back(router::RouteTarget{default_group_->name, {}, true, ""});
    return plan;
  }
  const std::shared_ptr<const router::RoutingSnapshot> snap = ctx_.rules->Get();
  auto first_group_of = [&](std::string_view schema) -> std::string {
    if (schema.empty() || router::IsSystemSchema(schema)) return default_group_->name;
    return snap->SchemaOrDefault(schema).groups.front();
  };
  auto one = [&](std::string group, bool session_wide) {
    router::Plan p;
    p.targets.push_back(router::RouteTarget{std::move(group), {}, true, ""});
    p.session_wide = session_wide;
    return p;
  };
  auto refuse = [](std::string msg) {
    router::Plan r;
    r.kind = router::Plan::Kind::kRefuse;
    r.refusal = Err(errors::kNotSupportedYet, std::move(msg));
    return r;
  };
  router::PlanInput in = SessionPlanInput();
  switch (cmd) {
    case Command::kQuery:
    case Command::kStmtPrepare: {
      in.prepare = cmd == Command::kStmtPrepare;
      if (parsed == nullptr || parsed->pieces.empty()) {
        in.sql = frame.payload.substr(1);
        if (parsed != nullptr) return one(first_group_of(state_.schema), false);  // blanks only
        return router::MakePlan(in, *snap);  // not parsed (>= 16 MiB): never guessed
      }
      if (parsed->action == ParseOutcome::Action::kBackendProcessList)
        return one(default_group_->name, false);
      router::Plan combined;
      bool session_piece = false;
      for (size_t i = 0; i < parsed->pieces.size(); ++i) {
        const ParseOutcome::Piece& piece = parsed->pieces[i];
        in.stmt = piece.model ? &*piece.model : nullptr;
        in.sql = piece.sql;
        in.user_variables = piece.user_variables;
        router::Plan p = router::MakePlan(in, *snap);
        if (parsed->pieces.size() == 1) {
          if (cmd == Command::kStmtPrepare && p.kind == router::Plan::Kind::kRefuse &&
              piece.model && piece.model->placeholder_count > 0 &&
              TouchesShardedSchema(*piece.model)) {
            // The refusal may depend on the parameters (`key = ?` picks one
            // group at execute): each execute is planned and refused there.
            return one(first_group_of(state_.schema), false);
          }
          if (cmd == Command::kStmtPrepare && p.kind == router::Plan::Kind::kRoute &&
              p.targets.size() > 1) {
            // Routed at each execute by its bound values: prepared here on
            // the first group (for its metadata), elsewhere when first needed.
            p.targets.resize(1);
            p.targets[0].sql.clear();
            p.writes = false;
            p.concatenate = false;
            p.effect = router::PlanEffect::kNone;
          }
          return p;
        }
        if (p.kind == router::Plan::Kind::kRefuse) return p;
        if (p.targets.size() != 1 || !p.targets[0].sql.empty() ||
            p.effect != router::PlanEffect::kNone ||
            (i > 0 && combined.targets[0].group != p.targets[0].group)) {
          return refuse(
              "shardproxy: the statements of this multi-statement go to different groups (or "
              "need rewriting); send them one by one");
        }
        if (p.session_wide) session_piece = true;
        const bool all_session = (i == 0 || combined.session_wide) && p.session_wide;
        if (i == 0) combined = p;
        combined.session_wide = all_session;
        combined.writes = combined.writes || p.writes;
      }
      if (session_piece && !combined.session_wide) {
        if (!state_.UnreplayableReason().empty() && backends_.slots().size() > 1) {
          return refuse(
              "shardproxy: a multi-statement mixing SET/USE with other statements while a "
              "transaction or other unreplayable state is open on several groups; send the SET "
              "alone");
        }
        refresh_other_connections_ = true;
      }
      return combined;
    }
    case Command::kInitDb:
      return one(first_group_of(frame.payload.substr(1)), true);
    case Command::kSetOption:
    case Command::kResetConnection:
      return one(first_group_of(state_.schema), true);
    case Command::kStmtExecute:
    case Command::kStmtSendLongData:
    case Command::kStmtClose:
    case Command::kStmtReset:
    case Command::kStmtFetch: {
      if (frame.payload.size() >= 5) {
        auto it = state_.prepared_statements.find(protocol::StmtIdOf(frame.payload));
        if (it != state_.prepared_statements.end() && !it->second.group.empty()) {
          SessionState::PreparedStatement& ps = it->second;
          if (cmd == Command::kStmtSendLongData && ps.model && frame.payload.size() >= 7) {
            // Remember which parameter the next execute does not carry.
            const uint16_t param = static_cast<uint8_t>(frame.payload[5]) |
                                   static_cast<uint16_t>(static_cast<uint8_t>(frame.payload[6]))
                                       << 8;
            if (param < ps.num_params) {
              ps.long_data.resize(ps.num_params, 0);
              ps.long_data[param] = 1;
            }
          }
          if (cmd == Command::kStmtReset) ps.long_data.clear();
          if (cmd != Command::kStmtExecute || !ps.model) return one(ps.group, false);
          // Routed by its parameters: plan this execute with the bound values.
          if (!frame.last)
            return refuse(
                "shardproxy: an execute of 16 MiB or more of a statement on sharded "
                "tables cannot be routed");
          std::span<const bool> long_data;
          if (ps.long_data.size() == ps.num_params)
            long_data = std::span<const bool>(reinterpret_cast<const bool*>(ps.long_data.data()),
                                              ps.long_data.size());
          auto ex =
              protocol::StmtExecute::Parse(frame.payload, ps.num_params, ps.param_types, long_data);
          ps.long_data.clear();  // consumed by this execute
          if (!ex.ok()) {
            router::Plan r;
            r.kind = router::Plan::Kind::kRefuse;
            r.refusal = ex.status();
            return r;
          }
          if (ex->new_params_bound) ps.param_types = ex->ParamTypes();
          param_texts_.clear();
          param_texts_.reserve(ex->params.size());
          std::vector<router::KeyValue> values;
          values.reserve(ex->params.size());
          for (const protocol::BoundParam& bp : ex->params) {
            router::KeyValue kv;
            auto t = protocol::ParamAsText(bp);
            if (!t.ok()) {
              kv.kind = parser::LiteralKind::kPlaceholder;  // unknown: routes everywhere
              values.push_back(kv);
              continue;
            }
            param_texts_.push_back(std::move(t->text));
            kv.text = param_texts_.back();
            kv.charset = in.connection_charset;
            switch (t->kind) {
              case protocol::ParamText::kInteger:
                kv.kind = parser::LiteralKind::kInteger;
                break;
              case protocol::ParamText::kDecimal:
                kv.kind = parser::LiteralKind::kDecimal;
                break;
              case protocol::ParamText::kFloat:
                kv.kind = parser::LiteralKind::kFloat;
                break;
              case protocol::ParamText::kString:
                kv.kind = parser::LiteralKind::kString;
                break;
              case protocol::ParamText::kNull:
                kv.is_null = true;
                break;
            }
            values.push_back(kv);
          }
          in.stmt = ps.model.get();
          in.sql = ps.sql;
          in.current_schema = ps.schema;
          in.user_variables = ps.user_variables;
          in.params = values;
          router::Plan p = router::MakePlan(in, *snap);
          if (p.kind == router::Plan::Kind::kRoute && p.targets.size() > 1) {
            return refuse(fmt::format(
                "shardproxy: this execute reaches several groups ({}, ...) with these "
                "parameters; running a prepared statement on several groups is not supported "
                "yet: add a shard-key condition, or send it as a plain query",
                p.targets[0].group));
          }
          for (router::RouteTarget& t : p.targets) t.sql.clear();  // ids, not text, are rewritten
          execute_ = std::move(*ex);
          return p;
        }
      }
      return one(first_group_of(state_.schema), false);
    }
    default:
      return one(first_group_of(state_.schema), false);
  }
}

asio::awaitable<bool> Session::HandleCommand(Frame frame) {
  const auto cmd = static_cast<Command>(static_cast<uint8_t>(frame.payload[0]));
  const uint8_t reply_seq = static_cast<uint8_t>(frame.seq + 1);
  if (!lost_.ok()) {
    // The server side of this session is gone (see NoteLostConnection):
    // everything but a fresh start gets the ERR, and the session closes so
    // that a pooled driver drops it.
    if (cmd == Command::kQuit) co_return false;
    if (cmd == Command::kResetConnection || cmd == Command::kChangeUser) {
      lost_ = Status::Ok();
      backends_.DropAll();
      state_.ResetForNewConnection();
    } else {
      auto last = co_await SkipClientPacket(frame);
      if (last.ok()) co_await SendErrAndClose(lost_, static_cast<uint8_t>(*last + 1));
      co_return false;
    }
  }
  switch (cmd) {
    case Command::kQuit:
      co_return false;

    case Command::kQuery: {
      // KILL is ours: its id is our connection id, not a backend thread id.
      std::string_view sql = frame.payload.substr(1);
      if (!frame.last) sql = sql.substr(0, 4096);
      KillRequest kill = MatchKill(sql);
      if (kill.kind == KillRequest::Kind::kNotKill && ContainsKillStatement(sql)) {
        kill.kind = KillRequest::Kind::kUnsupported;
      }
      if (kill.kind == KillRequest::Kind::kKill && frame.last) {
        co_return co_await HandleKill(kill.id, kill.query_only, reply_seq);
      }
      if (kill.kind != KillRequest::Kind::kNotKill) {
        auto last = co_await SkipClientPacket(frame);
        if (!last.ok()) co_return false;
        co_return co_await SendErr(Err(errors::kNotSupportedYet,
                                       "This version of shardproxy doesn't yet support this KILL "
                                       "form: use KILL [QUERY|CONNECTION] <id> "
                                       "alone, where <id> is the proxy's connection id (the one in "
                                       "the proxy's handshake)"),
                                   static_cast<uint8_t>(*last + 1));
      }
      co_return co_await HandleStatement(frame);
    }

    case Command::kProcessKill: {
      if (frame.payload.size() < 5) {
        co_return co_await SendErr(Err(errors::kUnknownCom, "Malformed COM_PROCESS_KILL"),
                                   reply_seq);
      }
      uint32_t id = static_cast<uint32_t>(static_cast<uint8_t>(frame.payload[1])) |
                    static_cast<uint32_t>(static_cast<uint8_t>(frame.payload[2])) << 8 |
                    static_cast<uint32_t>(static_cast<uint8_t>(frame.payload[3])) << 16 |
                    static_cast<uint32_t>(static_cast<uint8_t>(frame.payload[4])) << 24;
      co_return co_await HandleKill(id, /*query_only=*/false, reply_seq);
    }

    case Command::kChangeUser:
      co_return co_await HandleChangeUser(frame);

    case Command::kInitDb:
    case Command::kPing:
    case Command::kFieldList:
    case Command::kStatistics:
    case Command::kSetOption:
    case Command::kResetConnection:
    case Command::kRefresh:
    case Command::kStmtPrepare:
    case Command::kStmtExecute:
    case Command::kStmtSendLongData:
    case Command::kStmtClose:
    case Command::kStmtReset:
    case Command::kStmtFetch:
      co_return co_await HandleStatement(frame);

    default: {
      // Anything else (replication, deprecated, internal, MariaDB bulk without
      // the cap): ERR 1047 and the session stays usable.
      auto last = co_await SkipClientPacket(frame);
      if (!last.ok()) co_return false;
      spdlog::debug("session {}: unsupported command 0x{:02x} ({})", id_,
                    static_cast<unsigned>(cmd), protocol::CommandName(cmd));
      co_return co_await SendErr(Err(errors::kUnknownCom, "Unknown command"),
                                 static_cast<uint8_t>(*last + 1));
    }
  }
}

namespace {

// Largest statement text kept for SHOW FULL PROCESSLIST.
constexpr size_t kMaxInfo = 64 * 1024;

}  // namespace

asio::awaitable<Result<BackendSet::Slot>> Session::AcquireFor(const GroupConfig& group) {
  if (const BackendSet::Slot* slot = backends_.Find(group.name)) {
    if (!slot->conn->broken()) co_return *slot;
    // Broken while idle (closed by the server, aborted by the liveness
    // probe): the loss is judged now, before anything is sent.
    Status why = slot->conn->error();
    backends_.Drop(group.name);
    NoteLostConnection(group.name, why);
    if (!lost_.ok()) co_return lost_;
    spdlog::info(
        "session {}: group {} connection was lost while idle ({}); reconnecting with "
        "the session's settings replayed",
        id_, group.name, why.message());
  }
  auto r = co_await backends_.Acquire(group, &state_);
  if (!r.ok() && r.status().code() == errors::kSessionStateLost.code) lost_ = r.status();
  co_return r;
}

bool Session::TouchesShardedSchema(const parser::Statement& m) const {
  if (ctx_.rules == nullptr) return false;
  auto snap = ctx_.rules->Get();
  auto sharded = [&](std::string_view schema) {
    const router::SchemaRule* r = snap->FindSchema(schema);
    return r != nullptr && r->sharded;
  };
  if (sharded(state_.schema)) return true;
  for (const auto& t : m.tables)
    if (!t.schema.empty() && sharded(t.schema)) return true;
  return false;
}

asio::awaitable<Result<uint32_t>> Session::PrepareSilently(backend::BackendConnection* conn,
                                                           std::string_view sql) {
  const std::string payload = protocol::CommandPayload(Command::kStmtPrepare, sql);
  if (Status w = co_await conn->WritePacket(payload, 0); !w.ok()) co_return w;
  protocol::ResponseTracker tracker;
  tracker.Begin(Command::kStmtPrepare, conn->caps(), payload);
  while (true) {
    auto pkt = co_await conn->ReadPacket();
    if (!pkt.ok()) co_return pkt.status();
    auto step = tracker.OnPacket(pkt->payload);
    if (!step.ok()) co_return step.status();
    if (*step == protocol::ResponseTracker::Step::kDone) break;
  }
  if (tracker.ended_with_error())
    co_return backend::StatusFromErrPayload(tracker.error_payload(), conn->caps());
  auto ok = tracker.prepare_ok();
  if (!ok) co_return Status::Bug("COM_STMT_PREPARE answered without a statement id");
  co_return ok->statement_id;
}

void Session::NoteLostConnection(const std::string& group, const Status& why) {
  std::string reason = state_.UnreplayableReason();
  if (reason.empty() || !lost_.ok()) return;  // replayable: the next connection rebuilds it
  std::string what = reason == "an open transaction"
                         ? "an open transaction, which the server rolled back"
                         : reason;
  lost_ = Err(errors::kSessionStateLost,
              fmt::format("shardproxy: the session's server state was lost: the connection to "
                          "group {} broke ({}) while the session had {}. Nothing of it survives "
                          "on the server; reconnect and start again.",
                          group, why.message(), what));
  spdlog::warn("session {}: {}", id_, lost_.message());
}

void Session::WatchBackendsWhileIdle() {
  for (const auto& [name, slot] : backends_.slots()) {
    if (!slot.conn->broken()) slot.conn->WatchIdle(weak_from_this());
  }
}

void Session::OnBackendReadable(backend::BackendConnection* conn) {
  if (closed_ || !waiting_for_command_) return;  // a statement runs: its relay reads the socket
  bool known = false;
  for (const auto& [name, slot] : backends_.slots()) known = known || slot.conn.get() == conn;
  if (!known) return;
  if (!conn->ClosedByServer()) {
    conn->WatchIdle(weak_from_this());  // spurious wake-up
    return;
  }
  // The server closed the idle connection. When the client's own
  // wait_timeout ran out, the client's connection closes too, as a direct
  // server's would (drivers check for exactly that); otherwise (KILL, a
  // restart) the next statement decides: replay, or ERR 1184.
  const auto idle = Clock::now() - last_activity_;
  auto wt = state_.variables.find("wait_timeout");
  if (wt != state_.variables.end()) {
    char* end = nullptr;
    const double secs = std::strtod(wt->second.c_str(), &end);
    if (end != wt->second.c_str() &&
        idle + std::chrono::seconds(1) >= std::chrono::duration<double>(secs)) {
      spdlog::info(
          "session {}: group {} closed the idle connection after the session's "
          "wait_timeout ({} s); closing the client connection",
          id_, conn->group(), wt->second);
      idle_timed_out_ = true;
      CloseEverything();
      return;
    }
  }
  conn->Abort(Err(
      errors::kBackendUnavailable,
      fmt::format("the server closed the idle connection {} {}", conn->role(), conn->endpoint())));
  spdlog::info("session {}: group {} closed the idle connection (thread {})", id_, conn->group(),
               conn->thread_id());
}

// One statement/command relayed to the backend(s). Returns false to close.
asio::awaitable<bool> Session::HandleStatement(Frame frame) {
  const auto cmd = static_cast<Command>(static_cast<uint8_t>(frame.payload[0]));
  command_ = cmd;
  statement_start_ = Clock::now();
  if (cmd == Command::kQuery || cmd == Command::kStmtPrepare) {
    info_.assign(frame.payload.substr(1, kMaxInfo));
  } else if (cmd != Command::kStmtExecute) {
    info_.clear();
  }

  // 1. protocol: `frame` is the first frame of the command packet.
  // 2. session: nothing to intercept past HandleCommand.
  // 3. parser: every statement of a COM_QUERY / COM_STMT_PREPARE through the
  //    thread's template cache. Unparsable statements pass through unchanged
  //    (the router will decide about them later).
  StatementRequest req(frame, cmd);  // what the backends get (the client's bytes so far)
  StatementEffect& effect = req.effect;
  if (cmd == Command::kInitDb) effect = StatementEffect::kReplayableOnly;
  std::string& pin_reason = req.pin_reason;
  std::optional<std::string>& names_collation = req.names_collation;
  std::optional<ParseOutcome> parsed;  // the statements' models, for the router
  if (cmd == Command::kQuery || cmd == Command::kStmtPrepare) {
    ParseCounters& counters = ThreadParseCounters();
    if (!frame.last) {
      ++counters.skipped;  // >= 16 MiB of SQL: not parsed, passed through
    } else {
      ParseOutcome& o = parsed.emplace(RunParserStage(frame.payload.substr(1), CurrentSqlMode(),
                                                      cmd == Command::kStmtPrepare,
                                                      parser::ThreadCachedParser(), counters));
      if (o.replayable_only && cmd == Command::kQuery) effect = StatementEffect::kReplayableOnly;
      pin_reason = std::move(o.pin_reason);
      if (cmd == Command::kQuery) names_collation = std::move(o.names_collation);
      const uint8_t reply_seq = static_cast<uint8_t>(frame.seq + 1);
      switch (o.action) {
        case ParseOutcome::Action::kRefuse:
          spdlog::debug("session {}: refused before the backend: {}", id_, o.error.ToString());
          co_return co_await SendErr(o.error, reply_seq);
        case ParseOutcome::Action::kExplainSharding:
          co_return co_await AnswerExplainSharding(o, reply_seq);
        case ParseOutcome::Action::kSessionFunction:
          // Our id always; the last statement's values when it ran on
          // several groups (else its group answers, as usual).
          if (o.function == SessionFunction::kConnectionId || last_was_multi_group_)
            co_return co_await AnswerSessionFunction(o, reply_seq);
          break;
        case ParseOutcome::Action::kProcessList:
          co_return co_await AnswerProcessList(o.full, reply_seq);
        case ParseOutcome::Action::kSetShowSharding:
          co_return co_await AnswerSetShowSharding(o, reply_seq);
        case ParseOutcome::Action::kBackendProcessList:
        case ParseOutcome::Action::kRewrite: {
          std::string sql = o.sql;
          if (o.action == ParseOutcome::Action::kBackendProcessList) {
            // The default group's threads as the session's backend user sees
            // them (the app user: its own threads). Several groups: one such
            // SELECT per group, concatenated (the routing issue).
            sql = fmt::format(
                "SELECT '{}' AS `Group`, ID AS `Id`, USER AS `User`, HOST AS `Host`, DB AS `db`, "
                "COMMAND AS `Command`, TIME AS `Time`, STATE AS `State`, {} AS `Info` FROM "
                "information_schema.PROCESSLIST ORDER BY ID",
                default_group_->name, o.full ? "INFO" : "LEFT(INFO, 100)");
          } else {
            spdlog::info(
                "session {}: sharding clause removed before the backend (the router will "
                "record the rule): {}",
                id_, o.sql);
          }
          RewriteRequest(&req, sql);
          break;
        }
        case ParseOutcome::Action::kPassThrough:
          break;
      }
      if (!o.error.ok() && o.action != ParseOutcome::Action::kRefuse) {
        spdlog::debug("session {}: not parsed, passed through to the default group: {}", id_,
                      o.error.ToString());
      }
    }
  }

  show_create_ = ShowCreateFor(cmd, parsed ? &*parsed : nullptr);  // the clause, in the relay

  // 4. router: the plan (data: router/planner/plan.h).
  refresh_other_connections_ = false;
  router::Plan plan = PlanCommand(cmd, frame, parsed ? &*parsed : nullptr);
  if (plan.kind == router::Plan::Kind::kRoute && plan.ddl &&
      (state_.in_transaction || !txn_write_group_.empty())) {
    // DDL commits the open transaction first, as MariaDB does: on every open
    // connection (the DDL itself reaches only the table's groups).
    for (const auto& [g, slot] : backends_.slots()) {
      Status st = co_await RunSilently(slot.conn.get(),
                                       "\x03"
                                       "COMMIT");
      if (!st.ok())
        spdlog::warn("session {}: COMMIT before DDL on group {}: {}", id_, g, st.message());
    }
    txn_write_group_.clear();
  }
  if (plan.kind == router::Plan::Kind::kRoute && plan.writes && !plan.ddl &&
      (state_.in_transaction || !state_.autocommit)) {
    // One group per transaction until cross-group atomic commit exists.
    std::string first = plan.targets[0].group;
    if (plan.targets.size() > 1 || (!txn_write_group_.empty() && txn_write_group_ != first)) {
      // `reaches`: a group this write goes to; `writes`: the one the transaction writes to.
      std::string writes_to = !txn_write_group_.empty() ? txn_write_group_ : first;
      std::string reaches = first != writes_to ? first : plan.targets[1].group;
      plan = router::Plan();
      plan.kind = router::Plan::Kind::kRefuse;
      plan.refusal = Err(errors::kNotSupportedYet,
                         fmt::format("shardproxy: this write inside a transaction reaches group "
                                     "{} while the transaction writes to group {}: a transaction "
                                     "may write to one group only (cross-group atomic commit is "
                                     "not supported yet); commit first, or keep the transaction's "
                                     "rows on one group",
                                     reaches, writes_to));
    } else {
      txn_write_group_ = first;
    }
  }
  if (plan.kind == router::Plan::Kind::kRefuse) {
    auto last = co_await SkipClientPacket(frame);
    if (!last.ok()) co_return false;
    co_return co_await SendErr(plan.refusal, static_cast<uint8_t>(*last + 1));
  }
  // 5.-7. execute the plan: backend, merge, protocol (execute.cc).
  req.parsed = parsed ? &*parsed : nullptr;
  co_return co_await ExecutePlan(plan, req);
}

asio::awaitable<bool> Session::RelayResponse(const BackendSet::Slot& target, Command cmd,
                                             uint8_t last_seq, StatementEffect effect) {
  using Step = protocol::ResponseTracker::Step;
  backend::BackendConnection* conn = target.conn.get();  // `target` keeps it alive
  const bool strip = !(client_caps_ & protocol::kClientSessionTrack);
  const std::string group = conn->group();
  Step step = Step::kMore;
  bool in_packet = false;  // inside a multi-frame logical packet
  bool prepare_mapped = false;
  while (true) {
    auto r = co_await conn->ReadFrame();
    if (!r.ok()) {
      // The backend died, was aborted (probe DOWN, client gone), or was killed.
      // Whatever was relayed stays; the client gets the ERR next.
      Status st = r.status();
      backends_.Drop(group);
      NoteLostConnection(group, st);
      if (closed_ || client_gone_) co_return false;
      spdlog::warn("session {}: backend failed mid-statement: {}", id_, st.ToString());
      if (in_packet) co_return false;  // cannot end a half-sent packet cleanly
      co_return co_await SendErr(st, static_cast<uint8_t>(last_seq + 1));
    }
    const Frame& fr = *r;
    last_seq = fr.seq;
    if (!in_packet) {
      auto s = tracker_.OnPacket(fr.payload, fr.payload.size());
      if (!s.ok()) {
        backends_.Drop(group);
        NoteLostConnection(group, s.status());
        if (Status w = co_await Flush(); !w.ok()) co_return false;
        spdlog::error("session {}: backend protocol error: {}", id_, s.status().ToString());
        co_return co_await SendErr(s.status(), static_cast<uint8_t>(last_seq + 1));
      }
      step = *s;
      if (tracker_.last_kind() == protocol::PacketKind::kOk) {
        (void)ApplyOkPacket(&state_, fr.payload, conn->caps(), effect);
        uint16_t flags = protocol::StatusFlagsOf(fr.payload);
        if (strip && (flags & protocol::kServerSessionStateChanged)) {
          uint8_t seq = fr.seq;
          protocol::AppendPacket(&out_, &seq,
                                 protocol::StripSessionTracking(fr.payload, conn->caps()));
        } else {
          out_.append(fr.raw);
        }
      } else {
        if (!show_create_.active || !AppendShowCreateRow(fr)) out_.append(fr.raw);
        if (cmd == Command::kStmtPrepare && !prepare_mapped && fr.payload.size() >= 5) {
          if (auto p = tracker_.prepare_ok()) {
            // The client gets our id for it, never the backend's.
            prepare_mapped = true;
            const uint32_t id = state_.next_statement_id++;
            if (state_.next_statement_id == 0) state_.next_statement_id = 1;
            SessionState::PreparedStatement& ps = state_.prepared_statements[id];
            ps.backend_id = p->statement_id;
            ps.conn_serial = target.serial;
            ps.sql = info_;
            ps.group = conn->group();
            last_prepared_id_ = id;
            protocol::SetStmtId(std::span<char>(out_).subspan(out_.size() - fr.raw.size() +
                                                              protocol::kFrameHeaderSize),
                                id);
          }
        }
      }
    } else {
      out_.append(fr.raw);
    }
    in_packet = !fr.last;
    if (in_packet || step == Step::kMore) {
      // Coalesce per backend read: write once everything received so far is
      // queued (the next read would wait), or once a big batch is queued.
      // A slow stream reaches the client as it comes; a fast one in batches.
      if (out_.size() >= kFlushBytes || conn->buffered() < protocol::kFrameHeaderSize) {
        if (Status w = co_await Flush(); !w.ok()) {
          backends_.Drop(group);
          co_return false;
        }
      }
      continue;
    }
    if (Status w = co_await Flush(); !w.ok()) {
      backends_.Drop(group);
      co_return false;
    }
    if (step == Step::kDone) break;
    if (step == Step::kLocalInfile) {
      // The client sends the file's packets, then an empty one; relay them.
      in_local_infile_ = true;
      uint8_t expect = static_cast<uint8_t>(last_seq + 1);
      while (true) {
        FrameRule rule;
        rule.first_seq = expect;
        auto f = co_await ReadClientFrame(rule);
        if (!f.ok() || f->seq != expect) {
          in_local_infile_ = false;
          backends_.Drop(group);
          if (f.ok() || f.status().code() == errors::kNetPacketsOutOfOrder.code)
            co_await SendErr(Err(errors::kNetPacketsOutOfOrder, "Got packets out of order"),
                             expect);
          else if (!IsClientGone(f.status()))
            co_await SendErr(f.status(), expect);
          co_return false;
        }
        expect = static_cast<uint8_t>(f->seq + 1);
        last_seq = f->seq;
        const bool end = f->first && f->payload.empty();
        if (Status w = co_await conn->Write(f->raw); !w.ok()) {
          // Keep reading the file away? The client still sends; close instead.
          in_local_infile_ = false;
          backends_.Drop(group);
          co_await SendErr(w, expect);
          co_return false;
        }
        if (end) break;
      }
      in_local_infile_ = false;
      tracker_.LocalInfileSent();
      continue;
    }
  }

  // Session state from the response.
  if (!tracker_.ended_with_error()) {
    ApplyStatusFlags(&state_, tracker_.final_status());
    if (cmd == Command::kResetConnection) state_.ResetForNewConnection();
  }
  if (state_.pinned && spdlog::should_log(spdlog::level::trace)) {
    spdlog::trace("session {}: state {}", id_, state_.ToString());
  }
  co_return true;
}

// ------------------------------------------------------------ local answers

parser::SqlMode Session::CurrentSqlMode() {
  auto it = state_.variables.find("sql_mode");
  if (it != state_.variables.end() && it->second != sql_mode_text_) {
    sql_mode_text_ = it->second;
    sql_mode_ = parser::SqlMode::FromString(sql_mode_text_);
  } else if (it == state_.variables.end() && !sql_mode_text_.empty()) {
    sql_mode_text_.clear();
    sql_mode_ = parser::SqlMode();
  }
  parser::SqlMode m = sql_mode_;
  if (state_.status_flags & protocol::kServerStatusNoBackslashEscapes)
    m.no_backslash_escapes = true;
  return m;
}

uint16_t Session::LocalStatusFlags() const {
  uint16_t flags = 0;
  if (state_.autocommit) flags |= protocol::kServerStatusAutocommit;
  if (state_.in_transaction) flags |= protocol::kServerStatusInTrans;
  return flags;
}

asio::awaitable<bool> Session::AnswerExplainSharding(const ParseOutcome& o, uint8_t seq) {
  // The plan the router makes for the explained statement (nothing runs):
  // one row per target group, or one row with the refusal.
  static const std::vector<protocol::ColumnDefinition41> kColumns = {
      protocol::TextColumn("group", 64), protocol::TextColumn("vparts", 16384),
      protocol::TextColumn("sql", 16384), protocol::TextColumn("reason", 1024)};
  router::Plan plan;
  if (ctx_.rules == nullptr) {
    plan.targets.push_back(router::RouteTarget{default_group_->name, {}, true, ""});
    plan.reason = o.reason;
  } else {
    parser::CachedParser& parser = parser::ThreadCachedParser();
    Result<parser::Statement> m = parser.Parse(o.explain_inner, CurrentSqlMode());
    router::PlanInput in = SessionPlanInput();
    in.stmt = m.ok() ? &*m : nullptr;
    in.sql = o.explain_inner;
    in.user_variables = HasUserVariable(parser.last_digest().text);
    plan = router::MakePlan(in, *ctx_.rules->Get());
  }
  protocol::ResultSetWriter w(&out_, client_caps_, seq);
  const uint16_t flags = LocalStatusFlags();
  w.Begin(kColumns, flags);
  if (plan.kind == router::Plan::Kind::kRefuse) {
    const std::string err = fmt::format("refused: ERROR {} ({}): {}", plan.refusal.code(),
                                        plan.refusal.sqlstate(), plan.refusal.message());
    w.Row({std::nullopt, std::nullopt, std::nullopt, std::string_view(err)});
  } else {
    std::string reason = plan.reason;
    if (plan.session_wide) reason += " (session-wide: every open connection)";
    if (plan.writes && !plan.ddl && plan.targets.size() > 1)
      reason += " (one transaction per group)";
    for (const router::RouteTarget& t : plan.targets) {
      std::string vparts =
          t.all_vparts ? std::string("all") : fmt::format("{}", fmt::join(t.vparts, ","));
      const std::string& sql = t.sql.empty() ? o.explain_inner : t.sql;
      w.Row({std::string_view(t.group), std::string_view(vparts), std::string_view(sql),
             std::string_view(reason)});
    }
  }
  w.End(flags);
  co_return (co_await Flush()).ok();
}

asio::awaitable<bool> Session::AnswerSessionFunction(const ParseOutcome& o, uint8_t seq) {
  // CONNECTION_ID(): our id, the one in our handshake and the one KILL takes
  // (the backend's thread id is an implementation detail of one backend
  // connection). The others: the values of the previous statement, which ran
  // on several groups (typed as MariaDB types them).
  protocol::ColumnDefinition41 column;
  std::string value;
  switch (o.function) {
    case SessionFunction::kConnectionId:
      column = protocol::UnsignedIntColumn(o.column);
      value = std::to_string(id_);
      break;
    case SessionFunction::kRowCount:
      column = protocol::BigIntColumn(o.column, /*is_unsigned=*/false);
      value = std::to_string(last_row_count_);
      last_row_count_ = -1;  // this SELECT is now the previous statement
      break;
    case SessionFunction::kFoundRows:
      column = protocol::BigIntColumn(o.column, /*is_unsigned=*/false);
      value = std::to_string(last_found_rows_);
      last_row_count_ = -1;
      last_found_rows_ = 1;
      break;
    case SessionFunction::kWarningCount:
      column = protocol::BigIntColumn(o.column, /*is_unsigned=*/true);
      column.flags &= ~protocol::kFlagNotNull;
      value = std::to_string(last_warnings_);
      last_row_count_ = -1;
      break;
    case SessionFunction::kLastInsertId:
    case SessionFunction::kNone:
      column = protocol::BigIntColumn(o.column, /*is_unsigned=*/true);
      value = std::to_string(state_.last_insert_id);
      last_row_count_ = -1;
      break;
  }
  if (o.function != SessionFunction::kConnectionId) {
    last_found_rows_ = 1;
    last_warnings_ = 0;
  }
  protocol::ResultSetWriter w(&out_, client_caps_, seq);
  const uint16_t flags = LocalStatusFlags();
  w.Begin(std::span<const protocol::ColumnDefinition41>(&column, 1), flags);
  w.Row({std::string_view(value)});
  w.End(flags);
  co_return (co_await Flush()).ok();
}

// ------------------------------------------------------------ SHOW PROCESSLIST

ProcessRow Session::MakeProcessRow() const {
  ProcessRow r;
  r.id = id_;
  r.user = state_.user;
  r.host = peer_host_ + ":" + std::to_string(peer_port_);
  r.has_db = !state_.schema.empty();
  r.db = state_.schema;
  const auto now = Clock::now();
  if (!authenticated_) {
    r.command = "Connect";
    r.state = "login";
    r.time = std::chrono::duration_cast<std::chrono::seconds>(now - last_activity_).count();
  } else if (waiting_for_command_ || command_ == Command::kSleep) {
    r.command = "Sleep";
    r.time = std::chrono::duration_cast<std::chrono::seconds>(now - last_activity_).count();
  } else {
    switch (command_) {
      case Command::kStmtExecute:
        r.command = "Execute";
        break;
      case Command::kStmtPrepare:
        r.command = "Prepare";
        break;
      case Command::kQuery:
        r.command = "Query";
        break;
      default:
        r.command = protocol::CommandName(command_);
        break;
    }
    r.state = client_gone_ ? "client gone; finishing" : "relaying";
    r.has_info = !info_.empty();
    r.info = info_;
    r.time = std::chrono::duration_cast<std::chrono::seconds>(now - statement_start_).count();
  }
  return r;
}

void Session::RequestProcessRow(std::function<void(ProcessRow)> done) {
  asio::post(ex_,
             [self = shared_from_this(), done = std::move(done)] { done(self->MakeProcessRow()); });
}

asio::awaitable<bool> Session::AnswerProcessList(bool full, uint8_t seq) {
  // Like MariaDB for a user without PROCESS: this user's sessions. Each row
  // is made on its session's own thread (no lock on any statement's path).
  struct Gather {
    std::mutex mu;
    std::vector<ProcessRow> rows;  // GUARDED_BY(mu)
    size_t remaining = 0;          // GUARDED_BY(mu)
  };
  auto gather = std::make_shared<Gather>();
  auto timer = std::make_shared<asio::steady_timer>(ex_, std::chrono::seconds(2));
  std::vector<std::shared_ptr<Session>> sessions;
  for (const auto& w : ctx_.sessions->All()) {
    auto other = w.lock();
    if (other && other.get() != this) sessions.push_back(std::move(other));
  }
  gather->remaining = sessions.size();
  gather->rows.push_back(MakeProcessRow());
  for (auto& other : sessions) {
    other->RequestProcessRow([gather, timer, ex = ex_](ProcessRow row) {
      std::lock_guard<std::mutex> lock(gather->mu);
      gather->rows.push_back(std::move(row));
      if (--gather->remaining == 0) asio::post(ex, [timer] { timer->cancel(); });
    });
  }
  if (!sessions.empty()) (void)co_await timer->async_wait(kTuple);
  std::vector<ProcessRow> rows;
  {
    std::lock_guard<std::mutex> lock(gather->mu);
    rows = gather->rows;
  }
  std::sort(rows.begin(), rows.end(),
            [](const ProcessRow& a, const ProcessRow& b) { return a.id < b.id; });

  // Metadata as MariaDB 10.11 sends it for SHOW PROCESSLIST.
  static const std::vector<protocol::ColumnDefinition41> kColumns = [] {
    auto id = protocol::UnsignedIntColumn("Id");
    id.type = protocol::kTypeLongLong;
    id.column_length = 21;
    auto time = protocol::UnsignedIntColumn("Time");
    time.flags = protocol::kFlagNotNull | protocol::kFlagBinary;
    time.column_length = 7;
    auto progress = protocol::UnsignedIntColumn("Progress");
    progress.type = protocol::kTypeNewDecimal;
    progress.flags = protocol::kFlagNotNull | protocol::kFlagBinary;
    progress.column_length = 9;
    progress.decimals = 3;
    return std::vector<protocol::ColumnDefinition41>{id,
                                                     protocol::TextColumn("User", 128),
                                                     protocol::TextColumn("Host", 64),
                                                     protocol::TextColumn("db", 64),
                                                     protocol::TextColumn("Command", 16),
                                                     time,
                                                     protocol::TextColumn("State", 64),
                                                     protocol::TextColumn("Info", 65535),
                                                     progress};
  }();
  protocol::ResultSetWriter w(&out_, client_caps_, seq);
  const uint16_t flags = LocalStatusFlags();
  w.Begin(kColumns, flags);
  for (const ProcessRow& r : rows) {
    if (r.user != state_.user) continue;
    const std::string id = std::to_string(r.id), time = std::to_string(r.time);
    std::optional<std::string_view> info;
    if (r.has_info)
      info = full ? std::string_view(r.info) : std::string_view(r.info).substr(0, 100);
    w.Row({std::string_view(id), std::string_view(r.user), std::string_view(r.host),
           r.has_db ? std::optional<std::string_view>(r.db) : std::nullopt,
           std::string_view(r.command), std::string_view(time), std::string_view(r.state), info,
           std::string_view("0.000")});
  }
  w.End(flags);
  co_return (co_await Flush()).ok();
}

// ------------------------------------------------------------ KILL

asio::awaitable<bool> Session::HandleKill(uint64_t id, bool query_only, uint8_t seq) {
  SessionRegistry::Entry entry;
  std::shared_ptr<Session> target;
  if (id <= UINT32_MAX && ctx_.sessions->Find(static_cast<uint32_t>(id), &entry))
    target = entry.session.lock();
  if (!target) {
    co_return co_await SendErr(
        Err(errors::kNoSuchThread, "Unknown thread id: " + std::to_string(id)), seq);
  }
  if (entry.user != state_.user) {
    co_return co_await SendErr(
        Err(errors::kKillDenied, "You are not owner of thread " + std::to_string(id)), seq);
  }
  if (target.get() == this) {
    if (query_only) {  // our own statement is this KILL: nothing else runs
      AppendOk(seq, state_.status_flags);
      co_return (co_await Flush()).ok();
    }
    co_await SendErr(Status::Error(1927, "70100", "Connection was killed"), seq);
    co_return false;
  }
  if (query_only) {
    // The target's running statement gets MariaDB's own 1317.
    uint32_t tid = target->running_backend_thread();
    const GroupConfig* group = target->running_group();
    if (tid != 0 && group != nullptr) {
      spdlog::info("session {}: KILL QUERY {} -> group {} backend thread {}", id_, id, group->name,
                   tid);
      Status st = co_await backend::KillOnBackend(ex_, *group, tid, /*query_only=*/true,
                                                  cfg_.backend.connect);
      // 1094 from the backend: the statement finished meanwhile; fine.
      if (!st.ok() && st.code() != errors::kNoSuchThread.code) co_return co_await SendErr(st, seq);
    }
    target->RequestKillQueryOnOtherGroups();  // a statement on several groups: all of it
  } else {
    spdlog::info("session {}: KILL CONNECTION {}", id_, id);
    target->RequestKill();
  }
  AppendOk(seq, state_.status_flags);
  co_return (co_await Flush()).ok();
}

// ------------------------------------------------------------ COM_CHANGE_USER

asio::awaitable<bool> Session::HandleChangeUser(Frame frame) {
  if (!frame.last) {
    auto last = co_await SkipClientPacket(frame);
    if (last.ok())
      co_await SendErr(Err(errors::kHandshake, "Bad handshake"), static_cast<uint8_t>(*last + 1));
    co_return false;
  }
  uint8_t seq = static_cast<uint8_t>(frame.seq + 1);
  auto req = protocol::ChangeUserRequest::Parse(frame.payload, client_caps_);
  if (!req.ok()) {
    co_await SendErr(Err(errors::kHandshake, "Bad handshake"), seq);
    co_return false;
  }
  // A refused client charset: ERR, and the session stays as it was (old
  // user, old charset, same backend connection), like a refused SET NAMES.
  if (req->charset != 0) {
    if (auto bad = RefusedCharsetOfCollation(req->charset)) {
      co_return co_await SendErr(RefusedCharsetError(*bad), seq);
    }
  }
  auto auth = co_await NativeAuthResponse(req->auth_plugin_name, req->auth_response, &seq);
  if (!auth.ok()) {
    if (!IsClientGone(auth.status())) co_await SendErr(auth.status(), seq);
    co_return false;
  }
  const UserConfig* user = cfg_.FindUser(req->username);
  if (user == nullptr || !protocol::NativePasswordVerify(scramble_, *auth, user->password)) {
    co_await SendErr(AccessDenied(req->username, !auth->empty()), seq);
    co_return false;  // as the server does: a failed change-user ends the session
  }
  // A fresh backend connection: everything of the old session (transaction,
  // variables, temporary tables, prepared statements) goes with the old one.
  backends_.DropAll();
  const uint32_t next_statement_id = state_.next_statement_id;  // ids are never reused
  state_ = SessionState();
  state_.next_statement_id = next_statement_id;
  state_.user = req->username;
  state_.schema = req->database;
  state_.charset = req->charset != 0 ? MapClientCollation(req->charset) : backends_.charset;
  state_.ResetForNewConnection();
  ctx_.sessions->SetUser(id_, state_.user);
  backends_.charset = state_.charset;
  lost_ = Status::Ok();
  auto conn = co_await backends_.Acquire(*default_group_, &state_);
  if (!conn.ok()) {
    co_await SendErr(conn.status(), seq);
    co_return false;
  }
  if (!conn->conn->setup_ok_payload().empty()) {
    (void)ApplyOkPacket(&state_, conn->conn->setup_ok_payload(), conn->conn->caps());
    state_.pinned = false;
    state_.pinned_reason.clear();
  }
  spdlog::info("session {}: changed user to {} (db '{}')", id_, state_.user, state_.schema);
  AppendOk(seq, protocol::kServerStatusAutocommit);
  co_return (co_await Flush()).ok();
}

}  // namespace shardproxy::session
