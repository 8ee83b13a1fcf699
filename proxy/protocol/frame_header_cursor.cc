#include "proxy/protocol/frame_header_cursor.h"

#include <algorithm>

#include "proxy/protocol/packet.h"

namespace shardproxy::protocol {

void FrameHeaderCursor::Feed(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    if (skip_ > 0) {
      size_t n = std::min<size_t>(skip_, bytes.size() - i);
      skip_ -= static_cast<uint32_t>(n);
      i += n;
      continue;
    }
    hdr_[have_++] = static_cast<uint8_t>(bytes[i++]);
    if (have_ < 4) continue;
    have_ = 0;
    Header h;
    h.length = hdr_[0] | (hdr_[1] << 8) | (static_cast<uint32_t>(hdr_[2]) << 16);
    h.seq = hdr_[3];
    h.first = next_is_first_;
    next_is_first_ = h.length < kMaxFramePayload;
    last_ = h;
    skip_ = h.length;
  }
}

}  // namespace shardproxy::protocol
