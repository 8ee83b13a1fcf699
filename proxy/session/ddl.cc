// DDL bookkeeping: after a CREATE/DROP/RENAME TABLE ran on the groups of its
// plan, the table's rule is recorded, forgotten or moved in the metadata
// store (router/rules/rules_service.h), and a partial failure leaves the
// rule pending on the groups that did not apply it (re-running the same
// statement finishes it).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/errors.h"
#include "proxy/backend/client_handshake.h"
#include "proxy/backend/query.h"
#include "proxy/protocol/wire.h"
#include "proxy/session/session.h"
#include "router/vpart/vpart.h"

namespace shardproxy::session {

namespace asio = boost::asio;
using protocol::Command;
using protocol::PacketKind;

namespace {

std::string Ident(std::string_view s) {
  std::string out = "`";
  for (char c : s) {
    if (c == '`') out += c;
    out += c;
  }
  out += '`';
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

// The first row of a text result set (each column: nullopt for NULL), or
// nullopt when there is no row.
asio::awaitable<Result<std::optional<std::vector<std::optional<std::string>>>>> Session::QueryRow(
    backend::BackendConnection* conn, std::string_view sql) {
  auto rows = co_await backend::QueryRows(conn, sql, 1);
  if (!rows.ok()) co_return rows.status();
  if (rows->empty()) co_return std::nullopt;
  co_return std::move(rows->front());
}

// A PRIMARY or UNIQUE key of a sharded table that leaves out the shard key is
// unique only within each group: the DDL succeeded; the client gets a
// warning (errno 1503, as MariaDB's partitioning names the same rule), kept
// in the first group's diagnostics area by SIGNAL (`warn_on`), where SHOW
// WARNINGS after a DDL reads (replacing the DDL's own warnings there).
asio::awaitable<Status> Session::WarnUniqueKeysWithoutShardKey(backend::BackendConnection* ask,
                                                               backend::BackendConnection* warn_on,
                                                               const router::TableRule& rule,
                                                               ScatterOutcome* r) {
  auto keys = co_await QueryRow(
      ask, fmt::format("SELECT GROUP_CONCAT(k ORDER BY k SEPARATOR ', ') FROM (SELECT "
                       "INDEX_NAME AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                       "{} AND TABLE_NAME = {} AND NON_UNIQUE = 0 GROUP BY INDEX_NAME HAVING "
                       "SUM(COLUMN_NAME = {}) = 0) AS u",
                       backend::QuoteString(rule.schema), backend::QuoteString(rule.table),
                       backend::QuoteString(rule.shard_column)));
  if (!keys.ok()) co_return keys.status();
  if (!keys->has_value() || (*keys)->empty() || !(**keys)[0]) co_return Status::Ok();
  const std::string message = fmt::format(
      "shardproxy: {} of {}.{} does not include the shard key {}: it is unique only within each "
      "group (rows on different groups may repeat it); include {} in the key, or fill it from "
      "a global sequence",
      *(**keys)[0] == "PRIMARY" ? std::string("PRIMARY KEY") : "key(s) " + *(**keys)[0],
      rule.schema, rule.table, rule.shard_column, rule.shard_column);
  Status st = co_await RunSilently(
      warn_on, protocol::CommandPayload(
                   Command::kQuery,
                   fmt::format("SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = {}, MYSQL_ERRNO = {}",
                               backend::QuoteString(message.substr(0, 512)),
                               errors::kUniqueKeyWithoutShardKey.code)));
  if (!st.ok()) co_return st;
  r->warnings = 1;
  r->ok.warnings = 1;
  co_return Status::Ok();
}

asio::awaitable<Status> Session::ApplyPlanEffect(const router::Plan& plan,
                                                 const parser::Statement* model,
                                                 ScatterOutcome* outcome) {
  const ScatterOutcome& r = *outcome;
  if (plan.effect == router::PlanEffect::kNone || ctx_.rules == nullptr) co_return r.error;
  std::vector<std::string> done, pending;
  for (const router::RouteTarget& t : plan.targets) {
    if (Contains(r.ran_on, t.group) && !Contains(r.failed_on, t.group)) {
      done.push_back(t.group);
    } else {
      pending.push_back(t.group);
    }
  }
  if (done.empty()) co_return r.error;  // applied nowhere: the backend's own error
  const bool drop_database = plan.effect == router::PlanEffect::kDropDatabase;
  const std::string name =
      drop_database ? plan.table_schema : plan.table_schema + "." + plan.table_name;
  const char* verb = plan.effect == router::PlanEffect::kDropTable     ? "DROP TABLE"
                     : plan.effect == router::PlanEffect::kRenameTable ? "RENAME TABLE"
                     : drop_database                                   ? "DROP DATABASE"
                                                                       : "CREATE TABLE";
  auto drop_everywhere = [&]() -> asio::awaitable<void> {
    const std::string drop = protocol::CommandPayload(
        Command::kQuery,
        "DROP TABLE IF EXISTS " + Ident(plan.table_schema) + "." + Ident(plan.table_name));
    for (const std::string& g : done) {
      if (const BackendSet::Slot* slot = backends_.Find(g)) {
        Status st = co_await RunSilently(slot->conn.get(), drop);
        if (!st.ok())
          spdlog::warn("session {}: could not drop {} on group {} after a refused rule: {}", id_,
                       name, g, st.ToString());
      }
    }
  };

  router::TableRule rule;
  rule.schema = plan.table_schema;
  rule.table = plan.table_name;
  rule.pending_groups = pending;
  if (plan.effect == router::PlanEffect::kCreateSharded ||
      plan.effect == router::PlanEffect::kCreateBroadcast ||
      plan.effect == router::PlanEffect::kCreateSingle) {
    rule.create_sql = info_;
    if (plan.effect == router::PlanEffect::kCreateSingle) {
      rule.kind = router::TableKind::kSingle;
      rule.single_group = plan.targets[0].group;
    } else if (plan.effect == router::PlanEffect::kCreateBroadcast) {
      rule.kind = router::TableKind::kBroadcast;
    } else {
      rule.kind = router::TableKind::kSharded;
      rule.shard_column = plan.shard_column;
      // The key's type as the backend made it: the hash depends on it. Asked
      // of the last group, so that the first keeps the DDL's warnings for
      // SHOW WARNINGS.
      const BackendSet::Slot* slot = backends_.Find(done.back());
      if (slot == nullptr) co_return Status::Bug("no connection to the group that ran the DDL");
      auto row = co_await QueryRow(
          slot->conn.get(),
          fmt::format("SELECT DATA_TYPE, COLUMN_TYPE, NUMERIC_SCALE, COLLATION_NAME, COLUMN_NAME "
                      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {} AND TABLE_NAME = "
                      "{} AND COLUMN_NAME = {}",
                      backend::QuoteString(rule.schema), backend::QuoteString(rule.table),
                      backend::QuoteString(rule.shard_column)));
      if (!row.ok()) co_return row.status();
      if (!row->has_value() || (*row)->size() < 5) {
        co_await drop_everywhere();
        co_return Status::Error(1072, "42000",
                                fmt::format("Key column '{}' doesn't exist in table (the "
                                            "DBPARTITION BY HASH column of {}; the table was "
                                            "dropped again)",
                                            rule.shard_column, name));
      }
      const auto& cols = **row;
      int64_t scale = cols[2] ? std::strtoll(cols[2]->c_str(), nullptr, 10) : -1;
      auto key = router::KeyColumn::FromColumnInfo(cols[0].value_or(""), cols[1].value_or(""),
                                                   scale, cols[3].value_or(""),
                                                   cols[4].value_or(rule.shard_column));
      if (!key.ok()) {
        co_await drop_everywhere();
        co_return Status::Error(key.status().code(), key.status().sqlstate(),
                                key.status().message() + " (the table was dropped again)");
      }
      rule.shard_column = cols[4].value_or(rule.shard_column);  // as the server spells it
      rule.key.data_type = cols[0].value_or("");
      rule.key.column_type = cols[1].value_or("");
      if (cols[2]) rule.key.numeric_scale = static_cast<uint32_t>(scale);
      rule.key.collation_name = cols[3].value_or("");
      if (pending.empty()) {
        // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
        Status w;
        if (const BackendSet::Slot* first = backends_.Find(done.front()); first != nullptr)
          w = co_await WarnUniqueKeysWithoutShardKey(slot->conn.get(), first->conn.get(), rule,
                                                     outcome);
        if (!w.ok())
          spdlog::warn("session {}: {}: could not check its unique keys: {}", id_, name,
                       w.ToString());
      }
    }
  }

  Status st = ctx_.rules->Update([&](router::Metadata* m) -> Status {
    auto& tables = m->tables;
    auto find = [&](std::string_view schema, std::string_view table) {
      return std::find_if(tables.begin(), tables.end(), [&](const router::TableRule& t) {
        return t.schema == schema && t.table == table;
      });
    };
    switch (plan.effect) {
      case router::PlanEffect::kCreateSharded:
      case router::PlanEffect::kCreateBroadcast:
      case router::PlanEffect::kCreateSingle: {
        auto it = find(rule.schema, rule.table);
        if (it != tables.end()) {
          // Re-run of a pending CREATE: the groups done before stay done.
          std::vector<std::string> still;
          for (const std::string& g : it->pending_groups)
            if (Contains(pending, g)) still.push_back(g);
          if (it->kind == rule.kind) {
            it->pending_groups = still;
            break;
          }
          tables.erase(it);
        }
        tables.push_back(rule);
        break;
      }
      case router::PlanEffect::kDropTable: {
        if (model == nullptr) break;
        for (const auto& t : model->tables) {
          std::string schema = t.schema.empty() ? state_.schema : t.schema;
          auto it = find(schema, t.name);
          if (it == tables.end()) continue;
          if (pending.empty()) {
            tables.erase(it);
          } else {
            it->pending_groups = pending;
          }
        }
        break;
      }
      case router::PlanEffect::kDropDatabase:
        // Its tables are gone where it ran; while a group still has them the
        // rules stay (re-running DROP DATABASE IF EXISTS finishes it).
        if (pending.empty())
          std::erase_if(tables,
                        [&](const router::TableRule& t) { return t.schema == plan.table_schema; });
        break;
      case router::PlanEffect::kRenameTable: {
        if (model == nullptr || !pending.empty()) break;
        for (size_t i = 0; i + 1 < model->tables.size(); i += 2) {
          const auto& from = model->tables[i];
          const auto& to = model->tables[i + 1];
          auto it = find(from.schema.empty() ? state_.schema : from.schema, from.name);
          if (it == tables.end()) continue;
          it->schema = to.schema.empty() ? state_.schema : to.schema;
          it->table = to.name;
        }
        break;
      }
      case router::PlanEffect::kNone:
        break;
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    spdlog::error("session {}: {} {}: the rule could not be stored: {}", id_, verb, name,
                  st.ToString());
    co_return Status::Error(st.code(), st.sqlstate(),
                            fmt::format("shardproxy: {} {} ran on group(s) {} but its rule could "
                                        "not be stored ({}); run it again",
                                        verb, name, fmt::join(done, ", "), st.message()));
  }
  if (!pending.empty()) {
    const Status& why = r.error;
    co_return Status::Error(
        why.ok() ? errors::kBackendUnavailable.code : why.code(),
        why.ok() ? std::string(errors::kBackendUnavailable.sqlstate) : why.sqlstate(),
        fmt::format("shardproxy: {} {} ran on group(s) {} but not on {} ({}); {}", verb, name,
                    fmt::join(done, ", "), fmt::join(pending, ", "),
                    why.ok() ? std::string("not sent") : why.message(),
                    drop_database ? "its tables' rules are kept: fix the cause and run DROP "
                                    "DATABASE IF EXISTS again to finish"
                                  : "the rule is pending there: fix the cause and run the same "
                                    "statement again to finish"));
  }
  co_return Status::Ok();
}

}  // namespace shardproxy::session
