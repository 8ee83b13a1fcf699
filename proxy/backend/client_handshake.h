// The proxy's side of the MySQL connection phase toward a backend, sans I/O.
//
// Wire flow (seq ids in brackets; the I/O layer numbers frames, see
// backend_connection.cc):
//   server [0] InitialHandshake v10 (or ERR, e.g. 1040 too many connections)
//   proxy  [1] HandshakeResponse41 (mysql_native_password scramble of the
//              handshake's 20-byte nonce)
//   server [2] OK                      -> authenticated
//              ERR                     -> passed through unchanged (1045, 1049 ...)
//              AuthSwitchRequest 0xFE  -> proxy [3] scramble of the new nonce
//                                         (only mysql_native_password is spoken)
//              AuthMoreData 0x01       -> not expected for native password: error
// Only the payload bytes go through this class.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::backend {

class ClientHandshake {
 public:
  struct Params {
    std::string user;
    std::string password;
    std::string database;      // "" = none
    uint8_t charset = 45;      // collation id (45 = utf8mb4_general_ci)
    uint64_t client_caps = 0;  // the proxy client's negotiated caps (see backend_caps.h)
    uint32_t max_packet_size = 1u << 30;
  };

  // State of the exchange; each value says what we wait for next.
  enum class State {
    kWaitHandshake,   // nothing received yet; expect InitialHandshake
    kWaitAuthResult,  // HandshakeResponse / auth-switch answer sent; expect OK/ERR/0xFE
    kDone,            // authenticated (OK seen)
    kFailed,          // an error was returned; the connection must be closed
  };

  // What to do after a server packet.
  struct Step {
    std::string send;   // payload to send (empty = nothing to send)
    bool done = false;  // authenticated: the connection is ready for commands
  };

  explicit ClientHandshake(Params params) : params_(std::move(params)) {}

  // Feed one whole server packet payload. Errors:
  //  - the server's ERR: code, SQLSTATE and message exactly as the server sent them;
  //  - a malformed packet / unsupported plugin / caps mismatch: kBackendUnavailable-style
  //    Status whose message the caller prefixes with the group (see messages.h).
  Result<Step> OnServerPacket(std::string_view payload);

  State state() const { return state_; }
  uint32_t connection_id() const { return connection_id_; }  // backend thread id, for KILL
  uint64_t caps() const { return caps_; }                    // negotiated caps
  uint64_t server_caps() const { return server_caps_; }
  const std::string& server_version() const { return server_version_; }
  uint16_t server_status() const { return server_status_; }
  // Non-zero after a kBackendUnavailable caps failure: the flags the server lacks.
  uint64_t missing_caps() const { return missing_caps_; }

 private:
  Result<Step> OnInitialHandshake(std::string_view payload);
  Result<Step> OnAuthResult(std::string_view payload);
  Status Fail(Status st) {
    state_ = State::kFailed;
    return st;
  }

  Params params_;
  State state_ = State::kWaitHandshake;
  uint32_t connection_id_ = 0;
  uint64_t caps_ = 0;
  uint64_t server_caps_ = 0;
  uint64_t missing_caps_ = 0;
  uint16_t server_status_ = 0;
  std::string server_version_;
  bool switched_ = false;  // an AuthSwitchRequest was already answered
};

// Turn a server ERR payload into a Status (code, SQLSTATE, message unchanged).
// caps decides whether a '#'+SQLSTATE marker is expected.
Status StatusFromErrPayload(std::string_view payload, uint64_t caps);

}  // namespace shardproxy::backend
