// The proxy's configuration: a plain, immutable snapshot loaded once from YAML.
//
// Entry point: LoadConfigFile / LoadConfigString (config.cc). Every value is
// validated; a bad value gives a Status whose message names the key, e.g.
//   config: groups[0].master.port: expected a port number 1..65535, got 'abc'
// Every key is documented in docs/CONFIG.md.
//
// Ownership: main() owns the Config for the process lifetime; sessions, the
// backend layer and the health monitor keep `const Config&` / `const GroupConfig*`
// into it and never mutate it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace shardproxy {

// host:port of one MariaDB/MySQL server.
struct Endpoint {
  std::string host;
  uint16_t port = 0;

  std::string ToString() const { return host + ":" + std::to_string(port); }
};

// One shard group: a master and its replicas, and the credentials the proxy
// uses for its data connections to them.
struct GroupConfig {
  std::string name;                // "g0"; unique; named in errors
  Endpoint master;                 // writes (and, in the foundation, all traffic)
  std::vector<Endpoint> replicas;  // read-only copies (used by later issues)
  std::string user;                // backend user for data connections
  std::string password;            // its password (mysql_native_password)
};

// Timeouts of the backend layer (proxy/backend).
struct BackendTimeouts {
  std::chrono::milliseconds connect{3000};         // TCP connect + MySQL handshake, new connections
  std::chrono::milliseconds probe_interval{1000};  // liveness COM_PING period per group master
  int probe_misses = 3;                            // consecutive failed/late probes => group down
  std::chrono::milliseconds probe_timeout{1000};   // one probe's deadline
};

// An application user the proxy accepts (mysql_native_password).
struct UserConfig {
  std::string name;
  std::string password;
};

// The parser's template cache, one per io_context thread (parser/cache:
// parser::CacheLimits; server.cc applies it at thread start). Entries are
// bounded in number and in approximate heap bytes; statements above either
// size threshold are parsed but never cached. Why the defaults:
// parser/cache/README.md.
struct ParserCacheConfig {
  uint64_t max_entries = 4096;                       // templates per thread; 0 = no cache
  uint64_t max_bytes = uint64_t{16} << 20;           // approximate heap bytes per thread
  uint64_t max_statement_size = uint64_t{64} << 10;  // longer SQL: parsed, not cached
  uint64_t max_statement_literals = 4096;            // more literals: parsed, not cached
};

// A schema declared in the config (schemas:). Sharded: split into vparts
// over `groups` (vpart_count, default 1024). Unsharded: on groups[0] only. A
// schema nobody declares is unsharded on the default group (groups[0] of the
// config).
struct SchemaConfig {
  std::string name;
  bool sharded = false;
  std::vector<std::string> groups;  // unsharded: exactly one
  uint32_t vpart_count = 1024;
};

struct ListenConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 6033;
};

struct Config {
  ListenConfig listen;
  // io_context threads; 0 in the file means "one per core" and is resolved at
  // load time, so after loading threads >= 1.
  int threads = 0;
  // Advertised in the handshake. The "5.5.5-" prefix is MariaDB's own trick:
  // MariaDB clients strip it and see "10.11.0-MariaDB-...", which tells them
  // the server is MariaDB (what the backends are); MySQL clients see 5.5.5.
  std::string server_version = "5.5.5-10.11.6-MariaDB-shardproxy";
  uint32_t max_connections = 1000;                   // client sessions; more => ERR 1040
  std::chrono::milliseconds idle_timeout{28800000};  // idle client closed after this (8 h)
  uint32_t max_allowed_packet = 64u << 20;           // logical client packet limit => ERR 1153
  std::chrono::milliseconds shutdown_grace{
      5000};  // SIGTERM: wait this long for in-flight statements
  std::vector<UserConfig> users;
  std::vector<GroupConfig> groups;  // groups[0] is the default group
  std::vector<SchemaConfig> schemas;
  BackendTimeouts backend;
  ParserCacheConfig parser_cache;
  std::string log_level = "info";      // trace|debug|info|warn|error|critical|off
  std::string data_dir = "var/proxy";  // metadata store (later issues)
  // SHOW CREATE TABLE of a sharded / broadcast table appends the sharding
  // clause (DBPARTITION BY HASH(col) / BROADCAST), so that a dump taken through
  // the proxy restores the placement. false: MariaDB's text only (a dump for a
  // plain MariaDB). A session overrides it: SET SESSION shardproxy_show_sharding.
  bool show_create_table_sharding = true;

  // Lookups (linear: lists are small).
  const UserConfig* FindUser(std::string_view name) const;
  const GroupConfig* FindGroup(std::string_view name) const;
};

// Parses and validates YAML text. `origin` names the source in messages.
Result<Config> LoadConfigString(std::string_view yaml_text, std::string_view origin = "config");
// Reads and parses a file.
Result<Config> LoadConfigFile(const std::string& path);
// The built-in default: conf/sandbox.yaml, embedded at build time.
std::string_view EmbeddedDefaultConfig();

}  // namespace shardproxy
