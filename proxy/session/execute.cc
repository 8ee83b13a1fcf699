// Plan execution beyond the one-target raw relay (which stays in
// session.cc): statements on several groups, session-wide statements on every
// open connection, and statements the proxy runs on a backend without relaying
// (BEGIN/COMMIT around a multi-group write, a session-wide SET's copies).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>

#include "common/errors.h"
#include "proxy/backend/client_handshake.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/resultset_writer.h"
#include "proxy/session/session.h"

namespace shardproxy::session {

namespace asio = boost::asio;
using protocol::Command;
using protocol::PacketKind;

namespace {

Status Err(const errors::Code& c, std::string msg) {
  return Status::Error(c.code, c.sqlstate, std::move(msg));
}

using Clock = std::chrono::steady_clock;

// The commands whose first 4 payload bytes after the command byte are a
// prepared-statement id (the client's, mapped to the backend's).
bool CarriesStatementId(Command cmd) {
  return cmd == Command::kStmtExecute || cmd == Command::kStmtSendLongData ||
         cmd == Command::kStmtClose || cmd == Command::kStmtReset || cmd == Command::kStmtFetch;
}

// Appends `raw` (one frame, header included) to `out` with sequence id `seq`.
void AppendFrame(std::string* out, std::string_view raw, uint8_t seq) {
  const size_t at = out->size();
  out->append(raw);
  (*out)[at + 3] = static_cast<char>(seq);
}

// MariaDB's UPDATE info: "Rows matched: 3  Changed: 2  Warnings: 0".
bool ParseUpdateInfo(std::string_view info, uint64_t* matched, uint64_t* changed) {
  unsigned long long m = 0, c = 0, w = 0;
  std::string s(info);
  if (std::sscanf(s.c_str(), "Rows matched: %llu  Changed: %llu  Warnings: %llu", &m, &c, &w) != 3)
    return false;
  *matched = m;
  *changed = c;
  return true;
}

}  // namespace

const GroupConfig* Session::GroupByName(std::string_view name) const {
  return cfg_.FindGroup(name);
}

asio::awaitable<Status> RunSilently(backend::BackendConnection* conn, std::string_view payload,
                                    SessionState* state, bool* refused) {
  const auto cmd = static_cast<Command>(static_cast<uint8_t>(payload[0]));
  if (Status w = co_await conn->WritePacket(payload, 0); !w.ok()) co_return w;
  protocol::ResponseTracker tracker;
  if (tracker.Begin(cmd, conn->caps(), payload) == protocol::ResponseTracker::Step::kNone)
    co_return Status::Ok();
  while (true) {
    auto pkt = co_await conn->ReadPacket();
    if (!pkt.ok()) co_return pkt.status();
    auto step = tracker.OnPacket(pkt->payload);
    if (!step.ok()) co_return step.status();
    if (tracker.last_kind() == PacketKind::kOk) {
      (void)ApplyOkPacket(state, pkt->payload, conn->caps(), StatementEffect::kReplayableOnly);
    }
    if (*step == protocol::ResponseTracker::Step::kDone) break;
    if (*step == protocol::ResponseTracker::Step::kLocalInfile) {
      co_return Status::Bug("LOCAL INFILE in a statement the proxy runs by itself");
    }
  }
  if (tracker.ended_with_error()) {
    if (refused != nullptr) *refused = true;
    co_return backend::StatusFromErrPayload(tracker.error_payload(), conn->caps());
  }
  co_return Status::Ok();
}

asio::awaitable<Status> Session::RunSilently(backend::BackendConnection* conn,
                                             std::string_view payload) {
  co_return co_await session::RunSilently(conn, payload, &state_);
}

asio::awaitable<void> Session::RunOnOtherConnections(const std::string& primary,
                                                     std::string_view payload) {
  // Copies of a session-wide statement (SET, USE, BEGIN, COMMIT ...) for the
  // session's other open connections. A copy that fails leaves that
  // connection behind: it is dropped, and the next statement there opens a
  // new one with the (now updated) state replayed, or gets ERR 1184.
  std::vector<std::pair<std::string, BackendSet::Slot>> others;
  for (const auto& [name, slot] : backends_.slots()) {
    if (name != primary && !slot.conn->broken()) others.emplace_back(name, slot);
  }
  for (auto& [name, slot] : others) {
    Status st = co_await RunSilently(slot.conn.get(), payload);
    if (!st.ok()) {
      spdlog::info(
          "session {}: group {} refused a session-wide statement ({}); reopening it "
          "with the session's state replayed",
          id_, name, st.ToString());
      backends_.Drop(name);
      NoteLostConnection(name, st);
    }
  }
}

asio::awaitable<ScatterOutcome> Session::RunScatter(const router::Plan& plan, Command cmd,
                                                    std::string_view sql, uint8_t reply_seq) {
  ScatterOutcome out;
  using Step = protocol::ResponseTracker::Step;
  struct Leg {
    const GroupConfig* group = nullptr;
    BackendSet::Slot slot;
    std::string payload;  // command byte + SQL
    protocol::ResponseTracker tracker;
    bool broken = false;
    bool sent = false;
  };
  std::vector<Leg> legs(plan.targets.size());
  for (size_t i = 0; i < plan.targets.size(); ++i) {
    const router::RouteTarget& t = plan.targets[i];
    legs[i].group = GroupByName(t.group);
    if (legs[i].group == nullptr) {
      out.error = Status::Bug("plan names an unknown group " + t.group);
      out.not_run = true;
      co_return out;
    }
    auto acquired = co_await AcquireFor(*legs[i].group);
    if (!acquired.ok()) {
      out.error = acquired.status();
      out.not_run = true;
      co_return out;
    }
    legs[i].slot = *acquired;
    legs[i].payload = protocol::CommandPayload(cmd, t.sql.empty() ? sql : std::string_view(t.sql));
  }
  for (Leg& leg : legs) {
    running_.push_back(RunRecord{leg.slot.conn, leg.group, leg.slot.conn->thread_id(), false});
  }
  running_group_.store(legs[0].group, std::memory_order_release);
  running_thread_.store(legs[0].slot.conn->thread_id(), std::memory_order_release);

  // A write on several groups outside a transaction: one transaction per
  // group, committed only when every group succeeded (DDL commits by itself).
  const bool ddl = plan.ddl || cmd != Command::kQuery;
  const bool atomic = plan.writes && !ddl && state_.autocommit && !state_.in_transaction;
  static constexpr std::string_view kBegin = "\x03START TRANSACTION";
  static constexpr std::string_view kCommit =
      "\x03"
      "COMMIT";
  static constexpr std::string_view kRollback = "\x03ROLLBACK";
  Status first_error;
  size_t begun = 0;
  if (atomic) {
    for (Leg& leg : legs) {
      Status st = co_await RunSilently(leg.slot.conn.get(), kBegin);
      if (!st.ok()) {
        first_error = st;
        leg.broken = true;
        break;
      }
      ++begun;
    }
  }

  // Send every request first: the groups work in parallel.
  if (first_error.ok()) {
    for (Leg& leg : legs) {
      if (Status w = co_await leg.slot.conn->WritePacket(leg.payload, 0); !w.ok()) {
        leg.broken = true;
        if (first_error.ok()) first_error = w;
      } else {
        leg.sent = true;
        out.ran_on.push_back(leg.group->name);
      }
    }
  }

  // Read the responses in target order: the first leg's result-set header,
  // every leg's rows, one terminator (or one combined OK) of our own.
  uint8_t seq = reply_seq;
  bool header_sent = false;
  uint64_t columns = 0;
  uint64_t affected = 0, last_id = 0, matched = 0, changed = 0;
  bool update_info = plan.writes;
  uint32_t warnings = 0;
  bool result_set = false;
  for (size_t i = 0; i < legs.size(); ++i) {
    Leg& leg = legs[i];
    if (leg.broken || !leg.sent) continue;
    backend::BackendConnection* conn = leg.slot.conn.get();
    leg.tracker.Begin(cmd, conn->caps(), leg.payload);
    bool in_packet = false, relay_packet = false;
    bool header_leg = false;
    while (true) {
      auto r = co_await conn->ReadFrame();
      if (!r.ok()) {
        leg.broken = true;
        backends_.Drop(leg.group->name);
        NoteLostConnection(leg.group->name, r.status());
        if (first_error.ok()) first_error = r.status();
        break;
      }
      const protocol::Frame& fr = *r;
      if (in_packet) {
        if (relay_packet) AppendFrame(&out_, fr.raw, seq++);
        in_packet = !fr.last;
        continue;
      }
      auto step = leg.tracker.OnPacket(fr.payload, fr.payload.size());
      if (!step.ok()) {
        leg.broken = true;
        backends_.Drop(leg.group->name);
        if (first_error.ok()) first_error = step.status();
        break;
      }
      relay_packet = false;
      switch (leg.tracker.last_kind()) {
        case PacketKind::kColumnCount:
          result_set = true;
          if (!header_sent) {
            header_sent = header_leg = true;
            columns = leg.tracker.column_count();
            relay_packet = first_error.ok();
          } else if (leg.tracker.column_count() != columns && first_error.ok()) {
            first_error = Err(errors::kNotSupportedYet,
                              fmt::format("shardproxy: groups {} and {} returned different "
                                          "numbers of columns ({} and {}) for one statement; "
                                          "their table definitions differ",
                                          legs[0].group->name, leg.group->name, columns,
                                          leg.tracker.column_count()));
          }
          break;
        case PacketKind::kColumnDefinition:
          relay_packet = header_leg && first_error.ok();
          break;
        case PacketKind::kEof:
          // The EOF after the column definitions (no DEPRECATE_EOF) belongs to
          // the header; a terminating EOF is replaced by ours.
          if (*step != Step::kDone) relay_packet = header_leg && first_error.ok();
          if (*step == Step::kDone) {
            auto eof = protocol::EofPacket::Parse(fr.payload);
            if (eof.ok()) warnings += eof->warnings;
          }
          break;
        case PacketKind::kRow:
          relay_packet = first_error.ok();
          ++out.rows;
          break;
        case PacketKind::kOk: {
          auto ok = protocol::OkPacket::Parse(fr.payload, conn->caps());
          (void)ApplyOkPacket(&state_, fr.payload, conn->caps(), StatementEffect::kUnknown);
          if (ok.ok()) {
            affected += ok->affected_rows;
            if (last_id == 0) last_id = ok->last_insert_id;
            warnings += ok->warnings;
            uint64_t m = 0, c = 0;
            if (update_info && ParseUpdateInfo(ok->info, &m, &c)) {
              matched += m;
              changed += c;
            } else {
              update_info = false;
            }
          }
          break;
        }
        case PacketKind::kErr:
          out.failed_on.push_back(leg.group->name);
          if (first_error.ok())
            first_error = backend::StatusFromErrPayload(fr.payload, conn->caps());
          break;
        case PacketKind::kLocalInfileRequest:
          if (first_error.ok())
            first_error = Err(errors::kNotSupportedYet,
                              "shardproxy: LOAD DATA LOCAL over several groups is not supported");
          break;
        default:
          break;
      }
      if (relay_packet) AppendFrame(&out_, fr.raw, seq++);
      in_packet = !fr.last;
      if (out_.size() >= 64 * 1024) {
        if (Status w = co_await Flush(); !w.ok()) {
          ClearRunning();
          out.client_gone = true;
          co_return out;
        }
      }
      if (*step == Step::kDone) break;
      if (*step == Step::kLocalInfile) {
        // Refused above: end the exchange with an empty file.
        (void)co_await conn->WritePacket("", static_cast<uint8_t>(fr.seq + 1));
        leg.tracker.LocalInfileSent();
      }
    }
  }

  // Commit or roll back what the groups did.
  std::vector<std::string> committed;
  if (atomic) {
    for (size_t i = 0; i < begun; ++i) {
      Leg& leg = legs[i];
      if (leg.broken) continue;
      if (first_error.ok()) {
        Status st = co_await RunSilently(leg.slot.conn.get(), kCommit);
        if (st.ok()) {
          committed.push_back(leg.group->name);
        } else {
          first_error = Err(
              errors::kBackendUnavailable,
              fmt::format("shardproxy: the write was committed on group(s) {} but COMMIT failed "
                          "on group {} ({}); the groups now differ: check group {}",
                          committed.empty() ? std::string("(none)")
                                            : fmt::format("{}", fmt::join(committed, ", ")),
                          leg.group->name, st.message(), leg.group->name));
          break;
        }
      } else {
        (void)co_await RunSilently(leg.slot.conn.get(), kRollback);
      }
    }
  }
  ClearRunning();
  last_group_ = legs[0].group->name;
  out.error = first_error;
  out.seq = seq;
  out.result_set = result_set;
  out.warnings = warnings;
  out.ok.affected_rows = affected;
  out.ok.last_insert_id = last_id;
  out.ok.warnings = static_cast<uint16_t>(std::min<uint32_t>(warnings, 0xFFFF));
  if (update_info && plan.writes && cmd == Command::kQuery && matched + changed > 0)
    out.ok.info =
        fmt::format("Rows matched: {}  Changed: {}  Warnings: {}", matched, changed, warnings);
  co_return out;
}

asio::awaitable<bool> Session::FinishScatter(const ScatterOutcome& r) {
  if (r.client_gone || closed_ || client_gone_) co_return false;
  uint8_t seq = r.seq;
  if (!r.error.ok()) co_return co_await SendErr(r.error, seq);
  const uint16_t flags = LocalStatusFlags();
  if (r.result_set) {
    protocol::AppendPacket(
        &out_, &seq,
        protocol::ResultSetEndPayload(client_caps_, flags, static_cast<uint16_t>(r.warnings)));
  } else {
    protocol::OkPacket ok = r.ok;
    ok.status_flags = flags;
    protocol::AppendPacket(&out_, &seq, ok.Serialize(client_caps_));
  }
  co_return (co_await Flush()).ok();
}

// --------------------------------------------------------------- the executor
//
// One entry point for every routed statement: a plan with several targets
// (or DDL whose rule is recorded before the client's answer) runs on each
// group with the results combined (RunOnGroups); a plan with one target is
// the same executor's one-target case, the raw relay (RunOnOneGroup). Both
// keep one RunRecord per target in running_, which KILL, the liveness ticker
// and abort-on-disconnect loop over.

void Session::RewriteRequest(StatementRequest* req, std::string_view sql) {
  rewrite_.clear();
  uint8_t seq = req->frame.seq;
  protocol::AppendPacket(&rewrite_, &seq, protocol::CommandPayload(req->cmd, sql));
  req->bytes = rewrite_;
  req->payload = std::string_view(rewrite_).substr(protocol::kFrameHeaderSize);
}

asio::awaitable<bool> Session::ExecutePlan(const router::Plan& plan, StatementRequest& req) {
  if (plan.targets.size() > 1 || plan.effect != router::PlanEffect::kNone)
    co_return co_await RunOnGroups(plan, req);
  co_return co_await RunOnOneGroup(plan, req);
}

asio::awaitable<bool> Session::RunOnGroups(const router::Plan& plan, StatementRequest& req) {
  const protocol::Frame& frame = req.frame;
  const Command cmd = req.cmd;
  ParseOutcome* const parsed = req.parsed;
  // Several groups (or DDL whose rule is recorded before the client's OK).
  if (!frame.last) {
    auto last = co_await SkipClientPacket(frame);
    if (!last.ok()) co_return false;
    co_return co_await SendErr(
        Err(errors::kNotSupportedYet,
            "shardproxy: a statement of 16 MiB or more cannot be sent to several groups"),
        static_cast<uint8_t>(*last + 1));
  }
  statement_autocommit_ = state_.autocommit && !state_.in_transaction;
  client_gone_ = false;
  watch_done_ = false;
  statement_start_ = Clock::now();
  ScatterOutcome r =
      co_await RunScatter(plan, cmd, frame.payload.substr(1), static_cast<uint8_t>(frame.seq + 1));
  if (r.not_run && !lost_.ok()) {
    co_await SendErrAndClose(r.error, r.seq == 0 ? static_cast<uint8_t>(frame.seq + 1) : r.seq);
    co_return false;
  }
  if (r.not_run) r.seq = static_cast<uint8_t>(frame.seq + 1);
  if (!r.not_run && !r.client_gone) {
    const parser::Statement* model = parsed && parsed->pieces.size() == 1 && parsed->pieces[0].model
                                         ? &*parsed->pieces[0].model
                                         : nullptr;
    Status eff = co_await ApplyPlanEffect(plan, model, &r);
    if (!eff.ok()) r.error = eff;
  }
  if (!state_.in_transaction && state_.autocommit) txn_write_group_.clear();
  last_was_multi_group_ = plan.targets.size() > 1;
  last_groups_ = r.ran_on;
  last_was_ddl_ = plan.ddl;
  last_row_count_ = !r.error.ok() || r.result_set ? -1
                    : plan.ddl                    ? 0
                                                  : static_cast<int64_t>(r.ok.affected_rows);
  last_found_rows_ = r.result_set ? r.rows : 0;
  last_warnings_ = r.error.ok() ? r.warnings : 1;
  bool keep = co_await FinishScatter(r);
  if (!keep || client_gone_) co_return false;
  co_return !(ctx_.draining != nullptr && ctx_.draining->load(std::memory_order_relaxed));
}

asio::awaitable<bool> Session::RunOnOneGroup(const router::Plan& plan, StatementRequest& req) {
  const protocol::Frame& frame = req.frame;
  const Command cmd = req.cmd;
  ParseOutcome* const parsed = req.parsed;
  std::string_view& request = req.bytes;
  std::string_view& request_payload = req.payload;
  const StatementEffect effect = req.effect;
  const std::string& pin_reason = req.pin_reason;
  const std::optional<std::string>& names_collation = req.names_collation;
  const router::RouteTarget& route = plan.targets[0];
  const GroupConfig* route_group = GroupByName(route.group);
  if (route_group == nullptr) {
    auto last = co_await SkipClientPacket(frame);
    if (!last.ok()) co_return false;
    co_return co_await SendErr(Status::Bug("plan names an unknown group " + route.group),
                               static_cast<uint8_t>(*last + 1));
  }
  const GroupConfig& group = *route_group;
  if (!route.sql.empty() && frame.last) {
    // The router rewrote the statement for this group (an IN list cut, ...).
    RewriteRequest(&req, route.sql);
  }

  // 5. backend: a connection for the target; the request relayed frame by frame.
  auto acquired = co_await AcquireFor(group);
  if (!acquired.ok()) {
    // Not sent anywhere: "was not run" (or the backend's own connect ERR), or
    // the session's state was lost with the connection (then it closes).
    auto last = co_await SkipClientPacket(frame);
    if (!last.ok()) co_return false;
    if (!lost_.ok()) {
      co_await SendErrAndClose(acquired.status(), static_cast<uint8_t>(*last + 1));
      co_return false;
    }
    co_return co_await SendErr(acquired.status(), static_cast<uint8_t>(*last + 1));
  }
  const BackendSet::Slot target = *acquired;  // holds the connection for the whole statement
  backend::BackendConnection* conn = target.conn.get();

  // Prepared-statement ids: the client has ours; the backend gets its own.
  uint32_t client_stmt_id = 0;
  if (CarriesStatementId(cmd) && frame.payload.size() >= 5) {
    client_stmt_id = protocol::StmtIdOf(frame.payload);
    auto it = state_.prepared_statements.find(client_stmt_id);
    if (it != state_.prepared_statements.end() && cmd == Command::kStmtExecute && execute_) {
      // An execute routed by its parameters: the chosen group's statement id
      // (prepared there now if it never was), with the parameter types always
      // sent (that connection may never have seen them).
      SessionState::PreparedStatement& ps = it->second;
      uint32_t backend_id = ps.backend_id;
      if (group.name != ps.group || ps.conn_serial != target.serial) {
        SessionState::PreparedStatement::Copy& copy = ps.copies[group.name];
        if (copy.conn_serial != target.serial) {
          auto id = co_await PrepareSilently(conn, ps.sql);
          if (!id.ok()) {
            ps.copies.erase(group.name);
            auto last = co_await SkipClientPacket(frame);
            if (!last.ok()) co_return false;
            co_return co_await SendErr(id.status(), static_cast<uint8_t>(*last + 1));
          }
          copy = {*id, target.serial};
        }
        backend_id = copy.backend_id;
      }
      info_.assign(ps.sql);
      rewrite_.clear();
      uint8_t seq = frame.seq;
      protocol::AppendPacket(&rewrite_, &seq, execute_->SerializeWithTypes(backend_id));
      request = rewrite_;
      request_payload = std::string_view(rewrite_).substr(protocol::kFrameHeaderSize);
    } else if (it == state_.prepared_statements.end() || it->second.conn_serial != target.serial) {
      auto last = co_await SkipClientPacket(frame);
      if (!last.ok()) co_return false;
      if (cmd == Command::kStmtClose || cmd == Command::kStmtSendLongData) {
        co_return true;  // no response, as MariaDB (an unknown id is ignored)
      }
      const char* fn = cmd == Command::kStmtExecute ? "mysqld_stmt_execute"
                       : cmd == Command::kStmtReset ? "mysqld_stmt_reset"
                                                    : "mysqld_stmt_fetch";
      co_return co_await SendErr(
          Err(errors::kUnknownStmtHandler, fmt::format("Unknown prepared statement handler ({}) "
                                                       "given to {}",
                                                       client_stmt_id, fn)),
          static_cast<uint8_t>(*last + 1));
    } else {
      if (cmd == Command::kStmtExecute) info_.assign(it->second.sql);
      if (rewrite_.data() != request.data()) rewrite_.assign(request);
      protocol::SetStmtId(std::span<char>(rewrite_).subspan(protocol::kFrameHeaderSize),
                          it->second.backend_id);
      request = rewrite_;
      request_payload = std::string_view(rewrite_).substr(protocol::kFrameHeaderSize);
      if (cmd == Command::kStmtClose) {
        // Its copies on other groups go too (COM_STMT_CLOSE has no answer).
        for (const auto& [g, copy] : it->second.copies) {
          const BackendSet::Slot* other = backends_.Find(g);
          if (other == nullptr || other->serial != copy.conn_serial) continue;
          std::string close =
              protocol::CommandPayload(Command::kStmtClose, std::string_view("\0\0\0\0", 4));
          protocol::SetStmtId(&close, copy.backend_id);
          (void)co_await other->conn->WritePacket(close, 0);
        }
      }
    }
  }

  protocol::ResponseTracker::Step begin = tracker_.Begin(cmd, conn->caps(), request_payload);

  running_.push_back(RunRecord{target.conn, &group, conn->thread_id(), false});
  statement_autocommit_ = state_.autocommit && !state_.in_transaction;
  client_gone_ = false;
  watch_done_ = false;
  running_group_.store(&group, std::memory_order_release);
  running_thread_.store(conn->thread_id(), std::memory_order_release);
  auto finish = [&] { ClearRunning(); };

  uint8_t last_seq = frame.seq;
  Status write_st = co_await conn->Write(request);
  bool last = frame.last;
  while (!last) {
    auto f = co_await ReadClientFrame();
    if (!f.ok()) {
      // The client vanished (or broke framing) mid-packet: the backend has
      // half a packet; it can only be closed.
      finish();
      backends_.Drop(group.name);
      if (!f.status().client_gone())
        co_await SendErr(f.status(), static_cast<uint8_t>(last_seq + 1));
      co_return false;
    }
    last_seq = f->seq;
    last = f->last;
    if (write_st.ok()) write_st = co_await conn->Write(f->raw);
  }
  if (!write_st.ok()) {
    finish();
    backends_.Drop(group.name);
    NoteLostConnection(group.name, write_st);
    co_return co_await SendErr(write_st, static_cast<uint8_t>(last_seq + 1));
  }
  if (begin == protocol::ResponseTracker::Step::kNone) {
    // COM_STMT_CLOSE / COM_STMT_SEND_LONG_DATA: no response.
    if (cmd == Command::kStmtClose) state_.prepared_statements.erase(client_stmt_id);
    finish();
    co_return true;
  }

  // 6. merge: a single target -> raw relay. 7. protocol: to the client.
  bool keep = co_await RelayResponse(target, cmd, last_seq, effect);
  finish();
  execute_.reset();
  last_group_ = group.name;
  last_was_multi_group_ = false;
  if (cmd == Command::kStmtPrepare && !tracker_.ended_with_error() && last_prepared_id_ != 0 &&
      parsed && parsed->pieces.size() == 1 && parsed->pieces[0].model && ctx_.rules != nullptr) {
    // A statement on sharded tables is planned again at each execute.
    auto it = state_.prepared_statements.find(last_prepared_id_);
    if (it != state_.prepared_statements.end() && TouchesShardedSchema(*parsed->pieces[0].model)) {
      it->second.model =
          std::make_shared<const parser::Statement>(std::move(*parsed->pieces[0].model));
      it->second.schema = state_.schema;
      it->second.user_variables = parsed->pieces[0].user_variables;
      if (auto p = tracker_.prepare_ok()) it->second.num_params = p->num_params;
    }
  }
  last_prepared_id_ = 0;
  if (keep && !client_gone_ && !tracker_.ended_with_error()) {
    if (plan.session_wide && frame.last)
      co_await RunOnOtherConnections(group.name, request_payload);
    if (refresh_other_connections_ || plan.refresh_other_connections) {
      // A multi-statement changed session state on this connection only: the
      // others are reopened (with the new state replayed) when next used.
      // The new values, as tracked, set on each of them: variables,
      // autocommit, the schema.
      std::vector<std::string> refresh = state_.ReplayStatements();
      refresh.push_back(state_.autocommit ? "SET autocommit = 1" : "SET autocommit = 0");
      for (const std::string& sql : refresh) {
        co_await RunOnOtherConnections(group.name, protocol::CommandPayload(Command::kQuery, sql));
      }
      if (!state_.schema.empty()) {
        co_await RunOnOtherConnections(group.name,
                                       protocol::CommandPayload(Command::kInitDb, state_.schema));
      }
    }
  }
  if (!state_.in_transaction && state_.autocommit) txn_write_group_.clear();
  if (!pin_reason.empty())
    PinState(&state_, pin_reason + " (not reported by the server's tracking)");
  if (names_collation && !tracker_.ended_with_error()) {
    if (names_collation->empty()) {
      state_.variables.erase("collation_connection");  // the charset's default
    } else {
      state_.variables["collation_connection"] = *names_collation;
    }
  }
  if (!keep || client_gone_) co_return false;
  if (ctx_.draining != nullptr && ctx_.draining->load(std::memory_order_relaxed)) co_return false;
  co_return true;
}

}  // namespace shardproxy::session
