#include "proxy/protocol/handshake.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "common/errors.h"
#include "proxy/protocol/capabilities.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using namespace testing;  // NOLINT: the builders

const std::string kScramble = "abcdefgh12345678ijkl";  // 20 bytes

// MariaDB 10.11 server capabilities: CLIENT_MYSQL clear, extended caps set.
constexpr uint64_t kServerCaps =
    kClientFoundRows | kClientLongFlag | kClientConnectWithDb | kClientNoSchema | kClientCompress |
    kClientOdbc | kClientLocalFiles | kClientIgnoreSpace | kClientProtocol41 | kClientInteractive |
    kClientIgnoreSigpipe | kClientTransactions | kClientReserved | kClientSecureConnection |
    kClientMultiStatements | kClientMultiResults | kClientPsMultiResults | kClientPluginAuth |
    kClientConnectAttrs | kClientPluginAuthLenencClientData | kClientCanHandleExpiredPasswords |
    kClientSessionTrack | kClientDeprecateEof | kClientSslVerifyServerCert |
    kClientRememberOptions | kMariaDbClientProgress | kMariaDbClientComMulti |
    kMariaDbClientStmtBulkOperations | kMariaDbClientExtendedMetadata | kMariaDbClientCacheMetadata;

void ExpectHandshakeError(const Status& st) {
  EXPECT_EQ(st.code(), errors::kHandshake.code) << st.ToString();
  EXPECT_EQ(st.sqlstate(), errors::kHandshake.sqlstate);
}

TEST(InitialHandshakeTest, SerializeMatchesMariaDbLayoutAndRoundTrips) {
  InitialHandshake h;
  h.server_version = "5.5.5-10.11.6-MariaDB-shardproxy";
  h.connection_id = 42;
  h.auth_plugin_data = kScramble;
  h.capabilities = kServerCaps;
  h.charset = 45;
  h.status_flags = kServerStatusAutocommit;
  h.auth_plugin_name = "mysql_native_password";
  const std::string bytes = HandshakeV10Payload(h.server_version, 42, kScramble, kServerCaps, 45,
                                                kServerStatusAutocommit, h.auth_plugin_name);
  EXPECT_EQ(h.Serialize(), bytes);
  auto p = InitialHandshake::Parse(bytes);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->server_version, h.server_version);
  EXPECT_EQ(p->connection_id, 42u);
  EXPECT_EQ(p->auth_plugin_data, kScramble);
  EXPECT_EQ(p->capabilities, kServerCaps);
  EXPECT_EQ(p->charset, 45);
  EXPECT_EQ(p->status_flags, kServerStatusAutocommit);
  EXPECT_EQ(p->auth_plugin_name, "mysql_native_password");
}

TEST(InitialHandshakeTest, MariaDbVersionPrefix) {
  EXPECT_EQ(StripMariaDbVersionPrefix("5.5.5-10.11.6-MariaDB-log"), "10.11.6-MariaDB-log");
  EXPECT_EQ(StripMariaDbVersionPrefix("8.0.36"), "8.0.36");
  EXPECT_EQ(StripMariaDbVersionPrefix("5.5.5"), "5.5.5");
}

TEST(InitialHandshakeTest, MysqlServerIgnoresReservedBytes) {
  // CLIENT_MYSQL set: the last 4 reserved bytes are not capabilities.
  uint64_t caps = (kServerCaps & 0xFFFFFFFF) | kClientMysql;
  std::string bytes =
      HandshakeV10Payload("8.0.36", 7, kScramble, caps, 255, 2, "caching_sha2_password");
  // Poke garbage into the reserved bytes: must be ignored.
  size_t reserved = 1 + 7 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6;
  bytes[reserved] = '\x7F';
  auto p = InitialHandshake::Parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->capabilities, caps);
  EXPECT_EQ(p->auth_plugin_data, kScramble);
}

TEST(InitialHandshakeTest, TruncatedAndBad) {
  const std::string bytes = HandshakeV10Payload("5.5.5-10.11.6-MariaDB", 1, kScramble, kServerCaps,
                                                45, 2, "mysql_native_password");
  ExpectHandshakeError(InitialHandshake::Parse("").status());
  ExpectHandshakeError(InitialHandshake::Parse("\x09"
                                               "abc")
                           .status());
  ExpectHandshakeError(InitialHandshake::Parse(bytes.substr(0, 10)).status());
  ExpectHandshakeError(InitialHandshake::Parse(bytes.substr(0, 40)).status());
  ExpectHandshakeError(InitialHandshake::Parse(ErrPayload(1040, "08004", "Too many")).status());
}

TEST(HandshakeResponseTest, MariaDbConnectorStyle) {
  // MariaDB Connector/C to a MariaDB server: CLIENT_MYSQL clear, extended caps
  // in the filler, 1-byte auth length, db, plugin, attributes.
  ResponseFields f;
  f.caps_low = static_cast<uint32_t>(
      kClientLongFlag | kClientConnectWithDb | kClientLocalFiles | kClientProtocol41 |
      kClientTransactions | kClientSecureConnection | kClientMultiStatements | kClientMultiResults |
      kClientPsMultiResults | kClientPluginAuth | kClientConnectAttrs | kClientSessionTrack |
      kClientDeprecateEof);
  f.ext_caps =
      static_cast<uint32_t>((kMariaDbClientProgress | kMariaDbClientStmtBulkOperations |
                             kMariaDbClientExtendedMetadata | kMariaDbClientCacheMetadata) >>
                            32);
  f.charset = 45;
  f.user = "app";
  f.auth = NativePasswordScramble("app", kScramble);
  f.auth_mode = 1;
  f.db = "trade";
  f.plugin = "mysql_native_password";
  f.attrs = {{{"_client_name", "libmariadb"},
              {"_client_version", "3.3.8"},
              {"_os", "Linux"},
              {"_pid", "4242"},
              {"_platform", "x86_64"},
              {"_server_host", "127.0.0.1"}}};
  const std::string bytes = HandshakeResponsePayload(f);
  auto r = HandshakeResponse::Parse(bytes);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->capabilities, f.caps_low | (static_cast<uint64_t>(f.ext_caps) << 32));
  EXPECT_TRUE(r->capabilities & kMariaDbClientExtendedMetadata);
  EXPECT_EQ(r->max_packet_size, 0x1000000u);
  EXPECT_EQ(r->charset, 45);
  EXPECT_EQ(r->username, "app");
  EXPECT_EQ(r->auth_response, f.auth);
  EXPECT_EQ(r->database, "trade");
  EXPECT_EQ(r->auth_plugin_name, "mysql_native_password");
  EXPECT_EQ(r->attributes, *f.attrs);
  EXPECT_FALSE(r->is_ssl_request);
  EXPECT_EQ(r->Serialize(), bytes);
  EXPECT_TRUE(NativePasswordVerify(kScramble, r->auth_response, "app"));
}

TEST(HandshakeResponseTest, PyMySqlStyle) {
  // PyMySQL: CLIENT_MYSQL set (ext caps ignored), lenenc auth data, attributes.
  const uint32_t base = static_cast<uint32_t>(
      kClientLongPassword | kClientLongFlag | kClientProtocol41 | kClientTransactions |
      kClientSecureConnection | kClientMultiResults | kClientPluginAuth |
      kClientPluginAuthLenencClientData | kClientConnectAttrs);
  for (bool with_db : {false, true}) {
    SCOPED_TRACE(with_db);
    ResponseFields f;
    f.caps_low = base | (with_db ? kClientConnectWithDb : 0);
    f.ext_caps = 0xFFFFFFFF;  // garbage: must be ignored because CLIENT_MYSQL is set
    f.max_packet = 0xFFFFFF;
    f.charset = 45;
    f.user = "app";
    f.auth = NativePasswordScramble("app", kScramble);
    f.auth_mode = 2;
    if (with_db) f.db = "account";
    f.plugin = "mysql_native_password";
    f.attrs = {{{"_client_name", "pymysql"},
                {"_pid", "1"},
                {"_client_version", "1.0.2"},
                {"program_name", "pytest"}}};
    auto r = HandshakeResponse::Parse(HandshakeResponsePayload(f));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->capabilities, f.caps_low);
    EXPECT_EQ(r->database, with_db ? "account" : "");
    EXPECT_EQ(r->auth_response, f.auth);
    EXPECT_EQ(r->attributes.size(), 4u);
    EXPECT_EQ(r->attributes[3].second, "pytest");
    EXPECT_EQ(r->auth_plugin_name, "mysql_native_password");
    // Serialize writes zeros where PyMySQL wrote them; compare after zeroing.
    f.ext_caps = 0;
    EXPECT_EQ(r->Serialize(), HandshakeResponsePayload(f));
  }
}

TEST(HandshakeResponseTest, MinimalAndLongLenencAuth) {
  // No attributes, no plugin, empty password.
  ResponseFields f;
  f.caps_low = static_cast<uint32_t>(kClientProtocol41 | kClientSecureConnection);
  f.user = "root";
  auto r = HandshakeResponse::Parse(HandshakeResponsePayload(f));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->username, "root");
  EXPECT_TRUE(r->auth_response.empty());
  EXPECT_TRUE(r->attributes.empty());
  // 300-byte auth data needs a 0xFC lenenc prefix.
  ResponseFields g;
  g.caps_low = static_cast<uint32_t>(kClientProtocol41 | kClientSecureConnection |
                                     kClientPluginAuth | kClientPluginAuthLenencClientData);
  g.user = "u";
  g.auth = std::string(300, 'a');
  g.auth_mode = 2;
  g.plugin = "client_ed25519";
  auto s = HandshakeResponse::Parse(HandshakeResponsePayload(g));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->auth_response.size(), 300u);
  EXPECT_EQ(s->auth_plugin_name, "client_ed25519");
  EXPECT_EQ(s->Serialize(), HandshakeResponsePayload(g));
  // Plugin name left unterminated at the end of the packet is accepted.
  std::string unterminated = HandshakeResponsePayload(g);
  unterminated.pop_back();
  auto t = HandshakeResponse::Parse(unterminated);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->auth_plugin_name, "client_ed25519");
}

TEST(HandshakeResponseTest, SslRequest) {
  const uint32_t caps = static_cast<uint32_t>(kClientProtocol41 | kClientSsl |
                                              kClientSecureConnection | kClientPluginAuth);
  std::string bytes = U32(caps) + U32(0x1000000) + U8(45) + std::string(23, '\0');
  ASSERT_EQ(bytes.size(), 32u);
  auto r = HandshakeResponse::Parse(bytes);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_ssl_request);
  EXPECT_EQ(r->Serialize(), bytes);
}

TEST(HandshakeResponseTest, TruncatedIs1043) {
  ResponseFields f;
  f.caps_low =
      static_cast<uint32_t>(kClientProtocol41 | kClientSecureConnection | kClientPluginAuth |
                            kClientConnectAttrs | kClientConnectWithDb);
  f.user = "app";
  f.auth = std::string(20, 'x');
  f.db = "trade";
  f.plugin = "mysql_native_password";
  f.attrs = {{{"k", "v"}}};
  const std::string bytes = HandshakeResponsePayload(f);
  ExpectHandshakeError(HandshakeResponse::Parse("").status());
  ExpectHandshakeError(HandshakeResponse::Parse(bytes.substr(0, 10)).status());
  ExpectHandshakeError(HandshakeResponse::Parse(bytes.substr(0, 32)).status());  // no SSL bit
  ExpectHandshakeError(HandshakeResponse::Parse(bytes.substr(0, 34)).status());  // user w/o NUL
  ExpectHandshakeError(HandshakeResponse::Parse(bytes.substr(0, 40)).status());  // short auth
  ExpectHandshakeError(HandshakeResponse::Parse(bytes.substr(0, bytes.size() - 1)).status());
  // Pre-4.1 client.
  ExpectHandshakeError(HandshakeResponse::Parse(U16(0x0001) + U24(0) + Nul("u")).status());
}

TEST(AuthSwitchTest, RoundTrip) {
  const std::string bytes =
      U8(0xFE) + Nul("mysql_native_password") + kScramble + std::string(1, '\0');
  auto a = AuthSwitchRequest::Parse(bytes);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->plugin_name, "mysql_native_password");
  EXPECT_EQ(a->plugin_data, kScramble + std::string(1, '\0'));
  EXPECT_EQ(a->Serialize(), bytes);
  // The trailing NUL does not change the scramble.
  EXPECT_EQ(NativePasswordScramble("pw", a->plugin_data), NativePasswordScramble("pw", kScramble));
  EXPECT_FALSE(AuthSwitchRequest::Parse(U8(0xFE) + "no-nul").ok());
  EXPECT_FALSE(AuthSwitchRequest::Parse(U8(0x00)).ok());

  auto m = AuthMoreData::Parse(
      "\x01"
      "fast");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data, "fast");
  EXPECT_EQ(m->Serialize(),
            "\x01"
            "fast");
  EXPECT_FALSE(AuthMoreData::Parse("").ok());
}

std::string Sha1Independent(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EXPECT_EQ(EVP_Digest(s.data(), s.size(), md, &n, EVP_sha1(), nullptr), 1);
  return std::string(reinterpret_cast<char*>(md), n);
}

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

TEST(NativePasswordTest, KnownVector) {
  std::string scramble;
  for (int i = 1; i <= 20; ++i) scramble.push_back(static_cast<char>(i));
  // Computed outside the codec (Python hashlib) from the formula.
  EXPECT_EQ(NativePasswordScramble("secret", scramble),
            FromHex("b32bb3a583e1340c0a1108d58b1be49781ad8c2f"));
  // mysql.user's *14E655... for "secret".
  EXPECT_EQ(NativePasswordHash("secret"), FromHex("14e65567abdb5135d0cfd9a70b3032c179a49ee7"));
  // And from the formula with OpenSSL directly.
  std::string s1 = Sha1Independent("secret");
  std::string s2 = Sha1Independent(s1);
  std::string mix = Sha1Independent(scramble + s2);
  std::string expected(20, '\0');
  for (int i = 0; i < 20; ++i) expected[i] = static_cast<char>(s1[i] ^ mix[i]);
  EXPECT_EQ(NativePasswordScramble("secret", scramble), expected);
}

TEST(NativePasswordTest, VerifyAndEmpty) {
  EXPECT_EQ(NativePasswordScramble("", kScramble), "");
  EXPECT_TRUE(NativePasswordVerify(kScramble, "", ""));
  EXPECT_FALSE(NativePasswordVerify(kScramble, std::string(20, 'x'), ""));
  EXPECT_FALSE(NativePasswordVerify(kScramble, "", "app"));
  std::string resp = NativePasswordScramble("app", kScramble);
  EXPECT_EQ(resp.size(), 20u);
  EXPECT_TRUE(NativePasswordVerify(kScramble, resp, "app"));
  EXPECT_FALSE(NativePasswordVerify(kScramble, resp, "APP"));
  EXPECT_FALSE(NativePasswordVerify("zbcdefgh12345678ijkl", resp, "app"));
  resp[19] ^= 1;
  EXPECT_FALSE(NativePasswordVerify(kScramble, resp, "app"));
  // Against the stored hash.
  std::string good = NativePasswordScramble("app", kScramble);
  EXPECT_TRUE(NativePasswordVerifyHash(kScramble, good, NativePasswordHash("app")));
  EXPECT_FALSE(NativePasswordVerifyHash(kScramble, good, NativePasswordHash("ap")));
  EXPECT_TRUE(NativePasswordVerifyHash(kScramble, "", ""));
}

TEST(NativePasswordTest, GenerateScramble) {
  std::string a, b;
  ASSERT_TRUE(GenerateScramble(&a));
  ASSERT_TRUE(GenerateScramble(&b));
  EXPECT_EQ(a.size(), kScrambleLength);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find('\0'), std::string::npos);
}

}  // namespace
}  // namespace shardproxy::protocol
