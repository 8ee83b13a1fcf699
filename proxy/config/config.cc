// YAML -> Config with validation. yaml-cpp throws; every call into it is
// inside LoadConfigString's try block, nothing escapes this file.
#include "proxy/config/config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/errors.h"

namespace shardproxy {

namespace {

// A config error: errno 1105 is irrelevant here (main prints the message and
// exits), but Status is our one error type.
Status ConfigError(const std::string& key, const std::string& what) {
  return Status::Error(errors::kUnknownError.code, errors::kUnknownError.sqlstate,
                       "config: " + key + ": " + what);
}

std::string Quote(const YAML::Node& n) {
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "nothing";
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Rejects keys we do not know: a typo must not silently fall back to a default.
Status CheckKeys(const YAML::Node& map, const std::string& path,
                 std::initializer_list<const char*> known) {
  std::set<std::string> allowed;
  for (const char* k : known) allowed.insert(k);
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string k = it->first.IsScalar() ? it->first.Scalar() : "?";
    if (!allowed.count(k)) {
      std::string list;
      for (const char* a : known) list += (list.empty() ? "" : ", ") + std::string(a);
      return ConfigError(Join(path, k), "unknown key (known here: " + list + ")");
    }
  }
  return Status::Ok();
}

Result<uint64_t> ParseUint(const YAML::Node& n, const std::string& key, uint64_t lo, uint64_t hi,
                           const std::string& what) {
  auto fail = [&] { return ConfigError(key, "expected " + what + ", got " + Quote(n)); };
  if (!n.IsScalar()) return fail();
  const std::string& s = n.Scalar();
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return fail();
  if (v < lo || v > hi) return fail();
  return v;
}

Result<bool> ParseBool(const YAML::Node& n, const std::string& key) {
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v))
    return ConfigError(key, "expected true or false, got " + Quote(n));
  return v;
}

Result<std::string> ParseString(const YAML::Node& n, const std::string& key, bool allow_empty) {
  if (!n.IsScalar()) return ConfigError(key, "expected a string, got " + Quote(n));
  if (!allow_empty && n.Scalar().empty()) return ConfigError(key, "must not be empty");
  return n.Scalar();
}

// "500ms", "3s", "5m", "8h", or a bare number of milliseconds.
Result<std::chrono::milliseconds> ParseDuration(const YAML::Node& n, const std::string& key,
                                                int64_t min_ms) {
  auto fail = [&] {
    return ConfigError(key, "expected a duration like 500ms, 3s, 5m, 8h (at least " +
                                std::to_string(min_ms) + "ms), got " + Quote(n));
  };
  if (!n.IsScalar()) return fail();
  const std::string& s = n.Scalar();
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data()) return fail();
  std::string unit(p, s.data() + s.size());
  uint64_t mult;
  if (unit.empty() || unit == "ms")
    mult = 1;
  else if (unit == "s")
    mult = 1000;
  else if (unit == "m" || unit == "min")
    mult = 60000;
  else if (unit == "h")
    mult = 3600000;
  else
    return fail();
  if (v > (uint64_t{1} << 40) / mult) return fail();
  int64_t ms = static_cast<int64_t>(v * mult);
  if (ms < min_ms) return fail();
  return std::chrono::milliseconds(ms);
}

// "64M", "16MiB", "1G", "4096", "512K".
Result<uint64_t> ParseSize(const YAML::Node& n, const std::string& key, uint64_t lo, uint64_t hi) {
  auto fail = [&] {
    return ConfigError(key, "expected a size like 4096, 512K, 64M, 1G (between " +
                                std::to_string(lo) + " and " + std::to_string(hi) +
                                " bytes), got " + Quote(n));
  };
  if (!n.IsScalar()) return fail();
  const std::string& s = n.Scalar();
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data()) return fail();
  std::string unit(p, s.data() + s.size());
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  uint64_t mult;
  if (unit.empty() || unit == "B")
    mult = 1;
  else if (unit == "K" || unit == "KB" || unit == "KIB")
    mult = 1024;
  else if (unit == "M" || unit == "MB" || unit == "MIB")
    mult = 1024 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GIB")
    mult = 1024 * 1024 * 1024;
  else
    return fail();
  if (v > hi / mult + 1) return fail();
  uint64_t bytes = v * mult;
  if (bytes < lo || bytes > hi) return fail();
  return bytes;
}

Result<Endpoint> ParseEndpoint(const YAML::Node& n, const std::string& key) {
  if (!n.IsMap())
    return ConfigError(key, "expected a mapping {host: ..., port: ...}, got " + Quote(n));
  SP_RETURN_IF_ERROR(CheckKeys(n, key, {"host", "port"}));
  Endpoint ep;
  if (!n["host"]) return ConfigError(Join(key, "host"), "missing");
  auto host = ParseString(n["host"], Join(key, "host"), false);
  if (!host.ok()) return host.status();
  ep.host = *host;
  if (!n["port"]) return ConfigError(Join(key, "port"), "missing");
  auto port = ParseUint(n["port"], Join(key, "port"), 1, 65535, "a port number 1..65535");
  if (!port.ok()) return port.status();
  ep.port = static_cast<uint16_t>(*port);
  return ep;
}

#define SP_ASSIGN(lhs, expr)          \
  do {                                \
    auto _r = (expr);                 \
    if (!_r.ok()) return _r.status(); \
    lhs = std::move(*_r);             \
  } while (0)

Result<Config> Parse(const YAML::Node& root) {
  Config cfg;
  if (root.IsNull()) return ConfigError("(top)", "the file is empty");
  if (!root.IsMap()) return ConfigError("(top)", "expected a mapping of keys, got " + Quote(root));
  SP_RETURN_IF_ERROR(CheckKeys(
      root, "",
      {"listen", "threads", "server_version", "max_connections", "idle_timeout",
       "max_allowed_packet", "shutdown_grace", "log_level", "data_dir",
       "show_create_table_sharding", "users", "backend", "parser_cache", "groups", "schemas"}));

  if (auto n = root["listen"]) {
    if (!n.IsMap())
      return ConfigError("listen", "expected a mapping {address: ..., port: ...}, got " + Quote(n));
    SP_RETURN_IF_ERROR(CheckKeys(n, "listen", {"address", "port"}));
    if (n["address"])
      SP_ASSIGN(cfg.listen.address, ParseString(n["address"], "listen.address", false));
    if (n["port"]) {
      uint64_t p;
      SP_ASSIGN(p, ParseUint(n["port"], "listen.port", 1, 65535, "a port number 1..65535"));
      cfg.listen.port = static_cast<uint16_t>(p);
    }
  }
  if (auto n = root["threads"]) {
    uint64_t t;
    SP_ASSIGN(t, ParseUint(n, "threads", 0, 256, "a thread count 0..256 (0 = one per core)"));
    cfg.threads = static_cast<int>(t);
  }
  if (cfg.threads == 0)
    cfg.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (auto n = root["server_version"]) {
    SP_ASSIGN(cfg.server_version, ParseString(n, "server_version", false));
    if (cfg.server_version.size() > 200)
      return ConfigError("server_version", "longer than 200 characters");
    if (cfg.server_version.find('\0') != std::string::npos)
      return ConfigError("server_version", "must not contain a NUL byte");
  }
  if (auto n = root["max_connections"]) {
    uint64_t v;
    SP_ASSIGN(v, ParseUint(n, "max_connections", 1, 1000000, "a number 1..1000000"));
    cfg.max_connections = static_cast<uint32_t>(v);
  }
  if (auto n = root["idle_timeout"])
    SP_ASSIGN(cfg.idle_timeout, ParseDuration(n, "idle_timeout", 1000));
  if (auto n = root["max_allowed_packet"]) {
    uint64_t v;
    // MariaDB's own range for max_allowed_packet: 1K .. 1G.
    SP_ASSIGN(v, ParseSize(n, "max_allowed_packet", 1024, 1024u * 1024 * 1024));
    cfg.max_allowed_packet = static_cast<uint32_t>(v);
  }
  if (auto n = root["shutdown_grace"])
    SP_ASSIGN(cfg.shutdown_grace, ParseDuration(n, "shutdown_grace", 0));
  if (auto n = root["log_level"]) {
    SP_ASSIGN(cfg.log_level, ParseString(n, "log_level", false));
    static const std::set<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};
    if (!kLevels.count(cfg.log_level))
      return ConfigError("log_level",
                         "expected one of trace, debug, info, warn, error, critical, off, got '" +
                             cfg.log_level + "'");
  }
  if (auto n = root["data_dir"]) SP_ASSIGN(cfg.data_dir, ParseString(n, "data_dir", false));
  if (auto n = root["show_create_table_sharding"])
    SP_ASSIGN(cfg.show_create_table_sharding, ParseBool(n, "show_create_table_sharding"));

  if (auto n = root["users"]) {
    if (!n.IsSequence())
      return ConfigError("users", "expected a list of {name, password}, got " + Quote(n));
    for (size_t i = 0; i < n.size(); ++i) {
      std::string key = "users[" + std::to_string(i) + "]";
      const YAML::Node u = n[i];
      if (!u.IsMap())
        return ConfigError(key, "expected a mapping {name, password}, got " + Quote(u));
      SP_RETURN_IF_ERROR(CheckKeys(u, key, {"name", "password"}));
      UserConfig uc;
      if (!u["name"]) return ConfigError(key + ".name", "missing");
      SP_ASSIGN(uc.name, ParseString(u["name"], key + ".name", false));
      if (uc.name.size() > 80) return ConfigError(key + ".name", "longer than 80 characters");
      if (u["password"])
        SP_ASSIGN(uc.password, ParseString(u["password"], key + ".password", true));
      if (cfg.FindUser(uc.name))
        return ConfigError(key + ".name", "duplicate user '" + uc.name + "'");
      cfg.users.push_back(std::move(uc));
    }
  }
  if (cfg.users.empty()) return ConfigError("users", "at least one user is required");

  if (auto n = root["backend"]) {
    if (!n.IsMap()) return ConfigError("backend", "expected a mapping, got " + Quote(n));
    SP_RETURN_IF_ERROR(CheckKeys(
        n, "backend", {"connect_timeout", "probe_interval", "probe_timeout", "probe_misses"}));
    if (n["connect_timeout"])
      SP_ASSIGN(cfg.backend.connect,
                ParseDuration(n["connect_timeout"], "backend.connect_timeout", 10));
    if (n["probe_interval"])
      SP_ASSIGN(cfg.backend.probe_interval,
                ParseDuration(n["probe_interval"], "backend.probe_interval", 10));
    if (n["probe_timeout"])
      SP_ASSIGN(cfg.backend.probe_timeout,
                ParseDuration(n["probe_timeout"], "backend.probe_timeout", 10));
    if (n["probe_misses"]) {
      uint64_t v;
      SP_ASSIGN(v,
                ParseUint(n["probe_misses"], "backend.probe_misses", 1, 1000, "a number 1..1000"));
      cfg.backend.probe_misses = static_cast<int>(v);
    }
  }

  if (auto n = root["parser_cache"]) {
    if (!n.IsMap()) return ConfigError("parser_cache", "expected a mapping, got " + Quote(n));
    SP_RETURN_IF_ERROR(
        CheckKeys(n, "parser_cache",
                  {"max_entries", "max_bytes", "max_statement_size", "max_statement_literals"}));
    ParserCacheConfig& pc = cfg.parser_cache;
    if (n["max_entries"])
      SP_ASSIGN(pc.max_entries, ParseUint(n["max_entries"], "parser_cache.max_entries", 0, 10000000,
                                          "a number 0..10000000 (0 = no cache)"));
    if (n["max_bytes"])
      SP_ASSIGN(pc.max_bytes,
                ParseSize(n["max_bytes"], "parser_cache.max_bytes", 0, uint64_t{64} << 30));
    if (n["max_statement_size"])
      SP_ASSIGN(pc.max_statement_size,
                ParseSize(n["max_statement_size"], "parser_cache.max_statement_size", 0,
                          uint64_t{1} << 30));
    if (n["max_statement_literals"])
      SP_ASSIGN(pc.max_statement_literals,
                ParseUint(n["max_statement_literals"], "parser_cache.max_statement_literals", 0,
                          100000000, "a number 0..100000000"));
  }

  auto gn = root["groups"];
  if (!gn) return ConfigError("groups", "missing: at least one group is required");
  if (!gn.IsSequence()) return ConfigError("groups", "expected a list of groups, got " + Quote(gn));
  if (gn.size() == 0) return ConfigError("groups", "at least one group is required");
  for (size_t i = 0; i < gn.size(); ++i) {
    std::string key = "groups[" + std::to_string(i) + "]";
    const YAML::Node g = gn[i];
    if (!g.IsMap()) return ConfigError(key, "expected a mapping, got " + Quote(g));
    SP_RETURN_IF_ERROR(CheckKeys(g, key, {"name", "master", "replicas", "user", "password"}));
    GroupConfig gc;
    if (!g["name"]) return ConfigError(key + ".name", "missing");
    SP_ASSIGN(gc.name, ParseString(g["name"], key + ".name", false));
    for (char c : gc.name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
        return ConfigError(key + ".name",
                           "only letters, digits, '_' and '-' are allowed, got '" + gc.name + "'");
    }
    if (cfg.FindGroup(gc.name))
      return ConfigError(key + ".name", "duplicate group '" + gc.name + "'");
    if (!g["master"]) return ConfigError(key + ".master", "missing");
    SP_ASSIGN(gc.master, ParseEndpoint(g["master"], key + ".master"));
    if (auto r = g["replicas"]) {
      if (!r.IsSequence() && !r.IsNull())
        return ConfigError(key + ".replicas", "expected a list of {host, port}, got " + Quote(r));
      for (size_t j = 0; r.IsSequence() && j < r.size(); ++j) {
        Endpoint ep;
        SP_ASSIGN(ep, ParseEndpoint(r[j], key + ".replicas[" + std::to_string(j) + "]"));
        gc.replicas.push_back(std::move(ep));
      }
    }
    if (!g["user"]) return ConfigError(key + ".user", "missing");
    SP_ASSIGN(gc.user, ParseString(g["user"], key + ".user", false));
    if (g["password"]) SP_ASSIGN(gc.password, ParseString(g["password"], key + ".password", true));
    cfg.groups.push_back(std::move(gc));
  }

  if (auto sn = root["schemas"]) {
    if (!sn.IsSequence() && !sn.IsNull())
      return ConfigError("schemas", "expected a list of {name, sharded, groups}, got " + Quote(sn));
    for (size_t i = 0; sn.IsSequence() && i < sn.size(); ++i) {
      std::string key = "schemas[" + std::to_string(i) + "]";
      const YAML::Node n = sn[i];
      if (!n.IsMap()) return ConfigError(key, "expected a mapping, got " + Quote(n));
      SP_RETURN_IF_ERROR(CheckKeys(n, key, {"name", "sharded", "groups", "vparts"}));
      SchemaConfig sc;
      if (!n["name"]) return ConfigError(key + ".name", "missing");
      SP_ASSIGN(sc.name, ParseString(n["name"], key + ".name", false));
      for (const auto& other : cfg.schemas)
        if (other.name == sc.name)
          return ConfigError(key + ".name", "duplicate schema '" + sc.name + "'");
      if (auto b = n["sharded"]) SP_ASSIGN(sc.sharded, ParseBool(b, key + ".sharded"));
      if (auto g = n["groups"]) {
        if (!g.IsSequence())
          return ConfigError(key + ".groups", "expected a list of group names, got " + Quote(g));
        for (size_t j = 0; j < g.size(); ++j) {
          std::string gk = key + ".groups[" + std::to_string(j) + "]";
          std::string name;
          SP_ASSIGN(name, ParseString(g[j], gk, false));
          if (!cfg.FindGroup(name))
            return ConfigError(gk, "unknown group '" + name + "' (not in groups:)");
          for (const auto& seen : sc.groups)
            if (seen == name) return ConfigError(gk, "group '" + name + "' listed twice");
          sc.groups.push_back(std::move(name));
        }
      } else {
        sc.groups.push_back(cfg.groups[0].name);
        if (sc.sharded)
          for (size_t j = 1; j < cfg.groups.size(); ++j) sc.groups.push_back(cfg.groups[j].name);
      }
      if (sc.groups.empty()) return ConfigError(key + ".groups", "at least one group is required");
      if (!sc.sharded && sc.groups.size() != 1)
        return ConfigError(key + ".groups", "an unsharded schema lives on exactly one group");
      if (auto v = n["vparts"]) {
        int64_t count = 0;
        if (!YAML::convert<int64_t>::decode(v, count) || count < 1 || count > 65536 ||
            static_cast<size_t>(count) < sc.groups.size())
          return ConfigError(key + ".vparts",
                             "expected a number of vparts from the number of groups to 65536, "
                             "got " +
                                 Quote(v));
        sc.vpart_count = static_cast<uint32_t>(count);
      }
      cfg.schemas.push_back(std::move(sc));
    }
  }
  return cfg;
}

}  // namespace

const UserConfig* Config::FindUser(std::string_view name) const {
  for (const auto& u : users)
    if (u.name == name) return &u;
  return nullptr;
}

const GroupConfig* Config::FindGroup(std::string_view name) const {
  for (const auto& g : groups)
    if (g.name == name) return &g;
  return nullptr;
}

Result<Config> LoadConfigString(std::string_view yaml_text, std::string_view origin) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return Parse(root);
  } catch (const YAML::Exception& e) {
    // e.mark is 0-based; print 1-based line/column.
    std::string where = e.mark.is_null() ? ""
                                         : " at line " + std::to_string(e.mark.line + 1) +
                                               ", column " + std::to_string(e.mark.column + 1);
    return ConfigError(std::string(origin), "not valid YAML" + where + ": " + e.msg);
  } catch (const std::exception& e) {
    return ConfigError(std::string(origin), std::string("cannot be read: ") + e.what());
  }
}

Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError(path, "cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return ConfigError(path, "cannot read the file");
  return LoadConfigString(ss.str(), path);
}

}  // namespace shardproxy
