#include "proxy/protocol/generic_response.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/err_packet.h"
#include "proxy/protocol/packet.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using namespace testing;  // NOLINT: the builders

constexpr uint64_t kCaps41 = kClientProtocol41 | kClientTransactions;
constexpr uint64_t kCapsTrack = kCaps41 | kClientSessionTrack;

TEST(OkPacketTest, PlainOkBytesAndRoundTrip) {
  OkPacket ok;
  ok.affected_rows = 3;
  ok.last_insert_id = 300;
  ok.status_flags = kServerStatusAutocommit;
  ok.warnings = 1;
  const std::string bytes = OkPayload(3, 300, kServerStatusAutocommit, 1);
  EXPECT_EQ(ok.Serialize(kCaps41), bytes);
  EXPECT_EQ(ok.Serialize(kCapsTrack), bytes);  // no info, no state: nothing after warnings
  auto p = OkPacket::Parse(bytes, kCapsTrack);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->affected_rows, 3u);
  EXPECT_EQ(p->last_insert_id, 300u);
  EXPECT_EQ(p->status_flags, kServerStatusAutocommit);
  EXPECT_EQ(p->warnings, 1);
  EXPECT_TRUE(IsOk(bytes));
  EXPECT_FALSE(IsErr(bytes));
  EXPECT_EQ(StatusFlagsOf(bytes), kServerStatusAutocommit);
}

TEST(OkPacketTest, InfoWithoutSessionTrackIsLenenc) {
  const std::string info = "Records: 3  Duplicates: 0  Warnings: 0";
  const std::string bytes = OkPayload(3, 0, 2, 0, info);
  OkPacket ok;
  ok.affected_rows = 3;
  ok.status_flags = 2;
  ok.info = info;
  EXPECT_EQ(ok.Serialize(kCaps41), bytes);
  auto p = OkPacket::Parse(bytes, kCaps41);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->info, info);
  // The documented string<EOF> form is accepted too.
  auto q = OkPacket::Parse(U8(0) + Lenenc(0) + Lenenc(0) + U16(2) + U16(0) + info, kCaps41);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->info, info);
}

TEST(OkPacketTest, SessionStateRoundTrip) {
  const std::string state =
      U8(1) + LenStr(LenStr("trade")) + U8(0) + LenStr(LenStr("autocommit") + LenStr("OFF"));
  const uint16_t status = kServerStatusInTrans | kServerSessionStateChanged;
  const std::string bytes = OkPayload(0, 0, status, 0, "", state);
  auto p = OkPacket::Parse(bytes, kCapsTrack);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->session_state_info, state);
  EXPECT_EQ(p->Serialize(kCapsTrack), bytes);

  auto changes = ParseSessionState(p->session_state_info);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].type, SessionStateChange::kSchema);
  EXPECT_EQ((*changes)[0].value, "trade");
  EXPECT_EQ((*changes)[1].type, SessionStateChange::kSystemVariables);
  EXPECT_EQ((*changes)[1].name, "autocommit");
  EXPECT_EQ((*changes)[1].value, "OFF");
  EXPECT_EQ(SerializeSessionState(*changes), state);

  // For a client without CLIENT_SESSION_TRACK: no state, flag cleared.
  EXPECT_EQ(StripSessionTracking(bytes, kCapsTrack), OkPayload(0, 0, kServerStatusInTrans, 0));
  // Info survives stripping.
  const std::string with_info = OkPayload(1, 0, status, 0, "Rows matched: 1", state);
  EXPECT_EQ(StripSessionTracking(with_info, kCapsTrack),
            OkPayload(1, 0, kServerStatusInTrans, 0, "Rows matched: 1"));
  // DEPRECATE_EOF terminator keeps its 0xFE header.
  const std::string term = OkPayload(0, 0, status, 0, "", state, 0xFE);
  EXPECT_EQ(StripSessionTracking(term, kCapsTrack),
            OkPayload(0, 0, kServerStatusInTrans, 0, "", std::nullopt, 0xFE));
}

TEST(OkPacketTest, SessionStateAllTypes) {
  const std::string state = U8(2) + LenStr(LenStr("1")) + U8(3) + LenStr(U8(0) + LenStr("0-1-42")) +
                            U8(4) + LenStr(LenStr("SET TRANSACTION READ ONLY;")) + U8(5) +
                            LenStr(LenStr("T_______")) + U8(0) +
                            LenStr(LenStr("a") + LenStr("1") + LenStr("b") + LenStr("2"));
  auto c = ParseSessionState(state);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 6u);
  EXPECT_EQ((*c)[0], (SessionStateChange{SessionStateChange::kStateChange, "", "1"}));
  EXPECT_EQ((*c)[1], (SessionStateChange{SessionStateChange::kGtids, "", "0-1-42"}));
  EXPECT_EQ((*c)[2].value, "SET TRANSACTION READ ONLY;");
  EXPECT_EQ((*c)[3], (SessionStateChange{SessionStateChange::kTransactionState, "", "T_______"}));
  EXPECT_EQ((*c)[4], (SessionStateChange{SessionStateChange::kSystemVariables, "a", "1"}));
  EXPECT_EQ((*c)[5], (SessionStateChange{SessionStateChange::kSystemVariables, "b", "2"}));
  // Truncated entry -> error.
  EXPECT_FALSE(ParseSessionState(state.substr(0, state.size() - 1)).ok());
  EXPECT_FALSE(ParseSessionState(U8(1) + Lenenc(1u << 30) + "x").ok());
}

// What MariaDB 10.11 really sends after `SET autocommit=0` (captured live):
// the state-change flag is the raw byte '1', without an inner length prefix.
TEST(OkPacketTest, SessionStateMariaDbStateChangeForm) {
  const std::string state = U8(0) + LenStr(LenStr("autocommit") + LenStr("OFF")) + U8(2) + LenStr("1");
  auto c = ParseSessionState(state);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0], (SessionStateChange{SessionStateChange::kSystemVariables, "autocommit", "OFF"}));
  EXPECT_EQ((*c)[1], (SessionStateChange{SessionStateChange::kStateChange, "", "1"}));
  EXPECT_EQ(SerializeSessionState(*c), state);
}

TEST(OkPacketTest, MalformedOk) {
  EXPECT_FALSE(OkPacket::Parse("", kCaps41).ok());
  EXPECT_FALSE(OkPacket::Parse(std::string("\x00\x01", 2), kCaps41).ok());
  EXPECT_FALSE(
      OkPacket::Parse(OkPayload(0, 0, kServerSessionStateChanged, 0, "") + "\xFC", kCapsTrack)
          .ok());
  EXPECT_FALSE(OkPacket::Parse(std::string("\x01\x00\x00\x00\x00\x00\x00", 7), kCaps41).ok());
}

TEST(ErrPacketTest, With41) {
  const std::string bytes = ErrPayload(1146, "42S02", "Table 'trade.x' doesn't exist");
  auto e = ErrPacket::Parse(bytes, kCaps41);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->code, 1146);
  EXPECT_EQ(e->sqlstate, "42S02");
  EXPECT_EQ(e->message, "Table 'trade.x' doesn't exist");
  EXPECT_EQ(e->Serialize(kCaps41), bytes);
  EXPECT_TRUE(IsErr(bytes));
}

TEST(ErrPacketTest, Without41) {
  const std::string bytes = ErrPayload320(1045, "Access denied");
  auto e = ErrPacket::Parse(bytes, 0);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->code, 1045);
  EXPECT_EQ(e->sqlstate, "HY000");
  EXPECT_EQ(e->message, "Access denied");
  EXPECT_EQ(e->Serialize(0), bytes);
  // A 4.1 client given an ERR without '#' (e.g. during the handshake).
  auto f = ErrPacket::Parse(bytes, kCaps41);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->message, "Access denied");
  EXPECT_FALSE(ErrPacket::Parse("\xFF\x01", kCaps41).ok());
}

TEST(EofPacketTest, RoundTrip) {
  const std::string bytes = EofPayload(2, kServerStatusAutocommit | kServerMoreResultsExists);
  EofPacket e{2, kServerStatusAutocommit | kServerMoreResultsExists};
  EXPECT_EQ(e.Serialize(), bytes);
  auto p = EofPacket::Parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->warnings, 2);
  EXPECT_EQ(p->status_flags, kServerStatusAutocommit | kServerMoreResultsExists);
  EXPECT_TRUE(IsEofOrOkTerminator(bytes));
  EXPECT_EQ(StatusFlagsOf(bytes), kServerStatusAutocommit | kServerMoreResultsExists);
  EXPECT_FALSE(EofPacket::Parse(OkPayload(0, 0, 2, 0)).ok());
}

TEST(EofPacketTest, DeprecateEofTerminatorVsHugeRow) {
  // OK with 0xFE header (DEPRECATE_EOF): a terminator.
  const std::string term = OkPayload(0, 0, kServerStatusAutocommit, 0, "", std::nullopt, 0xFE);
  EXPECT_TRUE(IsEofOrOkTerminator(term));
  EXPECT_EQ(StatusFlagsOf(term), kServerStatusAutocommit);
  auto ok = OkPacket::Parse(term, kCaps41 | kClientDeprecateEof);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->header, 0xFE);
  EXPECT_EQ(ok->Serialize(kCaps41), term);
  // Longer 0xFE OK (with info and state) is still a terminator.
  std::string long_term = OkPayload(0, 0, kServerSessionStateChanged, 0, std::string(100, 'i'),
                                    U8(1) + LenStr(LenStr("s")), 0xFE);
  EXPECT_TRUE(IsEofOrOkTerminator(long_term));
  // A text row whose first column is >= 16 MiB starts with 0xFE and fills a
  // whole frame: not a terminator.
  std::string row(kMaxFramePayload, 'x');
  row[0] = '\xFE';
  EXPECT_FALSE(IsEofOrOkTerminator(row));
}

TEST(MakeErrPacketTest, WithAndWithoutProtocol41) {
  Status st = Status::Error(errors::kNoDb.code, errors::kNoDb.sqlstate, "No database selected");
  EXPECT_EQ(MakeErrPacket(st, kCaps41), ErrPayload(1046, "3D000", "No database selected"));
  EXPECT_EQ(MakeErrPacket(st, 0), ErrPayload320(1046, "No database selected"));
  // Bad SQLSTATE -> HY000; OK status -> [BUG].
  EXPECT_EQ(MakeErrPacket(Status::Error(1105, "X", "m"), kCaps41), ErrPayload(1105, "HY000", "m"));
  auto bug = ErrPacket::Parse(MakeErrPacket(Status::Ok(), kCaps41), kCaps41);
  ASSERT_TRUE(bug.ok());
  EXPECT_EQ(bug->code, 1105);
  EXPECT_NE(bug->message.find("[BUG]"), std::string::npos);
}

}  // namespace
}  // namespace shardproxy::protocol
