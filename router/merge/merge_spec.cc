#include "router/merge/merge_spec.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace shardproxy::router::merge {

const char* AggregateKindName(AggregateKind k) {
  switch (k) {
    case AggregateKind::kNone:
      return "none";
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kSumDouble:
      return "sum_double";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
    case AggregateKind::kAvg:
      return "avg";
    case AggregateKind::kAvgDouble:
      return "avg_double";
  }
  return "?";
}

const char* GroupModeName(GroupMode m) {
  switch (m) {
    case GroupMode::kNone:
      return "none";
    case GroupMode::kStream:
      return "stream";
    case GroupMode::kMemory:
      return "memory";
  }
  return "?";
}

nlohmann::json AggregateSpec::ToJson() const {
  nlohmann::json j = {{"kind", AggregateKindName(kind)}, {"column", column}};
  if (kind == AggregateKind::kAvg || kind == AggregateKind::kAvgDouble) {
    j["count_column"] = count_column;
    if (arg_scale >= 0) j["arg_scale"] = arg_scale;
  }
  return j;
}

namespace {

nlohmann::json KeysJson(const std::vector<SortKey>& keys) {
  nlohmann::json j = nlohmann::json::array();
  for (const SortKey& k : keys) j.push_back(k.ToJson());
  return j;
}

Status CheckColumns(const std::vector<SortKey>& keys, size_t n, const char* what) {
  for (const SortKey& k : keys) {
    if (k.column >= n) {
      return Status::Bug(std::string("merge spec: ") + what + " column " +
                         std::to_string(k.column) + " of " + std::to_string(n));
    }
  }
  return Status::Ok();
}

}  // namespace

Status MergeSpec::Validate(size_t num_columns) const {
  if (hidden_columns > num_columns)
    return Status::Bug("merge spec: more hidden columns than columns");
  SP_RETURN_IF_ERROR(CheckColumns(sort_keys, num_columns, "sort key"));
  SP_RETURN_IF_ERROR(CheckColumns(group_keys, num_columns, "group key"));
  if (!aggregates.empty() && aggregates.size() != num_columns) {
    return Status::Bug("merge spec: " + std::to_string(aggregates.size()) + " aggregates for " +
                       std::to_string(num_columns) + " columns");
  }
  for (const AggregateSpec& a : aggregates) {
    if (a.column >= num_columns || a.count_column >= num_columns) {
      return Status::Bug("merge spec: an aggregate reads a column past the row");
    }
  }
  if (!group_keys.empty() && aggregates.empty()) {
    return Status::Bug("merge spec: group keys without aggregates (use kNone per column)");
  }
  if (group_mode == GroupMode::kStream) {
    // Equal group keys must be adjacent: the merge order starts with them.
    if (sort_keys.size() < group_keys.size()) {
      return Status::Bug("merge spec: a stream group merge needs the group keys as sort keys");
    }
    for (const SortKey& g : group_keys) {
      auto prefix_end = sort_keys.begin() + static_cast<ptrdiff_t>(group_keys.size());
      if (std::none_of(sort_keys.begin(), prefix_end,
                       [&](const SortKey& s) { return s.column == g.column; })) {
        return Status::Bug(
            "merge spec: the sort keys of a stream group merge must start with "
            "the group keys");
      }
    }
  }
  return Status::Ok();
}

nlohmann::json MergeSpec::ToJson() const {
  nlohmann::json j = nlohmann::json::object();
  if (!sort_keys.empty()) j["sort"] = KeysJson(sort_keys);
  if (aggregating()) {
    j["group_mode"] = GroupModeName(group_mode);
    if (!group_keys.empty()) j["group_by"] = KeysJson(group_keys);
    nlohmann::json aggs = nlohmann::json::array();
    for (const AggregateSpec& a : aggregates) aggs.push_back(a.ToJson());
    j["aggregates"] = std::move(aggs);
    if (div_precision_increment != 4) j["div_precision_increment"] = div_precision_increment;
  }
  if (distinct) j["distinct"] = true;
  if (offset != 0) j["offset"] = offset;
  if (limit) j["limit"] = *limit;
  if (hidden_columns != 0) j["hidden_columns"] = hidden_columns;
  return j;
}

Result<uint64_t> PerGroupLimit(uint64_t offset, uint64_t count, uint64_t cap) {
  uint64_t total = offset + count;
  if (total < offset || total > cap) {
    return MergeError(kMergeUnsupported,
                      "LIMIT " + std::to_string(offset) + ", " + std::to_string(count) +
                          " over several groups would read " +
                          (total < offset ? std::string("more than 2^64") : std::to_string(total)) +
                          " rows from each group, more than the merge limit cap (" +
                          std::to_string(cap) +
                          "); page by a key range (WHERE key > last ORDER BY key LIMIT n) instead");
  }
  return total;
}

}  // namespace shardproxy::router::merge
