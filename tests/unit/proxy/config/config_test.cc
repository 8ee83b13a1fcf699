#include "proxy/config/config.h"

#include <gtest/gtest.h>

#include <string>

namespace shardproxy {
namespace {

constexpr const char* kGood = R"(
listen: {address: 0.0.0.0, port: 7000}
threads: 3
server_version: 5.5.5-10.11.6-MariaDB-test
max_connections: 50
idle_timeout: 30s
max_allowed_packet: 16M
shutdown_grace: 2s
log_level: debug
data_dir: /tmp/sp
users:
  - {name: app, password: app}
  - {name: ro, password: ""}
backend:
  connect_timeout: 500ms
  probe_interval: 2s
  probe_timeout: 1500
  probe_misses: 5
parser_cache:
  max_entries: 1000
  max_bytes: 8M
  max_statement_size: 32K
  max_statement_literals: 512
groups:
  - name: g0
    master: {host: 127.0.0.1, port: 23306}
    replicas: [{host: 127.0.0.1, port: 23307}]
    user: app
    password: app
  - name: g1
    master: {host: db1, port: 3306}
    user: u1
)";

TEST(Config, GoodFileParsesEveryKey) {
  auto r = LoadConfigString(kGood);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Config& c = *r;
  EXPECT_EQ(c.listen.address, "0.0.0.0");
  EXPECT_EQ(c.listen.port, 7000);
  EXPECT_EQ(c.threads, 3);
  EXPECT_EQ(c.server_version, "5.5.5-10.11.6-MariaDB-test");
  EXPECT_EQ(c.max_connections, 50u);
  EXPECT_EQ(c.idle_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c.max_allowed_packet, 16u << 20);
  EXPECT_EQ(c.shutdown_grace, std::chrono::seconds(2));
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.data_dir, "/tmp/sp");
  ASSERT_EQ(c.users.size(), 2u);
  EXPECT_EQ(c.users[1].name, "ro");
  EXPECT_EQ(c.users[1].password, "");
  EXPECT_EQ(c.backend.connect, std::chrono::milliseconds(500));
  EXPECT_EQ(c.backend.probe_interval, std::chrono::seconds(2));
  EXPECT_EQ(c.backend.probe_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.backend.probe_misses, 5);
  EXPECT_EQ(c.parser_cache.max_entries, 1000u);
  EXPECT_EQ(c.parser_cache.max_bytes, 8u << 20);
  EXPECT_EQ(c.parser_cache.max_statement_size, 32u << 10);
  EXPECT_EQ(c.parser_cache.max_statement_literals, 512u);
  ASSERT_EQ(c.groups.size(), 2u);
  EXPECT_EQ(c.groups[0].master.ToString(), "127.0.0.1:23306");
  ASSERT_EQ(c.groups[0].replicas.size(), 1u);
  EXPECT_EQ(c.groups[0].replicas[0].port, 23307);
  EXPECT_EQ(c.groups[1].user, "u1");
  EXPECT_TRUE(c.groups[1].replicas.empty());
  EXPECT_NE(c.FindUser("app"), nullptr);
  EXPECT_EQ(c.FindUser("nobody"), nullptr);
  EXPECT_EQ(c.FindGroup("g1"), &c.groups[1]);
}

TEST(Config, DefaultsWhenKeysAreAbsent) {
  auto r = LoadConfigString(
      "users: [{name: a, password: b}]\ngroups: [{name: g0, master: {host: h, port: 1}, user: "
      "u}]\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->listen.address, "127.0.0.1");
  EXPECT_EQ(r->listen.port, 6033);
  EXPECT_GE(r->threads, 1);  // 0 resolved to the core count
  EXPECT_EQ(r->max_allowed_packet, 64u << 20);
  EXPECT_EQ(r->backend.connect, std::chrono::milliseconds(3000));
  EXPECT_EQ(r->backend.probe_interval, std::chrono::milliseconds(1000));
  EXPECT_EQ(r->backend.probe_misses, 3);
  EXPECT_EQ(r->server_version.rfind("5.5.5-", 0), 0u);
  EXPECT_EQ(r->data_dir, "var/proxy");
  EXPECT_TRUE(r->show_create_table_sharding);
  EXPECT_EQ(r->parser_cache.max_entries, 4096u);
  EXPECT_EQ(r->parser_cache.max_bytes, 16u << 20);
  EXPECT_EQ(r->parser_cache.max_statement_size, 64u << 10);
  EXPECT_EQ(r->parser_cache.max_statement_literals, 4096u);
}

TEST(Config, ParserCacheZeroDisablesAndPartialKeysKeepDefaults) {
  auto r = LoadConfigString(
      "users: [{name: a}]\nparser_cache: {max_bytes: 0}\n"
      "groups: [{name: g0, master: {host: h, port: 1}, user: u}]\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->parser_cache.max_bytes, 0u);
  EXPECT_EQ(r->parser_cache.max_entries, 4096u);
  EXPECT_EQ(r->parser_cache.max_statement_size, 64u << 10);
}

TEST(Config, EmbeddedDefaultIsTheSandboxFileAndMatchesTheContract) {
  auto r = LoadConfigString(EmbeddedDefaultConfig(), "(embedded)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->listen.port, 6033);
  ASSERT_EQ(r->groups.size(), 2u);
  EXPECT_EQ(r->groups[0].name, "g0");
  EXPECT_EQ(r->groups[0].master.port, 23306);
  EXPECT_EQ(r->groups[0].replicas.at(0).port, 23307);
  EXPECT_EQ(r->groups[1].name, "g1");
  EXPECT_EQ(r->groups[1].master.port, 23316);
  EXPECT_EQ(r->groups[1].replicas.at(0).port, 23317);
  EXPECT_EQ(r->groups[0].user, "app");
  EXPECT_EQ(r->groups[0].password, "app");
  ASSERT_NE(r->FindUser("app"), nullptr);
  EXPECT_EQ(r->FindUser("app")->password, "app");

  auto file = LoadConfigFile(std::string(SHARDPROXY_SOURCE_DIR) + "/conf/sandbox.yaml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->groups.size(), 2u);
  auto example = LoadConfigFile(std::string(SHARDPROXY_SOURCE_DIR) + "/conf/example.yaml");
  ASSERT_TRUE(example.ok()) << example.status().ToString();
}

// A valid base with one substitution, to check each bad key in isolation.
std::string Base(const std::string& replace_line, const std::string& with) {
  std::string base =
      "listen: {address: 127.0.0.1, port: 6033}\n"
      "threads: 2\n"
      "max_connections: 10\n"
      "idle_timeout: 1h\n"
      "max_allowed_packet: 64M\n"
      "log_level: info\n"
      "users: [{name: app, password: app}]\n"
      "backend: {connect_timeout: 3s, probe_interval: 1s, probe_timeout: 1s, probe_misses: 3}\n"
      "parser_cache: {max_entries: 4096, max_bytes: 16M, max_statement_size: 64K}\n"
      "groups:\n"
      "  - name: g0\n"
      "    master: {host: 127.0.0.1, port: 23306}\n"
      "    user: app\n";
  size_t p = base.find(replace_line);
  EXPECT_NE(p, std::string::npos) << replace_line;
  base.replace(p, replace_line.size(), with);
  return base;
}

struct BadCase {
  const char* line;
  const char* with;
  const char* expected;  // exact message
};

class BadConfig : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadConfig, NamesTheKey) {
  const BadCase& c = GetParam();
  auto r = LoadConfigString(Base(c.line, c.with));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    EachKey, BadConfig,
    ::testing::Values(
        BadCase{"port: 23306}", "port: abc}",
                "config: groups[0].master.port: expected a port number 1..65535, got 'abc'"},
        BadCase{"port: 23306}", "port: 70000}",
                "config: groups[0].master.port: expected a port number 1..65535, got '70000'"},
        BadCase{"host: 127.0.0.1, port: 23306", "port: 23306",
                "config: groups[0].master.host: missing"},
        BadCase{"port: 6033}", "port: 0}",
                "config: listen.port: expected a port number 1..65535, got '0'"},
        BadCase{"address: 127.0.0.1, ", "address: '', ",
                "config: listen.address: must not be empty"},
        BadCase{"threads: 2", "threads: -1",
                "config: threads: expected a thread count 0..256 (0 = one per core), got '-1'"},
        BadCase{"max_connections: 10", "max_connections: lots",
                "config: max_connections: expected a number 1..1000000, got 'lots'"},
        BadCase{"idle_timeout: 1h", "idle_timeout: 5 days",
                "config: idle_timeout: expected a duration like 500ms, 3s, 5m, 8h (at least "
                "1000ms), got '5 days'"},
        BadCase{"max_allowed_packet: 64M", "max_allowed_packet: 2G",
                "config: max_allowed_packet: expected a size like 4096, 512K, 64M, 1G (between "
                "1024 and "
                "1073741824 bytes), got '2G'"},
        BadCase{"log_level: info", "log_level: loud",
                "config: log_level: expected one of trace, debug, info, warn, error, critical, "
                "off, got 'loud'"},
        BadCase{"users: [{name: app, password: app}]", "users: []",
                "config: users: at least one user is required"},
        BadCase{"users: [{name: app, password: app}]", "users: [{name: app}, {name: app}]",
                "config: users[1].name: duplicate user 'app'"},
        BadCase{"users: [{name: app, password: app}]", "users: [{password: x}]",
                "config: users[0].name: missing"},
        BadCase{"probe_misses: 3}", "probe_misses: 0}",
                "config: backend.probe_misses: expected a number 1..1000, got '0'"},
        BadCase{"connect_timeout: 3s", "connect_timeout: fast",
                "config: backend.connect_timeout: expected a duration like 500ms, 3s, 5m, 8h (at "
                "least 10ms), got "
                "'fast'"},
        BadCase{"probe_interval: 1s", "probe_intervall: 1s",
                "config: backend.probe_intervall: unknown key (known here: connect_timeout, "
                "probe_interval, "
                "probe_timeout, probe_misses)"},
        BadCase{"    user: app\n", "", "config: groups[0].user: missing"},
        BadCase{"  - name: g0\n", "  - name: 'g 0'\n",
                "config: groups[0].name: only letters, digits, '_' and '-' are allowed, got 'g 0'"},
        BadCase{"threads: 2", "thread: 2",
                "config: thread: unknown key (known here: listen, threads, server_version, "
                "max_connections, "
                "idle_timeout, max_allowed_packet, shutdown_grace, log_level, data_dir, "
                "show_create_table_sharding, users, backend, parser_cache, groups, schemas)"},
        BadCase{"log_level: info\n", "log_level: info\nshow_create_table_sharding: sometimes\n",
                "config: show_create_table_sharding: expected true or false, got 'sometimes'"},
        BadCase{"max_bytes: 16M", "max_bytes: lots",
                "config: parser_cache.max_bytes: expected a size like 4096, 512K, 64M, 1G "
                "(between 0 and 68719476736 bytes), got 'lots'"},
        BadCase{"max_entries: 4096", "max_entries: -5",
                "config: parser_cache.max_entries: expected a number 0..10000000 (0 = no cache), "
                "got '-5'"},
        BadCase{"max_statement_size: 64K", "max_statement_size: 2G",
                "config: parser_cache.max_statement_size: expected a size like 4096, 512K, 64M, "
                "1G (between 0 and 1073741824 bytes), got '2G'"},
        BadCase{"max_statement_size: 64K", "max_statement_literal: 10",
                "config: parser_cache.max_statement_literal: unknown key (known here: "
                "max_entries, max_bytes, max_statement_size, max_statement_literals)"},
        BadCase{"parser_cache: {max_entries: 4096, max_bytes: 16M, max_statement_size: 64K}",
                "parser_cache: 16M", "config: parser_cache: expected a mapping, got '16M'"},
        BadCase{
            "    master: {host: 127.0.0.1, port: 23306}\n", "    master: [1, 2]\n",
            "config: groups[0].master: expected a mapping {host: ..., port: ...}, got a list"}));

TEST(Config, MissingGroupsAndDuplicateGroup) {
  auto r = LoadConfigString("users: [{name: a}]\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "config: groups: missing: at least one group is required");
  auto d = LoadConfigString(
      "users: [{name: a}]\ngroups: [{name: g0, master: {host: h, port: 1}, user: u}, "
      "{name: g0, master: {host: h, port: 2}, user: u}]\n");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "config: groups[1].name: duplicate group 'g0'");
}

TEST(Config, InvalidYamlNamesTheLine) {
  auto r = LoadConfigString("listen: {address: [\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("config: my.yaml: not valid YAML at line"), std::string::npos)
      << r.status().message();
}

TEST(Config, MissingFile) {
  auto r = LoadConfigFile("/nonexistent/x.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "config: /nonexistent/x.yaml: cannot open the file");
}

TEST(Config, EmptyFile) {
  auto r = LoadConfigString("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "config: (top): the file is empty");
}

}  // namespace
}  // namespace shardproxy
