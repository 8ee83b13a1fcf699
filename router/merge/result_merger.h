// The merge engine's one entry point: runs a MergeSpec (merge_spec.h) over K
// per-group result streams and yields the rows the client gets. Sans-I/O and
// pull-driven like StreamMerger (stream_merger.h), which it wraps:
//
//   auto m = ResultMerger::Make(spec, columns, k, limits);   // columns: the per-group row's
//   for (;;) {
//     Result<MergeStep> s = (*m)->Next();
//     if (!s.ok()) fail the statement with s.status();
//     kNeedRow: push that stream's next row or its end (Push / PushEnd), then Next() again
//     kRow:     send s->row (the visible columns only) to the client
//     kDone:    the result is complete; streams that have not ended are not needed
//               any more (LIMIT reached): stop their queries
//   }
//
// Ownership: a pushed row's bytes are the caller's and must stay valid until
// this merger next asks for that stream (kNeedRow naming it) or says kDone.
// A kRow's cells are valid until the next call to Next(): they point into
// the caller's bytes (rows passed through) or into the merger (aggregated rows).
//
// Memory: one head row per stream (the caller's), one group's state in
// kStream mode; in kMemory mode every group, bounded by limits.memory_bytes
// (ERR 1038 past it). One merger per statement, on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "router/merge/aggregate.h"
#include "router/merge/merge_spec.h"
#include "router/merge/stream_merger.h"

namespace shardproxy::router::merge {

struct MergeLimits {
  uint64_t memory_bytes = uint64_t{64} << 20;  // kMemory group merge (and its sort)
};

class ResultMerger {
 public:
  // columns: the types of the per-group row's columns (hidden ones included).
  // [BUG] for an inconsistent spec; ERR 1235 for a column the spec must
  // compare that cannot be compared (ENUM, an unsupported collation).
  static Result<std::unique_ptr<ResultMerger>> Make(MergeSpec spec, std::vector<ColumnType> columns,
                                                    uint32_t num_streams, MergeLimits limits = {});

  Result<MergeStep> Next();
  // See StreamMerger::Push / PushEnd.
  Status Push(uint32_t stream, Row row) { return merger_.Push(stream, row); }
  Status PushEnd(uint32_t stream) { return merger_.PushEnd(stream); }
  bool Wants(uint32_t stream) const { return merger_.Wants(stream); }

  size_t visible_columns() const { return columns_.size() - spec_.hidden_columns; }
  uint64_t rows_in() const { return merger_.rows_out(); }  // rows taken from the streams
  uint64_t memory_bytes() const { return memory_bytes_; }  // kMemory: what the groups hold
  const MergeSpec& spec() const { return spec_; }

 private:
  ResultMerger(MergeSpec spec, std::vector<ColumnType> columns, uint32_t num_streams,
               KeyEncoder merge_keys, MergeLimits limits);

  Status TakeRow(Row row, bool* emit);  // a merged input row; *emit: out_ is a row
  Status FinishInput(bool* emit);       // every stream ended
  Status AddToMemory(Row row);
  Status PrepareMemoryOutput();
  bool NextMemoryRow();  // sets out_ from the next stored group
  void SetOut(const OwnedRow& r);

  MergeSpec spec_;
  std::vector<ColumnType> columns_;
  MergeLimits limits_;
  StreamMerger merger_;
  Aggregator aggregator_;
  KeyEncoder group_keys_;     // ASC, for equality
  KeyEncoder distinct_keys_;  // every visible column
  KeyEncoder output_sort_;    // kMemory with sort_keys: the order after grouping

  // kStream (and scalar) grouping: the open group.
  bool group_open_ = false;
  std::string group_key_, scratch_key_;
  GroupState group_;
  // kMemory grouping.
  std::map<std::string, GroupState> groups_;
  uint64_t memory_bytes_ = 0;
  std::vector<OwnedRow> sorted_;  // kMemory with sort_keys: finished rows in output order
  size_t next_sorted_ = 0;
  std::map<std::string, GroupState>::iterator next_group_;
  bool memory_output_ready_ = false;

  bool input_done_ = false;
  bool any_input_ = false;
  OwnedRow out_owned_;
  std::vector<Cell> out_cells_;
  std::string last_distinct_key_;
  bool have_last_distinct_ = false;
  uint64_t skipped_ = 0, emitted_ = 0;
};

}  // namespace shardproxy::router::merge
