// FrameHeaderCursor: follows frame boundaries over a byte stream, so the
// header of the frame being received is known as soon as its 4 bytes arrive,
// before the payload it announces. The session uses it to refuse a wrong
// sequence id or an oversized pre-auth frame at once (PacketFramer only hands
// out whole frames).
//
// Feed it exactly the bytes given to the PacketFramer, in the same order.
// Frame layout: int<3> payload_length, int<1> sequence_id, payload (packet.h).
// A frame of exactly 0xFFFFFF payload bytes is followed by a continuation
// frame of the same logical packet.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace shardproxy::protocol {

class FrameHeaderCursor {
 public:
  struct Header {
    uint32_t length = 0;  // payload bytes announced
    uint8_t seq = 0;
    bool first = true;  // first frame of a logical packet (not a continuation)
  };

  void Feed(std::string_view bytes);

  // The header of the most recent frame whose 4 header bytes have arrived
  // (its payload may still be incoming); nullopt before the first one.
  const std::optional<Header>& last() const { return last_; }

 private:
  uint32_t skip_ = 0;  // payload bytes of the current frame still to pass
  uint8_t hdr_[4] = {0, 0, 0, 0};
  int have_ = 0;               // header bytes gathered of the next frame
  bool next_is_first_ = true;  // the next frame starts a logical packet
  std::optional<Header> last_;
};

}  // namespace shardproxy::protocol
