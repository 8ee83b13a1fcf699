// ResultSetWriter: byte-exact against layouts written out by hand.
#include "proxy/protocol/resultset_writer.h"

#include <gtest/gtest.h>

#include "packet_builders.h"
#include "proxy/protocol/capabilities.h"

namespace shardproxy::protocol {
namespace {

using namespace testing;  // NOLINT (packet builders)

// ColumnDefinition41 of a VAR_STRING utf8mb4 column, by hand.
std::string TextColumnBytes(std::string_view name, uint32_t len) {
  return LenStr("def") + LenStr("") + LenStr("") + LenStr("") + LenStr(name) + LenStr("") +
         Lenenc(0x0C) + U16(45) + U32(len) + U8(253) + U16(0) + U8(39) + U16(0);
}

TEST(ResultSetWriterTest, DeprecateEofTwoColumnsTwoRowsWithNull) {
  const uint64_t caps = kClientProtocol41 | kClientDeprecateEof;
  std::string out;
  ResultSetWriter w(&out, caps, 1);
  std::vector<ColumnDefinition41> cols = {TextColumn("group", 64), TextColumn("sql", 1000)};
  w.Begin(cols, kServerStatusAutocommit);
  w.Row({"g0", "SELECT 1"});
  w.Row({std::nullopt, ""});
  w.End(kServerStatusAutocommit);
  EXPECT_EQ(w.seq(), 7);

  std::string want = FrameBytes(1, Lenenc(2)) + FrameBytes(2, TextColumnBytes("group", 256)) +
                     FrameBytes(3, TextColumnBytes("sql", 4000)) +
                     FrameBytes(4, LenStr("g0") + LenStr("SELECT 1")) +
                     FrameBytes(5, "\xFB" + LenStr("")) +
                     FrameBytes(6, OkPayload(0, 0, kServerStatusAutocommit, 0, {}, std::nullopt,
                                             /*header=*/0xFE));
  EXPECT_EQ(out, want);
}

TEST(ResultSetWriterTest, ClassicEofFramesIntermediateAndFinalEof) {
  const uint64_t caps = kClientProtocol41;
  std::string out;
  ResultSetWriter w(&out, caps, 1);
  std::vector<ColumnDefinition41> cols = {UnsignedIntColumn("CONNECTION_ID()")};
  const uint16_t status = kServerStatusAutocommit | kServerStatusInTrans;
  w.Begin(cols, status);
  w.Row({"42"});
  w.End(status, 3);
  std::string coldef = LenStr("def") + LenStr("") + LenStr("") + LenStr("") +
                       LenStr("CONNECTION_ID()") + LenStr("") + Lenenc(0x0C) + U16(63) + U32(10) +
                       U8(3) + U16(1 | 32 | 128) + U8(0) + U16(0);
  std::string want = FrameBytes(1, Lenenc(1)) + FrameBytes(2, coldef) +
                     FrameBytes(3, U8(0xFE) + U16(0) + U16(status)) + FrameBytes(4, LenStr("42")) +
                     FrameBytes(5, U8(0xFE) + U16(3) + U16(status));
  EXPECT_EQ(out, want);
  EXPECT_EQ(w.seq(), 6);
}

TEST(ResultSetWriterTest, LongValueUsesThreeByteLenenc) {
  std::string v(70000, 'x');
  std::optional<std::string_view> vals[] = {std::string_view(v)};
  EXPECT_EQ(TextRowPayload(vals), "\xFD" + U24(70000) + v);
  EXPECT_EQ(protocol::ColumnCountPayload(300), "\xFC" + U16(300));
}

TEST(ResultSetWriterTest, EndPayloadFollowsCaps) {
  EXPECT_EQ(ResultSetEndPayload(kClientProtocol41, 2, 1), U8(0xFE) + U16(1) + U16(2));
  EXPECT_EQ(ResultSetEndPayload(kClientProtocol41 | kClientDeprecateEof, 2, 1),
            OkPayload(0, 0, 2, 1, {}, std::nullopt, 0xFE));
}

}  // namespace
}  // namespace shardproxy::protocol
