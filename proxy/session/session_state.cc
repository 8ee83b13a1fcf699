#include "proxy/session/session_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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
  last_insert_id = 0;
  show_sharding.reset();
  prepared_statements.clear();  // next_statement_id stays: ids are never reused
}

namespace {

// Tracked variables that are never replayed: read-only, reported for
// information, or the proxy's own connection settings.
bool NeverReplayed(std::string_view name) {
  static constexpr std::string_view kNames[] = {"last_gtid",
                                                "warning_count",
                                                "error_count",
                                                "in_transaction",
                                                "autocommit",
                                                "last_insert_id",
                                                "identity",
                                                "character_set_database",
                                                "collation_database",
                                                "session_track_system_variables",
                                                "session_track_schema",
                                                "session_track_state_change",
                                                "session_track_transaction_info"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Tracked variables whose reported value does not rebuild the state: SET
// timestamp=DEFAULT reports the current time (replaying it would freeze the
// clock), insert_id and the rand seeds are consumed by the next statement.
bool Unreplayable(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "timestamp",        "insert_id",   "rand_seed1",       "rand_seed2",
      "pseudo_thread_id", "gtid_seq_no", "pseudo_slave_mode"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool IsNumber(std::string_view v) {
  if (v.empty()) return false;
  size_t i = v[0] == '-' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < v.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(v[i]))) {
      digits = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

// The SQL literal that sets `name` back to the value the tracker printed,
// read the same whatever the new connection's sql_mode.
std::string ValueLiteral(std::string_view name, std::string_view v) {
  if (v.empty() && name.starts_with("character_set_")) return "NULL";  // printed as ""
  if (IsNumber(v)) return std::string(v);
  bool plain = true;
  for (char c : v) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80)
      plain = false;
  }
  if (!plain) {
    std::string hex = "0x";
    for (char c : v) hex += fmt::format("{:02X}", static_cast<unsigned char>(c));
    return hex;
  }
  std::string out = "'";
  for (char c : v) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

std::string SessionState::UnreplayableReason() const {
  if (in_transaction || transaction_characteristics.find("START TRANSACTION") != std::string::npos)
    return "an open transaction";
  if (!autocommit) return "autocommit=0";
  if (pinned) return pinned_reason;
  if (!prepared_statements.empty())
    return fmt::format("{} open prepared statement(s)", prepared_statements.size());
  for (const auto& [k, v] : variables) {
    if (Unreplayable(k)) return fmt::format("@@{} was set", k);
  }
  return "";
}

std::vector<std::string> SessionState::ReplayStatements() const {
  std::vector<std::string> out;
  std::string set;
  // std::map order puts character_set_* before collation_*: a collation set
  // after its character set is kept (the other order would reset it).
  for (const auto& [k, v] : variables) {
    if (NeverReplayed(k) || Unreplayable(k)) continue;
    set += set.empty() ? "SET SESSION " : ", ";
    set += fmt::format("{} = {}", k, ValueLiteral(k, v));
  }
  if (last_insert_id != 0) {
    set += set.empty() ? "SET SESSION " : ", ";
    set += fmt::format("last_insert_id = {}", last_insert_id);
  }
  if (!set.empty()) out.push_back(std::move(set));
  // A pending one-shot SET TRANSACTION (characteristics of the next transaction).
  std::string_view trx = transaction_characteristics;
  while (!trx.empty() && (trx.back() == ';' || trx.back() == ' ')) trx.remove_suffix(1);
  if (!trx.empty() && trx.find("START TRANSACTION") == std::string_view::npos)
    out.emplace_back(trx);
  return out;
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
  for (const auto& [id, unused] : prepared_statements) {
    out += fmt::format("{}{}", first ? "" : " ", id);
    first = false;
  }
  out += "}";
  return out;
}

void PinState(SessionState* state, std::string reason) {
  if (!state->pinned) state->pinned_reason = std::move(reason);
  state->pinned = true;
}

Status ApplySessionTrack(SessionState* state, std::string_view info, StatementEffect effect) {
  if (info.empty()) return Status::Ok();
  auto changes = protocol::ParseSessionState(info);
  if (!changes.ok()) {
    PinState(state, "malformed session-track info");
    return changes.status();
  }
  bool state_change = false;
  for (const auto& ch : *changes) {
    switch (ch.type) {
      case protocol::SessionStateChange::kSystemVariables:
        state->variables[ch.name] = ch.value;
        break;
      case protocol::SessionStateChange::kSchema:
        state->schema = ch.value.empty() ? ch.name : ch.value;
        break;
      case protocol::SessionStateChange::kStateChange:
        if (ch.value == "1" || ch.name == "1") state_change = true;
        break;
      case protocol::SessionStateChange::kTransactionCharacteristics:
        state->transaction_characteristics = ch.value.empty() ? ch.name : ch.value;
        break;
      case protocol::SessionStateChange::kGtids:
      case protocol::SessionStateChange::kTransactionState:
        break;  // MariaDB sends neither with our settings; nothing to replay
    }
  }
  // STATE_CHANGE also accompanies the replayable changes above; it pins unless
  // the statement is known to make only those: `SET @u = 1, sql_mode = ''`
  // reports a variable too, but its user variable cannot be replayed.
  if (state_change && effect != StatementEffect::kReplayableOnly)
    PinState(
        state,
        "session state changed without a replayable cause (user variable, temporary table, lock, "
        "SQL PREPARE ...)");
  return Status::Ok();
}

void ApplyStatusFlags(SessionState* state, uint16_t flags) {
  state->status_flags = flags;
  state->in_transaction = (flags & protocol::kServerStatusInTrans) != 0;
  state->autocommit = (flags & protocol::kServerStatusAutocommit) != 0;
}

Status ApplyOkPacket(SessionState* state, std::string_view ok_payload, uint64_t backend_caps,
                     StatementEffect effect) {
  auto ok = protocol::OkPacket::Parse(ok_payload, backend_caps);
  if (!ok.ok()) return ok.status();
  ApplyStatusFlags(state, ok->status_flags);
  if (ok->last_insert_id != 0) state->last_insert_id = ok->last_insert_id;
  if (ok->status_flags & protocol::kServerSessionStateChanged)
    return ApplySessionTrack(state, ok->session_state_info, effect);
  return Status::Ok();
}

}  // namespace shardproxy::session
