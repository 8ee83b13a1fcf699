// OkFinder: which packets of a backend response are OK packets?
//
// The session must see every OK packet of a response (not only the last) to
// (a) track session state from each one (a multi-statement reports state in
// its intermediate OKs) and (b) strip session-tracking info from them for
// clients without CLIENT_SESSION_TRACK. The first byte alone does not tell: a
// text row whose first column is '' and every binary row also start with 0x00.
// OkFinder follows the response's shape from the first frame of each logical
// packet (like protocol::ResponseTracker, which decides where it ends) and
// says whether that packet is an OK. Pure, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proxy/protocol/command.h"

namespace shardproxy::session {

class OkFinder {
 public:
  // caps: the backend connection's negotiated capabilities.
  void Begin(protocol::Command cmd, uint64_t caps);
  // True if this packet (first frame payload, first frame length) is an OK
  // packet (header 0x00, or 0xFE terminator under DEPRECATE_EOF).
  bool IsOk(std::string_view first_frame_payload, size_t frame_len);
  // The client finished sending a LOCAL INFILE file: the OK | ERR follows.
  void LocalInfileSent() { state_ = State::kResultStart; }

 private:
  enum class State : uint8_t {
    kNone,         // the command's response has no OK worth looking at (PREPARE, STATISTICS, ...)
    kSimple,       // one packet: OK | ERR | EOF (PING, INIT_DB, RESET_CONNECTION, ...)
    kResultStart,  // OK | ERR | LOCAL INFILE | column count (QUERY, EXECUTE)
    kColumnDefs,   // remaining_ column definitions
    kDefsEof,      // the EOF after the definitions (no DEPRECATE_EOF)
    kRows,         // rows until the EOF / OK(0xFE) terminator
    kInfile,       // client sends the file; nothing expected from the backend
  };
  State state_ = State::kNone;
  bool deprecate_eof_ = false;
  bool binary_ = false;  // COM_STMT_EXECUTE: a cursor may end the response after the defs
  uint64_t remaining_ = 0;
};

}  // namespace shardproxy::session
