#include "proxy/protocol/packet.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "common/errors.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using testing::FrameBytes;

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 0xFF);
  return s;
}

// Expected frames for a payload, built by hand: full 0xFFFFFF frames then the
// remainder (possibly empty).
std::string ExpectedFrames(const std::string& payload, uint8_t seq) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t n = std::min(payload.size() - pos, kMaxFramePayload);
    out += FrameBytes(seq++, std::string_view(payload).substr(pos, n));
    pos += n;
    if (n < kMaxFramePayload) return out;
  }
}

TEST(AppendPacketTest, SmallAndEmpty) {
  std::string out;
  uint8_t seq = 3;
  AppendPacket(&out, &seq, "\x0e");
  AppendPacket(&out, &seq, "");
  EXPECT_EQ(out, std::string("\x01\x00\x00\x03\x0e\x00\x00\x00\x04", 9));
  EXPECT_EQ(seq, 5);
}

class BoundaryTest : public ::testing::TestWithParam<size_t> {};

TEST_P(BoundaryTest, AppendThenFrameRoundTrip) {
  const size_t size = GetParam();
  const std::string payload = Pattern(size);
  std::string wire;
  uint8_t seq = 0xFE;  // sequence ids wrap at 256
  AppendPacket(&wire, &seq, payload);
  const std::string expected = ExpectedFrames(payload, 0xFE);
  ASSERT_EQ(wire.size(), expected.size());
  EXPECT_TRUE(wire == expected);
  const size_t frames = size / kMaxFramePayload + 1;
  EXPECT_EQ(seq, static_cast<uint8_t>(0xFE + frames));

  // Whole packet in one huge chunk, with a small packet behind it.
  {
    PacketFramer f(64u << 20);
    std::string more = wire;
    uint8_t s2 = seq;
    AppendPacket(&more, &s2, "next");
    f.Feed(more);
    auto p = f.NextPacket();
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ASSERT_TRUE(p->has_value());
    EXPECT_EQ((*p)->payload.size(), size);
    EXPECT_TRUE((*p)->payload == payload);
    EXPECT_EQ((*p)->seq, static_cast<uint8_t>(seq - 1));
    auto n = f.NextPacket();
    ASSERT_TRUE(n.ok() && n->has_value());
    EXPECT_EQ((*n)->payload, "next");
    EXPECT_EQ(f.buffered(), 0u);
  }
  // Frame by frame, fed through PrepareWrite/Commit in odd-sized chunks.
  {
    PacketFramer f(64u << 20);
    size_t pos = 0, seen_frames = 0, total = 0;
    bool done = false;
    while (!done) {
      size_t chunk = std::min<size_t>(4093, wire.size() - pos);
      if (chunk > 0) {
        std::span<char> w = f.PrepareWrite(chunk);
        ASSERT_GE(w.size(), chunk);
        std::memcpy(w.data(), wire.data() + pos, chunk);
        f.Commit(chunk);
        pos += chunk;
      }
      while (true) {
        auto fr = f.NextFrame();
        ASSERT_TRUE(fr.ok());
        if (!fr->has_value()) break;
        const Frame& frame = **fr;
        EXPECT_EQ(frame.first, seen_frames == 0);
        EXPECT_EQ(frame.raw.size(), frame.payload.size() + 4);
        EXPECT_TRUE(frame.payload == std::string_view(payload).substr(total, frame.payload.size()));
        total += frame.payload.size();
        ++seen_frames;
        if (frame.last) done = true;
      }
      ASSERT_TRUE(done || pos < wire.size());
    }
    EXPECT_EQ(seen_frames, frames);
    EXPECT_EQ(total, size);
  }
}

INSTANTIATE_TEST_SUITE_P(SixteenMiB, BoundaryTest,
                         ::testing::Values(size_t{0}, size_t{1}, kMaxFramePayload - 1,
                                           kMaxFramePayload, kMaxFramePayload + 1,
                                           2 * kMaxFramePayload));

TEST(PacketFramerTest, ExactFramePayloadNeedsTrailingEmptyFrame) {
  std::string payload = Pattern(kMaxFramePayload);
  PacketFramer f(64u << 20);
  f.Feed(FrameBytes(0, payload));
  auto p = f.NextPacket();
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());  // waits for the terminating empty frame
  f.Feed(FrameBytes(1, ""));
  p = f.NextPacket();
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->payload.size(), kMaxFramePayload);
  EXPECT_EQ((*p)->seq, 1);
}

TEST(PacketFramerTest, OneByteAtATime) {
  std::string wire;
  uint8_t seq = 0;
  std::vector<std::string> payloads = {"", "a", Pattern(250), Pattern(70000), "end"};
  for (const auto& p : payloads) AppendPacket(&wire, &seq, p);
  PacketFramer f(1 << 20);
  size_t got = 0;
  for (char c : wire) {
    f.Feed(std::string_view(&c, 1));
    auto p = f.NextPacket();
    ASSERT_TRUE(p.ok());
    if (p->has_value()) {
      ASSERT_LT(got, payloads.size());
      EXPECT_TRUE((*p)->payload == payloads[got]);
      EXPECT_EQ((*p)->seq, got);
      ++got;
    }
  }
  EXPECT_EQ(got, payloads.size());
}

TEST(PacketFramerTest, MultiFramePacketOneByteAtATime) {
  const std::string payload = Pattern(kMaxFramePayload + 1);
  std::string wire;
  uint8_t seq = 0;
  AppendPacket(&wire, &seq, payload);
  PacketFramer f(32u << 20);
  int packets = 0;
  for (size_t i = 0; i < wire.size(); ++i) {
    f.Feed(std::string_view(wire).substr(i, 1));
    auto p = f.NextPacket();
    ASSERT_TRUE(p.ok());
    if (p->has_value()) {
      EXPECT_EQ(i, wire.size() - 1);
      EXPECT_TRUE((*p)->payload == payload);
      ++packets;
    }
  }
  EXPECT_EQ(packets, 1);
}

Status ExpectTooLarge(const Status& st) {
  EXPECT_EQ(st.code(), errors::kNetPacketTooLarge.code);
  EXPECT_EQ(st.sqlstate(), errors::kNetPacketTooLarge.sqlstate);
  return st;
}

TEST(PacketFramerTest, MaxPacketEnforced) {
  PacketFramer ok(1024);
  ok.Feed(FrameBytes(0, std::string(1024, 'x')));
  auto p = ok.NextPacket();
  ASSERT_TRUE(p.ok() && p->has_value());  // exactly max_packet is allowed

  PacketFramer f(1024);
  f.Feed(testing::U24(1025) + testing::U8(0));  // header alone is enough
  auto r = f.NextPacket();
  ASSERT_FALSE(r.ok());
  ExpectTooLarge(r.status());
  EXPECT_TRUE(f.dead());
  f.Feed(std::string(1025, 'x'));
  ExpectTooLarge(f.NextPacket().status());  // dead: stays an error
  ExpectTooLarge(f.NextFrame().status());
}

TEST(PacketFramerTest, MaxPacketCountsJoinedFrames) {
  // Limit just above one frame: the second frame's header pushes it over.
  PacketFramer f(kMaxFramePayload + 10);
  f.Feed(FrameBytes(0, std::string(kMaxFramePayload, 'x')));
  f.Feed(testing::U24(11) + testing::U8(1));
  auto r = f.NextPacket();
  ASSERT_FALSE(r.ok());
  ExpectTooLarge(r.status());

  // Frame path too.
  PacketFramer g(kMaxFramePayload + 10);
  g.Feed(FrameBytes(0, std::string(kMaxFramePayload, 'x')));
  g.Feed(testing::U24(10) + testing::U8(1) + std::string(10, 'y'));
  auto a = g.NextFrame();
  ASSERT_TRUE(a.ok() && a->has_value());
  auto b = g.NextFrame();
  ASSERT_TRUE(b.ok() && b->has_value());  // exactly the limit
  EXPECT_TRUE((*b)->last);
}

TEST(PacketFramerTest, ContinuationOutOfOrder) {
  PacketFramer f(64u << 20);
  f.Feed(FrameBytes(0, std::string(kMaxFramePayload, 'x')));
  f.Feed(FrameBytes(5, "y"));
  auto r = f.NextPacket();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), errors::kNetPacketsOutOfOrder.code);
}

TEST(PacketFramerTest, RawIsHeaderPlusPayload) {
  PacketFramer f(1024);
  std::string bytes = FrameBytes(7, "hello");
  f.Feed(bytes);
  auto fr = f.NextFrame();
  ASSERT_TRUE(fr.ok() && fr->has_value());
  EXPECT_EQ((*fr)->raw, bytes);
  EXPECT_EQ((*fr)->payload, "hello");
  EXPECT_EQ((*fr)->seq, 7);
  EXPECT_TRUE((*fr)->first);
  EXPECT_TRUE((*fr)->last);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(PacketFramerTest, PartialHeaderWaits) {
  PacketFramer f(1024);
  f.Feed(std::string("\x05\x00", 2));
  auto r = f.NextFrame();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(f.buffered(), 2u);
  f.Feed(
      std::string("\x00\x01"
                  "abcde",
                  7));
  r = f.NextFrame();
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->payload, "abcde");
}

}  // namespace
}  // namespace shardproxy::protocol
