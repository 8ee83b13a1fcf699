#include "proxy/protocol/wire.h"

#include <gtest/gtest.h>

#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using testing::Lenenc;
using testing::LenStr;

TEST(WireTest, FixedIntegersLittleEndian) {
  std::string bytes(
      "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
      "\x11\x12\x13\x14\x15\x16\x17\x18",
      24);
  WireReader r(bytes);
  EXPECT_EQ(r.ReadU8(), 0x01);
  EXPECT_EQ(r.ReadU16(), 0x0302);
  EXPECT_EQ(r.ReadU24(), 0x060504u);
  EXPECT_EQ(r.ReadU32(), 0x0a090807u);
  EXPECT_EQ(r.ReadU48(), 0x100f0e0d0c0bull);
  EXPECT_EQ(r.ReadU64(), 0x1817161514131211ull);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(r.ReadU8(), 0);
  EXPECT_FALSE(r.ok());

  std::string out;
  WireWriter w(out);
  w.WriteU8(0x01);
  w.WriteU16(0x0302);
  w.WriteU24(0x060504);
  w.WriteU32(0x0a090807);
  w.WriteU48(0x100f0e0d0c0bull);
  w.WriteU64(0x1817161514131211ull);
  EXPECT_EQ(out, bytes);
}

// Every prefix boundary: 250/251, 0xFFFF/0x10000, 0xFFFFFF/0x1000000, max.
TEST(WireTest, LenencIntegerBoundaries) {
  struct Case {
    uint64_t v;
    std::string bytes;
  };
  const Case cases[] = {
      {0, std::string("\x00", 1)},
      {250, "\xFA"},
      {251, std::string("\xFC\xFB\x00", 3)},
      {0xFFFF, "\xFC\xFF\xFF"},
      {0x10000, std::string("\xFD\x00\x00\x01", 4)},
      {0xFFFFFF, "\xFD\xFF\xFF\xFF"},
      {0x1000000, std::string("\xFE\x00\x00\x00\x01\x00\x00\x00\x00", 9)},
      {UINT64_MAX, "\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.v);
    std::string out;
    WireWriter(out).WriteLenencInt(c.v);
    EXPECT_EQ(out, c.bytes);
    EXPECT_EQ(out, Lenenc(c.v));
    EXPECT_EQ(LenencIntSize(c.v), c.bytes.size());
    WireReader r(c.bytes);
    EXPECT_EQ(r.ReadLenencInt(), c.v);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.remaining(), 0u);
    // Every truncation of the encoding is an error, never a partial value.
    for (size_t n = 0; n < c.bytes.size(); ++n) {
      WireReader t(std::string_view(c.bytes).substr(0, n));
      EXPECT_EQ(t.ReadLenencInt(), 0u);
      EXPECT_FALSE(t.ok());
    }
  }
}

TEST(WireTest, LenencIntegerBadPrefixes) {
  for (const char* bad : {"\xFB", "\xFF"}) {
    WireReader r(bad);
    EXPECT_EQ(r.ReadLenencInt(), 0u);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.ReadU8(), 0u);  // sticky
  }
}

TEST(WireTest, LenencStringsAtEveryBoundary) {
  for (size_t len : {size_t{0}, size_t{1}, size_t{250}, size_t{251}, size_t{0xFFFF},
                     size_t{0x10000}, size_t{0xFFFFFF}, size_t{0x1000000}}) {
    SCOPED_TRACE(len);
    std::string s(len, 'x');
    if (len > 0) s[len - 1] = 'y';
    std::string out;
    WireWriter(out).WriteLenencString(s);
    EXPECT_EQ(out, LenStr(s));
    out += "tail";
    WireReader r(out);
    std::string_view got = r.ReadLenencString();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(got.size(), len);
    EXPECT_TRUE(got == s);
    EXPECT_EQ(r.ReadRest(), "tail");
    // One byte short: an error, not a short string.
    WireReader t(std::string_view(out).substr(0, out.size() - 5));
    EXPECT_TRUE(t.ReadLenencString().empty());
    EXPECT_FALSE(t.ok());
  }
}

TEST(WireTest, LenencStringClaimingOneGibWithTenBytesIsAnError) {
  std::string bytes = Lenenc(1ull << 30) + "0123456789";
  WireReader r(bytes);
  std::string_view s = r.ReadLenencString();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(r.remaining(), 0u);
  // Same for an 8-byte length near 2^64 (no overflow in the bounds check).
  std::string huge = Lenenc(UINT64_MAX) + "x";
  WireReader h(huge);
  EXPECT_TRUE(h.ReadLenencString().empty());
  EXPECT_FALSE(h.ok());
}

TEST(WireTest, NulStrings) {
  std::string bytes("abc\0def", 7);
  WireReader r(bytes);
  EXPECT_EQ(r.ReadNulString(), "abc");
  EXPECT_EQ(r.ReadNulStringOrRest(), "def");
  EXPECT_TRUE(r.ok());
  WireReader bad("abc");
  EXPECT_EQ(bad.ReadNulString(), "");
  EXPECT_FALSE(bad.ok());
  std::string out;
  WireWriter(out).WriteNulString("abc");
  EXPECT_EQ(out, std::string("abc\0", 4));
}

TEST(WireTest, FixedAndSkipPastEnd) {
  WireReader r("abcd");
  EXPECT_EQ(r.ReadFixed(2), "ab");
  r.Skip(3);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.ReadRest(), "");
  EXPECT_EQ(r.remaining(), 0u);
}

}  // namespace
}  // namespace shardproxy::protocol
