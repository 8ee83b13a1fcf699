#include "proxy/protocol/generic_response.h"

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/malformed.h"
#include "proxy/protocol/packet.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

using internal::Malformed;

std::string OkPacket::Serialize(uint64_t caps) const {
  std::string out;
  WireWriter w(out);
  w.WriteU8(header);
  w.WriteLenencInt(affected_rows);
  w.WriteLenencInt(last_insert_id);
  uint16_t status = status_flags;
  bool track = (caps & kClientSessionTrack) != 0;
  if (!track) status &= ~kServerSessionStateChanged;
  bool state = track && (status & kServerSessionStateChanged) != 0;
  if (caps & kClientProtocol41) {
    w.WriteU16(status);
    w.WriteU16(warnings);
  } else if (caps & kClientTransactions) {
    w.WriteU16(status);
  }
  if (!info.empty() || state) w.WriteLenencString(info);
  if (state) w.WriteLenencString(session_state_info);
  return out;
}

Result<OkPacket> OkPacket::Parse(std::string_view payload, uint64_t caps) {
  WireReader r(payload);
  OkPacket ok;
  ok.header = r.ReadU8();
  if (!r.ok() || (ok.header != 0x00 && ok.header != 0xFE)) return Malformed("OK header");
  ok.affected_rows = r.ReadLenencInt();
  ok.last_insert_id = r.ReadLenencInt();
  if (caps & kClientProtocol41) {
    ok.status_flags = r.ReadU16();
    ok.warnings = r.ReadU16();
  } else if (caps & kClientTransactions) {
    ok.status_flags = r.ReadU16();
  }
  if (!r.ok()) return Malformed("OK packet truncated");
  if (r.remaining() > 0) {
    if (caps & kClientSessionTrack) {
      ok.info = std::string(r.ReadLenencString());
      if (!r.ok()) return Malformed("OK info");
      if ((ok.status_flags & kServerSessionStateChanged) && r.remaining() > 0) {
        ok.session_state_info = std::string(r.ReadLenencString());
        if (!r.ok()) return Malformed("OK session state info");
      }
    } else {
      // Servers write info as string<lenenc>; the documented string<EOF> is
      // accepted when the bytes do not form exactly one lenenc string.
      WireReader probe(payload.substr(r.position()));
      std::string_view s = probe.ReadLenencString();
      if (probe.ok() && probe.remaining() == 0) {
        ok.info = std::string(s);
      } else {
        ok.info = std::string(r.ReadRest());
      }
    }
  }
  return ok;
}

std::string ErrPacket::Serialize(uint64_t caps) const {
  std::string out;
  WireWriter w(out);
  w.WriteU8(0xFF);
  w.WriteU16(code);
  if (caps & kClientProtocol41) {
    w.WriteU8('#');
    std::string state = sqlstate.size() == 5 ? sqlstate : std::string("HY000");
    w.WriteBytes(state);
  }
  w.WriteBytes(message);
  return out;
}

Result<ErrPacket> ErrPacket::Parse(std::string_view payload, uint64_t caps) {
  WireReader r(payload);
  if (r.ReadU8() != 0xFF) return Malformed("ERR header");
  ErrPacket e;
  e.code = r.ReadU16();
  if (!r.ok()) return Malformed("ERR packet truncated");
  if (e.code == 0xFFFF) {
    // MariaDB progress report: int<1> stage, int<1> max_stage, int<3> progress,
    // string<lenenc> info. Kept raw in message.
    e.sqlstate = "HY000";
    e.message = std::string(r.ReadRest());
    return e;
  }
  if ((caps & kClientProtocol41) && r.PeekU8() == '#' && r.remaining() >= 6) {
    r.Skip(1);
    e.sqlstate = std::string(r.ReadFixed(5));
  } else {
    e.sqlstate = "HY000";
  }
  e.message = std::string(r.ReadRest());
  return e;
}

std::string EofPacket::Serialize() const {
  std::string out;
  WireWriter w(out);
  w.WriteU8(0xFE);
  w.WriteU16(warnings);
  w.WriteU16(status_flags);
  return out;
}

Result<EofPacket> EofPacket::Parse(std::string_view payload) {
  WireReader r(payload);
  if (r.ReadU8() != 0xFE || payload.size() >= 9) return Malformed("EOF header");
  EofPacket e;
  if (r.remaining() == 0) return e;  // pre-4.1 EOF: header only
  e.warnings = r.ReadU16();
  e.status_flags = r.ReadU16();
  if (!r.ok()) return Malformed("EOF packet truncated");
  return e;
}

bool IsOk(std::string_view p) { return p.size() >= 7 && static_cast<uint8_t>(p[0]) == 0x00; }

bool IsErr(std::string_view p) { return !p.empty() && static_cast<uint8_t>(p[0]) == 0xFF; }

bool IsEofOrOkTerminator(std::string_view p) {
  return !p.empty() && static_cast<uint8_t>(p[0]) == 0xFE && p.size() < kMaxFramePayload;
}

uint16_t StatusFlagsOf(std::string_view p) {
  WireReader r(p);
  uint8_t h = r.ReadU8();
  if (!r.ok()) return 0;
  if (h == 0xFE && p.size() < 9) {  // EOF packet
    r.Skip(2);
    uint16_t s = r.ReadU16();
    return r.ok() ? s : 0;
  }
  if (h != 0x00 && h != 0xFE) return 0;
  r.ReadLenencInt();
  r.ReadLenencInt();
  uint16_t s = r.ReadU16();
  return r.ok() ? s : 0;
}

Result<std::vector<SessionStateChange>> ParseSessionState(std::string_view raw) {
  std::vector<SessionStateChange> out;
  WireReader r(raw);
  while (r.ok() && r.remaining() > 0) {
    uint8_t type = r.ReadU8();
    std::string_view data = r.ReadLenencString();
    if (!r.ok()) return Malformed("session state entry");
    WireReader d(data);
    switch (type) {
      case SessionStateChange::kSystemVariables:
        while (d.ok() && d.remaining() > 0) {
          SessionStateChange c;
          c.type = SessionStateChange::kSystemVariables;
          c.name = std::string(d.ReadLenencString());
          c.value = std::string(d.ReadLenencString());
          if (!d.ok()) return Malformed("session state system variable");
          out.push_back(std::move(c));
        }
        break;
      case SessionStateChange::kStateChange: {
        // MariaDB sends the flag as the raw byte '1' (02 01 31); MySQL as a
        // lenenc string (02 02 01 31). Accept both.
        SessionStateChange c;
        c.type = SessionStateChange::kStateChange;
        std::string_view v = d.ReadLenencString();
        c.value = (d.ok() && d.remaining() == 0) ? std::string(v) : std::string(data);
        out.push_back(std::move(c));
        break;
      }
      case SessionStateChange::kSchema:
      case SessionStateChange::kTransactionCharacteristics:
      case SessionStateChange::kTransactionState: {
        SessionStateChange c;
        c.type = static_cast<SessionStateChange::Type>(type);
        c.value = std::string(d.ReadLenencString());
        if (!d.ok()) return Malformed("session state value");
        out.push_back(std::move(c));
        break;
      }
      case SessionStateChange::kGtids: {
        SessionStateChange c;
        c.type = SessionStateChange::kGtids;
        d.ReadU8();  // encoding specification (0 = text)
        c.value = std::string(d.ReadLenencString());
        if (!d.ok()) return Malformed("session state gtids");
        out.push_back(std::move(c));
        break;
      }
      default: {
        SessionStateChange c;
        c.type = static_cast<SessionStateChange::Type>(type);
        c.value = std::string(data);
        out.push_back(std::move(c));
        break;
      }
    }
  }
  if (!r.ok()) return Malformed("session state");
  return out;
}

std::string SerializeSessionState(const std::vector<SessionStateChange>& changes) {
  std::string out;
  WireWriter w(out);
  for (const SessionStateChange& c : changes) {
    std::string data;
    WireWriter d(data);
    switch (c.type) {
      case SessionStateChange::kSystemVariables:
        d.WriteLenencString(c.name);
        d.WriteLenencString(c.value);
        break;
      case SessionStateChange::kStateChange:
        d.WriteBytes(c.value);  // MariaDB's form: the raw flag byte
        break;
      case SessionStateChange::kSchema:
      case SessionStateChange::kTransactionCharacteristics:
      case SessionStateChange::kTransactionState:
        d.WriteLenencString(c.value);
        break;
      case SessionStateChange::kGtids:
        d.WriteU8(0);
        d.WriteLenencString(c.value);
        break;
      default:
        d.WriteBytes(c.value);
        break;
    }
    w.WriteU8(c.type);
    w.WriteLenencString(data);
  }
  return out;
}

std::string StripSessionTracking(std::string_view ok_payload, uint64_t backend_caps) {
  Result<OkPacket> ok = OkPacket::Parse(ok_payload, backend_caps);
  if (!ok.ok()) return std::string(ok_payload);
  ok->status_flags &= ~kServerSessionStateChanged;
  ok->session_state_info.clear();
  return ok->Serialize(backend_caps & ~kClientSessionTrack);
}

}  // namespace shardproxy::protocol
