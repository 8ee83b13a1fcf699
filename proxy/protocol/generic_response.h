// Generic server responses: OK, ERR, EOF, and session-state tracking.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace shardproxy::protocol {

// OK_Packet:
//   int<1>       header: 0x00, or 0xFE when it terminates a result set under
//                CLIENT_DEPRECATE_EOF
//   int<lenenc>  affected_rows
//   int<lenenc>  last_insert_id
//   int<2>       status_flags   (if PROTOCOL_41 or TRANSACTIONS)
//   int<2>       warnings       (if PROTOCOL_41)
//   if more data: string<lenenc> info        (MariaDB and MySQL servers write
//                                             it lenenc with or without SESSION_TRACK)
//   if SESSION_TRACK and status & SERVER_SESSION_STATE_CHANGED:
//                string<lenenc> session_state_info (raw; see ParseSessionState)
// Serialize writes info only when it is non-empty or state info follows (as
// the MariaDB server does).
struct OkPacket {
  uint8_t header = 0x00;
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t status_flags = 0;
  uint16_t warnings = 0;
  std::string info;
  std::string session_state_info;  // contents of the lenenc field, only with SESSION_TRACK

  std::string Serialize(uint64_t caps) const;
  static Result<OkPacket> Parse(std::string_view payload, uint64_t caps);
};

// ERR_Packet:
//   int<1>     0xFF
//   int<2>     error code (0xFFFF = MariaDB progress report, not an error)
//   if PROTOCOL_41: string<1> '#' + string<5> SQLSTATE
//   string<EOF> message
struct ErrPacket {
  uint16_t code = 0;
  std::string sqlstate = "HY000";
  std::string message;

  std::string Serialize(uint64_t caps) const;
  // Without the '#' marker (pre-4.1 or during the handshake) sqlstate is "HY000".
  static Result<ErrPacket> Parse(std::string_view payload, uint64_t caps);
};

// EOF_Packet (only without CLIENT_DEPRECATE_EOF):
//   int<1> 0xFE, int<2> warnings, int<2> status_flags   (PROTOCOL_41)
struct EofPacket {
  uint16_t warnings = 0;
  uint16_t status_flags = 0;

  std::string Serialize() const;
  static Result<EofPacket> Parse(std::string_view payload);
};

// First-byte classification of a packet (give the first frame's payload).
bool IsOk(std::string_view first_frame_payload);   // 0x00 header, >= 7 bytes
bool IsErr(std::string_view first_frame_payload);  // 0xFF header
// 0xFE header and shorter than 0xFFFFFF: an EOF packet or an OK(0xFE) result-set
// terminator (a text row starting with 0xFE is >= 0xFFFFFF bytes long).
bool IsEofOrOkTerminator(std::string_view first_frame_payload);

// Status flags of an OK packet (either header) or an EOF packet, without
// allocating. 0 when malformed.
uint16_t StatusFlagsOf(std::string_view ok_or_eof_payload);

// One entry of the session state info:
//   repeated { int<1> type, string<lenenc> data }
//   data for kSystemVariables: string<lenenc> name, string<lenenc> value (repeated)
//        for kSchema:          string<lenenc> schema            -> value
//        for kStateChange:     string<lenenc> "1"/"0"           -> value
//        for kGtids:           int<1> encoding, string<lenenc> gtids -> value
//        for kTransactionCharacteristics / kTransactionState: string<lenenc> -> value
//        unknown types:        raw data -> value
struct SessionStateChange {
  enum Type : uint8_t {
    kSystemVariables = 0,
    kSchema = 1,
    kStateChange = 2,
    kGtids = 3,
    kTransactionCharacteristics = 4,
    kTransactionState = 5,
  };
  Type type = kSystemVariables;
  std::string name;  // system variable name (kSystemVariables only)
  std::string value;

  bool operator==(const SessionStateChange&) const = default;
};

// raw = OkPacket::session_state_info.
Result<std::vector<SessionStateChange>> ParseSessionState(std::string_view raw);
// Inverse of ParseSessionState.
std::string SerializeSessionState(const std::vector<SessionStateChange>& changes);

// OK payload re-encoded for a client WITHOUT CLIENT_SESSION_TRACK: no state
// info, SERVER_SESSION_STATE_CHANGED cleared, info kept (lenenc, as servers
// write it). Returns the input unchanged if it cannot be parsed.
std::string StripSessionTracking(std::string_view ok_payload, uint64_t backend_caps);

}  // namespace shardproxy::protocol
