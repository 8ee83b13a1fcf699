#include "router/merge/result_merger.h"

#include <algorithm>
#include <numeric>

namespace shardproxy::router::merge {

namespace {

constexpr size_t kMapNodeBytes = 64;  // a std::map node's own bytes, roughly

std::vector<SortKey> Ascending(std::vector<SortKey> keys) {
  for (SortKey& k : keys) k.descending = false;
  return keys;
}

}  // namespace

ResultMerger::ResultMerger(MergeSpec spec, std::vector<ColumnType> columns, uint32_t num_streams,
                           KeyEncoder merge_keys, MergeLimits limits)
    : spec_(std::move(spec)),
      columns_(std::move(columns)),
      limits_(limits),
      merger_(std::move(merge_keys), num_streams) {}

Result<std::unique_ptr<ResultMerger>> ResultMerger::Make(MergeSpec spec,
                                                         std::vector<ColumnType> columns,
                                                         uint32_t num_streams, MergeLimits limits) {
  SP_RETURN_IF_ERROR(spec.Validate(columns.size()));
  bool memory = spec.aggregating() && spec.group_mode == GroupMode::kMemory;
  Result<KeyEncoder> merge_keys =
      KeyEncoder::Make(memory ? std::vector<SortKey>{} : spec.sort_keys, columns);
  if (!merge_keys.ok()) return merge_keys.status();
  std::unique_ptr<ResultMerger> m(new ResultMerger(std::move(spec), std::move(columns), num_streams,
                                                   std::move(*merge_keys), limits));
  const MergeSpec& s = m->spec_;
  if (s.aggregating()) {
    Result<Aggregator> a = Aggregator::Make(s.aggregates, m->columns_, s.div_precision_increment);
    if (!a.ok()) return a.status();
    m->aggregator_ = std::move(*a);
    Result<KeyEncoder> g = KeyEncoder::Make(Ascending(s.group_keys), m->columns_);
    if (!g.ok()) return g.status();
    m->group_keys_ = std::move(*g);
    if (memory && !s.sort_keys.empty()) {
      Result<KeyEncoder> o = KeyEncoder::Make(s.sort_keys, m->columns_);
      if (!o.ok()) return o.status();
      m->output_sort_ = std::move(*o);
    }
  }
  if (s.distinct) {
    std::vector<SortKey> all(m->visible_columns());
    for (uint32_t i = 0; i < all.size(); ++i) all[i].column = i;
    Result<KeyEncoder> d = KeyEncoder::Make(std::move(all), m->columns_);
    if (!d.ok()) return d.status();
    m->distinct_keys_ = std::move(*d);
  }
  return m;
}

Result<MergeStep> ResultMerger::Next() {
  MergeStep step;  // kDone
  for (;;) {
    if (spec_.limit && emitted_ >= *spec_.limit) return step;
    Row row;
    if (memory_output_ready_) {
      if (!NextMemoryRow()) return step;
      row = out_cells_;
    } else {
      if (input_done_) return step;
      MergeStep in = merger_.Next();
      if (in.kind == MergeStep::kNeedRow) return in;
      bool emit = false;
      if (in.kind == MergeStep::kRow) {
        SP_RETURN_IF_ERROR(TakeRow(in.row, &emit));
        row = spec_.aggregating() ? Row(out_cells_) : in.row;
        step.stream = in.stream;
      } else {
        input_done_ = true;
        SP_RETURN_IF_ERROR(FinishInput(&emit));
        row = out_cells_;
      }
      if (!emit) continue;
    }
    bool pass = true;
    if (spec_.distinct) {
      SP_RETURN_IF_ERROR(distinct_keys_.Encode(row, &scratch_key_));
      pass = !(have_last_distinct_ && scratch_key_ == last_distinct_key_);
      if (pass) {
        last_distinct_key_.swap(scratch_key_);
        have_last_distinct_ = true;
      }
    }
    if (pass && skipped_ < spec_.offset) {
      ++skipped_;
      pass = false;
    }
    if (!pass) continue;
    ++emitted_;
    step.kind = MergeStep::kRow;
    step.row = row.first(visible_columns());
    return step;
  }
}

void ResultMerger::SetOut(const OwnedRow& r) { r.CellsOf(&out_cells_); }

Status ResultMerger::TakeRow(Row row, bool* emit) {
  *emit = false;
  any_input_ = true;
  if (row.size() != columns_.size()) {
    return Status::Bug("merge: a row of " + std::to_string(row.size()) + " columns, expected " +
                       std::to_string(columns_.size()));
  }
  if (!spec_.aggregating()) {
    *emit = true;
    return Status::Ok();
  }
  if (spec_.group_mode == GroupMode::kMemory) return AddToMemory(row);
  SP_RETURN_IF_ERROR(group_keys_.Encode(row, &scratch_key_));
  if (group_open_ && scratch_key_ == group_key_) return aggregator_.Add(&group_, row);
  if (group_open_) {
    aggregator_.Finish(group_, &out_owned_);
    SetOut(out_owned_);
    *emit = true;
  }
  group_key_.swap(scratch_key_);
  group_open_ = true;
  return aggregator_.Start(&group_, row);
}

Status ResultMerger::FinishInput(bool* emit) {
  *emit = false;
  if (!spec_.aggregating()) return Status::Ok();
  if (spec_.group_keys.empty() && !any_input_) {  // a scalar aggregate over no rows
    aggregator_.Empty(&out_owned_);
    SetOut(out_owned_);
    *emit = true;
  } else if (group_open_) {
    aggregator_.Finish(group_, &out_owned_);
    SetOut(out_owned_);
    group_open_ = false;
    *emit = true;
  }
  if (spec_.group_mode == GroupMode::kMemory) SP_RETURN_IF_ERROR(PrepareMemoryOutput());
  return Status::Ok();
}

Status ResultMerger::AddToMemory(Row row) {
  SP_RETURN_IF_ERROR(group_keys_.Encode(row, &scratch_key_));
  auto it = groups_.find(scratch_key_);
  if (it == groups_.end()) {
    it = groups_.emplace(scratch_key_, GroupState()).first;
    SP_RETURN_IF_ERROR(aggregator_.Start(&it->second, row));
    memory_bytes_ += kMapNodeBytes + it->first.capacity() + it->second.bytes();
  } else {
    size_t before = it->second.bytes();
    SP_RETURN_IF_ERROR(aggregator_.Add(&it->second, row));
    memory_bytes_ += it->second.bytes() - before;
  }
  if (memory_bytes_ > limits_.memory_bytes) {
    return MergeError(kMergeMemoryExceeded,
                      "merge: the in-memory GROUP BY merge of this statement needs more than " +
                          std::to_string(limits_.memory_bytes) +
                          " bytes (the merge memory limit); add an ORDER BY on the GROUP BY "
                          "columns so the groups merge as a stream, or raise the limit");
  }
  return Status::Ok();
}

Status ResultMerger::PrepareMemoryOutput() {
  memory_output_ready_ = true;
  next_group_ = groups_.begin();
  if (output_sort_.keys().empty()) return Status::Ok();
  // Sorted by sort_keys after grouping (stable: ties keep group-key order).
  std::vector<OwnedRow> rows(groups_.size());
  std::vector<std::string> keys(groups_.size());
  size_t i = 0;
  for (const auto& [key, group] : groups_) {
    aggregator_.Finish(group, &rows[i]);
    SetOut(rows[i]);
    SP_RETURN_IF_ERROR(output_sort_.Encode(out_cells_, &keys[i]));
    memory_bytes_ += keys[i].capacity() + sizeof(OwnedRow);
    for (const std::string& t : rows[i].texts) memory_bytes_ += t.capacity();
    ++i;
  }
  if (memory_bytes_ > limits_.memory_bytes) {
    return MergeError(kMergeMemoryExceeded,
                      "merge: sorting the merged groups of this statement needs more than " +
                          std::to_string(limits_.memory_bytes) + " bytes (the merge memory limit)");
  }
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  sorted_.reserve(rows.size());
  for (size_t k : order) sorted_.push_back(std::move(rows[k]));
  groups_.clear();
  next_group_ = groups_.end();
  return Status::Ok();
}

bool ResultMerger::NextMemoryRow() {
  if (!output_sort_.keys().empty()) {
    if (next_sorted_ >= sorted_.size()) return false;
    SetOut(sorted_[next_sorted_++]);
    return true;
  }
  if (next_group_ == groups_.end()) return false;
  aggregator_.Finish(next_group_->second, &out_owned_);
  SetOut(out_owned_);
  ++next_group_;
  return true;
}

}  // namespace shardproxy::router::merge
