#include "router/merge/stream_merger.h"

namespace shardproxy::router::merge {

StreamMerger::StreamMerger(KeyEncoder encoder, uint32_t num_streams)
    : encoder_(std::move(encoder)), streams_(num_streams), wanted_count_(num_streams) {
  heap_.reserve(num_streams);
}

bool StreamMerger::Less(uint32_t a, uint32_t b) const {
  int c = streams_[a].key.compare(streams_[b].key);
  return c < 0 || (c == 0 && a < b);
}

void StreamMerger::SiftUp(size_t i) {
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!Less(heap_[i], heap_[parent])) return;
    std::swap(heap_[i], heap_[parent]);
    i = parent;
  }
}

void StreamMerger::SiftDown(size_t i) {
  size_t n = heap_.size();
  for (;;) {
    size_t l = 2 * i + 1, smallest = i;
    if (l < n && Less(heap_[l], heap_[smallest])) smallest = l;
    if (l + 1 < n && Less(heap_[l + 1], heap_[smallest])) smallest = l + 1;
    if (smallest == i) return;
    std::swap(heap_[i], heap_[smallest]);
    i = smallest;
  }
}

MergeStep StreamMerger::Next() {
  MergeStep step;
  if (wanted_count_ > 0) {
    if (top_taken_) {
      step.kind = MergeStep::kNeedRow;
      step.stream = heap_[0];
      return step;
    }
    for (uint32_t i = 0; i < streams_.size(); ++i) {
      if (streams_[i].wanted) {
        step.kind = MergeStep::kNeedRow;
        step.stream = i;
        return step;
      }
    }
  }
  if (heap_.empty()) return step;  // kDone
  uint32_t s = heap_[0];
  streams_[s].wanted = true;
  ++wanted_count_;
  top_taken_ = true;
  ++rows_out_;
  step.kind = MergeStep::kRow;
  step.stream = s;
  step.row = streams_[s].cells;
  return step;
}

Status StreamMerger::Push(uint32_t stream, Row row) {
  if (!Wants(stream)) return Status::Bug("merge: a row pushed on a stream not asked for");
  Stream& st = streams_[stream];
  SP_RETURN_IF_ERROR(encoder_.Encode(row, &st.key));
  st.cells.assign(row.begin(), row.end());
  st.wanted = false;
  --wanted_count_;
  if (top_taken_ && heap_[0] == stream) {
    top_taken_ = false;
    SiftDown(0);
  } else {
    heap_.push_back(stream);
    SiftUp(heap_.size() - 1);
  }
  return Status::Ok();
}

Status StreamMerger::PushEnd(uint32_t stream) {
  if (!Wants(stream)) return Status::Bug("merge: an end pushed on a stream not asked for");
  streams_[stream].wanted = false;
  --wanted_count_;
  if (top_taken_ && heap_[0] == stream) {
    top_taken_ = false;
    heap_[0] = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(0);
  }
  return Status::Ok();
}

}  // namespace shardproxy::router::merge
