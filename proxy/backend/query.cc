#include "proxy/backend/query.h"

#include "proxy/backend/client_handshake.h"
#include "proxy/protocol/command.h"
#include "proxy/protocol/response_tracker.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::backend {

namespace asio = boost::asio;
using protocol::Command;
using protocol::PacketKind;

asio::awaitable<Result<std::vector<TextRow>>> QueryRows(BackendConnection* conn,
                                                        std::string_view sql, size_t max_rows) {
  const std::string payload = protocol::CommandPayload(Command::kQuery, sql);
  if (Status w = co_await conn->WritePacket(payload, 0); !w.ok()) co_return w;
  protocol::ResponseTracker tracker;
  tracker.Begin(Command::kQuery, conn->caps(), payload);
  std::vector<TextRow> rows;
  while (true) {
    auto pkt = co_await conn->ReadPacket();
    if (!pkt.ok()) co_return pkt.status();
    auto step = tracker.OnPacket(pkt->payload);
    if (!step.ok()) co_return step.status();
    if (tracker.last_kind() == PacketKind::kRow && rows.size() < max_rows) {
      TextRow& row = rows.emplace_back();
      protocol::WireReader r(pkt->payload);
      while (!r.empty() && r.ok()) {
        if (static_cast<uint8_t>(pkt->payload[pkt->payload.size() - r.remaining()]) == 0xFB) {
          r.ReadU8();
          row.push_back(std::nullopt);
        } else {
          row.push_back(std::string(r.ReadLenencString()));
        }
      }
    }
    if (*step == protocol::ResponseTracker::Step::kDone) break;
  }
  if (tracker.ended_with_error())
    co_return StatusFromErrPayload(tracker.error_payload(), conn->caps());
  co_return rows;
}

std::string QuoteString(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace shardproxy::backend
