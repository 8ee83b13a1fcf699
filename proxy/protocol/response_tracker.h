// ResponseTracker: where does a backend's response to one client command end?
//
// A pure state machine fed the FIRST frame of each logical packet only (call
// OnPacket once per logical packet, not for continuation frames), so huge rows
// are relayed frame by frame without joining.
//
// Shapes handled (caps = the backend connection's negotiated capabilities):
//   simple          OK | ERR                                   (PING, INIT_DB, ...)
//   result          OK | ERR | LOCAL INFILE(0xFB) | result set, repeated while a
//                   terminator / OK has SERVER_MORE_RESULTS_EXISTS (QUERY, EXECUTE)
//   result set      column count [lenenc][+ "metadata follows" byte with CACHE_METADATA],
//                   column defs, EOF (unless DEPRECATE_EOF), rows, EOF / OK(0xFE) | ERR.
//                   Binary (EXECUTE): when the EOF after the defs (or, under
//                   DEPRECATE_EOF, the first terminator) has CURSOR_EXISTS the
//                   response ends there (rows come via COM_STMT_FETCH).
//   fetch           rows, then EOF / OK(0xFE) | ERR
//   prepare         StmtPrepareOk, param defs [+EOF], column defs [+EOF] | ERR
//   field list      column defs until EOF / OK(0xFE) | ERR
//   statistics      one string packet
//   set option      EOF / OK | ERR
//   change user     the first packet only (OK, ERR or an auth switch / more data the
//                   caller handles itself)
// MariaDB progress reports (ERR with code 0xFFFF, only with
// kMariaDbClientProgress) are relayed as kMore in any state.
//
// It is also the one response decoder: after each OnPacket, last_kind() says
// what the packet was (so the session finds every OK, including intermediate
// ones of a multi-statement, and never mistakes a row starting with 0x00 for
// one), last_is_terminator() whether it ended a result set's rows, and
// column_count() the width of the current result set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "proxy/protocol/command.h"

namespace shardproxy::protocol {

// What one logical packet of a backend response is, decided from the
// response's shape (its first byte alone does not tell: a text row whose first
// column is '' and every binary row start with 0x00, like an OK).
enum class PacketKind : uint8_t {
  kOk,                  // an OK packet: header 0x00 (complete, >= 7 bytes), or the 0xFE
                        // OK-terminator under DEPRECATE_EOF (>= 7 bytes); may carry
                        // session-state info. Intermediate OKs (MORE_RESULTS_EXISTS) too.
  kErr,                 // ERR packet (0xFF), other than a progress report
  kEof,                 // 0xFE EOF packet: no DEPRECATE_EOF (or one shorter than an OK)
  kColumnCount,         // first packet of a result set; see column_count()
  kColumnDefinition,    // a column definition (result set, prepare, field list)
  kRow,                 // a text or binary row (may start with 0x00, 0xFB or 0xFE)
  kLocalInfileRequest,  // 0xFB LOCAL INFILE request: the client sends the file next
  kPrepareOk,           // COM_STMT_PREPARE's StmtPrepareOk (header 0x00, not an OK)
  kParamDefinition,     // a COM_STMT_PREPARE parameter definition
  kProgress,            // MariaDB progress report (ERR 0xFFFF with kMariaDbClientProgress)
  kOther,               // anything else: statistics string, change-user auth switch or
                        // more data, a 0x00 too short or too long to read as an OK, or a
                        // packet OnPacket rejected as a protocol error
};

// Short upper-case name ("OK", "COLUMN_COUNT", ...) for tests and logs.
std::string_view PacketKindName(PacketKind kind);

class ResponseTracker {
 public:
  enum class Step {
    kMore,         // relay this packet; more packets of this response follow
    kDone,         // relay this packet; the response is complete
    kLocalInfile,  // relay; the client now sends file packets then an empty one;
                   // call LocalInfileSent() after relaying the empty packet
    kNone,         // (Begin only) this command has no response at all
  };

  // Starts tracking the response to cmd. Returns kMore when a response is
  // expected, kNone for COM_QUIT / COM_STMT_CLOSE / COM_STMT_SEND_LONG_DATA.
  // request_payload (with the command byte) is used by COM_STMT_EXECUTE
  // (cursor flags).
  Step Begin(Command cmd, uint64_t caps, std::string_view request_payload = {});

  // first_frame_payload: payload of the first frame of the next logical packet;
  // frame_len: that frame's payload length (== first_frame_payload.size() when
  // the caller passes the whole first frame). A Status error means the backend
  // broke the protocol (send the client an ERR and drop the backend).
  Result<Step> OnPacket(std::string_view first_frame_payload, size_t frame_len);
  Result<Step> OnPacket(std::string_view first_frame_payload) {
    return OnPacket(first_frame_payload, first_frame_payload.size());
  }

  // After kLocalInfile, once the client's empty packet has been relayed: the
  // server's OK | ERR comes next.
  void LocalInfileSent();

  // After each OnPacket (whatever it returned): what the packet was.
  // kOther before the first packet after Begin.
  PacketKind last_kind() const { return last_kind_; }
  // The packet was the EOF / OK(0xFE) that ends a result set's rows (or the
  // rows of a COM_STMT_FETCH), including the EOF after the definitions that
  // opens a cursor. A plain OK result (no result set) is not a terminator.
  bool last_is_terminator() const { return last_is_terminator_; }
  // Column count of the current result set (from its column-count packet);
  // 0 after Begin and after a result that is not a result set (OK, ERR,
  // LOCAL INFILE). Kept after its terminator until the next result starts.
  uint64_t column_count() const { return column_count_; }

  // After kDone: the status flags of the last OK/EOF seen (ERR carries none: the
  // previous value is kept), and whether the response ended with an ERR.
  uint16_t final_status() const { return final_status_; }
  bool ended_with_error() const { return ended_with_error_; }
  // The terminating ERR's payload (empty unless ended_with_error()).
  std::string_view error_payload() const { return error_payload_; }
  // Last OK / OK(0xFE) / EOF payload seen (copy; for session-state tracking);
  // empty if none.
  std::string_view last_ok_payload() const { return last_ok_payload_; }
  // COM_STMT_PREPARE: the parsed StmtPrepareOk, once seen.
  std::optional<StmtPrepareOk> prepare_ok() const { return prepare_ok_; }
  // COM_STMT_EXECUTE: the response opened a cursor (ended with CURSOR_EXISTS).
  bool cursor_opened() const { return cursor_opened_; }
  // Number of result sets seen (column-count packets) in this response.
  uint32_t result_sets() const { return result_sets_; }
  bool idle() const { return state_ == State::kIdle; }

 private:
  enum class State {
    kIdle,               // no response in progress (before Begin / after kDone)
    kResultStart,        // expect OK | ERR | 0xFB | column count
    kColumnDefs,         // expect remaining_ column definitions
    kColumnDefsEof,      // expect the EOF after the column definitions
    kRows,               // rows until EOF/OK(0xFE) terminator | ERR
    kLocalInfileWait,    // client is sending the file; no backend packet expected
    kPrepareStart,       // expect StmtPrepareOk | ERR
    kPrepareParams,      // expect remaining_ parameter definitions
    kPrepareParamsEof,   // expect the EOF after the parameter definitions
    kPrepareColumns,     // expect remaining_ column definitions
    kPrepareColumnsEof,  // expect the EOF after the column definitions
    kFieldList,          // column defs until terminator | ERR
    kSingle,             // any one packet ends it (STATISTICS, CHANGE_USER)
    kSimple,             // OK | ERR | EOF ends it
  };

  Result<Step> Protocol(std::string_view what);
  Step Finish(bool error);
  Step AfterPrepareParams();
  Step AfterPrepareColumns();
  Step AfterTerminator(std::string_view payload);
  PacketKind OkKind(std::string_view p, size_t frame_len) const;
  PacketKind TerminatorKind(std::string_view p) const;

  State state_ = State::kIdle;
  Command cmd_ = Command::kSleep;
  uint64_t caps_ = 0;
  bool binary_ = false;  // COM_STMT_EXECUTE / BULK_EXECUTE result sets
  uint64_t remaining_ = 0;
  uint16_t final_status_ = 0;
  bool ended_with_error_ = false;
  bool cursor_opened_ = false;
  uint32_t result_sets_ = 0;
  uint64_t column_count_ = 0;
  PacketKind last_kind_ = PacketKind::kOther;
  bool last_is_terminator_ = false;
  std::string last_ok_payload_;
  std::string error_payload_;
  std::optional<StmtPrepareOk> prepare_ok_;
};

}  // namespace shardproxy::protocol
