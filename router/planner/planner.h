// The planner: statement model + SQL text + routing snapshot -> Plan.
//
// Entry point: MakePlan. A pure function (no I/O, no session): everything it
// needs arrives in PlanInput, so planner golden tests
// (tests/unit/router/planner) call it exactly as the session does.
//
// What it decides (docs/SHARDING.md lists every shape with its errno):
//   - unsharded schemas: the schema's one group, SQL unchanged;
//   - sharded tables: the vparts allowed by equalities / IN lists / ORs on the
//     shard key (exact values only, see router/vpart), their groups, and an IN
//     list rewritten per group to that group's values;
//   - joins pushed down whole when the sharded tables are joined on their
//     shard keys (co-located) or the others are broadcast;
//   - INSERT VALUES rows split per group by the shard key;
//   - DDL: where it runs and which rule it records;
//   - refusals (ERR 1235 naming the construct) for what needs a merge or a
//     cross-group join.
#pragma once

#include <span>
#include <string_view>

#include "parser/statement.h"
#include "router/planner/plan.h"
#include "router/rules/rules.h"
#include "router/vpart/vpart.h"

namespace shardproxy::router {

struct PlanInput {
  const parser::Statement* stmt = nullptr;  // nullptr: the grammar could not read the statement
  std::string_view sql;                     // the statement; stmt's offsets index into it
  bool user_variables = false;              // it names a user variable (@x)
  std::string_view current_schema;          // the session's schema ("" = none)
  // COM_STMT_EXECUTE: the bound values, in placeholder order; empty for text
  // statements (a placeholder then routes like an unknown value).
  std::span<const KeyValue> params;
  // The group the session's previous statement ran on: a session-bound
  // statement (FOUND_ROWS(), LAST_INSERT_ID(), SHOW WARNINGS) goes there.
  std::string_view last_group;
  bool last_was_multi_group = false;         // the previous statement ran on several groups
  std::span<const std::string> last_groups;  // ... those groups (last_group is the first)
  bool last_was_ddl = false;                 // ... and it was DDL (the same on each)
  bool prepare = false;                      // planning a COM_STMT_PREPARE (values not bound yet)
  // The character set string literals without an introducer are in (the
  // session's character_set_connection); "" = utf8mb4.
  std::string_view connection_charset;
};

Plan MakePlan(const PlanInput& in, const RoutingSnapshot& snapshot);

// Schemas MariaDB keeps for itself: answered by the session's schema's first group.
bool IsSystemSchema(std::string_view schema);

}  // namespace shardproxy::router
