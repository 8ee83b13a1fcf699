// The one place that turns a Status into ERR packet bytes.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace shardproxy::protocol {

// ERR payload for st: 0xFF, int<2> code, ['#' + 5-char SQLSTATE if client_caps
// has CLIENT_PROTOCOL_41], message. An OK status (a caller bug) becomes
// ERR 1105 "[BUG] ...". A malformed SQLSTATE becomes "HY000".
std::string MakeErrPacket(const Status& st, uint64_t client_caps);

}  // namespace shardproxy::protocol
