#include "proxy/backend/backend_connection.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>

#include "common/errors.h"
#include "proxy/backend/backend_registry.h"
#include "proxy/backend/client_handshake.h"
#include "proxy/backend/health.h"
#include "proxy/backend/messages.h"
#include "proxy/protocol/generic_response.h"

namespace shardproxy::backend {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;  // NOLINT(build/namespaces)

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Joined packets from a backend may be as large as its max_allowed_packet;
// the framer only bounds what NextPacket joins (the relay path reads frames).
constexpr size_t kBackendMaxPacket = size_t{1} << 30;
constexpr size_t kReadChunk = 64 * 1024;  // min free space per socket read

// One statement, four assignments: works without CLIENT_MULTI_STATEMENTS.
constexpr std::string_view kTrackingSet =
    "SET session_track_system_variables='*', session_track_schema=ON, "
    "session_track_state_change=ON, session_track_transaction_info='CHARACTERISTICS'";

}  // namespace

BackendConnection::BackendConnection(asio::any_io_executor ex, const ConnectOptions& opts)
    : socket_(ex),
      framer_(kBackendMaxPacket),
      group_(opts.group->name),
      role_(opts.role),
      endpoint_((opts.endpoint ? *opts.endpoint : opts.group->master).ToString()) {}

BackendConnection::~BackendConnection() {
  if (registry_ != nullptr) registry_->Unregister(this);
  boost::system::error_code ignored;
  socket_.close(ignored);
}

asio::awaitable<Result<std::unique_ptr<BackendConnection>>> BackendConnection::Connect(
    asio::any_io_executor ex, ConnectOptions opts) {
  if (opts.group == nullptr) co_return Status::Bug("BackendConnection::Connect without a group");
  if (opts.health != nullptr && !opts.health->IsUp(opts.group->name)) {
    co_return opts.health->DownError(opts.group->name);
  }
  std::unique_ptr<BackendConnection> conn(new BackendConnection(ex, opts));
  try {
    asio::steady_timer timer(ex, opts.connect_timeout);
    const auto timeout = opts.connect_timeout;
    auto outcome = co_await (conn->Establish(std::move(opts)) || timer.async_wait(kTuple));
    if (outcome.index() == 1) {
      // The cancelled handshake recorded "operation canceled": the timeout is the real cause.
      conn->Fail(Status::Ok());
      conn->error_ = ConnectTimeoutError(conn->group_, conn->role_, conn->endpoint_, timeout);
      co_return conn->error_;
    }
    Status st = std::get<0>(std::move(outcome));
    if (!st.ok()) co_return st;
  } catch (const std::exception& e) {
    // Asio/allocation failures must not escape the module (no exceptions on the hot path).
    co_return Status::Bug(std::string("BackendConnection::Connect: ") + e.what());
  }
  co_return std::move(conn);
}

asio::awaitable<Status> BackendConnection::Establish(ConnectOptions opts) {
  const Endpoint& ep = opts.endpoint ? *opts.endpoint : opts.group->master;

  // 1. TCP connect (numeric hosts skip the resolver, which cannot be cancelled).
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(ep.host, ec);
  if (!ec) {
    auto [cec] = co_await socket_.async_connect(tcp::endpoint(addr, ep.port), kTuple);
    ec = cec;
  } else {
    tcp::resolver resolver(socket_.get_executor());
    auto [rec, results] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), kTuple);
    if (rec) co_return FailIo(rec);
    auto [cec, unused] = co_await asio::async_connect(socket_, results, kTuple);
    ec = cec;
  }
  if (ec) co_return FailIo(ec);
  socket_.set_option(tcp::no_delay(true), ec);

  // 2. Connection phase (client_handshake.h does the logic).
  ClientHandshake hs(ClientHandshake::Params{opts.group->user, opts.group->password, opts.database,
                                             opts.charset, opts.client_caps, 1u << 30});
  for (;;) {
    auto pkt = co_await ReadPacket();
    if (!pkt.ok()) co_return pkt.status();  // "unreachable ... was not run" (connecting_)
    const uint8_t seq = pkt->seq;
    auto step = hs.OnServerPacket(pkt->payload);
    if (!step.ok()) {
      Status st = step.status();
      if (hs.missing_caps() != 0) {
        st = CapsMismatchError(group_, role_, endpoint_, hs.missing_caps());
      } else if (st.code() == errors::kBackendUnavailable.code) {
        st = Status::Error(st.code(), st.sqlstate(),
                           "shardproxy: group " + group_ + " " + role_ + " " + endpoint_ + ": " +
                               st.message() + "; the statement was not run.");
      }
      co_return Fail(st);
    }
    if (step->done) break;
    if (!step->send.empty() || hs.state() == ClientHandshake::State::kWaitAuthResult) {
      Status ws = co_await WritePacket(step->send, static_cast<uint8_t>(seq + 1));
      if (!ws.ok()) co_return ws;
    }
  }
  thread_id_ = hs.connection_id();
  caps_ = hs.caps();
  server_version_ = hs.server_version();

  // 3. Session-state tracking: one SET, answered by OK (or the server's ERR).
  if (opts.track_session_state) {
    std::string query;
    query.reserve(kTrackingSet.size() + 1);
    query.push_back(static_cast<char>(0x03));  // COM_QUERY
    query.append(kTrackingSet);
    Status ws = co_await WritePacket(query, 0);
    if (!ws.ok()) co_return ws;
    auto pkt = co_await ReadPacket();
    if (!pkt.ok()) co_return pkt.status();
    if (protocol::IsErr(pkt->payload)) co_return Fail(StatusFromErrPayload(pkt->payload, caps_));
    if (!protocol::IsOk(pkt->payload)) {
      co_return Fail(Status::Error(errors::kBackendUnavailable.code,
                                   errors::kBackendUnavailable.sqlstate,
                                   "shardproxy: group " + group_ + " " + role_ + " " + endpoint_ +
                                       ": unexpected answer to the session-tracking SET; the "
                                       "statement was not run."));
    }
    setup_ok_payload_.assign(pkt->payload);
  }
  connecting_ = false;  // from now on an I/O error means "may or may not have run"
  co_return Status::Ok();
}

Status BackendConnection::Fail(Status st) {
  if (!broken_) {
    broken_ = true;
    error_ = std::move(st);
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
  return error_;
}

Status BackendConnection::FailIo(const boost::system::error_code& ec) {
  if (broken_) return error_;  // Abort (or an earlier failure) explains it better
  const std::string reason = ReasonFromSystemMessage(ec.message(), ec == asio::error::eof);
  if (connecting_) return Fail(UnreachableError(group_, role_, endpoint_, reason, Ran::kNo));
  return Fail(ConnectionLostError(group_, role_, endpoint_, reason));
}

void BackendConnection::Abort(const Status& why) { Fail(why); }

void BackendConnection::WatchIdle(std::weak_ptr<IdleWatchListener> listener) {
  if (watching_ || broken_) return;
  watching_ = true;
  socket_.async_wait(tcp::socket::wait_read,
                     [weak = weak_from_this(),
                      listener = std::move(listener)](const boost::system::error_code& ec) {
                       auto self = weak.lock();
                       if (!self) return;  // destroyed: the watch died with it
                       self->watching_ = false;
                       if (ec || self->broken_) return;  // closed/aborted by us
                       if (auto l = listener.lock()) l->OnBackendReadable(self.get());
                     });
}

bool BackendConnection::ClosedByServer() {
  if (broken_) return true;
  if (framer_.buffered() > 0) return true;  // an unsolicited packet is already here
  char byte;
  ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return false;
  return true;  // EOF (0), bytes nobody asked for (> 0), or a socket error
}

asio::awaitable<Status> BackendConnection::Fill() {
  auto span = framer_.PrepareWrite(kReadChunk);
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(span.data(), span.size()), kTuple);
  if (ec) co_return FailIo(ec);
  if (broken_) co_return error_;  // aborted while the read completed
  framer_.Commit(n);
  co_return Status::Ok();
}

asio::awaitable<Result<protocol::Frame>> BackendConnection::ReadFrame() {
  for (;;) {
    if (broken_) co_return error_;
    auto f = framer_.NextFrame();
    if (!f.ok()) co_return Fail(f.status());
    if (f->has_value()) co_return **f;
    Status st = co_await Fill();
    if (!st.ok()) co_return st;
  }
}

asio::awaitable<Result<protocol::Packet>> BackendConnection::ReadPacket() {
  for (;;) {
    if (broken_) co_return error_;
    auto p = framer_.NextPacket();
    if (!p.ok()) co_return Fail(p.status());
    if (p->has_value()) co_return **p;
    Status st = co_await Fill();
    if (!st.ok()) co_return st;
  }
}

asio::awaitable<Status> BackendConnection::Write(std::string_view bytes) {
  if (broken_) co_return error_;
  auto [ec, n] =
      co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), kTuple);
  if (ec) co_return FailIo(ec);
  if (broken_) co_return error_;
  co_return Status::Ok();
}

asio::awaitable<Status> BackendConnection::WritePacket(std::string_view payload, uint8_t seq) {
  write_buf_.clear();
  protocol::AppendPacket(&write_buf_, &seq, payload);
  co_return co_await Write(write_buf_);
}

}  // namespace shardproxy::backend
