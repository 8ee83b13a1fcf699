// shardproxy: a sharding MySQL-protocol proxy.
//   shardproxy [--config FILE] [--check] [--help] [--version]
// Without --config the built-in default is used: conf/sandbox.yaml, embedded
// into the binary at build time.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "parser/parser.h"
#include "proxy/config/config.h"
#include "proxy/net/server.h"

#ifndef SHARDPROXY_VERSION
#define SHARDPROXY_VERSION "0.0.0"
#endif

namespace {

void Usage(FILE* out) {
  std::fprintf(
      out,
      "Usage: shardproxy [--config FILE] [--check] [--help] [--version]\n"
      "\n"
      "A sharding MySQL-protocol proxy in front of MariaDB/MySQL shard groups.\n"
      "\n"
      "  --config FILE  YAML configuration (every key: docs/CONFIG.md). Without it the\n"
      "                 built-in default is used: conf/sandbox.yaml, embedded at build\n"
      "                 time (the local sandbox: clients on 127.0.0.1:6033, app/app).\n"
      "  --check        validate the configuration, print a summary and exit\n"
      "  --help         this text\n"
      "  --version      print the version and exit\n"
      "\n"
      "Signals: SIGTERM/SIGINT stop accepting, let running statements finish\n"
      "(shutdown_grace, default 5 s), close every connection and exit 0.\n"
      "Exit status: 0 clean stop, 1 runtime failure (e.g. port taken), 2 bad usage or config.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      Usage(stdout);
      return 0;
    } else if (a == "--version" || a == "-V") {
      std::printf("shardproxy %s\n", SHARDPROXY_VERSION);
      return 0;
    } else if (a == "--check") {
      check = true;
    } else if (a == "--config" || a == "-c") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "shardproxy: --config needs a file name\n");
        return 2;
      }
      config_path = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config_path = a.substr(std::strlen("--config="));
    } else {
      std::fprintf(stderr, "shardproxy: unknown argument '%s'\n\n", a.c_str());
      Usage(stderr);
      return 2;
    }
  }

  auto cfg = config_path.empty() ? shardproxy::LoadConfigString(shardproxy::EmbeddedDefaultConfig(),
                                                                "(built-in conf/sandbox.yaml)")
                                 : shardproxy::LoadConfigFile(config_path);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", cfg.status().message().c_str());
    return 2;
  }
  const shardproxy::Config& c = *cfg;
  if (check) {
    std::printf("config OK: listen %s:%u, %d threads, %zu users, %zu groups\n",
                c.listen.address.c_str(), c.listen.port, c.threads, c.users.size(),
                c.groups.size());
    return 0;
  }

  auto logger = spdlog::stderr_color_mt("shardproxy");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%L%$ [%t] %v");
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  spdlog::info("shardproxy {} starting with {}", SHARDPROXY_VERSION,
               config_path.empty() ? std::string("the built-in default config (conf/sandbox.yaml)")
                                   : config_path);
  for (const auto& g : c.groups) {
    spdlog::info("group {}: master {} ({} replicas), backend user {}", g.name, g.master.ToString(),
                 g.replicas.size(), g.user);
  }

  // ANTLR's DFA warm before the first client statement (it runs only on a
  // template-cache miss, under one mutex).
  shardproxy::parser::WarmUp();

  shardproxy::net::Server server(c);
  shardproxy::Status st = server.Run();
  if (!st.ok()) {
    spdlog::error("{}", st.message());
    return 1;
  }
  return 0;
}
