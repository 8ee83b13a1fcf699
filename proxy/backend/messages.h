// The texts of the errors the backend layer produces. All of them are
// errors::kBackendUnavailable (1429, HY000) and always say
//   - which group and which server (role + host:port) is in trouble,
//   - why (connection refused, reset, timeout, probes missed),
//   - whether the statement ran: "was not run" (we never got a usable
//     connection) or "may or may not have run" (it was sent, or might have been).
// Pure functions: unit-tested byte for byte in tests/unit/proxy/backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::backend {

// Did the statement possibly reach the server?
enum class Ran {
  kNo,     // failed before a usable connection existed: safe to retry
  kMaybe,  // failed after the statement may have been sent: check before retrying
};

// "shardproxy: group g0 master 127.0.0.1:23306 is unreachable (connection refused);
//  the statement was not run. Retry when the group is back."
Status UnreachableError(std::string_view group, std::string_view role, std::string_view endpoint,
                        std::string_view reason, Ran ran);

// Connect or handshake did not finish within the connect timeout:
// "shardproxy: group g0 master 127.0.0.1:23306 did not answer the handshake within 3000 ms;
//  the statement was not run. Retry when the group is back."
Status ConnectTimeoutError(std::string_view group, std::string_view role, std::string_view endpoint,
                           std::chrono::milliseconds timeout);

// An established data connection broke (reset, EOF, write error):
// "shardproxy: group g0 master 127.0.0.1:23306 lost the connection (connection reset by peer);
//  the statement may or may not have run. Check before retrying."
Status ConnectionLostError(std::string_view group, std::string_view role, std::string_view endpoint,
                           std::string_view reason);

// The liveness prober declared the group down (frozen or dead master):
// "shardproxy: group g0 master 127.0.0.1:23306 stopped answering (3 liveness probes missed
//  in 3000 ms); the statement may or may not have run. Check before retrying."
Status ProbesMissedError(std::string_view group, std::string_view role, std::string_view endpoint,
                         int misses, std::chrono::milliseconds window);

// The backend lacks capability flags the client's result bytes depend on:
// "shardproxy: group g0 master 127.0.0.1:23306 does not support capability flags 0x1000000
//  that this client uses; the statement was not run."
Status CapsMismatchError(std::string_view group, std::string_view role, std::string_view endpoint,
                         uint64_t missing_caps);

// A short, lower-case reason for a system/Asio error code message
// ("Connection refused" -> "connection refused"; EOF -> "connection closed by the server").
std::string ReasonFromSystemMessage(std::string_view message, bool is_eof);

}  // namespace shardproxy::backend
