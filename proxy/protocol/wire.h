// Bounds-checked little-endian readers/writers for MySQL wire primitives.
//
//   int<N>        fixed-width little-endian integer (N = 1, 2, 3, 4, 6, 8 bytes)
//   int<lenenc>   length-encoded integer:
//                   first byte < 0xFB  -> the value itself (0..250)
//                   0xFB              -> NULL marker (only meaningful in text rows)
//                   0xFC + int<2>      -> 251..0xFFFF
//                   0xFD + int<3>      -> 0x10000..0xFFFFFF
//                   0xFE + int<8>      -> 0x1000000..2^64-1
//                   0xFF               -> invalid (ERR packet header)
//   string<lenenc> int<lenenc> length, then that many bytes
//   string<NUL>    bytes up to a 0x00 terminator (terminator consumed)
//   string<EOF>    the rest of the payload
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shardproxy::protocol {

// Number of bytes WriteLenencInt(v) produces.
size_t LenencIntSize(uint64_t v);

// Reader over a payload the caller keeps alive. Sticky error: once a read runs
// past the end (or meets a bad lenenc prefix), ok() is false forever and every
// further read returns 0 / an empty view. A lenenc length larger than the bytes
// left is an error: nothing is ever allocated from a claimed length.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  uint8_t ReadU8();
  uint16_t ReadU16();
  uint32_t ReadU24();
  uint32_t ReadU32();
  uint64_t ReadU48();
  uint64_t ReadU64();
  // int<lenenc>. The NULL marker 0xFB and the invalid 0xFF set the error.
  uint64_t ReadLenencInt();
  // string<lenenc>; view into the payload.
  std::string_view ReadLenencString();
  // string<NUL>; error if no terminator is left.
  std::string_view ReadNulString();
  // string<NUL> if a terminator is present, else the rest (lenient fields that
  // some clients leave unterminated at the end of a packet).
  std::string_view ReadNulStringOrRest();
  std::string_view ReadFixed(size_t n);
  std::string_view ReadRest();
  void Skip(size_t n);

  // Next byte without consuming it; 0 at the end (does not set the error).
  uint8_t PeekU8() const { return pos_ < data_.size() ? static_cast<uint8_t>(data_[pos_]) : 0; }
  size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  size_t position() const { return pos_; }
  bool ok() const { return ok_; }
  bool empty() const { return remaining() == 0; }

 private:
  uint64_t ReadLe(size_t n);
  void Fail() {
    ok_ = false;
    pos_ = data_.size();
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Appends wire primitives to a caller-owned string.
class WireWriter {
 public:
  explicit WireWriter(std::string& out) : out_(out) {}

  void WriteU8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void WriteU16(uint16_t v) { WriteLe(v, 2); }
  void WriteU24(uint32_t v) { WriteLe(v, 3); }
  void WriteU32(uint32_t v) { WriteLe(v, 4); }
  void WriteU48(uint64_t v) { WriteLe(v, 6); }
  void WriteU64(uint64_t v) { WriteLe(v, 8); }
  void WriteLenencInt(uint64_t v);
  void WriteLenencString(std::string_view s);
  void WriteNulString(std::string_view s);  // s must not contain 0x00
  void WriteBytes(std::string_view s) { out_.append(s); }
  void WriteZeros(size_t n) { out_.append(n, '\0'); }

  std::string& out() { return out_; }

 private:
  void WriteLe(uint64_t v, size_t n);
  std::string& out_;
};

}  // namespace shardproxy::protocol
