// Out-of-band control on a fresh short-lived connection with the group's
// credentials: KILL [QUERY] <backend thread id>. Used for the client's KILL
// and Ctrl-C, and to kill a running statement when the client disconnects
// mid-statement. The data connection whose statement is killed then reads
// MariaDB's own ERR 1317 (query interrupted) or a closed connection.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>

#include "common/status.h"
#include "proxy/config/config.h"

namespace shardproxy::backend {

// Connects to group.master, sends "KILL QUERY <id>" (query_only) or
// "KILL <id>", reads the answer, closes. The whole exchange is bounded by
// `timeout`. Returns OK, the server's ERR unchanged (e.g. 1094 unknown thread),
// or kBackendUnavailable naming the group: refused ("... is unreachable
// (connection refused) ..."), or no answer in time ("... is unreachable (no
// answer to KILL within N ms); the statement may or may not have run ...").
boost::asio::awaitable<Status> KillOnBackend(boost::asio::any_io_executor ex,
                                             const GroupConfig& group, uint32_t thread_id,
                                             bool query_only, std::chrono::milliseconds timeout);

}  // namespace shardproxy::backend
