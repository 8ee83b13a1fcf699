// Connection phase: initial handshake, handshake response, auth switch, and
// mysql_native_password.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace shardproxy::protocol {

// Initial Handshake Packet, protocol version 10 (server -> client):
//   int<1>      10
//   string<NUL> server_version  (MariaDB prefixes "5.5.5-"; kept verbatim)
//   int<4>      connection_id
//   string<8>   auth_plugin_data part 1
//   int<1>      0x00 filler
//   int<2>      capabilities, low 16 bits
//   int<1>      charset
//   int<2>      status_flags
//   int<2>      capabilities, bits 16..31
//   int<1>      auth_plugin_data length (if PLUGIN_AUTH) else 0
//   string<6>   reserved zeros
//   int<4>      MariaDB extended capabilities (bits 32..63) if !CLIENT_MYSQL, else zeros
//   if SECURE_CONNECTION: string<max(13, len - 8)> auth_plugin_data part 2 (NUL-terminated)
//   if PLUGIN_AUTH:       string<NUL> auth_plugin_name
struct InitialHandshake {
  std::string server_version;
  uint32_t connection_id = 0;
  std::string auth_plugin_data;  // the scramble, usually 20 bytes (no trailing NUL)
  uint64_t capabilities = 0;
  uint8_t charset = 0;
  uint16_t status_flags = 0;
  std::string auth_plugin_name;

  std::string Serialize() const;
  static Result<InitialHandshake> Parse(std::string_view payload);  // ERR 1043
};

// Handshake Response 41 (client -> server), or SSLRequest (its first 32 bytes):
//   int<4>      client capabilities (low 32 bits)
//   int<4>      max_packet_size
//   int<1>      charset
//   string<19>  filler zeros
//   int<4>      MariaDB extended capabilities if !CLIENT_MYSQL, else zeros
//   -- an SSLRequest ends here (32 bytes, CLIENT_SSL set) --
//   string<NUL> username
//   if PLUGIN_AUTH_LENENC_CLIENT_DATA: string<lenenc> auth_response
//   elif SECURE_CONNECTION:           int<1> length + auth_response
//   else:                             string<NUL> auth_response
//   if CONNECT_WITH_DB: string<NUL> database
//   if PLUGIN_AUTH:     string<NUL> auth_plugin_name
//   if CONNECT_ATTRS:   int<lenenc> total length, then repeated
//                       { string<lenenc> key, string<lenenc> value }
struct HandshakeResponse {
  uint64_t capabilities = 0;
  uint32_t max_packet_size = 0;
  uint8_t charset = 0;
  std::string username;
  std::string auth_response;
  std::string database;
  std::string auth_plugin_name;
  std::vector<std::pair<std::string, std::string>> attributes;
  bool is_ssl_request = false;  // Parse: the 32-byte SSLRequest; Serialize: write only that

  std::string Serialize() const;
  // ERR 1043 (errors::kHandshake) when malformed or pre-4.1.
  static Result<HandshakeResponse> Parse(std::string_view payload);
};

// AuthSwitchRequest (server -> client):
//   int<1> 0xFE, string<NUL> plugin_name, string<EOF> plugin_data
// plugin_data is kept verbatim: for mysql_native_password it is the 20-byte
// scramble plus a trailing NUL (NativePasswordScramble uses the first 20 bytes).
struct AuthSwitchRequest {
  std::string plugin_name;
  std::string plugin_data;

  std::string Serialize() const;
  static Result<AuthSwitchRequest> Parse(std::string_view payload);
};

// AuthMoreData (server -> client): int<1> 0x01, string<EOF> data
struct AuthMoreData {
  std::string data;

  std::string Serialize() const;
  static Result<AuthMoreData> Parse(std::string_view payload);
};

// MariaDB servers announce "5.5.5-<real version>" (old MySQL clients reject a
// major version >= 10). Returns the real version; other strings unchanged.
inline std::string_view StripMariaDbVersionPrefix(std::string_view v) {
  constexpr std::string_view kPrefix = "5.5.5-";
  return v.substr(0, kPrefix.size()) == kPrefix ? v.substr(kPrefix.size()) : v;
}

inline constexpr size_t kScrambleLength = 20;
inline constexpr std::string_view kNativePasswordPlugin = "mysql_native_password";

// Fills out with kScrambleLength random printable bytes without NUL
// (OpenSSL RAND_bytes). false if the RNG failed.
bool GenerateScramble(std::string* out);

// mysql_native_password client response:
//   SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))
// "" for an empty password. Only the first 20 bytes of scramble are used (a
// trailing NUL from an AuthSwitchRequest is ignored).
std::string NativePasswordScramble(std::string_view password, std::string_view scramble20);
// SHA1(SHA1(password)): what mysql.user stores (binary, 20 bytes; "" for "").
std::string NativePasswordHash(std::string_view password);
// Server-side check of a client response against the plaintext password
// (constant-time compare). Empty password accepts only an empty response.
bool NativePasswordVerify(std::string_view scramble20, std::string_view response,
                          std::string_view password);
// Same, against the stored double-SHA1 hash (20 bytes; "" = no password).
bool NativePasswordVerifyHash(std::string_view scramble20, std::string_view response,
                              std::string_view stored_hash);

}  // namespace shardproxy::protocol
