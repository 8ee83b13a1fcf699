#include "proxy/backend/backend_caps.h"

#include <gtest/gtest.h>

#include "proxy/protocol/capabilities.h"

namespace shardproxy::backend {
namespace {

using namespace protocol;  // NOLINT(build/namespaces): flag names read better unqualified

// What MariaDB 10.11 offers (no CLIENT_MYSQL; extended caps in the high bits).
constexpr uint64_t kMariaDbServer =
    kClientFoundRows | kClientLongFlag | kClientConnectWithDb | kClientNoSchema | kClientCompress |
    kClientOdbc | kClientLocalFiles | kClientIgnoreSpace | kClientProtocol41 | kClientInteractive |
    kClientSsl | kClientIgnoreSigpipe | kClientTransactions | kClientReserved |
    kClientSecureConnection | kClientMultiStatements | kClientMultiResults | kClientPsMultiResults |
    kClientPluginAuth | kClientConnectAttrs | kClientPluginAuthLenencClientData |
    kClientCanHandleExpiredPasswords | kClientSessionTrack | kClientDeprecateEof |
    kClientSslVerifyServerCert | kClientRememberOptions | kMariaDbClientProgress |
    kMariaDbClientComMulti | kMariaDbClientStmtBulkOperations | kMariaDbClientExtendedMetadata |
    kMariaDbClientCacheMetadata;

constexpr uint64_t kAlways = kClientProtocol41 | kClientSecureConnection | kClientPluginAuth |
                             kClientTransactions | kClientSessionTrack;

TEST(BackendCaps, BytesAffectingFlagsCopiedExactlyBothWays) {
  const uint64_t bytes_flags[] = {kClientDeprecateEof,
                                  kClientMultiResults,
                                  kClientPsMultiResults,
                                  kClientFoundRows,
                                  kMariaDbClientExtendedMetadata,
                                  kClientLongFlag};
  for (uint64_t f : bytes_flags) {
    EXPECT_TRUE(SelectBackendCaps(kAlways | f, kMariaDbServer, false) & f) << std::hex << f;
    EXPECT_FALSE(SelectBackendCaps(kAlways, kMariaDbServer, false) & f) << std::hex << f;
  }
}

TEST(BackendCaps, AlwaysOnEvenIfTheClientLacksThem) {
  // An old client: 4.1 protocol but no SESSION_TRACK, no PLUGIN_AUTH.
  uint64_t caps =
      SelectBackendCaps(kClientProtocol41 | kClientSecureConnection, kMariaDbServer, false);
  EXPECT_EQ(caps & kAlways, kAlways);
}

TEST(BackendCaps, PerHopFlagsNeverCopied) {
  uint64_t client = kAlways | kClientSsl | kClientCompress | kClientSslVerifyServerCert;
  uint64_t caps = SelectBackendCaps(client, kMariaDbServer, false);
  EXPECT_FALSE(caps & kClientSsl);
  EXPECT_FALSE(caps & kClientCompress);
  EXPECT_FALSE(caps & kClientSslVerifyServerCert);
}

TEST(BackendCaps, MultiStatementsAndLocalFilesAsTheClient) {
  EXPECT_TRUE(SelectBackendCaps(kAlways | kClientMultiStatements, kMariaDbServer, false) &
              kClientMultiStatements);
  EXPECT_FALSE(SelectBackendCaps(kAlways, kMariaDbServer, false) & kClientMultiStatements);
  EXPECT_TRUE(SelectBackendCaps(kAlways | kClientLocalFiles, kMariaDbServer, false) &
              kClientLocalFiles);
  EXPECT_FALSE(SelectBackendCaps(kAlways, kMariaDbServer, false) & kClientLocalFiles);
}

TEST(BackendCaps, ConnectWithDbOnlyWithADatabase) {
  EXPECT_TRUE(SelectBackendCaps(kAlways, kMariaDbServer, true) & kClientConnectWithDb);
  EXPECT_FALSE(SelectBackendCaps(kAlways | kClientConnectWithDb, kMariaDbServer, false) &
               kClientConnectWithDb);
}

TEST(BackendCaps, OtherClientFlagsNotCopied) {
  uint64_t client = kAlways | kClientConnectAttrs | kClientNoSchema | kClientOdbc |
                    kMariaDbClientComMulti | kMariaDbClientStmtBulkOperations |
                    kClientCanHandleExpiredPasswords | kClientRememberOptions;
  EXPECT_EQ(SelectBackendCaps(client, kMariaDbServer, false), kAlways);
}

TEST(BackendCaps, ClientMysqlBitFollowsTheServer) {
  // MariaDB (CLIENT_MYSQL clear): clear, so the extended caps are honoured.
  EXPECT_FALSE(SelectBackendCaps(kAlways | kClientLongPassword, kMariaDbServer, false) &
               kClientLongPassword);
  // MySQL (CLIENT_MYSQL set): set, as every client does.
  EXPECT_TRUE(SelectBackendCaps(kAlways, kMariaDbServer | kClientLongPassword, false) &
              kClientLongPassword);
}

TEST(BackendCaps, MissingFlags) {
  EXPECT_EQ(MissingBackendCaps(kAlways | kClientDeprecateEof, kMariaDbServer, true), 0u);
  const uint64_t no_deprecate_eof = kMariaDbServer & ~kClientDeprecateEof;
  EXPECT_EQ(MissingBackendCaps(kAlways | kClientDeprecateEof, no_deprecate_eof, false),
            kClientDeprecateEof);
  EXPECT_EQ(MissingBackendCaps(kAlways, no_deprecate_eof, false), 0u);
  // The always-on flags are required even when the client lacks them.
  EXPECT_EQ(MissingBackendCaps(0, kMariaDbServer & ~kClientSessionTrack, false),
            kClientSessionTrack);
  // Per-hop flags are never required.
  EXPECT_EQ(MissingBackendCaps(kAlways | kClientSsl, kMariaDbServer & ~kClientSsl, false), 0u);
}

}  // namespace
}  // namespace shardproxy::backend
