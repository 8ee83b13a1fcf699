// Small, independent packet builders for the codec tests: each helper appends
// wire fields one by one (no codec code involved), so tests compare the codec's
// bytes against layouts written out by hand from the protocol documentation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardproxy::protocol::testing {

inline std::string Le(uint64_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}
inline std::string U8(uint8_t v) { return Le(v, 1); }
inline std::string U16(uint16_t v) { return Le(v, 2); }
inline std::string U24(uint32_t v) { return Le(v, 3); }
inline std::string U32(uint32_t v) { return Le(v, 4); }
inline std::string U64(uint64_t v) { return Le(v, 8); }

// int<lenenc>
inline std::string Lenenc(uint64_t v) {
  if (v < 251) return U8(static_cast<uint8_t>(v));
  if (v < 0x10000) return "\xFC" + U16(static_cast<uint16_t>(v));
  if (v < 0x1000000) return "\xFD" + U24(static_cast<uint32_t>(v));
  return "\xFE" + U64(v);
}
// string<lenenc>
inline std::string LenStr(std::string_view s) { return Lenenc(s.size()) + std::string(s); }
// string<NUL>
inline std::string Nul(std::string_view s) { return std::string(s) + std::string(1, '\0'); }

// One wire frame: int<3> length, int<1> seq, payload.
inline std::string FrameBytes(uint8_t seq, std::string_view payload) {
  return U24(static_cast<uint32_t>(payload.size())) + U8(seq) + std::string(payload);
}

// OK_Packet. session_state non-empty implies the caller set 0x4000 in status.
inline std::string OkPayload(uint64_t affected, uint64_t insert_id, uint16_t status,
                             uint16_t warnings, std::string_view info = {},
                             std::optional<std::string> state = std::nullopt,
                             uint8_t header = 0x00) {
  std::string p = U8(header) + Lenenc(affected) + Lenenc(insert_id) + U16(status) + U16(warnings);
  if (!info.empty() || state) p += LenStr(info);
  if (state) p += LenStr(*state);
  return p;
}

// ERR_Packet with the 4.1 SQLSTATE marker.
inline std::string ErrPayload(uint16_t code, std::string_view sqlstate, std::string_view msg) {
  return U8(0xFF) + U16(code) + "#" + std::string(sqlstate) + std::string(msg);
}
// ERR_Packet without SQLSTATE (pre-4.1 client).
inline std::string ErrPayload320(uint16_t code, std::string_view msg) {
  return U8(0xFF) + U16(code) + std::string(msg);
}
// MariaDB progress report: ERR with code 0xFFFF.
inline std::string ProgressPayload(uint8_t stage, uint8_t max_stage, uint32_t progress) {
  return U8(0xFF) + U16(0xFFFF) + U8(stage) + U8(max_stage) + U24(progress) + LenStr("copy");
}

// EOF_Packet (4.1).
inline std::string EofPayload(uint16_t warnings, uint16_t status) {
  return U8(0xFE) + U16(warnings) + U16(status);
}

// Column count packet [+ MariaDB "metadata follows" byte].
inline std::string ColumnCountPayload(uint64_t n, std::optional<uint8_t> metadata = std::nullopt) {
  std::string p = Lenenc(n);
  if (metadata) p += U8(*metadata);
  return p;
}

// ColumnDefinition41.
inline std::string ColumnDefPayload(std::string_view schema, std::string_view table,
                                    std::string_view name, uint8_t type, uint16_t charset = 33,
                                    uint32_t length = 11, uint16_t flags = 0, uint8_t decimals = 0,
                                    std::optional<std::string> extended = std::nullopt,
                                    std::optional<std::string> default_value = std::nullopt) {
  std::string p =
      LenStr("def") + LenStr(schema) + LenStr(table) + LenStr(table) + LenStr(name) + LenStr(name);
  if (extended) p += LenStr(*extended);
  p += Lenenc(0x0C) + U16(charset) + U32(length) + U8(type) + U16(flags) + U8(decimals) + U16(0);
  if (default_value) p += LenStr(*default_value);
  return p;
}

// Text result row: lenenc strings, 0xFB for NULL.
inline std::string TextRowPayload(const std::vector<std::optional<std::string>>& cols) {
  std::string p;
  for (const auto& c : cols) p += c ? LenStr(*c) : std::string("\xFB");
  return p;
}

// Binary result row of one BIGINT column.
inline std::string BinaryRowPayload(int64_t v) {
  return U8(0x00) + U8(0x00) /*NULL bitmap (offset 2), one column*/ + U64(static_cast<uint64_t>(v));
}

// COM_STMT_PREPARE OK.
inline std::string PrepareOkPayload(uint32_t id, uint16_t cols, uint16_t params,
                                    uint16_t warnings) {
  return U8(0x00) + U32(id) + U16(cols) + U16(params) + U8(0) + U16(warnings);
}

// COM_STMT_EXECUTE request with no parameters.
inline std::string ExecutePayload(uint32_t id, uint8_t flags) {
  return U8(0x17) + U32(id) + U8(flags) + U32(1);
}

// Initial handshake v10 as a MariaDB 10.11 server writes it.
inline std::string HandshakeV10Payload(std::string_view version, uint32_t conn_id,
                                       std::string_view scramble20, uint64_t caps, uint8_t charset,
                                       uint16_t status, std::string_view plugin) {
  std::string p = U8(10) + Nul(version) + U32(conn_id) + std::string(scramble20.substr(0, 8)) +
                  U8(0) + U16(caps & 0xFFFF) + U8(charset) + U16(status) +
                  U16((caps >> 16) & 0xFFFF) + U8(static_cast<uint8_t>(scramble20.size() + 1)) +
                  std::string(6, '\0');
  p += (caps & 1) ? std::string(4, '\0') : U32(static_cast<uint32_t>(caps >> 32));
  p += Nul(scramble20.substr(8));
  p += Nul(plugin);
  return p;
}

// HandshakeResponse41, field by field. auth_mode: 0 = NUL-terminated,
// 1 = int<1> length (SECURE_CONNECTION), 2 = lenenc (PLUGIN_AUTH_LENENC).
struct ResponseFields {
  uint32_t caps_low = 0;
  uint32_t ext_caps = 0;
  uint32_t max_packet = 0x1000000;
  uint8_t charset = 45;
  std::string user;
  std::string auth;
  int auth_mode = 1;
  std::optional<std::string> db;
  std::optional<std::string> plugin;
  std::optional<std::vector<std::pair<std::string, std::string>>> attrs;
};
inline std::string HandshakeResponsePayload(const ResponseFields& f) {
  std::string p = U32(f.caps_low) + U32(f.max_packet) + U8(f.charset) + std::string(19, '\0') +
                  U32(f.ext_caps) + Nul(f.user);
  if (f.auth_mode == 2) {
    p += LenStr(f.auth);
  } else if (f.auth_mode == 1) {
    p += U8(static_cast<uint8_t>(f.auth.size())) + f.auth;
  } else {
    p += Nul(f.auth);
  }
  if (f.db) p += Nul(*f.db);
  if (f.plugin) p += Nul(*f.plugin);
  if (f.attrs) {
    std::string all;
    for (const auto& [k, v] : *f.attrs) all += LenStr(k) + LenStr(v);
    p += LenStr(all);
  }
  return p;
}

}  // namespace shardproxy::protocol::testing
