// MySQL packet framing.
//
// Wire layout of one frame:
//   int<3> payload_length   (0 .. 0xFFFFFF)
//   int<1> sequence_id
//   payload_length bytes
// A logical packet of >= 0xFFFFFF bytes is split into frames of exactly
// 0xFFFFFF bytes followed by a final frame of < 0xFFFFFF bytes (possibly empty:
// a payload of exactly k*0xFFFFFF bytes ends with an empty frame).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::protocol {

inline constexpr size_t kMaxFramePayload = 0xFFFFFF;
inline constexpr size_t kFrameHeaderSize = 4;

// One wire frame. Views point into the framer's buffer.
struct Frame {
  uint8_t seq = 0;
  std::string_view payload;  // payload bytes of this frame only
  std::string_view raw;      // 4-byte header + payload, for relaying verbatim
  bool first = true;         // first frame of a logical packet
  bool last = true;          // payload length < 0xFFFFFF: the logical packet ends here
};

// One logical packet (continuation frames joined).
struct Packet {
  uint8_t seq = 0;  // sequence id of the packet's LAST frame
  std::string_view payload;
};

// Input-side framer, one per connection direction. Sans-I/O: the caller reads
// from its socket into PrepareWrite() and calls Commit(), then drains frames or
// packets. Use either NextFrame() or NextPacket() on one framer, not both
// interleaved within one logical packet.
//
// max_packet bounds the size of a LOGICAL packet (joined payload), checked as
// soon as a frame header is seen, on both NextFrame and NextPacket: exceeding it
// returns ERR 1153 (errors::kNetPacketTooLarge) and the framer is dead (every
// later call returns the same error). A continuation frame whose sequence id is
// not the previous frame's + 1 returns ERR 1156 (packets out of order), also fatal.
class PacketFramer {
 public:
  explicit PacketFramer(size_t max_packet);

  // Returns a writable span of at least min_bytes (maybe more) at the end of
  // the buffered data. Invalidates views returned earlier.
  std::span<char> PrepareWrite(size_t min_bytes);
  // Marks n bytes of the last PrepareWrite span as filled.
  void Commit(size_t n);
  // Copying convenience: PrepareWrite + memcpy + Commit.
  void Feed(std::string_view bytes);

  // Next whole frame, or nullopt if more bytes are needed. Views stay valid
  // until the next PrepareWrite/Feed/NextFrame/NextPacket call.
  Result<std::optional<Frame>> NextFrame();
  // Next logical packet, continuations joined (in an internal buffer when the
  // packet spans frames; zero-copy otherwise). Same view lifetime as NextFrame.
  Result<std::optional<Packet>> NextPacket();

  // Bytes received but not yet returned as frames.
  size_t buffered() const { return end_ - begin_; }
  size_t max_packet() const { return max_packet_; }
  bool dead() const { return !error_.ok(); }

 private:
  void Compact();

  size_t max_packet_;
  std::string buf_;  // bytes [begin_, end_) are unread
  size_t begin_ = 0;
  size_t end_ = 0;
  // Logical-packet state across frames.
  bool in_continuation_ = false;  // the previous frame was exactly 0xFFFFFF bytes
  uint8_t last_seq_ = 0;
  size_t logical_size_ = 0;  // payload bytes of the current logical packet so far
  std::string joined_;       // NextPacket's join buffer
  bool joining_ = false;
  Status error_;  // sticky fatal error
};

// Appends payload as one logical packet: frame header(s) + payload, split at
// 0xFFFFFF with a trailing empty frame when the payload is an exact multiple of
// 0xFFFFFF (including an empty payload -> one empty frame). *seq is the id of
// the first frame and is advanced past the frames written.
void AppendPacket(std::string* out, uint8_t* seq, std::string_view payload);

}  // namespace shardproxy::protocol
