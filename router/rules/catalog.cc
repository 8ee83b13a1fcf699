#include "router/rules/catalog.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace shardproxy::router {

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// "column 2: g0 has `b int(11) YES`, g1 has `b bigint(20) YES`".
std::string FirstDifference(const std::vector<std::string>& a, std::string_view ga,
                            const std::vector<std::string>& b, std::string_view gb) {
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string x = i < a.size() ? "`" + a[i] + "`" : std::string("no such column");
    const std::string y = i < b.size() ? "`" + b[i] + "`" : std::string("no such column");
    if (x != y) return fmt::format("column {}: {} has {}, {} has {}", i + 1, ga, x, gb, y);
  }
  return "";
}

}  // namespace

CatalogReport CheckCatalog(const RoutingSnapshot& snapshot, const SchemaRule& schema,
                           const std::vector<GroupTables>& groups) {
  CatalogReport report;
  // Tables without a rule, with the groups they are on.
  std::map<std::string, std::vector<std::string>> unruled;
  for (const GroupTables& g : groups) {
    for (const auto& [table, columns] : g.tables) {
      if (snapshot.FindTable(schema.name, table) == nullptr) unruled[table].push_back(g.group);
    }
  }
  for (const auto& [table, on] : unruled) {
    report.warnings.push_back(fmt::format(
        "table {}.{} exists on group(s) {} but has no sharding rule (made behind the proxy, or "
        "before rules were recorded): the proxy will not guess where its rows are and refuses "
        "statements on it; see docs/SHARDING.md, \"Tables without a rule\"",
        schema.name, table, fmt::join(on, ", ")));
  }

  for (const TableRule& rule : snapshot.metadata().tables) {
    if (rule.schema != schema.name) continue;
    const std::string name = rule.schema + "." + rule.table;
    if (rule.kind == TableKind::kSingle) {
      for (const GroupTables& g : groups) {
        if (g.group == rule.single_group && !g.tables.count(rule.table) &&
            !Contains(rule.pending_groups, g.group))
          report.warnings.push_back(fmt::format(
              "single table {} is missing on its group {}: statements on it get MariaDB's 1146",
              name, g.group));
      }
      continue;
    }
    // Sharded / broadcast: the same definition on every group of the schema.
    std::vector<std::string> missing;
    const GroupTables* first = nullptr;
    std::string differs;
    for (const GroupTables& g : groups) {
      if (!Contains(schema.groups, g.group) || Contains(rule.pending_groups, g.group)) continue;
      auto it = g.tables.find(rule.table);
      if (it == g.tables.end()) {
        missing.push_back(g.group);
        continue;
      }
      if (first == nullptr) {
        first = &g;
      } else if (differs.empty() && first->tables.at(rule.table) != it->second) {
        differs = FirstDifference(first->tables.at(rule.table), first->group, it->second, g.group);
      }
    }
    std::string reason;
    if (!missing.empty()) {
      reason = fmt::format(
          "shardproxy: the {} table {} is missing on group(s) {}: create it there as on the "
          "other groups, then restart the proxy (statements on it are refused until then)",
          TableKindName(rule.kind), name, fmt::join(missing, ", "));
    } else if (!differs.empty()) {
      reason = fmt::format(
          "shardproxy: the {} table {} has different definitions on its groups ({}): make them "
          "the same (ALTER TABLE through the proxy reaches every group), then restart the proxy "
          "(statements on it are refused until then)",
          TableKindName(rule.kind), name, differs);
    }
    if (!reason.empty()) {
      report.warnings.push_back(reason);
      report.quarantine.push_back(Quarantine{rule.schema, rule.table, reason});
    }
  }
  return report;
}

}  // namespace shardproxy::router
