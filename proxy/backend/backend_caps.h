// Which capability flags the proxy asks of a backend, given its client's.
//
// Raw relay of rows and column definitions is only correct when the backend
// produces exactly the bytes the client expects, so the flags that change
// response bytes (protocol::kBytesAffectingCaps: DEPRECATE_EOF, MULTI_RESULTS,
// PS_MULTI_RESULTS, FOUND_ROWS, PROTOCOL_41, MariaDB extended metadata, ...) are
// copied from the client exactly. Per-hop flags (SSL, COMPRESS) are never
// copied: they concern one TCP hop, not the bytes of a result.
#pragma once

#include <cstdint>

namespace shardproxy::backend {

// Flags always requested from the backend (the proxy's own client needs them):
// PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, TRANSACTIONS, SESSION_TRACK.
uint64_t AlwaysOnBackendCaps();

// Flags copied from the client as they are (besides kBytesAffectingCaps):
// MULTI_STATEMENTS, LOCAL_FILES, IGNORE_SPACE (changes how SQL parses),
// INTERACTIVE (selects interactive_timeout on the server).
uint64_t CopiedFromClientCaps();

// The caps for the HandshakeResponse to a backend.
//   client_caps: what the client negotiated with the proxy;
//   server_caps: what the backend's initial handshake offers (incl. MariaDB's
//                extended caps in the high 32 bits);
//   with_db:     a database is sent in the handshake (CONNECT_WITH_DB).
// CLIENT_LONG_PASSWORD (= CLIENT_MYSQL) is cleared toward a MariaDB server (one
// that does not offer it), so that the MariaDB extended caps are honoured.
// Optional copied flags the server lacks are dropped (they change no bytes).
uint64_t SelectBackendCaps(uint64_t client_caps, uint64_t server_caps, bool with_db);

// The flags the result needs but the server does not offer: bytes-affecting
// flags of the client, the always-on flags, CONNECT_WITH_DB when with_db.
// Non-zero => do not use this backend for this client (relaying would corrupt
// results); see messages.h CapsMismatchError.
uint64_t MissingBackendCaps(uint64_t client_caps, uint64_t server_caps, bool with_db);

}  // namespace shardproxy::backend
