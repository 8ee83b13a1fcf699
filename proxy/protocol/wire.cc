#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

size_t LenencIntSize(uint64_t v) {
  if (v < 251) return 1;
  if (v <= 0xFFFF) return 3;
  if (v <= 0xFFFFFF) return 4;
  return 9;
}

uint64_t WireReader::ReadLe(size_t n) {
  if (!ok_ || data_.size() - pos_ < n) {
    Fail();
    return 0;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  }
  pos_ += n;
  return v;
}

uint8_t WireReader::ReadU8() { return static_cast<uint8_t>(ReadLe(1)); }
uint16_t WireReader::ReadU16() { return static_cast<uint16_t>(ReadLe(2)); }
uint32_t WireReader::ReadU24() { return static_cast<uint32_t>(ReadLe(3)); }
uint32_t WireReader::ReadU32() { return static_cast<uint32_t>(ReadLe(4)); }
uint64_t WireReader::ReadU48() { return ReadLe(6); }
uint64_t WireReader::ReadU64() { return ReadLe(8); }

uint64_t WireReader::ReadLenencInt() {
  uint8_t first = ReadU8();
  if (!ok_) return 0;
  if (first < 0xFB) return first;
  switch (first) {
    case 0xFC:
      return ReadLe(2);
    case 0xFD:
      return ReadLe(3);
    case 0xFE:
      return ReadLe(8);
    default:  // 0xFB (NULL) or 0xFF
      Fail();
      return 0;
  }
}

std::string_view WireReader::ReadLenencString() {
  uint64_t len = ReadLenencInt();
  if (!ok_) return {};
  if (len > data_.size() - pos_) {
    Fail();
    return {};
  }
  return ReadFixed(static_cast<size_t>(len));
}

std::string_view WireReader::ReadNulString() {
  if (!ok_) return {};
  size_t nul = data_.find('\0', pos_);
  if (nul == std::string_view::npos) {
    Fail();
    return {};
  }
  std::string_view s = data_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  return s;
}

std::string_view WireReader::ReadNulStringOrRest() {
  if (!ok_) return {};
  size_t nul = data_.find('\0', pos_);
  if (nul == std::string_view::npos) return ReadRest();
  std::string_view s = data_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  return s;
}

std::string_view WireReader::ReadFixed(size_t n) {
  if (!ok_ || data_.size() - pos_ < n) {
    Fail();
    return {};
  }
  std::string_view s = data_.substr(pos_, n);
  pos_ += n;
  return s;
}

std::string_view WireReader::ReadRest() {
  if (!ok_) return {};
  std::string_view s = data_.substr(pos_);
  pos_ = data_.size();
  return s;
}

void WireReader::Skip(size_t n) { ReadFixed(n); }

void WireWriter::WriteLe(uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void WireWriter::WriteLenencInt(uint64_t v) {
  if (v < 251) {
    WriteU8(static_cast<uint8_t>(v));
  } else if (v <= 0xFFFF) {
    WriteU8(0xFC);
    WriteU16(static_cast<uint16_t>(v));
  } else if (v <= 0xFFFFFF) {
    WriteU8(0xFD);
    WriteU24(static_cast<uint32_t>(v));
  } else {
    WriteU8(0xFE);
    WriteU64(v);
  }
}

void WireWriter::WriteLenencString(std::string_view s) {
  WriteLenencInt(s.size());
  out_.append(s);
}

void WireWriter::WriteNulString(std::string_view s) {
  out_.append(s);
  out_.push_back('\0');
}

}  // namespace shardproxy::protocol
