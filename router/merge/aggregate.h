// Combining one output row's aggregates across the groups' rows
// (merge_spec.h: AggregateSpec). Used by ResultMerger for both group modes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "router/merge/decimal.h"
#include "router/merge/merge_spec.h"

namespace shardproxy::router::merge {

// A finished row that owns its bytes.
struct OwnedRow {
  std::vector<std::string> texts;
  std::vector<bool> nulls;
  // Cells pointing into texts: valid while this row is alive and unchanged.
  void CellsOf(std::vector<Cell>* out) const;
};

// The state of one group: one value per output column.
class GroupState {
 public:
  size_t bytes() const;  // an estimate of the memory it holds

 private:
  friend class Aggregator;
  struct Column {
    bool has_value = false;  // a non-NULL value was seen
    std::string text;        // kNone, kMin, kMax: the value's text
    std::string key;         // kMin, kMax: its normalized key
    Decimal sum;             // kCount, kSum, kAvg
    Decimal count;           // kAvg, kAvgDouble
    double real = 0;         // kSumDouble, kAvgDouble
  };
  std::vector<Column> columns_;
};

class Aggregator {
 public:
  // One spec per column of `columns` (ERR 1235 for a MIN/MAX column the
  // merge cannot compare).
  static Result<Aggregator> Make(std::vector<AggregateSpec> specs,
                                 const std::vector<ColumnType>& columns,
                                 uint32_t div_precision_increment);

  // Starts *g with row (its first row), or adds row to it. ERR 1105 when a
  // value is not a number where one is needed.
  Status Start(GroupState* g, Row row) const;
  Status Add(GroupState* g, Row row) const;
  // The group's row (as one MariaDB would return it).
  void Finish(const GroupState& g, OwnedRow* out) const;
  // The row of a scalar aggregate over no rows: COUNT 0, everything else NULL.
  void Empty(OwnedRow* out) const;

 private:
  Status AddColumn(size_t i, Row row, GroupState::Column* c) const;

  std::vector<AggregateSpec> specs_;
  std::vector<ValueEncoder> encoders_;  // per column (kMin/kMax use theirs)
  uint32_t div_precision_increment_ = 4;
};

}  // namespace shardproxy::router::merge
