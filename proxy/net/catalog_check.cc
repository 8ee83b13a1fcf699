#include "proxy/net/catalog_check.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "proxy/backend/backend_connection.h"
#include "proxy/backend/query.h"
#include "router/rules/catalog.h"

namespace shardproxy::net {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kColumnSeparator = "||";

// One group's base tables of `schema`, or an error.
asio::awaitable<Result<router::GroupTables>> ReadGroup(asio::any_io_executor ex, const Config& cfg,
                                                       const GroupConfig& group,
                                                       const std::string& schema) {
  backend::ConnectOptions o;
  o.group = &group;
  o.client_caps = 0;
  o.connect_timeout = cfg.backend.connect;
  o.track_session_state = false;
  auto conn = co_await backend::BackendConnection::Connect(ex, std::move(o));
  if (!conn.ok()) co_return conn.status();
  auto rows = co_await backend::QueryRows(
      conn->get(),
      fmt::format("SELECT c.TABLE_NAME, GROUP_CONCAT(CONCAT_WS(' ', c.COLUMN_NAME, c.COLUMN_TYPE, "
                  "c.COLLATION_NAME, IF(c.IS_NULLABLE = 'YES', 'NULL', 'NOT NULL')) ORDER BY "
                  "c.ORDINAL_POSITION SEPARATOR '{}') FROM information_schema.COLUMNS c JOIN "
                  "information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND "
                  "t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = {} AND t.TABLE_TYPE = 'BASE "
                  "TABLE' GROUP BY c.TABLE_NAME",
                  kColumnSeparator, backend::QuoteString(schema)));
  if (!rows.ok()) co_return rows.status();
  router::GroupTables out;
  out.group = group.name;
  for (const backend::TextRow& row : *rows) {
    if (row.size() < 2 || !row[0]) continue;
    std::vector<std::string>& columns = out.tables[*row[0]];
    const std::string all = row[1].value_or("");
    std::string_view rest = all;
    while (!rest.empty()) {
      size_t at = rest.find(kColumnSeparator);
      columns.emplace_back(rest.substr(0, at));
      rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + 2);
    }
  }
  co_return out;
}

}  // namespace

asio::awaitable<void> RunCatalogCheck(asio::any_io_executor ex, const Config& cfg,
                                      router::RulesService* rules) {
  const auto snapshot = rules->Get();
  std::vector<router::Quarantine> quarantine;
  size_t tables = 0;
  for (const router::SchemaRule& schema : snapshot->metadata().schemas) {
    if (!schema.sharded) continue;
    std::vector<router::GroupTables> groups;
    for (const std::string& name : schema.groups) {
      const GroupConfig* g = cfg.FindGroup(name);
      if (g == nullptr) continue;
      auto read = co_await ReadGroup(ex, cfg, *g, schema.name);
      if (!read.ok()) {
        spdlog::warn("catalog check: cannot read schema {} on group {} ({}); not checked there",
                     schema.name, name, read.status().message());
        continue;
      }
      tables += read->tables.size();
      groups.push_back(std::move(*read));
    }
    router::CatalogReport report = router::CheckCatalog(*snapshot, schema, groups);
    for (const std::string& w : report.warnings) spdlog::warn("catalog check: {}", w);
    for (router::Quarantine& q : report.quarantine) quarantine.push_back(std::move(q));
  }
  if (Status st = rules->SetQuarantine(quarantine); !st.ok()) {
    spdlog::error("catalog check: could not publish its findings: {}", st.ToString());
    co_return;
  }
  spdlog::info("catalog check: {} table(s) read on the sharded schemas' groups, {} quarantined",
               tables, quarantine.size());
}

}  // namespace shardproxy::net
