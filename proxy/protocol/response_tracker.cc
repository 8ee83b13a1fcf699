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
// Smallest 4.1 OK: header, lenenc affected rows, lenenc insert id, status, warnings.
constexpr size_t kMinOkPayload = 7;

}  // namespace

std::string_view PacketKindName(PacketKind kind) {
  switch (kind) {
    case PacketKind::kOk:
      return "OK";
    case PacketKind::kErr:
      return "ERR";
    case PacketKind::kEof:
      return "EOF";
    case PacketKind::kColumnCount:
      return "COLUMN_COUNT";
    case PacketKind::kColumnDefinition:
      return "COLUMN_DEFINITION";
    case PacketKind::kRow:
      return "ROW";
    case PacketKind::kLocalInfileRequest:
      return "LOCAL_INFILE_REQUEST";
    case PacketKind::kPrepareOk:
      return "PREPARE_OK";
    case PacketKind::kParamDefinition:
      return "PARAM_DEFINITION";
    case PacketKind::kProgress:
      return "PROGRESS";
    case PacketKind::kOther:
      return "OTHER";
  }
  return "?";
}

ResponseTracker::Step ResponseTracker::Begin(Command cmd, uint64_t caps,
                                             std::string_view request_payload) {
  cmd_ = cmd;
  caps_ = caps;
  binary_ = false;
  remaining_ = 0;
  ended_with_error_ = false;
  cursor_opened_ = false;
  result_sets_ = 0;
  column_count_ = 0;
  last_kind_ = PacketKind::kOther;
  last_is_terminator_ = false;
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

// A 0x00 packet where an OK is expected: an OK only when complete and long
// enough to hold the status flags (else relayed as is, never parsed as one).
PacketKind ResponseTracker::OkKind(std::string_view p, size_t frame_len) const {
  return p.size() >= kMinOkPayload && frame_len < kMaxFramePayload ? PacketKind::kOk
                                                                   : PacketKind::kOther;
}

// A 0xFE terminator: an OK under DEPRECATE_EOF, else (or if only EOF-sized) an EOF.
PacketKind ResponseTracker::TerminatorKind(std::string_view p) const {
  return (caps_ & kClientDeprecateEof) && p.size() >= kMinOkPayload ? PacketKind::kOk
                                                                    : PacketKind::kEof;
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
  last_kind_ = PacketKind::kOther;  // stays so for protocol errors
  last_is_terminator_ = false;
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
    last_kind_ = PacketKind::kProgress;
    return Step::kMore;
  }

  switch (state_) {
    case State::kIdle:
    case State::kLocalInfileWait:
      break;  // handled above

    case State::kSingle:
      if (h == kErrHeader) {
        last_kind_ = PacketKind::kErr;
        error_payload_.assign(p);
      }
      if (h == kOkHeader) {
        // CHANGE_USER's OK; a STATISTICS string is kOther whatever it starts with.
        if (cmd_ != Command::kStatistics) last_kind_ = OkKind(p, frame_len);
        last_ok_payload_.assign(p);
        final_status_ = StatusFlagsOf(p);
      }
      return Finish(h == kErrHeader);

    case State::kSimple:
      if (h == kErrHeader) {
        last_kind_ = PacketKind::kErr;
        error_payload_.assign(p);
        return Finish(true);
      }
      if (h == kOkHeader || terminator) {
        last_kind_ = h == kOkHeader ? OkKind(p, frame_len) : TerminatorKind(p);
        last_ok_payload_.assign(p);
        final_status_ = StatusFlagsOf(p);
        return Finish(false);
      }
      return Protocol("expected OK or ERR");

    case State::kResultStart: {
      column_count_ = 0;
      if (h == kErrHeader) {
        last_kind_ = PacketKind::kErr;
        error_payload_.assign(p);
        return Finish(true);
      }
      if (h == kOkHeader) {
        last_kind_ = OkKind(p, frame_len);
        return AfterTerminator(p);
      }
      if (h == kLocalInfileHeader) {
        last_kind_ = PacketKind::kLocalInfileRequest;
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
      column_count_ = columns;
      last_kind_ = PacketKind::kColumnCount;
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
      last_kind_ = PacketKind::kColumnDefinition;
      if (--remaining_ == 0) state_ = deprecate_eof ? State::kRows : State::kColumnDefsEof;
      return Step::kMore;

    case State::kColumnDefsEof:
      if (!terminator) return Protocol("expected EOF after column definitions");
      last_kind_ = PacketKind::kEof;  // (only reached without DEPRECATE_EOF)
      final_status_ = StatusFlagsOf(p);
      if (binary_ && (final_status_ & kServerStatusCursorExists)) {
        // COM_STMT_EXECUTE opened a cursor: rows come through COM_STMT_FETCH.
        last_is_terminator_ = true;
        cursor_opened_ = true;
        last_ok_payload_.assign(p);
        return Finish(false);
      }
      state_ = State::kRows;
      return Step::kMore;

    case State::kRows:
      if (h == kErrHeader) {
        last_kind_ = PacketKind::kErr;
        error_payload_.assign(p);
        return Finish(true);
      }
      if (terminator) {
        last_kind_ = TerminatorKind(p);
        last_is_terminator_ = true;
        if (binary_ && cmd_ != Command::kStmtFetch &&
            (StatusFlagsOf(p) & kServerStatusCursorExists)) {
          cursor_opened_ = true;
        }
        return AfterTerminator(p);
      }
      last_kind_ = PacketKind::kRow;
      return Step::kMore;

    case State::kPrepareStart: {
      if (h == kErrHeader) {
        last_kind_ = PacketKind::kErr;
        error_payload_.assign(p);
        return Finish(true);
      }
      if (h != kOkHeader) return Protocol("expected COM_STMT_PREPARE OK");
      Result<StmtPrepareOk> ok = StmtPrepareOk::Parse(p);
      if (!ok.ok()) return ok.status();
      prepare_ok_ = *ok;
      last_kind_ = PacketKind::kPrepareOk;
      if (ok->num_params > 0) {
        remaining_ = ok->num_params;
        state_ = State::kPrepareParams;
        return Step::kMore;
      }
      return AfterPrepareParams();
    }

    case State::kPrepareParams:
      if (h == kErrHeader || terminator) return Protocol("short parameter definitions");
      last_kind_ = PacketKind::kParamDefinition;
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
      last_kind_ = PacketKind::kEof;
      final_status_ = StatusFlagsOf(p);
      return AfterPrepareParams();

    case State::kPrepareColumns:
      if (h == kErrHeader || terminator) return Protocol("short column definitions");
      last_kind_ = PacketKind::kColumnDefinition;
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
      last_kind_ = PacketKind::kEof;
      final_status_ = StatusFlagsOf(p);
      return AfterPrepareColumns();

    case State::kFieldList:
      if (h == kErrHeader) {
        last_kind_ = PacketKind::kErr;
        error_payload_.assign(p);
        return Finish(true);
      }
      if (terminator) {
        last_kind_ = TerminatorKind(p);
        last_ok_payload_.assign(p);
        final_status_ = StatusFlagsOf(p);
        return Finish(false);
      }
      last_kind_ = PacketKind::kColumnDefinition;
      return Step::kMore;
  }
  return Protocol("[BUG] unknown tracker state");
}

void ResponseTracker::LocalInfileSent() {
  if (state_ == State::kLocalInfileWait) state_ = State::kResultStart;
}

}  // namespace shardproxy::protocol
