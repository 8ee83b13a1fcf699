#include "proxy/backend/control.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

#include "proxy/backend/backend_connection.h"
#include "proxy/backend/client_handshake.h"
#include "proxy/backend/messages.h"
#include "proxy/protocol/generic_response.h"

namespace shardproxy::backend {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;  // NOLINT(build/namespaces)

namespace {

asio::awaitable<Status> DoKill(asio::any_io_executor ex, const GroupConfig& group,
                               uint32_t thread_id, bool query_only,
                               std::chrono::milliseconds timeout) {
  ConnectOptions o;
  o.group = &group;
  o.client_caps = 0;
  o.connect_timeout = timeout;
  o.track_session_state = false;
  auto conn = co_await BackendConnection::Connect(ex, std::move(o));
  if (!conn.ok()) co_return conn.status();
  std::string q(1, static_cast<char>(0x03));  // COM_QUERY
  q += query_only ? "KILL QUERY " : "KILL ";
  q += std::to_string(thread_id);
  Status ws = co_await (*conn)->WritePacket(q, 0);
  if (!ws.ok()) co_return ws;
  auto p = co_await (*conn)->ReadPacket();
  if (!p.ok()) co_return p.status();
  if (protocol::IsErr(p->payload)) co_return StatusFromErrPayload(p->payload, (*conn)->caps());
  co_return Status::Ok();
}

}  // namespace

asio::awaitable<Status> KillOnBackend(asio::any_io_executor ex, const GroupConfig& group,
                                      uint32_t thread_id, bool query_only,
                                      std::chrono::milliseconds timeout) {
  try {
    asio::steady_timer deadline(ex, timeout);
    auto r = co_await (DoKill(ex, group, thread_id, query_only, timeout) ||
                       deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (r.index() == 1) {
      co_return UnreachableError(
          group.name, "master", group.master.ToString(),
          "no answer to KILL within " + std::to_string(timeout.count()) + " ms", Ran::kMaybe);
    }
    co_return std::get<0>(std::move(r));
  } catch (const std::exception& e) {
    co_return Status::Bug(std::string("KillOnBackend: ") + e.what());
  }
}

}  // namespace shardproxy::backend
