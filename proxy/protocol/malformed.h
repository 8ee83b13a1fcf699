// Internal: the Status every codec parser returns for bytes that do not match
// the documented layout.
#pragma once

#include <string>
#include <string_view>

#include "common/errors.h"
#include "common/status.h"

namespace shardproxy::protocol::internal {

// ERR 1158 (08S01): a packet from the peer broke the protocol.
inline Status Malformed(std::string_view what) {
  return Status::Error(errors::kNetReadError.code, errors::kNetReadError.sqlstate,
                       "Malformed packet: " + std::string(what));
}

// ERR 1043 (08S01): bad handshake.
inline Status BadHandshake(std::string_view what) {
  return Status::Error(errors::kHandshake.code, errors::kHandshake.sqlstate,
                       "Bad handshake: " + std::string(what));
}

}  // namespace shardproxy::protocol::internal
