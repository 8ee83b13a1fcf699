// The plan of one statement: plain data, made by the planner (planner.h) and
// run by the session's executor. EXPLAIN SHARDING prints exactly ToJson()'s
// content; planner golden tests compare it.
//
// Today's primitives: a Route (the statement, rewritten per group where
// needed, sent to one or more groups, results concatenated and OK packets
// combined) or a Refusal (an ERR the client gets; nothing is sent). The
// merge issue adds MergeSort / Aggregate / Limit nodes above a Route.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace shardproxy::router {

// One group a Route sends to.
struct RouteTarget {
  std::string group;
  std::vector<uint32_t> vparts;  // the vparts whose rows the statement reaches there (sorted)
  bool all_vparts = false;       // every vpart of the group (vparts left empty)
  std::string sql;               // the SQL for that group; empty = the statement as sent
};

// What the session must do besides sending (DDL bookkeeping).
enum class PlanEffect : uint8_t {
  kNone,
  kCreateSharded,    // CREATE TABLE ... DBPARTITION BY HASH(col): record the rule when done
  kCreateBroadcast,  // CREATE TABLE ... BROADCAST: record the rule
  kCreateSingle,     // CREATE TABLE in a sharded schema: a single table on its first group
  kDropTable,        // DROP TABLE: forget the rule(s) when done
  kRenameTable,      // RENAME TABLE / ALTER TABLE ... RENAME: move the rule(s)
  kDropDatabase,     // DROP DATABASE of a sharded schema: forget its tables' rules
};

struct Plan {
  enum class Kind : uint8_t {
    kRoute,   // send to `targets`
    kRefuse,  // answer `refusal`; nothing is sent
  };
  Kind kind = Kind::kRoute;
  std::vector<RouteTarget> targets;
  // The statement writes (data or schema) on every target: several targets
  // then run as one transaction per group, committed only when all succeeded.
  bool writes = false;
  bool ddl = false;  // schema change: each group commits it by itself (no transaction around it)
  // Several targets, each answering with a result set: the rows are
  // concatenated in target order (no merge needed; see the merge issue).
  bool concatenate = false;
  // A session statement (SET, USE, BEGIN, COMMIT ...): the executor sends it
  // to every backend connection the session has open (targets[0] when none).
  bool session_wide = false;
  // Runs on targets[0] only, but changes session state the session's other
  // open connections must get too (SET sql_mode = @saved): the executor
  // reopens them with the tracked state replayed.
  bool refresh_other_connections = false;
  Status refusal;      // kRefuse
  std::string reason;  // why these groups, for EXPLAIN SHARDING and logs
  PlanEffect effect = PlanEffect::kNone;
  std::string table_schema, table_name;  // the table of a PlanEffect (kDropDatabase: schema only)
  std::string shard_column;              // kCreateSharded

  bool single_target() const { return kind == Kind::kRoute && targets.size() == 1; }
  nlohmann::json ToJson() const;
};

}  // namespace shardproxy::router
