#include "router/rules/merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/errors.h"

namespace shardproxy::router {

namespace {

Status MergeError(const std::string& schema, const std::string& what) {
  return Status::Error(errors::kUnknownError.code, errors::kUnknownError.sqlstate,
                       "config: schema '" + schema + "': " + what);
}

std::string List(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

}  // namespace

Result<Metadata> MergeDeclaredSchemas(std::optional<Metadata> stored,
                                      const std::vector<SchemaRule>& declared_in_config,
                                      std::vector<std::string>* warnings) {
  // The declared schemas, completed and checked on their own first.
  Metadata declared;
  for (const SchemaRule& d : declared_in_config) {
    SchemaRule s = d;
    if (s.sharded && s.vpart_group.empty()) {
      if (s.groups.size() > s.vpart_count) {
        return MergeError(s.name, std::to_string(s.groups.size()) + " groups but only " +
                                      std::to_string(s.vpart_count) +
                                      " vparts: every group needs at least one vpart");
      }
      s.vpart_group = ContiguousVpartGroups(s.vpart_count, s.groups.size());
    }
    declared.schemas.push_back(std::move(s));
  }
  SP_RETURN_IF_ERROR(ValidateMetadata(declared, "config (declared schemas)"));

  Metadata out = stored ? std::move(*stored) : Metadata{};
  std::set<std::string> declared_names;
  for (SchemaRule& d : declared.schemas) {
    declared_names.insert(d.name);
    auto it = std::find_if(out.schemas.begin(), out.schemas.end(),
                           [&](const SchemaRule& s) { return s.name == d.name; });
    if (it == out.schemas.end()) {
      out.schemas.push_back(std::move(d));
      continue;
    }
    const SchemaRule& s = *it;
    if (s.sharded != d.sharded) {
      return MergeError(
          d.name, std::string("the config declares it ") + (d.sharded ? "sharded" : "unsharded") +
                      ", the metadata store has it " + (s.sharded ? "sharded" : "unsharded") +
                      "; changing that means moving its rows, which is not "
                      "supported yet: restore the config's declaration");
    }
    std::set<std::string> dg(d.groups.begin(), d.groups.end());
    std::set<std::string> sg(s.groups.begin(), s.groups.end());
    if (dg != sg) {
      return MergeError(
          d.name,
          "the config lists groups " + List(d.groups) + ", the metadata store " + List(s.groups) +
              (s.sharded ? " (its vparts are mapped onto those)" : " (its tables are there)") +
              "; moving vparts between groups is a later issue (the vpart mover), so a "
              "schema's groups cannot change yet: restore them in the config");
    }
    if (s.sharded && s.vpart_count != d.vpart_count) {
      return MergeError(d.name, "the config says vpart_count " + std::to_string(d.vpart_count) +
                                    ", the metadata store " + std::to_string(s.vpart_count) +
                                    "; the vpart count of a sharded schema cannot change (every "
                                    "row's vpart would change)");
    }
    // Keep the stored rule: its group order and vpart map are what the rows follow.
  }

  std::map<std::string, std::vector<std::string>> orphan_tables;
  for (const TableRule& t : out.tables) {
    if (declared_names.count(t.schema) == 0) orphan_tables[t.schema].push_back(t.table);
  }
  if (warnings != nullptr) {
    for (const SchemaRule& s : out.schemas) {
      if (declared_names.count(s.name) != 0) continue;
      std::string w = "schema '" + s.name +
                      "' is in the metadata store but no longer declared in the config: kept as "
                      "stored (" +
                      (s.sharded ? "sharded over " : "unsharded on ") + List(s.groups) + ")";
      auto it = orphan_tables.find(s.name);
      if (it != orphan_tables.end()) {
        w +=
            " with its " + std::to_string(it->second.size()) + " table rule(s) " + List(it->second);
      }
      w += "; declare it in the config again, or (no admin command does this yet) remove it from "
           "the metadata file while the proxy is stopped";
      warnings->push_back(std::move(w));
    }
  }
  SP_RETURN_IF_ERROR(ValidateMetadata(out, "metadata (merged with the config)"));
  return out;
}

}  // namespace shardproxy::router
