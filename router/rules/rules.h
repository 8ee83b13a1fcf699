// Sharding rules: which schemas are split into vparts, which vpart lives on
// which group, and how each table is placed (sharded, broadcast, single).
//
// Three layers:
//   Metadata         plain data, what the metadata store holds (ToJson/FromJson;
//                    the file format is in router/rules/README.md).
//   RoutingSnapshot  an immutable, validated, indexed view of one Metadata for
//                    the router: lookups allocate nothing.
//   SnapshotHolder   the one current snapshot, swapped atomically; a request
//                    takes it once (Get) and keeps the shared_ptr until it ends.
//
// Names are case-sensitive (schema and table names, as on Linux with
// lower_case_table_names=0). Group names are the config's (GroupConfig::name).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "router/vpart/vpart.h"  // KeyColumn, kDefaultVpartCount

namespace shardproxy::router {

inline constexpr uint32_t kMaxVpartCount = 1u << 20;  // sanity bound on a file's claim
inline constexpr size_t kMaxIdentifierLength = 64;    // MySQL's limit for schema/table/column

// A schema (database) as the proxy sees it.
struct SchemaRule {
  std::string name;
  bool sharded = false;
  // Unsharded: exactly one group, which holds every table of the schema.
  // Sharded: the groups the vparts are spread over, no duplicates; the order
  // is the one vpart_group indexes into (never reordered once stored).
  std::vector<std::string> groups;
  // Sharded only: a row's vpart is XXH3-64(canonical key bytes) % vpart_count.
  uint32_t vpart_count = kDefaultVpartCount;
  // Sharded only: vpart -> index into groups, exactly vpart_count entries.
  // Initially contiguous ranges (ContiguousVpartGroups); vpart moves change it.
  std::vector<uint16_t> vpart_group;

  bool operator==(const SchemaRule&) const = default;
};

// vparts [i*N/G, (i+1)*N/G) on group i: G contiguous ranges whose sizes differ
// by at most one. Precondition: 1 <= group_count <= vpart_count.
std::vector<uint16_t> ContiguousVpartGroups(uint32_t vpart_count, size_t group_count);

// A sharded schema over `groups` with the contiguous initial vpart map.
SchemaRule MakeShardedSchema(std::string name, std::vector<std::string> groups,
                             uint32_t vpart_count = kDefaultVpartCount);
// An unsharded schema on one group.
SchemaRule MakeUnshardedSchema(std::string name, std::string group);

// The shard key's type as information_schema.COLUMNS of the backend reports
// it: what the file stores (stable across proxy versions). The router's
// KeyColumn (router/vpart) is derived from it by KeyColumn::FromColumnInfo,
// once per snapshot (RoutingSnapshot::ShardKey); a type it refuses is refused
// by ValidateMetadata.
struct KeySpec {
  std::string data_type;                  // DATA_TYPE, e.g. "bigint", "varchar", "decimal"
  std::string column_type;                // COLUMN_TYPE, e.g. "bigint(20) unsigned", "varchar(32)"
  std::optional<uint32_t> numeric_scale;  // NUMERIC_SCALE; nullopt where it is NULL
  std::string collation_name;             // COLLATION_NAME; empty where it is NULL

  bool operator==(const KeySpec&) const = default;
};

// KeyColumn::FromColumnInfo(spec, column): the key as the hash needs it.
Result<KeyColumn> ToKeyColumn(const KeySpec& spec, std::string_view column_name);

enum class TableKind {
  kSharded,    // rows spread over the schema's vparts by shard_column
  kBroadcast,  // a full copy on every group of the schema; writes go to all
  kSingle,     // on one group (single_group) only
};

std::string_view TableKindName(TableKind kind);  // "sharded", "broadcast", "single"

struct TableRule {
  std::string schema;
  std::string table;
  TableKind kind = TableKind::kSingle;
  std::string shard_column;  // kSharded only
  KeySpec key;               // kSharded only: shard_column's type
  std::string single_group;  // kSingle only; one of the schema's groups
  // Groups where the table's DDL has not been applied yet (re-running the DDL
  // finishes it). Each is one of the groups the table lives on.
  std::vector<std::string> pending_groups;
  // The CREATE TABLE as the DBA sent it, sharding clause included, for
  // SHOW CREATE TABLE. May be empty (a rule made without DDL).
  std::string create_sql;

  bool operator==(const TableRule&) const = default;
};

// Everything the metadata store holds about routing.
struct Metadata {
  // The store's version of this content: 0 = never saved. A store's Save
  // writes version + 1 (see MetadataStore).
  uint64_t version = 0;
  std::vector<SchemaRule> schemas;
  std::vector<TableRule> tables;

  bool operator==(const Metadata&) const = default;

  // The file format (router/rules/README.md). Adjacent vparts on the same
  // group are written as one range.
  nlohmann::json ToJson() const;
  std::string ToJsonText() const;  // ToJson(), indented, with a final newline
  // Parses and validates (ValidateMetadata). Errors name the field, e.g.
  //   metadata: schemas[1].groups[0]: expected a string, got 7
  // prefixed by `origin` instead of "metadata" when given.
  static Result<Metadata> FromJson(const nlohmann::json& json,
                                   std::string_view origin = "metadata");
  static Result<Metadata> FromJsonText(std::string_view text, std::string_view origin = "metadata");
};

// Internal consistency, without knowing the configured groups: names non-empty
// and <= 64 bytes, no duplicate schema or (schema, table), unsharded schemas on
// exactly one group, sharded ones with vpart_count in 1..kMaxVpartCount and a
// vpart_group of that size indexing into groups, every table in a declared
// schema, fields set exactly for their kind, groups named by tables among the
// schema's groups, sharded tables' keys of a type the hash supports
// (KeyColumn::FromColumnInfo).
Status ValidateMetadata(const Metadata& metadata, std::string_view origin = "metadata");

// A table the proxy will not serve statements on until its groups agree (a
// finding of the start-up catalog check, router/rules/catalog.h): never
// stored, rebuilt at each start. DDL on it still runs, to fix it.
struct Quarantine {
  std::string schema;
  std::string table;
  std::string reason;  // the whole sentence the client gets

  bool operator==(const Quarantine&) const = default;
};

// An immutable, indexed Metadata plus the configured groups. Build it, then
// publish it through a SnapshotHolder. Thread-safe (const after Build).
class RoutingSnapshot {
 public:
  // Validates `metadata` (ValidateMetadata) and that every group it names is
  // in `configured_groups`, the config's groups in order; configured_groups[0]
  // is the default group for schemas nobody declared.
  static Result<std::shared_ptr<const RoutingSnapshot>> Build(
      Metadata metadata, std::vector<std::string> configured_groups,
      std::vector<Quarantine> quarantine = {});

  RoutingSnapshot(const RoutingSnapshot&) = delete;  // the indexes point into metadata_
  RoutingSnapshot& operator=(const RoutingSnapshot&) = delete;

  const Metadata& metadata() const { return metadata_; }
  uint64_t version() const { return metadata_.version; }
  const std::vector<std::string>& groups() const { return groups_; }
  const std::string& default_group() const { return groups_.front(); }

  // nullptr if not declared. Pointers live as long as the snapshot.
  const SchemaRule* FindSchema(std::string_view schema) const;
  const TableRule* FindTable(std::string_view schema, std::string_view table) const;
  // The declared rule, or for an undeclared schema an unsharded rule on the
  // default group (one shared object: its name is empty, use the name you
  // asked for).
  const SchemaRule& SchemaOrDefault(std::string_view schema) const;

  // `rule` must come from this snapshot. Unsharded: its one group, whatever
  // the vpart. Sharded: the group holding `vpart`; an empty string if
  // vpart >= vpart_count (a caller's bug: vparts are hash % vpart_count).
  const std::string& GroupOfVpart(const SchemaRule& rule, uint32_t vpart) const;
  // The vparts of a sharded schema on `group`, ascending; empty for an
  // unsharded schema or a group the schema does not use.
  std::vector<uint32_t> VpartsOfGroup(const SchemaRule& rule, std::string_view group) const;

  // Why statements on this table are refused (Quarantine::reason), or
  // nullptr. Costs nothing while no table is quarantined.
  const std::string* QuarantineReason(std::string_view schema, std::string_view table) const;
  const std::vector<Quarantine>& quarantine() const { return quarantine_; }

  // The shard key of a sharded table of this snapshot (`rule` from FindTable),
  // derived once at Build. For other kinds: a default KeyColumn (a caller's bug).
  const KeyColumn& ShardKey(const TableRule& rule) const;

 private:
  struct TableKey {
    std::string_view schema;
    std::string_view table;
    bool operator==(const TableKey&) const = default;
  };
  struct TableKeyHash {
    size_t operator()(const TableKey& key) const;
  };

  RoutingSnapshot(Metadata metadata, std::vector<std::string> groups, std::vector<KeyColumn> keys,
                  std::vector<Quarantine> quarantine);

  const Metadata metadata_;
  const std::vector<std::string> groups_;  // configured, groups_[0] the default
  const SchemaRule default_schema_;        // unsharded on groups_[0], name ""
  // Keys are views into metadata_ (which never changes after construction).
  std::unordered_map<std::string_view, const SchemaRule*> schemas_;
  std::unordered_map<TableKey, const TableRule*, TableKeyHash> tables_;
  std::vector<KeyColumn> keys_;  // keys_[i]: metadata_.tables[i]'s (default if not sharded)
  const std::vector<Quarantine> quarantine_;  // few: searched linearly
};

// The current snapshot, shared by every thread. libstdc++ 12's
// std::atomic<std::shared_ptr> is not lock-free: Get and Set take a spin lock
// (a bit in the control-block pointer) for the time of a reference-count
// increment, so Get costs about one contended atomic increment: take it once
// per request, never per row or per lookup.
class SnapshotHolder {
 public:
  SnapshotHolder() = default;
  explicit SnapshotHolder(std::shared_ptr<const RoutingSnapshot> initial)
      : current_(std::move(initial)) {}

  // nullptr until the first Set. A request calls this once and keeps the result.
  std::shared_ptr<const RoutingSnapshot> Get() const {
    return current_.load(std::memory_order_acquire);
  }
  void Set(std::shared_ptr<const RoutingSnapshot> snapshot) {
    current_.store(std::move(snapshot), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const RoutingSnapshot>> current_;
};

}  // namespace shardproxy::router
