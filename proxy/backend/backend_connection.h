// One async MySQL client connection from the proxy to a backend server.
//
// Entry point: BackendConnection::Connect (a coroutine on the caller's
// executor). All methods must be called on that executor's thread; the
// object is not thread-safe (one session/thread owns it).
//
// Timeouts: only the connection phase (TCP connect + handshake + the
// session-tracking SET) is bounded, by ConnectOptions::connect_timeout. Reads
// of results have NO timeout, so a legitimately long query is never cut; a
// frozen backend is noticed by HealthMonitor (health.h), whose DOWN event
// aborts in-flight connections through BackendRegistry (backend_registry.h).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "proxy/config/config.h"
#include "proxy/protocol/packet.h"

namespace shardproxy::backend {

class BackendRegistry;
class HealthMonitor;

struct ConnectOptions {
  const GroupConfig* group = nullptr;  // caller keeps the Config alive (immutable snapshot)
  // The client's negotiated caps: the bytes-affecting ones (protocol::kBytesAffectingCaps)
  // are copied exactly; SESSION_TRACK, PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH,
  // TRANSACTIONS always on; MULTI_STATEMENTS, LOCAL_FILES, IGNORE_SPACE, INTERACTIVE as
  // the client; SSL/COMPRESS never. See backend_caps.h.
  uint64_t client_caps = 0;
  uint8_t charset = 45;  // client's collation id, already mapped to one MariaDB knows
  std::string database;  // may be empty
  std::chrono::milliseconds connect_timeout{3000};
  // --- additions beyond the agreed API (defaults keep the agreed behaviour) ---
  const Endpoint* endpoint = nullptr;  // server to connect to; nullptr = group->master
  std::string role = "master";         // named in error messages ("master", "replica")
  bool track_session_state = true;     // send the session_track_* SET after login
  // When set and the prober says the group is DOWN, fail at once with
  // health->DownError(group) instead of waiting connect_timeout on a frozen
  // master. The monitor must outlive the call.
  const HealthMonitor* health = nullptr;
};

class BackendConnection;

// Told when an idle backend socket becomes readable (BackendConnection::WatchIdle).
class IdleWatchListener {
 public:
  virtual ~IdleWatchListener() = default;
  virtual void OnBackendReadable(BackendConnection* conn) = 0;
};

// Owned by one session (BackendSet holds it in a shared_ptr, and every piece
// of code that may touch it after a co_await, a posted KILL or a socket
// watch keeps a shared_ptr or a weak_ptr of its own).
class BackendConnection : public std::enable_shared_from_this<BackendConnection> {
 public:
  // Connect, handshake (mysql_native_password; AuthSwitchRequest handled), then
  // turn on state tracking in one round trip (a single SET with four
  // assignments, so it works without MULTI_STATEMENTS):
  //   SET session_track_system_variables='*', session_track_schema=ON,
  //       session_track_state_change=ON, session_track_transaction_info='CHARACTERISTICS'
  // Errors: the backend's own ERR passes through unchanged (1045, 1049, 1040 ...);
  // refused/reset/unreachable -> errors::kBackendUnavailable naming group and
  // endpoint ("... is unreachable (connection refused); the statement was not run ...");
  // no handshake within connect_timeout -> kBackendUnavailable ("... did not answer
  // the handshake within N ms ...").
  static boost::asio::awaitable<Result<std::unique_ptr<BackendConnection>>> Connect(
      boost::asio::any_io_executor ex, ConnectOptions opts);

  ~BackendConnection();  // unregisters from its BackendRegistry, closes the socket
  BackendConnection(const BackendConnection&) = delete;
  BackendConnection& operator=(const BackendConnection&) = delete;

  // Raw bytes, already framed (header + payload). The caller keeps `bytes`
  // alive until the co_await returns. Errors: kBackendUnavailable ("lost the
  // connection ... may or may not have run") or the Abort status.
  boost::asio::awaitable<Status> Write(std::string_view bytes);

  // Next raw frame from the backend (header+payload view valid until the next
  // ReadFrame/ReadPacket call). No read timeout. Fails with kBackendUnavailable
  // ("... the statement may or may not have run") on reset/EOF, or with the
  // Abort status (e.g. the prober declared the group down).
  boost::asio::awaitable<Result<protocol::Frame>> ReadFrame();

  // --- additions ---
  // Frame `payload` as one logical packet starting at `seq` and write it.
  boost::asio::awaitable<Status> WritePacket(std::string_view payload, uint8_t seq = 0);
  // Next whole logical packet (continuations joined); view valid until the next read.
  boost::asio::awaitable<Result<protocol::Packet>> ReadPacket();

  // Close the socket now; pending and later operations fail with `why`
  // (the first Abort/IO error wins). Safe to call at any time, repeatedly.
  void Abort(const Status& why);

  // Idle watch: while the session waits for its client, nothing should come
  // from the backend; a readable socket means the server closed it (its
  // wait_timeout, KILL, a restart) or sent an unsolicited ERR before closing.
  // Calls listener->OnBackendReadable(this) once, on this connection's
  // executor, when the socket becomes readable; not when the connection is
  // closed or destroyed first, nor when the listener is gone. Does nothing
  // when a watch is already pending (it may still be pending while a
  // statement runs: the listener must check that the session is idle). Only
  // for a connection owned by a shared_ptr. No allocation beyond Asio's
  // recycled handler memory.
  void WatchIdle(std::weak_ptr<IdleWatchListener> listener);
  // After the watch fired: true when the server closed the connection or sent
  // bytes nobody asked for (the connection is then unusable), false for a
  // spurious wake-up. Never blocks.
  bool ClosedByServer();

  uint32_t thread_id() const { return thread_id_; }  // backend's connection id (for KILL)
  uint64_t caps() const { return caps_; }            // negotiated with the backend
  const std::string& group() const { return group_; }
  bool broken() const { return broken_; }
  // --- additions ---
  const Status& error() const { return error_; }             // why it broke (OK if not)
  const std::string& endpoint() const { return endpoint_; }  // "host:port"
  const std::string& role() const { return role_; }
  // Bytes already received from the backend that ReadFrame/ReadPacket have not
  // returned yet (0: the next read waits for the socket). The relay flushes
  // to the client when this is 0, so replies are never held back.
  size_t buffered() const { return framer_.buffered(); }
  const std::string& server_version() const { return server_version_; }
  // The OK payload answering the session-tracking SET (its session_state_info
  // lists the tracked variables' values at connect); empty when not tracked.
  const std::string& setup_ok_payload() const { return setup_ok_payload_; }

 private:
  friend class BackendRegistry;
  class HealthMonitor;
  BackendConnection(boost::asio::any_io_executor ex, const ConnectOptions& opts);

  // TCP connect + handshake + tracking SET; not time-bounded by itself.
  boost::asio::awaitable<Status> Establish(ConnectOptions opts);
  // Ensure at least one more byte chunk is in the framer.
  boost::asio::awaitable<Status> Fill();
  // Record an I/O failure (first one wins), close the socket; returns error_:
  // "unreachable ... was not run" while connecting_, else "lost ... may or may not".
  Status FailIo(const boost::system::error_code& ec);
  Status Fail(Status st);

  boost::asio::ip::tcp::socket socket_;
  protocol::PacketFramer framer_;
  std::string group_;
  std::string role_;
  std::string endpoint_;
  std::string server_version_;
  std::string setup_ok_payload_;
  std::string write_buf_;  // WritePacket's framing buffer
  uint32_t thread_id_ = 0;
  uint64_t caps_ = 0;
  bool connecting_ = true;  // in the connection phase (nothing of the client's has run)
  bool broken_ = false;
  bool watching_ = false;  // an idle-watch async_wait is pending
  Status error_;
  BackendRegistry* registry_ = nullptr;  // set by BackendRegistry::Register
};

}  // namespace shardproxy::backend
