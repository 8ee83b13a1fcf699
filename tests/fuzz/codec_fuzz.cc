// libFuzzer target over the sans-I/O codec: every parser and the framer /
// response tracker fed arbitrary bytes must return a Status, never crash,
// overread or allocate from a claimed length.
//
// Input layout: byte 0 selects capabilities, byte 1 selects a chunk size for
// the framer, the rest is the data.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/column_definition.h"
#include "proxy/protocol/command.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/handshake.h"
#include "proxy/protocol/packet.h"
#include "proxy/protocol/response_tracker.h"
#include "proxy/protocol/stmt_execute.h"

namespace sp = shardproxy::protocol;

namespace {

uint64_t CapsFrom(uint8_t sel) {
  uint64_t caps = sp::kClientProtocol41 | sp::kClientTransactions | sp::kClientMultiResults |
                  sp::kClientPsMultiResults | sp::kClientSecureConnection | sp::kClientPluginAuth;
  if (sel & 1) caps |= sp::kClientDeprecateEof;
  if (sel & 2) caps |= sp::kClientSessionTrack;
  if (sel & 4) caps |= sp::kMariaDbClientCacheMetadata;
  if (sel & 8) caps |= sp::kMariaDbClientExtendedMetadata;
  if (sel & 16) caps |= sp::kMariaDbClientProgress;
  if (sel & 32) caps |= sp::kClientConnectAttrs | sp::kClientPluginAuthLenencClientData;
  if (sel & 64) caps &= ~sp::kClientProtocol41;
  return caps;
}

void FuzzParsers(std::string_view data, uint64_t caps) {
  (void)sp::InitialHandshake::Parse(data);
  if (auto r = sp::HandshakeResponse::Parse(data); r.ok()) {
    // Whatever parsed must serialize and parse again.
    std::string again = r->Serialize();
    (void)sp::HandshakeResponse::Parse(again);
  }
  (void)sp::AuthSwitchRequest::Parse(data);
  (void)sp::AuthMoreData::Parse(data);
  if (auto ok = sp::OkPacket::Parse(data, caps); ok.ok()) {
    (void)sp::ParseSessionState(ok->session_state_info);
    (void)sp::OkPacket::Parse(ok->Serialize(caps), caps);
  }
  (void)sp::StripSessionTracking(data, caps);
  (void)sp::ErrPacket::Parse(data, caps);
  (void)sp::EofPacket::Parse(data);
  (void)sp::StatusFlagsOf(data);
  (void)sp::ParseSessionState(data);
  if (auto c = sp::ColumnDefinition41::Parse(data, caps); c.ok()) {
    (void)sp::ColumnDefinition41::Parse(c->Serialize(caps), caps);
  }
  (void)sp::ChangeUserRequest::Parse(data, caps);
  (void)sp::StmtPrepareOk::Parse(data);
  (void)sp::StmtIdOf(data);
  // COM_STMT_EXECUTE: 0..31 params (count from the last byte), remembered types
  // all LONGLONG, every third param sent as long data. Whatever parses must
  // re-encode with types and parse back to the same bytes.
  if (!data.empty()) {
    const uint16_t n = static_cast<uint8_t>(data.back()) % 32;
    const std::vector<sp::ParamType> types(n, {sp::kTypeLongLong, 0});
    bool long_data[32] = {};
    for (size_t i = 0; i < n; i += 3) long_data[i] = true;
    const std::span<const bool> ld(long_data, n);
    if (auto e = sp::StmtExecute::Parse(data, n, types, ld); e.ok()) {
      for (const auto& p : e->params) (void)sp::ParamAsText(p);
      const std::string again = e->SerializeWithTypes(e->statement_id + 1);
      auto e2 = sp::StmtExecute::Parse(again, n, {}, ld);
      if (!e2.ok() || e2->Serialize() != again) __builtin_trap();
    }
  }
}

void FuzzFramerAndTracker(std::string_view data, size_t chunk, uint64_t caps) {
  sp::PacketFramer framer(1 << 16);
  sp::ResponseTracker tracker;
  // The first payload byte of the first packet picks the command.
  bool begun = false;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t n = std::min(chunk, data.size() - pos);
    framer.Feed(data.substr(pos, n));
    pos += n;
    while (true) {
      auto p = framer.NextPacket();
      if (!p.ok() || !p->has_value()) break;
      std::string_view payload = (*p)->payload;
      FuzzParsers(payload, caps);
      if (!begun || tracker.idle()) {
        uint8_t cmd = payload.empty() ? 0x03 : static_cast<uint8_t>(payload[0]);
        if (tracker.Begin(static_cast<sp::Command>(cmd), caps, payload) ==
            sp::ResponseTracker::Step::kNone) {
          continue;
        }
        begun = true;
        continue;
      }
      auto step = tracker.OnPacket(payload, payload.size());
      if (step.ok() && *step == sp::ResponseTracker::Step::kLocalInfile) tracker.LocalInfileSent();
      (void)tracker.final_status();
      (void)tracker.last_ok_payload();
      (void)tracker.prepare_ok();
    }
    if (framer.dead()) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 2) return 0;
  const uint64_t caps = CapsFrom(bytes[0]);
  const size_t chunk = static_cast<size_t>(bytes[1]) + 1;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 2, size - 2);
  FuzzParsers(data, caps);
  FuzzFramerAndTracker(data, chunk, caps);
  // Frame-level path too (relaying without joining).
  sp::PacketFramer frames(1 << 16);
  frames.Feed(data);
  while (true) {
    auto f = frames.NextFrame();
    if (!f.ok() || !f->has_value()) break;
  }
  return 0;
}
