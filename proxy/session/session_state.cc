#include "proxy/session/session_state.h"

#include <fmt/format.h>

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/generic_response.h"

namespace shardproxy::session {

void SessionState::ResetForNewConnection() {
  variables.clear();
  status_flags = protocol::kServerStatusAutocommit;
  in_transaction = false;
  autocommit = true;
  transaction_characteristics.clear();
  pinned = false;
  pinned_reason.clear();
  prepared_statements.clear();
}

std::string SessionState::ToString() const {
  std::string out = fmt::format("user={} schema={} charset={} autocommit={} in_trans={} pinned={}",
                                user, schema.empty() ? "(none)" : schema, charset,
                                autocommit ? 1 : 0, in_transaction ? 1 : 0, pinned ? 1 : 0);
  if (pinned) out += fmt::format(" pinned_reason=\"{}\"", pinned_reason);
  if (!transaction_characteristics.empty())
    out += fmt::format(" trx=\"{}\"", transaction_characteristics);
  out += " vars{";
  bool first = true;
  for (const auto& [k, v] : variables) {
    out += fmt::format("{}{}={}", first ? "" : " ", k, v);
    first = false;
  }
  out += "} stmts{";
  first = true;
  for (uint32_t id : prepared_statements) {
    out += fmt::format("{}{}", first ? "" : " ", id);
    first = false;
  }
  out += "}";
  return out;
}

namespace {
void Pin(SessionState* state, std::string reason) {
  if (!state->pinned) state->pinned_reason = std::move(reason);
  state->pinned = true;
}
}  // namespace

Status ApplySessionTrack(SessionState* state, std::string_view info) {
  if (info.empty()) return Status::Ok();
  auto changes = protocol::ParseSessionState(info);
  if (!changes.ok()) {
    Pin(state, "malformed session-track info");
    return changes.status();
  }
  bool explained = false;  // a replayable change in this same packet
  bool state_change = false;
  for (const auto& ch : *changes) {
    switch (ch.type) {
      case protocol::SessionStateChange::kSystemVariables:
        state->variables[ch.name] = ch.value;
        explained = true;
        break;
      case protocol::SessionStateChange::kSchema:
        state->schema = ch.value.empty() ? ch.name : ch.value;
        explained = true;
        break;
      case protocol::SessionStateChange::kStateChange:
        if (ch.value == "1" || ch.name == "1") state_change = true;
        break;
      case protocol::SessionStateChange::kTransactionCharacteristics:
        state->transaction_characteristics = ch.value.empty() ? ch.name : ch.value;
        explained = true;
        break;
      case protocol::SessionStateChange::kGtids:
      case protocol::SessionStateChange::kTransactionState:
        break;  // MariaDB sends neither with our settings; nothing to replay
    }
  }
  if (state_change && !explained)
    Pin(state,
        "session state changed without a replayable cause (user variable, temporary table, lock, "
        "SQL PREPARE ...)");
  return Status::Ok();
}

void ApplyStatusFlags(SessionState* state, uint16_t flags) {
  state->status_flags = flags;
  state->in_transaction = (flags & protocol::kServerStatusInTrans) != 0;
  state->autocommit = (flags & protocol::kServerStatusAutocommit) != 0;
}

Status ApplyOkPacket(SessionState* state, std::string_view ok_payload, uint64_t backend_caps) {
  auto ok = protocol::OkPacket::Parse(ok_payload, backend_caps);
  if (!ok.ok()) return ok.status();
  ApplyStatusFlags(state, ok->status_flags);
  if (ok->status_flags & protocol::kServerSessionStateChanged)
    return ApplySessionTrack(state, ok->session_state_info);
  return Status::Ok();
}

}  // namespace shardproxy::session
