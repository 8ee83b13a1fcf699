#include "proxy/protocol/response_tracker.h"

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/malformed.h"
#include "proxy/protocol/packet.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

namespace {

constexpr uint8_t kOkHeader = 0x00;
constexpr uint8_t kLocalInfileHeader = 0xFB;
constexpr uint8_t kEofHeader = 0xFE;
constexpr uint8_t kErrHeader = 0xFF;

}  // namespace

ResponseTracker::Step ResponseTracker::Begin(Command cmd, uint64_t caps,
                                             std::string_view request_payload) {
  cmd_ = cmd;
  caps_ = caps;
  binary_ = false;
  remaining_ = 0;
  ended_with_error_ = false;
  cursor_opened_ = false;
  result_sets_ = 0;
  last_ok_payload_.clear();
  error_payload_.clear();
  prepare_ok_.reset();
  switch (cmd) {
    case Command::kQuit:
    case Command::kStmtClose:
    case Command::kStmtSendLongData:
      state_ = State::kIdle;
      return Step::kNone;
    case Command::kStmtExecute:
    case Command::kStmtBulkExecute:
      binary_ = true;
      state_ = State::kResultStart;
      return Step::kMore;
    case Command::kStmtFetch:
      binary_ = true;
      state_ = State::kRows;
      return Step::kMore;
    case Command::kStmtPrepare:
      state_ = State::kPrepareStart;
      return Step::kMore;
    case Command::kFieldList:
      state_ = State::kFieldList;
      return Step::kMore;
    case Command::kStatistics:
    case Command::kChangeUser:
      state_ = State::kSingle;
      return Step::kMore;
    case Command::kPing:
    case Command::kInitDb:
    case Command::kResetConnection:
    case Command::kProcessKill:
    case Command::kStmtReset:
    case Command::kRefresh:
    case Command::kSetOption:
    case Command::kDebug:
    case Command::kShutdown:
    case Command::kCreateDb:
    case Command::kDropDb:
      state_ = State::kSimple;
      return Step::kMore;
    default:
      // COM_QUERY, COM_PROCESS_INFO, and commands the server will answer with
      // ERR (unknown command): the general result shape covers them all.
      state_ = State::kResultStart;
      return Step::kMore;
  }
}

Result<ResponseTracker::Step> ResponseTracker::Protocol(std::string_view what) {
  state_ = State::kIdle;
  return internal::Malformed(std::string("backend response to ") + CommandName(cmd_) + ": " +
                             std::string(what));
}

ResponseTracker::Step ResponseTracker::Finish(bool error) {
  ended_with_error_ = error;
  state_ = State::kIdle;
  return Step::kDone;
}

// An OK, OK(0xFE) or EOF that ends a result (or the whole response).
ResponseTracker::Step ResponseTracker::AfterTerminator(std::string_view payload) {
  last_ok_payload_.assign(payload);
  final_status_ = StatusFlagsOf(payload);
  if (final_status_ & kServerMoreResultsExists) {
    state_ = State::kResultStart;
    return Step::kMore;
  }
  return Finish(false);
}

ResponseTracker::Step ResponseTracker::AfterPrepareParams() {
  if (prepare_ok_->num_columns > 0) {
    remaining_ = prepare_ok_->num_columns;
    state_ = State::kPrepareColumns;
    return Step::kMore;
  }
  return Finish(false);
}

ResponseTracker::Step ResponseTracker::AfterPrepareColumns() { return Finish(false); }

Result<ResponseTracker::Step> ResponseTracker::OnPacket(std::string_view p, size_t frame_len) {
  if (state_ == State::kIdle) return Protocol("unexpected packet (no response pending)");
  if (state_ == State::kLocalInfileWait) {
    return Protocol("packet while the client is sending a LOCAL INFILE");
  }
  if (p.empty()) return Protocol("empty packet");
  const uint8_t h = static_cast<uint8_t>(p[0]);
  const bool deprecate_eof = (caps_ & kClientDeprecateEof) != 0;
  const bool terminator =
      h == kEofHeader && frame_len < kMaxFramePayload && p.size() < kMaxFramePayload;

  // MariaDB progress report: ERR with code 0xFFFF, never ends the response.
  if (h == kErrHeader && (caps_ & kMariaDbClientProgress) && p.size() >= 3 &&
      static_cast<uint8_t>(p[1]) == 0xFF && static_cast<uint8_t>(p[2]) == 0xFF &&
      state_ != State::kSingle) {
    return Step::kMore;
  }

  switch (state_) {
    case State::kIdle:
    case State::kLocalInfileWait:
      break;  // handled above

    case State::kSingle:
      if (h == kErrHeader) error_payload_.assign(p);
      if (h == kOkHeader) {
        last_ok_payload_.assign(p);
        final_status_ = StatusFlagsOf(p);
      }
      return Finish(h == kErrHeader);

    case State::kSimple:
      if (h == kErrHeader) {
        error_payload_.assign(p);
        return Finish(true);
      }
      if (h == kOkHeader || terminator) {
        last_ok_payload_.assign(p);
        final_status_ = StatusFlagsOf(p);
        return Finish(false);
      }
      return Protocol("expected OK or ERR");

    case State::kResultStart: {
      if (h == kErrHeader) {
        error_payload_.assign(p);
        return Finish(true);
      }
      if (h == kOkHeader) return AfterTerminator(p);
      if (h == kLocalInfileHeader) {
        state_ = State::kLocalInfileWait;
        return Step::kLocalInfile;
      }
      if (h == kEofHeader) return Protocol("0xFE where a result was expected");
      WireReader r(p);
      uint64_t columns = r.ReadLenencInt();
      if (!r.ok() || columns == 0) return Protocol("bad column count");
      bool metadata = true;
      if ((caps_ & kMariaDbClientCacheMetadata) && r.remaining() > 0) metadata = r.ReadU8() != 0;
      ++result_sets_;
      if (metadata) {
        remaining_ = columns;
        state_ = State::kColumnDefs;
      } else {
        state_ = deprecate_eof ? State::kRows : State::kColumnDefsEof;
      }
      return Step::kMore;
    }

    case State::kColumnDefs:
      if (h == kErrHeader) return Protocol("ERR inside column definitions");
      if (terminator) return Protocol("EOF before the last column definition");
      if (--remaining_ == 0) state_ = deprecate_eof ? State::kRows : State::kColumnDefsEof;
      return Step::kMore;

    case State::kColumnDefsEof:
      if (!terminator) return Protocol("expected EOF after column definitions");
      final_status_ = StatusFlagsOf(p);
      if (binary_ && (final_status_ & kServerStatusCursorExists)) {
        // COM_STMT_EXECUTE opened a cursor: rows come through COM_STMT_FETCH.
        cursor_opened_ = true;
        last_ok_payload_.assign(p);
        return Finish(false);
      }
      state_ = State::kRows;
      return Step::kMore;

    case State::kRows:
      if (h == kErrHeader) {
        error_payload_.assign(p);
        return Finish(true);
      }
      if (terminator) {
        if (binary_ && cmd_ != Command::kStmtFetch &&
            (StatusFlagsOf(p) & kServerStatusCursorExists)) {
          cursor_opened_ = true;
        }
        return AfterTerminator(p);
      }
      return Step::kMore;

    case State::kPrepareStart: {
      if (h == kErrHeader) {
        error_payload_.assign(p);
        return Finish(true);
      }
      if (h != kOkHeader) return Protocol("expected COM_STMT_PREPARE OK");
      Result<StmtPrepareOk> ok = StmtPrepareOk::Parse(p);
      if (!ok.ok()) return ok.status();
      prepare_ok_ = *ok;
      if (ok->num_params > 0) {
        remaining_ = ok->num_params;
        state_ = State::kPrepareParams;
        return Step::kMore;
      }
      return AfterPrepareParams();
    }

    case State::kPrepareParams:
      if (h == kErrHeader || terminator) return Protocol("short parameter definitions");
      if (--remaining_ == 0) {
        if (!deprecate_eof) {
          state_ = State::kPrepareParamsEof;
          return Step::kMore;
        }
        return AfterPrepareParams();
      }
      return Step::kMore;

    case State::kPrepareParamsEof:
      if (!terminator) return Protocol("expected EOF after parameter definitions");
      final_status_ = StatusFlagsOf(p);
      return AfterPrepareParams();

    case State::kPrepareColumns:
      if (h == kErrHeader || terminator) return Protocol("short column definitions");
      if (--remaining_ == 0) {
        if (!deprecate_eof) {
          state_ = State::kPrepareColumnsEof;
          return Step::kMore;
        }
        return AfterPrepareColumns();
      }
      return Step::kMore;

    case State::kPrepareColumnsEof:
      if (!terminator) return Protocol("expected EOF after column definitions");
      final_status_ = StatusFlagsOf(p);
      return AfterPrepareColumns();

    case State::kFieldList:
      if (h == kErrHeader) {
        error_payload_.assign(p);
        return Finish(true);
      }
      if (terminator) {
        last_ok_payload_.assign(p);
        final_status_ = StatusFlagsOf(p);
        return Finish(false);
      }
      return Step::kMore;
  }
  return Protocol("[BUG] unknown tracker state");
}

void ResponseTracker::LocalInfileSent() {
  if (state_ == State::kLocalInfileWait) state_ = State::kResultStart;
}

}  // namespace shardproxy::protocol
