#include "proxy/backend/client_handshake.h"

#include "common/errors.h"
#include "proxy/backend/backend_caps.h"
#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/handshake.h"

namespace shardproxy::backend {

namespace p = ::shardproxy::protocol;

namespace {

constexpr std::string_view kNativePlugin = "mysql_native_password";

Status Unavailable(std::string message) {
  return Status::Error(errors::kBackendUnavailable.code, errors::kBackendUnavailable.sqlstate,
                       std::move(message));
}

// The nonce without the trailing NUL some servers append (20 bytes for native).
std::string_view Nonce(std::string_view data) {
  if (data.size() > 20) data = data.substr(0, 20);
  return data;
}

}  // namespace

Status StatusFromErrPayload(std::string_view payload, uint64_t caps) {
  // ERR: 0xFF, u16 code, ['#' + 5-char SQLSTATE when PROTOCOL_41], message.
  // Servers send the pre-handshake ERR (e.g. 1040) without knowing our caps:
  // look at the marker instead of trusting caps alone.
  const bool has_marker = payload.size() >= 9 && payload[3] == '#';
  auto err = p::ErrPacket::Parse(payload, has_marker ? (caps | p::kClientProtocol41)
                                                     : (caps & ~uint64_t{p::kClientProtocol41}));
  if (!err.ok()) {
    return Unavailable("malformed ERR packet from the backend: " + err.status().message());
  }
  std::string sqlstate = err->sqlstate.empty() ? "HY000" : err->sqlstate;
  return Status::Error(err->code, sqlstate, err->message);
}

Result<ClientHandshake::Step> ClientHandshake::OnServerPacket(std::string_view payload) {
  switch (state_) {
    case State::kWaitHandshake:
      return OnInitialHandshake(payload);
    case State::kWaitAuthResult:
      return OnAuthResult(payload);
    case State::kDone:
    case State::kFailed:
      break;
  }
  return Fail(Status::Bug("ClientHandshake fed after it finished"));
}

Result<ClientHandshake::Step> ClientHandshake::OnInitialHandshake(std::string_view payload) {
  if (!payload.empty() && static_cast<uint8_t>(payload[0]) == 0xFF) {
    return Fail(StatusFromErrPayload(payload, 0));
  }
  auto hs = p::InitialHandshake::Parse(payload);
  if (!hs.ok()) {
    return Fail(
        Unavailable("malformed initial handshake from the backend: " + hs.status().message()));
  }
  connection_id_ = hs->connection_id;
  server_caps_ = hs->capabilities;
  server_version_ = hs->server_version;
  server_status_ = hs->status_flags;

  const bool with_db = !params_.database.empty();
  missing_caps_ = MissingBackendCaps(params_.client_caps, server_caps_, with_db);
  if (missing_caps_ != 0) {
    return Fail(Unavailable("the backend lacks capability flags the client uses"));
  }
  caps_ = SelectBackendCaps(params_.client_caps, server_caps_, with_db);

  p::HandshakeResponse resp;
  resp.capabilities = caps_;
  resp.max_packet_size = params_.max_packet_size;
  resp.charset = params_.charset;
  resp.username = params_.user;
  resp.auth_response = p::NativePasswordScramble(params_.password, Nonce(hs->auth_plugin_data));
  resp.database = params_.database;
  resp.auth_plugin_name = std::string(kNativePlugin);
  state_ = State::kWaitAuthResult;
  return Step{resp.Serialize(), false};
}

Result<ClientHandshake::Step> ClientHandshake::OnAuthResult(std::string_view payload) {
  if (payload.empty()) return Fail(Unavailable("empty packet from the backend during login"));
  const auto head = static_cast<uint8_t>(payload[0]);
  if (head == 0x00) {
    auto ok = p::OkPacket::Parse(payload, caps_);
    if (ok.ok()) server_status_ = ok->status_flags;
    state_ = State::kDone;
    return Step{"", true};
  }
  if (head == 0xFF) return Fail(StatusFromErrPayload(payload, caps_));
  if (head == 0xFE) {
    auto sw = p::AuthSwitchRequest::Parse(payload);
    if (!sw.ok()) {
      return Fail(
          Unavailable("malformed AuthSwitchRequest from the backend: " + sw.status().message()));
    }
    if (sw->plugin_name != kNativePlugin) {
      return Fail(Unavailable("the backend asks for authentication plugin '" + sw->plugin_name +
                              "'; shardproxy speaks mysql_native_password only"));
    }
    if (switched_) return Fail(Unavailable("the backend switched the auth plugin twice"));
    switched_ = true;
    return Step{p::NativePasswordScramble(params_.password, Nonce(sw->plugin_data)), false};
  }
  if (head == 0x01) {
    return Fail(Unavailable("unexpected AuthMoreData from the backend (mysql_native_password)"));
  }
  return Fail(Unavailable("unexpected packet from the backend during login"));
}

}  // namespace shardproxy::backend
