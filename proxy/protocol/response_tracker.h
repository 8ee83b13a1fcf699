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
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "proxy/protocol/command.h"

namespace shardproxy::protocol {

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

  State state_ = State::kIdle;
  Command cmd_ = Command::kSleep;
  uint64_t caps_ = 0;
  bool binary_ = false;  // COM_STMT_EXECUTE / BULK_EXECUTE result sets
  uint64_t remaining_ = 0;
  uint16_t final_status_ = 0;
  bool ended_with_error_ = false;
  bool cursor_opened_ = false;
  uint32_t result_sets_ = 0;
  std::string last_ok_payload_;
  std::string error_payload_;
  std::optional<StmtPrepareOk> prepare_ok_;
};

}  // namespace shardproxy::protocol
