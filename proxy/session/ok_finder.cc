#include "proxy/session/ok_finder.h"

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/packet.h"

namespace shardproxy::session {

namespace {
using protocol::Command;

uint16_t U16At(std::string_view p, size_t off) {
  if (p.size() < off + 2) return 0;
  return static_cast<uint16_t>(static_cast<uint8_t>(p[off]) |
                               (static_cast<uint8_t>(p[off + 1]) << 8));
}

// Reads a lenenc int at the start of p; false if malformed/short.
bool LenencAt(std::string_view p, uint64_t* v) {
  if (p.empty()) return false;
  uint8_t b = static_cast<uint8_t>(p[0]);
  size_t n;
  if (b < 0xFB) {
    *v = b;
    return true;
  } else if (b == 0xFC) {
    n = 2;
  } else if (b == 0xFD) {
    n = 3;
  } else if (b == 0xFE) {
    n = 8;
  } else {
    return false;
  }
  if (p.size() < 1 + n) return false;
  uint64_t r = 0;
  for (size_t i = 0; i < n; ++i)
    r |= static_cast<uint64_t>(static_cast<uint8_t>(p[1 + i])) << (8 * i);
  *v = r;
  return true;
}

// Status flags of an OK payload: header, lenenc affected rows, lenenc insert id, int<2> status.
uint16_t OkStatus(std::string_view p) {
  if (p.size() < 7) return 0;
  std::string_view rest = p.substr(1);
  for (int i = 0; i < 2; ++i) {
    uint64_t v;
    if (!LenencAt(rest, &v)) return 0;
    uint8_t b = static_cast<uint8_t>(rest[0]);
    size_t n = b < 0xFB ? 1 : b == 0xFC ? 3 : b == 0xFD ? 4 : 9;
    rest = rest.substr(n);
  }
  return U16At(rest, 0);
}
}  // namespace

void OkFinder::Begin(Command cmd, uint64_t caps) {
  deprecate_eof_ = (caps & protocol::kClientDeprecateEof) != 0;
  binary_ = false;
  remaining_ = 0;
  switch (cmd) {
    case Command::kQuery:
      state_ = State::kResultStart;
      break;
    case Command::kStmtExecute:
      binary_ = true;
      state_ = State::kResultStart;
      break;
    case Command::kStmtFetch:
      state_ = State::kRows;
      break;
    case Command::kInitDb:
    case Command::kPing:
    case Command::kResetConnection:
    case Command::kProcessKill:
    case Command::kStmtReset:
    case Command::kRefresh:
    case Command::kSetOption:
    case Command::kChangeUser:
      state_ = State::kSimple;
      break;
    default:
      state_ = State::kNone;  // PREPARE, FIELD_LIST, STATISTICS, no-response commands
      break;
  }
}

bool OkFinder::IsOk(std::string_view p, size_t frame_len) {
  if (p.empty()) return false;
  const uint8_t h = static_cast<uint8_t>(p[0]);
  const bool whole = frame_len < protocol::kMaxFramePayload;
  switch (state_) {
    case State::kNone:
    case State::kInfile:
      return false;
    case State::kSimple:
      state_ = State::kNone;
      return h == 0x00 && whole && p.size() >= 7;
    case State::kResultStart: {
      if (h == 0x00 && whole && p.size() >= 7) {
        if (!(OkStatus(p) & protocol::kServerMoreResultsExists)) state_ = State::kNone;
        return true;
      }
      if (h == 0xFF) {
        state_ = State::kNone;
        return false;
      }
      if (h == 0xFB) {
        state_ = State::kInfile;
        return false;
      }
      uint64_t n = 0;
      if (!LenencAt(p, &n) || n == 0) {
        state_ = State::kNone;  // let the ResponseTracker report the protocol error
        return false;
      }
      remaining_ = n;
      state_ = State::kColumnDefs;
      return false;
    }
    case State::kColumnDefs:
      if (h == 0xFF) {
        state_ = State::kNone;
        return false;
      }
      if (--remaining_ == 0) state_ = deprecate_eof_ ? State::kRows : State::kDefsEof;
      return false;
    case State::kDefsEof:
      // EOF: a binary response opened a cursor and ends here; otherwise rows.
      if (h == 0xFE && binary_ && (U16At(p, 3) & protocol::kServerStatusCursorExists)) {
        state_ = State::kNone;
        return false;
      }
      state_ = h == 0xFF ? State::kNone : State::kRows;
      return false;
    case State::kRows:
      if (h == 0xFF) {
        state_ = State::kNone;
        return false;
      }
      if (h == 0xFE && whole && p.size() < 0xFFFFFF) {
        // The terminator: OK(0xFE) under DEPRECATE_EOF (>= 7 bytes), else EOF (5 bytes).
        bool is_ok = deprecate_eof_ && p.size() >= 7;
        uint16_t status = is_ok ? OkStatus(p) : U16At(p, 3);
        state_ = (status & protocol::kServerMoreResultsExists) ? State::kResultStart : State::kNone;
        return is_ok;
      }
      return false;  // a row
  }
  return false;
}

}  // namespace shardproxy::session
