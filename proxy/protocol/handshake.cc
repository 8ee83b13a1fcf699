#include "proxy/protocol/handshake.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/malformed.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

using internal::BadHandshake;
using internal::Malformed;

namespace {

constexpr size_t kSha1Len = 20;

std::string Sha1(std::string_view a, std::string_view b = {}) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
            EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, md, &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len != kSha1Len) return std::string();
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string Xor(std::string_view a, std::string_view b) {
  std::string out(a.size(), '\0');
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

// ---------------------------------------------------------------- InitialHandshake

std::string InitialHandshake::Serialize() const {
  std::string out;
  WireWriter w(out);
  uint64_t caps = capabilities;
  w.WriteU8(10);
  w.WriteNulString(server_version);
  w.WriteU32(connection_id);
  std::string data = auth_plugin_data;
  if (data.size() < 8) data.resize(8, '\0');
  w.WriteBytes(std::string_view(data).substr(0, 8));
  w.WriteU8(0);
  w.WriteU16(static_cast<uint16_t>(caps & 0xFFFF));
  w.WriteU8(charset);
  w.WriteU16(status_flags);
  w.WriteU16(static_cast<uint16_t>((caps >> 16) & 0xFFFF));
  w.WriteU8((caps & kClientPluginAuth)
                ? static_cast<uint8_t>(std::min<size_t>(data.size() + 1, 255))
                : 0);
  w.WriteZeros(6);
  if (caps & kClientMysql) {
    w.WriteZeros(4);
  } else {
    w.WriteU32(static_cast<uint32_t>(caps >> 32));
  }
  if (caps & kClientSecureConnection) {
    std::string part2 = data.substr(8);
    part2.push_back('\0');
    if (part2.size() < 13) part2.resize(13, '\0');
    w.WriteBytes(part2);
  }
  if (caps & kClientPluginAuth) w.WriteNulString(auth_plugin_name);
  return out;
}

Result<InitialHandshake> InitialHandshake::Parse(std::string_view payload) {
  WireReader r(payload);
  uint8_t version = r.ReadU8();
  if (!r.ok()) return BadHandshake("empty initial handshake");
  if (version == 0xFF) return BadHandshake("server sent ERR instead of a handshake");
  if (version != 10) return BadHandshake("unsupported protocol version");
  InitialHandshake h;
  h.server_version = std::string(r.ReadNulString());
  h.connection_id = r.ReadU32();
  std::string_view part1 = r.ReadFixed(8);
  r.Skip(1);
  uint64_t caps = r.ReadU16();
  if (!r.ok()) return BadHandshake("initial handshake truncated");
  h.auth_plugin_data = std::string(part1);
  h.capabilities = caps;
  if (r.remaining() == 0) return h;  // very old servers stop here
  h.charset = r.ReadU8();
  h.status_flags = r.ReadU16();
  caps |= static_cast<uint64_t>(r.ReadU16()) << 16;
  uint8_t data_len = r.ReadU8();
  r.Skip(6);
  uint32_t ext = r.ReadU32();
  if (!r.ok()) return BadHandshake("initial handshake truncated");
  if (!(caps & kClientMysql)) caps |= static_cast<uint64_t>(ext) << 32;
  h.capabilities = caps;
  if (caps & kClientSecureConnection) {
    size_t n = std::max<size_t>(13, data_len > 8 ? data_len - 8 : 0);
    n = std::min(n, r.remaining());
    std::string_view part2 = r.ReadFixed(n);
    // part 2 is NUL-terminated; the scramble is data_len - 1 bytes in total
    // (20 for the native plugin).
    size_t keep = data_len > 9 ? std::min<size_t>(data_len - 9, part2.size()) : 12;
    keep = std::min(keep, part2.size());
    if (data_len == 0) {
      size_t nul = part2.find('\0');
      keep = nul == std::string_view::npos ? part2.size() : nul;
    }
    h.auth_plugin_data.append(part2.substr(0, keep));
  }
  if (caps & kClientPluginAuth) h.auth_plugin_name = std::string(r.ReadNulStringOrRest());
  if (!r.ok()) return BadHandshake("initial handshake truncated");
  return h;
}

// ---------------------------------------------------------------- HandshakeResponse

std::string HandshakeResponse::Serialize() const {
  std::string out;
  WireWriter w(out);
  uint64_t caps = capabilities;
  if (is_ssl_request) caps |= kClientSsl;
  w.WriteU32(static_cast<uint32_t>(caps & 0xFFFFFFFF));
  w.WriteU32(max_packet_size);
  w.WriteU8(charset);
  w.WriteZeros(19);
  if (caps & kClientMysql) {
    w.WriteZeros(4);
  } else {
    w.WriteU32(static_cast<uint32_t>(caps >> 32));
  }
  if (is_ssl_request) return out;
  w.WriteNulString(username);
  if (caps & kClientPluginAuthLenencClientData) {
    w.WriteLenencString(auth_response);
  } else if (caps & kClientSecureConnection) {
    std::string_view a = std::string_view(auth_response).substr(0, 255);
    w.WriteU8(static_cast<uint8_t>(a.size()));
    w.WriteBytes(a);
  } else {
    w.WriteNulString(auth_response);
  }
  if (caps & kClientConnectWithDb) w.WriteNulString(database);
  if (caps & kClientPluginAuth) w.WriteNulString(auth_plugin_name);
  if (caps & kClientConnectAttrs) {
    std::string all;
    WireWriter a(all);
    for (const auto& [k, v] : attributes) {
      a.WriteLenencString(k);
      a.WriteLenencString(v);
    }
    w.WriteLenencString(all);
  }
  return out;
}

Result<HandshakeResponse> HandshakeResponse::Parse(std::string_view payload) {
  WireReader r(payload);
  HandshakeResponse h;
  uint64_t caps = r.ReadU32();
  if (!r.ok()) return BadHandshake("handshake response truncated");
  if (!(caps & kClientProtocol41)) return BadHandshake("client does not speak protocol 4.1");
  h.max_packet_size = r.ReadU32();
  h.charset = r.ReadU8();
  r.Skip(19);
  uint32_t ext = r.ReadU32();
  if (!r.ok()) return BadHandshake("handshake response truncated");
  if (!(caps & kClientMysql)) caps |= static_cast<uint64_t>(ext) << 32;
  h.capabilities = caps;
  if (r.remaining() == 0) {
    if (caps & kClientSsl) {
      h.is_ssl_request = true;
      return h;
    }
    return BadHandshake("handshake response has no user name");
  }
  h.username = std::string(r.ReadNulString());
  if (caps & kClientPluginAuthLenencClientData) {
    h.auth_response = std::string(r.ReadLenencString());
  } else if (caps & kClientSecureConnection) {
    uint8_t n = r.ReadU8();
    h.auth_response = std::string(r.ReadFixed(n));
  } else {
    h.auth_response = std::string(r.ReadNulString());
  }
  if (!r.ok()) return BadHandshake("handshake response truncated in auth data");
  if ((caps & kClientConnectWithDb) && r.remaining() > 0) {
    h.database = std::string(r.ReadNulStringOrRest());
  }
  if ((caps & kClientPluginAuth) && r.remaining() > 0) {
    h.auth_plugin_name = std::string(r.ReadNulStringOrRest());
  }
  if ((caps & kClientConnectAttrs) && r.remaining() > 0) {
    std::string_view all = r.ReadLenencString();
    if (!r.ok()) return BadHandshake("handshake response attributes truncated");
    WireReader a(all);
    while (a.ok() && a.remaining() > 0) {
      std::string_view k = a.ReadLenencString();
      std::string_view v = a.ReadLenencString();
      if (!a.ok()) return BadHandshake("handshake response attribute malformed");
      h.attributes.emplace_back(std::string(k), std::string(v));
    }
  }
  return h;
}

// ---------------------------------------------------------------- auth switch

std::string AuthSwitchRequest::Serialize() const {
  std::string out;
  WireWriter w(out);
  w.WriteU8(0xFE);
  w.WriteNulString(plugin_name);
  w.WriteBytes(plugin_data);
  return out;
}

Result<AuthSwitchRequest> AuthSwitchRequest::Parse(std::string_view payload) {
  WireReader r(payload);
  if (r.ReadU8() != 0xFE) return Malformed("auth switch header");
  AuthSwitchRequest a;
  if (r.remaining() == 0) return a;  // old-password switch request: no name
  a.plugin_name = std::string(r.ReadNulString());
  a.plugin_data = std::string(r.ReadRest());
  if (!r.ok()) return Malformed("auth switch request");
  return a;
}

std::string AuthMoreData::Serialize() const {
  std::string out(1, '\x01');
  out.append(data);
  return out;
}

Result<AuthMoreData> AuthMoreData::Parse(std::string_view payload) {
  if (payload.empty() || payload[0] != '\x01') return Malformed("auth more data header");
  return AuthMoreData{std::string(payload.substr(1))};
}

// ---------------------------------------------------------------- native password

bool GenerateScramble(std::string* out) {
  unsigned char buf[kScrambleLength];
  if (RAND_bytes(buf, sizeof(buf)) != 1) return false;
  out->resize(kScrambleLength);
  for (size_t i = 0; i < kScrambleLength; ++i) {
    // Printable ASCII 0x21..0x7E as the MariaDB server uses: no NUL, no '$'-issues.
    (*out)[i] = static_cast<char>(0x21 + buf[i] % 94);
  }
  return true;
}

std::string NativePasswordScramble(std::string_view password, std::string_view scramble20) {
  if (password.empty()) return std::string();
  std::string_view s = scramble20.substr(0, std::min(scramble20.size(), kScrambleLength));
  std::string stage1 = Sha1(password);
  std::string stage2 = Sha1(stage1);
  std::string mix = Sha1(s, stage2);
  return Xor(stage1, mix);
}

std::string NativePasswordHash(std::string_view password) {
  if (password.empty()) return std::string();
  return Sha1(Sha1(password));
}

bool NativePasswordVerifyHash(std::string_view scramble20, std::string_view response,
                              std::string_view stored_hash) {
  if (stored_hash.empty()) return response.empty();
  if (response.size() != kSha1Len || stored_hash.size() != kSha1Len) return false;
  std::string_view s = scramble20.substr(0, std::min(scramble20.size(), kScrambleLength));
  // response XOR SHA1(scramble + hash) = SHA1(password) candidate; its SHA1 must be the hash.
  std::string candidate = Xor(response, Sha1(s, stored_hash));
  return ConstantTimeEquals(Sha1(candidate), stored_hash);
}

bool NativePasswordVerify(std::string_view scramble20, std::string_view response,
                          std::string_view password) {
  if (password.empty()) return response.empty();
  return ConstantTimeEquals(NativePasswordScramble(password, scramble20), response);
}

}  // namespace shardproxy::protocol
