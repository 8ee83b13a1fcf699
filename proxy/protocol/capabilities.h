// Capability and server-status flags of the MySQL / MariaDB protocol.
//
// Capabilities are carried in one uint64_t:
//   low 32 bits  = MySQL CLIENT_* flags (handshake "capability flags" lower+upper)
//   high 32 bits = MariaDB extended capabilities, sent in the last 4 of the 10
//                  reserved bytes of the server handshake (and of the 23-byte
//                  filler of the client's HandshakeResponse) only when
//                  CLIENT_LONG_PASSWORD (a.k.a. CLIENT_MYSQL) is clear.
#pragma once

#include <cstdint>

namespace shardproxy::protocol {

// ---- MySQL capabilities (low 32 bits) ----
inline constexpr uint64_t kClientLongPassword = 1;  // CLIENT_MYSQL: set by MySQL, clear on MariaDB
inline constexpr uint64_t kClientMysql = kClientLongPassword;
inline constexpr uint64_t kClientFoundRows = 2;      // affected rows = found rows
inline constexpr uint64_t kClientLongFlag = 4;       // all column flags
inline constexpr uint64_t kClientConnectWithDb = 8;  // database in HandshakeResponse
inline constexpr uint64_t kClientNoSchema = 0x10;    // disallow db.table.column
inline constexpr uint64_t kClientCompress = 0x20;    // compressed protocol
inline constexpr uint64_t kClientOdbc = 0x40;
inline constexpr uint64_t kClientLocalFiles = 0x80;  // LOAD DATA LOCAL allowed
inline constexpr uint64_t kClientIgnoreSpace = 0x100;
inline constexpr uint64_t kClientProtocol41 = 0x200;  // 4.1 protocol (everyone)
inline constexpr uint64_t kClientInteractive = 0x400;
inline constexpr uint64_t kClientSsl = 0x800;  // switch to TLS after SSLRequest
inline constexpr uint64_t kClientIgnoreSigpipe = 0x1000;
inline constexpr uint64_t kClientTransactions = 0x2000;  // status flags in OK
inline constexpr uint64_t kClientReserved = 0x4000;
inline constexpr uint64_t kClientSecureConnection = 0x8000;  // 1-byte-length auth response
inline constexpr uint64_t kClientMultiStatements = 1u << 16;
inline constexpr uint64_t kClientMultiResults = 1u << 17;
inline constexpr uint64_t kClientPsMultiResults = 1u << 18;
inline constexpr uint64_t kClientPluginAuth = 1u << 19;
inline constexpr uint64_t kClientConnectAttrs = 1u << 20;
inline constexpr uint64_t kClientPluginAuthLenencClientData = 1u << 21;
inline constexpr uint64_t kClientCanHandleExpiredPasswords = 1u << 22;
inline constexpr uint64_t kClientSessionTrack = 1u << 23;  // session state info in OK
inline constexpr uint64_t kClientDeprecateEof = 1u << 24;  // OK(0xFE) instead of EOF
inline constexpr uint64_t kClientSslVerifyServerCert = 1u << 30;
inline constexpr uint64_t kClientRememberOptions = 1u << 31;

// ---- MariaDB extended capabilities (high 32 bits) ----
inline constexpr uint64_t kMariaDbClientProgress = 1ull << 32;  // ERR 0xFFFF progress packets
inline constexpr uint64_t kMariaDbClientComMulti = 1ull << 33;
inline constexpr uint64_t kMariaDbClientStmtBulkOperations = 1ull << 34;  // COM_STMT_BULK_EXECUTE
inline constexpr uint64_t kMariaDbClientExtendedMetadata = 1ull << 35;    // extra column-def info
inline constexpr uint64_t kMariaDbClientCacheMetadata = 1ull << 36;       // "metadata follows" byte

// Capabilities that change the bytes of OK/EOF packets, column definitions,
// rows or the shape of responses. A backend connection that relays responses
// verbatim to a client must use the client's values of these.
inline constexpr uint64_t kBytesAffectingCaps =
    kClientProtocol41 | kClientFoundRows | kClientLongFlag | kClientTransactions |
    kClientDeprecateEof | kClientMultiResults | kClientPsMultiResults | kClientSessionTrack |
    kMariaDbClientProgress | kMariaDbClientExtendedMetadata | kMariaDbClientCacheMetadata;

// Mask of the MariaDB extended part.
inline constexpr uint64_t kMariaDbExtendedCapsMask = 0xFFFFFFFF00000000ull;

// ---- Server status flags (OK / EOF packets) ----
inline constexpr uint16_t kServerStatusInTrans = 0x0001;      // transaction active
inline constexpr uint16_t kServerStatusAutocommit = 0x0002;   // autocommit on
inline constexpr uint16_t kServerMoreResultsExists = 0x0008;  // another result follows
inline constexpr uint16_t kServerQueryNoGoodIndexUsed = 0x0010;
inline constexpr uint16_t kServerQueryNoIndexUsed = 0x0020;
inline constexpr uint16_t kServerStatusCursorExists = 0x0040;  // execute opened a cursor
inline constexpr uint16_t kServerStatusLastRowSent = 0x0080;   // fetch: cursor exhausted
inline constexpr uint16_t kServerStatusDbDropped = 0x0100;
inline constexpr uint16_t kServerStatusNoBackslashEscapes = 0x0200;
inline constexpr uint16_t kServerStatusMetadataChanged = 0x0400;
inline constexpr uint16_t kServerQueryWasSlow = 0x0800;
inline constexpr uint16_t kServerPsOutParams = 0x1000;  // result set of OUT params
inline constexpr uint16_t kServerStatusInTransReadonly = 0x2000;
inline constexpr uint16_t kServerSessionStateChanged = 0x4000;  // OK carries session state info

}  // namespace shardproxy::protocol
