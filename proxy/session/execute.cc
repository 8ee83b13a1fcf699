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

}  // namespace shardproxy::session
