// The start-up catalog check: what each group of a sharded schema really
// holds, compared with the rules. Pure: the proxy reads information_schema
// (proxy/net/catalog_check.cc) and hands the tables here.
//
//   - a table on some group with no rule: a warning (the planner refuses
//     statements on tables without a rule in a sharded schema anyway);
//   - a sharded or broadcast table missing on one of its groups, or whose
//     columns differ between its groups: quarantined (RoutingSnapshot refuses
//     statements on it, DDL still runs so that it can be fixed);
//   - groups where the rule's DDL is pending are not compared.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "router/rules/rules.h"

namespace shardproxy::router {

// One group's base tables in one schema: table -> its columns in ordinal
// order, each "name type [collation] nullable" (any text that is equal when
// the definitions agree).
struct GroupTables {
  std::string group;
  std::map<std::string, std::vector<std::string>> tables;
};

struct CatalogReport {
  std::vector<std::string> warnings;  // for the log
  std::vector<Quarantine> quarantine;
};

// `groups`: what each group of `schema` (a sharded schema of `snapshot`)
// holds; a group that could not be read is left out (nothing is concluded
// about it).
CatalogReport CheckCatalog(const RoutingSnapshot& snapshot, const SchemaRule& schema,
                           const std::vector<GroupTables>& groups);

}  // namespace shardproxy::router
