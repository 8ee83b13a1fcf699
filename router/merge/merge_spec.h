// The merge plan: what to do with the rows of several groups' results so the
// client gets what one MariaDB holding all the rows would return. Plain data,
// printed by ToJson() (EXPLAIN SHARDING, planner goldens); the planner fills
// it in and hooks it above a Route; ResultMerger (result_merger.h) runs it.
//
// The per-group row: the visible select items, then `hidden_columns` columns
// the per-group SQL adds (sort columns not selected, the COUNT of an AVG,
// HAVING operands), dropped before the client sees the row. The steps, in order:
//   1. merge:     k-way on sort_keys (stream_merger.h); concatenation when
//                 there are none, or when group_mode is kMemory (unordered input)
//   2. group:     kStream: rows with equal group keys are adjacent (sort_keys
//                 start with the group keys) and are combined by `aggregates`;
//                 kMemory: an ordered map bounded by MergeLimits::memory_bytes,
//                 output in group-key order (MariaDB's implicit GROUP BY order)
//                 or, when sort_keys are given, sorted by them afterwards;
//                 aggregates without group keys: one row (COUNT 0, others NULL
//                 over no rows at all)
//   3. distinct:  drop a row equal to the previous one in every visible
//                 column (needs the input sorted on all of them: put them in
//                 sort_keys)
//   4. limit:     skip `offset` rows, stop after `limit`
//   5. project:   drop the hidden columns
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <vector>

#include "router/merge/sort_key.h"

namespace shardproxy::router::merge {

enum class AggregateKind : uint8_t {
  kNone,       // not aggregated: a group key, or a value taken from the group's first row
  kCount,      // COUNT(..): the sum of the groups' counts
  kSum,        // SUM of integers or DECIMALs: exact decimal sum; NULL when every group's is
  kSumDouble,  // SUM of FLOAT/DOUBLE: summed as double
  kMin,        // MIN: the smallest non-NULL value by the column's comparison (text kept)
  kMax,        // MAX
  kAvg,        // AVG of integers/DECIMALs: exact sum of `column` (the per-group SUM) over
               //   the sum of `count_column` (the per-group COUNT), MariaDB's scale/rounding
  kAvgDouble,  // AVG of FLOAT/DOUBLE: per-group SUM / COUNT as double
};
const char* AggregateKindName(AggregateKind k);

struct AggregateSpec {
  AggregateKind kind = AggregateKind::kNone;
  uint32_t column = 0;        // the per-group column read (normally the output's own)
  uint32_t count_column = 0;  // kAvg, kAvgDouble: the per-group COUNT column (often hidden)
  // kAvg: the AVG argument's scale (DECIMAL(10,2): 2; integers: 0); -1: the
  // scale of the per-group SUM text (the same number: SUM keeps its argument's scale).
  int32_t arg_scale = -1;
  nlohmann::json ToJson() const;
};

enum class GroupMode : uint8_t {
  kNone,    // no aggregates (or a scalar aggregate: then like kStream without keys)
  kStream,  // the groups' results come sorted by the group keys: merged as a stream
  kMemory,  // unordered: combined in memory, bounded by MergeLimits::memory_bytes
};
const char* GroupModeName(GroupMode m);

struct MergeSpec {
  std::vector<SortKey> sort_keys;   // ORDER BY (and, for DISTINCT, every visible column)
  std::vector<SortKey> group_keys;  // GROUP BY columns (their direction is ignored)
  GroupMode group_mode = GroupMode::kNone;
  // Empty: rows pass unchanged. Else one per column of the per-group row.
  std::vector<AggregateSpec> aggregates;
  bool distinct = false;
  uint64_t offset = 0;
  std::optional<uint64_t> limit;  // nullopt: no LIMIT
  uint32_t hidden_columns = 0;
  uint32_t div_precision_increment = 4;  // the session's, for kAvg

  bool aggregating() const { return !aggregates.empty(); }
  // The spec is consistent for rows of num_columns columns: [BUG] if not.
  Status Validate(size_t num_columns) const;
  nlohmann::json ToJson() const;
};

// How many rows to ask each group for, for LIMIT offset, count after merging:
// offset + count. ERR 1235 when that is more than cap (the configured
// merge limit cap) or overflows.
Result<uint64_t> PerGroupLimit(uint64_t offset, uint64_t count, uint64_t cap);

}  // namespace shardproxy::router::merge
