#include "router/planner/plan.h"

#include <nlohmann/json.hpp>

namespace shardproxy::router {

namespace {

const char* EffectName(PlanEffect e) {
  switch (e) {
    case PlanEffect::kNone:
      return "none";
    case PlanEffect::kCreateSharded:
      return "create_sharded";
    case PlanEffect::kCreateBroadcast:
      return "create_broadcast";
    case PlanEffect::kCreateSingle:
      return "create_single";
    case PlanEffect::kDropTable:
      return "drop_table";
    case PlanEffect::kDropDatabase:
      return "drop_database";
    case PlanEffect::kRenameTable:
      return "rename_table";
  }
  return "?";
}

}  // namespace

nlohmann::json Plan::ToJson() const {
  nlohmann::json j;
  if (kind == Kind::kRefuse) {
    j["refuse"] = {{"errno", refusal.code()},
                   {"sqlstate", std::string(refusal.sqlstate())},
                   {"message", refusal.message()}};
    return j;
  }
  nlohmann::json route = nlohmann::json::array();
  for (const RouteTarget& t : targets) {
    nlohmann::json tj;
    tj["group"] = t.group;
    if (t.all_vparts) {
      tj["vparts"] = "all";
    } else {
      tj["vparts"] = t.vparts;
    }
    if (!t.sql.empty()) tj["sql"] = t.sql;
    route.push_back(std::move(tj));
  }
  j["route"] = std::move(route);
  if (writes) j["writes"] = true;
  if (concatenate) j["concatenate"] = true;
  if (session_wide) j["session_wide"] = true;
  if (refresh_other_connections) j["refresh_other_connections"] = true;
  if (!reason.empty()) j["reason"] = reason;
  if (effect != PlanEffect::kNone) {
    j["effect"] = EffectName(effect);
    if (effect == PlanEffect::kDropDatabase) {
      j["schema"] = table_schema;
    } else {
      j["table"] = table_schema + "." + table_name;
    }
    if (!shard_column.empty()) j["shard_column"] = shard_column;
  }
  return j;
}

}  // namespace shardproxy::router
