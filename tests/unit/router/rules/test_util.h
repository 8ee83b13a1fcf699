// Shared fixtures for router_rules_test.
#pragma once

#include "router/rules/rules.h"

namespace shardproxy::router::testing {

// trade: sharded over g0, g1 (1024 vparts); account: unsharded on g1; with a
// table of each kind and every optional field used somewhere.
inline Metadata SampleMetadata() {
  Metadata m;
  m.version = 7;
  m.schemas.push_back(MakeShardedSchema("trade", {"g0", "g1"}));
  m.schemas.push_back(MakeUnshardedSchema("account", "g1"));

  TableRule orders;
  orders.schema = "trade";
  orders.table = "orders";
  orders.kind = TableKind::kSharded;
  orders.shard_column = "user_id";
  orders.key = KeySpec{"bigint", "bigint(20) unsigned", 0, ""};
  orders.pending_groups = {"g1"};
  orders.create_sql =
      "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint unsigned,\n"
      "  note varchar(20) DEFAULT 'caf\xC3\xA9 \"x\"'\n) DBPARTITION BY HASH(user_id)";
  m.tables.push_back(orders);

  TableRule codes;
  codes.schema = "trade";
  codes.table = "codes";
  codes.kind = TableKind::kSharded;
  codes.shard_column = "code";
  codes.key = KeySpec{"varchar", "varchar(32)", std::nullopt, "utf8mb4_general_ci"};
  m.tables.push_back(codes);

  TableRule currencies;
  currencies.schema = "trade";
  currencies.table = "currencies";
  currencies.kind = TableKind::kBroadcast;
  currencies.create_sql = "CREATE TABLE currencies (c char(3)) BROADCAST";
  m.tables.push_back(currencies);

  TableRule settings;
  settings.schema = "trade";
  settings.table = "settings";
  settings.kind = TableKind::kSingle;
  settings.single_group = "g1";
  m.tables.push_back(settings);
  return m;
}

}  // namespace shardproxy::router::testing
