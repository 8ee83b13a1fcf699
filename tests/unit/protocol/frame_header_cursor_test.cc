#include "proxy/protocol/frame_header_cursor.h"

#include <gtest/gtest.h>

#include "packet_builders.h"

namespace shardproxy::protocol {
namespace {

using testing::FrameBytes;
using testing::U24;
using testing::U8;

TEST(FrameHeaderCursorTest, HeaderKnownBeforePayload) {
  FrameHeaderCursor c;
  EXPECT_FALSE(c.last().has_value());
  c.Feed("GET");
  EXPECT_FALSE(c.last().has_value());
  c.Feed(" ");  // "GET " = length 0x544547, seq 0x20
  ASSERT_TRUE(c.last().has_value());
  EXPECT_EQ(c.last()->length, 0x544547u);
  EXPECT_EQ(c.last()->seq, 0x20);
  EXPECT_TRUE(c.last()->first);
}

TEST(FrameHeaderCursorTest, FollowsFramesFedByteByByte) {
  std::string s = FrameBytes(0, "\x03SELECT 1") + FrameBytes(0, "\x0e") + U24(100) + U8(7);
  FrameHeaderCursor c;
  std::vector<uint8_t> seqs;
  for (char ch : s) {
    auto before = c.last();
    c.Feed(std::string_view(&ch, 1));
    if (c.last().has_value() &&
        (!before || before->length != c.last()->length || before->seq != c.last()->seq))
      seqs.push_back(c.last()->seq);
  }
  ASSERT_TRUE(c.last().has_value());
  EXPECT_EQ(c.last()->length, 100u);
  EXPECT_EQ(c.last()->seq, 7);
  EXPECT_EQ(seqs.size(), 3u);
}

TEST(FrameHeaderCursorTest, ContinuationFrameIsNotFirst) {
  FrameHeaderCursor c;
  c.Feed(U24(0xFFFFFF) + U8(0));
  c.Feed(std::string(0xFFFFFF, 'x'));
  c.Feed(U24(5) + U8(1));
  ASSERT_TRUE(c.last().has_value());
  EXPECT_FALSE(c.last()->first);
  EXPECT_EQ(c.last()->seq, 1);
  c.Feed("abcde");
  c.Feed(U24(1) + U8(0));
  EXPECT_TRUE(c.last()->first);
}

}  // namespace
}  // namespace shardproxy::protocol
