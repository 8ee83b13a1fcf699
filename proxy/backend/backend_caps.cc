#include "proxy/backend/backend_caps.h"

#include "proxy/protocol/capabilities.h"

namespace shardproxy::backend {

namespace p = ::shardproxy::protocol;

uint64_t AlwaysOnBackendCaps() {
  return p::kClientProtocol41 | p::kClientSecureConnection | p::kClientPluginAuth |
         p::kClientTransactions | p::kClientSessionTrack;
}

uint64_t CopiedFromClientCaps() {
  return p::kClientMultiStatements | p::kClientLocalFiles | p::kClientIgnoreSpace |
         p::kClientInteractive;
}

namespace {
constexpr uint64_t kPerHop = p::kClientSsl | p::kClientCompress | p::kClientSslVerifyServerCert;

uint64_t RequiredCaps(uint64_t client_caps, bool with_db) {
  return (client_caps & p::kBytesAffectingCaps & ~kPerHop) | AlwaysOnBackendCaps() |
         (with_db ? p::kClientConnectWithDb : 0);
}
}  // namespace

uint64_t SelectBackendCaps(uint64_t client_caps, uint64_t server_caps, bool with_db) {
  const uint64_t optional = client_caps & CopiedFromClientCaps() & server_caps;
  uint64_t want = RequiredCaps(client_caps, with_db) | optional;
  // MariaDB signals itself by NOT offering CLIENT_MYSQL (= LONG_PASSWORD); the
  // extended caps in the high 32 bits are then read from our response. Toward
  // MySQL we keep the bit set, as every client does.
  if (server_caps & p::kClientLongPassword) {
    want |= p::kClientLongPassword;
  } else {
    want &= ~p::kClientLongPassword;
  }
  return want & ~kPerHop;
}

uint64_t MissingBackendCaps(uint64_t client_caps, uint64_t server_caps, bool with_db) {
  return RequiredCaps(client_caps, with_db) & ~p::kClientLongPassword & ~server_caps;
}

}  // namespace shardproxy::backend
