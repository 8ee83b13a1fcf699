#include "proxy/protocol/packet.h"

#include <algorithm>
#include <cstring>

#include "common/errors.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {
namespace {

// Above this capacity an empty buffer is released, so one huge packet does not
// pin memory for the life of the connection.
constexpr size_t kShrinkThreshold = 1 << 20;
constexpr size_t kMinGrow = 16 * 1024;

Status TooLarge() {
  return Status::Error(errors::kNetPacketTooLarge.code, errors::kNetPacketTooLarge.sqlstate,
                       "Got a packet bigger than 'max_allowed_packet' bytes");
}

Status OutOfOrder() {
  return Status::Error(errors::kNetPacketsOutOfOrder.code, errors::kNetPacketsOutOfOrder.sqlstate,
                       "Got packets out of order");
}

}  // namespace

PacketFramer::PacketFramer(size_t max_packet) : max_packet_(max_packet) {}

void PacketFramer::Compact() {
  if (begin_ == end_) {
    begin_ = end_ = 0;
    if (buf_.size() > kShrinkThreshold) {
      buf_.clear();
      buf_.shrink_to_fit();
    }
    return;
  }
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
}

std::span<char> PacketFramer::PrepareWrite(size_t min_bytes) {
  if (min_bytes == 0) min_bytes = 1;
  // Only move unread bytes when the tail lacks room: keeps byte-at-a-time
  // feeding linear for small frames.
  if (buf_.size() - end_ < min_bytes) Compact();
  if (buf_.size() - end_ < min_bytes) {
    // Geometric growth keeps many small commits amortized O(1).
    buf_.resize(std::max(end_ + std::max(min_bytes, kMinGrow), buf_.size() * 2));
  }
  return std::span<char>(buf_.data() + end_, buf_.size() - end_);
}

void PacketFramer::Commit(size_t n) { end_ = std::min(end_ + n, buf_.size()); }

void PacketFramer::Feed(std::string_view bytes) {
  if (bytes.empty()) return;
  std::span<char> w = PrepareWrite(bytes.size());
  std::memcpy(w.data(), bytes.data(), bytes.size());
  Commit(bytes.size());
}

Result<std::optional<Frame>> PacketFramer::NextFrame() {
  if (!error_.ok()) return error_;
  if (begin_ == end_) Compact();
  size_t avail = end_ - begin_;
  if (avail < kFrameHeaderSize) return std::optional<Frame>();
  const auto* p = reinterpret_cast<const uint8_t*>(buf_.data() + begin_);
  size_t len = p[0] | (p[1] << 8) | (static_cast<size_t>(p[2]) << 16);
  uint8_t seq = p[3];
  // Checked on the header alone, before the payload arrives.
  size_t logical = in_continuation_ ? logical_size_ : 0;
  if (len > max_packet_ || logical > max_packet_ - len) {
    error_ = TooLarge();
    return error_;
  }
  if (in_continuation_ && seq != static_cast<uint8_t>(last_seq_ + 1)) {
    error_ = OutOfOrder();
    return error_;
  }
  if (avail < kFrameHeaderSize + len) return std::optional<Frame>();
  Frame f;
  f.seq = seq;
  f.raw = std::string_view(buf_.data() + begin_, kFrameHeaderSize + len);
  f.payload = f.raw.substr(kFrameHeaderSize);
  f.first = !in_continuation_;
  f.last = len < kMaxFramePayload;
  begin_ += kFrameHeaderSize + len;
  last_seq_ = seq;
  logical_size_ = logical + len;
  in_continuation_ = !f.last;
  return std::optional<Frame>(f);
}

Result<std::optional<Packet>> PacketFramer::NextPacket() {
  while (true) {
    Result<std::optional<Frame>> r = NextFrame();
    if (!r.ok()) {
      joined_.clear();
      joining_ = false;
      return r.status();
    }
    if (!r->has_value()) return std::optional<Packet>();
    const Frame& f = **r;
    if (f.first && f.last) {
      joined_.clear();
      if (joined_.capacity() > kShrinkThreshold) joined_.shrink_to_fit();
      joining_ = false;
      return std::optional<Packet>(Packet{f.seq, f.payload});
    }
    if (f.first) {
      joined_.clear();
      joining_ = true;
    }
    joined_.append(f.payload);
    if (f.last) {
      joining_ = false;
      return std::optional<Packet>(Packet{f.seq, joined_});
    }
  }
}

void AppendPacket(std::string* out, uint8_t* seq, std::string_view payload) {
  WireWriter w(*out);
  size_t pos = 0;
  while (true) {
    size_t n = std::min(payload.size() - pos, kMaxFramePayload);
    w.WriteU24(static_cast<uint32_t>(n));
    w.WriteU8((*seq)++);
    w.WriteBytes(payload.substr(pos, n));
    pos += n;
    if (n < kMaxFramePayload) break;
  }
}

}  // namespace shardproxy::protocol
