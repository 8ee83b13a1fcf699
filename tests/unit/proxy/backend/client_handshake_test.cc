#include "proxy/backend/client_handshake.h"

#include <gtest/gtest.h>

#include "common/errors.h"
#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/handshake.h"

namespace shardproxy::backend {
namespace {

namespace p = protocol;

constexpr uint64_t kServerCaps =
    p::kClientFoundRows | p::kClientLongFlag | p::kClientConnectWithDb | p::kClientLocalFiles |
    p::kClientProtocol41 | p::kClientTransactions | p::kClientSecureConnection |
    p::kClientMultiStatements | p::kClientMultiResults | p::kClientPsMultiResults |
    p::kClientPluginAuth | p::kClientConnectAttrs | p::kClientPluginAuthLenencClientData |
    p::kClientSessionTrack | p::kClientDeprecateEof | p::kClientSsl |
    p::kMariaDbClientExtendedMetadata | p::kMariaDbClientProgress;

const std::string kNonce = "abcdefghij0123456789";  // 20 bytes

std::string ServerHello(uint64_t caps = kServerCaps, std::string plugin = "mysql_native_password") {
  p::InitialHandshake hs;
  hs.server_version = "5.5.5-10.11.6-MariaDB";
  hs.connection_id = 4242;
  hs.auth_plugin_data = kNonce;
  hs.capabilities = caps;
  hs.charset = 45;
  hs.status_flags = p::kServerStatusAutocommit;
  hs.auth_plugin_name = std::move(plugin);
  return hs.Serialize();
}

ClientHandshake::Params Params(std::string db = "") {
  ClientHandshake::Params prm;
  prm.user = "app";
  prm.password = "secret";
  prm.database = std::move(db);
  prm.charset = 224;  // utf8mb4_unicode_ci
  prm.client_caps = p::kClientProtocol41 | p::kClientDeprecateEof | p::kClientMultiResults |
                    p::kClientSsl | p::kClientCompress | p::kClientMultiStatements;
  return prm;
}

std::string OkPayload() {
  p::OkPacket ok;
  ok.status_flags = p::kServerStatusAutocommit;
  return ok.Serialize(p::kClientProtocol41 | p::kClientTransactions);
}

std::string ErrPayload(uint16_t code, std::string sqlstate, std::string msg) {
  p::ErrPacket e;
  e.code = code;
  e.sqlstate = std::move(sqlstate);
  e.message = std::move(msg);
  return e.Serialize(p::kClientProtocol41);
}

TEST(ClientHandshake, BuildsNativePasswordResponse) {
  ClientHandshake hs(Params("trade"));
  auto step = hs.OnServerPacket(ServerHello());
  ASSERT_TRUE(step.ok()) << step.status().ToString();
  EXPECT_FALSE(step->done);
  EXPECT_EQ(hs.state(), ClientHandshake::State::kWaitAuthResult);
  EXPECT_EQ(hs.connection_id(), 4242u);

  auto resp = p::HandshakeResponse::Parse(step->send);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->username, "app");
  EXPECT_EQ(resp->database, "trade");
  EXPECT_EQ(resp->charset, 224);
  EXPECT_EQ(resp->auth_plugin_name, "mysql_native_password");
  EXPECT_EQ(resp->auth_response, p::NativePasswordScramble("secret", kNonce));
  EXPECT_EQ(resp->auth_response.size(), 20u);
  // Verifiable by a server that knows the password.
  EXPECT_TRUE(p::NativePasswordVerify(kNonce, resp->auth_response, "secret"));

  const uint64_t caps = resp->capabilities;
  EXPECT_EQ(caps, hs.caps());
  EXPECT_TRUE(caps & p::kClientDeprecateEof);
  EXPECT_TRUE(caps & p::kClientMultiResults);
  EXPECT_TRUE(caps & p::kClientMultiStatements);
  EXPECT_TRUE(caps & p::kClientSessionTrack);
  EXPECT_TRUE(caps & p::kClientConnectWithDb);
  EXPECT_FALSE(caps & p::kClientSsl);
  EXPECT_FALSE(caps & p::kClientCompress);
  EXPECT_FALSE(caps & p::kClientFoundRows);
  EXPECT_FALSE(caps & p::kMariaDbClientExtendedMetadata);

  auto done = hs.OnServerPacket(OkPayload());
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->done);
  EXPECT_TRUE(done->send.empty());
  EXPECT_EQ(hs.state(), ClientHandshake::State::kDone);
}

TEST(ClientHandshake, ExtendedMetadataTravelsInTheHighBits) {
  auto prm = Params();
  prm.client_caps |= p::kMariaDbClientExtendedMetadata;
  ClientHandshake hs(prm);
  auto step = hs.OnServerPacket(ServerHello());
  ASSERT_TRUE(step.ok());
  auto resp = p::HandshakeResponse::Parse(step->send);
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->capabilities & p::kMariaDbClientExtendedMetadata);
  EXPECT_FALSE(resp->capabilities & p::kClientLongPassword);
}

TEST(ClientHandshake, EmptyPasswordSendsEmptyResponse) {
  auto prm = Params();
  prm.password = "";
  ClientHandshake hs(prm);
  auto step = hs.OnServerPacket(ServerHello());
  ASSERT_TRUE(step.ok());
  auto resp = p::HandshakeResponse::Parse(step->send);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->auth_response, "");
}

TEST(ClientHandshake, AuthSwitchToNativeAnswersTheNewNonce) {
  ClientHandshake hs(Params());
  ASSERT_TRUE(hs.OnServerPacket(ServerHello()).ok());
  p::AuthSwitchRequest sw;
  sw.plugin_name = "mysql_native_password";
  const std::string nonce2 = "ZYXWVUTSRQponmlkjihg";
  sw.plugin_data = nonce2 + std::string(1, '\0');
  auto step = hs.OnServerPacket(sw.Serialize());
  ASSERT_TRUE(step.ok()) << step.status().ToString();
  EXPECT_FALSE(step->done);
  EXPECT_EQ(step->send, p::NativePasswordScramble("secret", nonce2));
  auto done = hs.OnServerPacket(OkPayload());
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->done);
}

TEST(ClientHandshake, AuthSwitchToAnotherPluginFails) {
  ClientHandshake hs(Params());
  ASSERT_TRUE(hs.OnServerPacket(ServerHello()).ok());
  p::AuthSwitchRequest sw;
  sw.plugin_name = "caching_sha2_password";
  sw.plugin_data = kNonce;
  auto step = hs.OnServerPacket(sw.Serialize());
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.status().code(), errors::kBackendUnavailable.code);
  EXPECT_NE(step.status().message().find("caching_sha2_password"), std::string::npos);
  EXPECT_EQ(hs.state(), ClientHandshake::State::kFailed);
}

TEST(ClientHandshake, ServerErrPassesThroughUnchanged) {
  ClientHandshake hs(Params("nosuchdb"));
  ASSERT_TRUE(hs.OnServerPacket(ServerHello()).ok());
  auto step = hs.OnServerPacket(ErrPayload(1049, "42000", "Unknown database 'nosuchdb'"));
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.status().code(), 1049);
  EXPECT_EQ(step.status().sqlstate(), "42000");
  EXPECT_EQ(step.status().message(), "Unknown database 'nosuchdb'");
}

TEST(ClientHandshake, ErrInsteadOfHandshake) {
  // A server at max_connections answers the TCP connect with a bare ERR.
  std::string err = "\xff\x10\x04Too many connections";  // 1040, no SQLSTATE marker
  ClientHandshake hs(Params());
  auto step = hs.OnServerPacket(err);
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.status().code(), 1040);
  EXPECT_EQ(step.status().sqlstate(), "HY000");
  EXPECT_EQ(step.status().message(), "Too many connections");

  ClientHandshake hs2(Params());
  auto step2 = hs2.OnServerPacket(ErrPayload(1040, "08004", "Too many connections"));
  ASSERT_FALSE(step2.ok());
  EXPECT_EQ(step2.status().sqlstate(), "08004");
}

TEST(ClientHandshake, MissingBytesAffectingCapFails) {
  ClientHandshake hs(Params());
  auto step = hs.OnServerPacket(ServerHello(kServerCaps & ~p::kClientDeprecateEof));
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(hs.missing_caps(), p::kClientDeprecateEof);
}

TEST(ClientHandshake, GarbageIsAnError) {
  ClientHandshake hs(Params());
  auto step = hs.OnServerPacket(std::string("\x0a\x35", 2));
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.status().code(), errors::kBackendUnavailable.code);
  ClientHandshake hs2(Params());
  ASSERT_TRUE(hs2.OnServerPacket(ServerHello()).ok());
  EXPECT_FALSE(hs2.OnServerPacket("").ok());
  ClientHandshake hs3(Params());
  ASSERT_TRUE(hs3.OnServerPacket(ServerHello()).ok());
  EXPECT_FALSE(hs3.OnServerPacket(std::string("\x01\x04", 2)).ok());  // AuthMoreData
}

TEST(ClientHandshake, FeedingAfterDoneIsABug) {
  ClientHandshake hs(Params());
  ASSERT_TRUE(hs.OnServerPacket(ServerHello()).ok());
  ASSERT_TRUE(hs.OnServerPacket(OkPayload()).ok());
  auto again = hs.OnServerPacket(OkPayload());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("[BUG]"), std::string::npos);
}

}  // namespace
}  // namespace shardproxy::backend
