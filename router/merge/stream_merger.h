// The k-way stream merge: K input streams, each sorted by the same sort keys
// (the per-group results of one ORDER BY), merged into one sorted stream with
// a binary heap on normalized keys (sort_key.h). Sans-I/O and pull-driven,
// so it works with asynchronous producers:
//
//   StreamMerger m(std::move(encoder), k);
//   for (;;) {
//     MergeStep s = m.Next();
//     if (s.kind == MergeStep::kNeedRow) {            // stream s.stream must say more
//       wait for its next row or end, then m.Push(s.stream, row) / m.PushEnd(s.stream);
//     } else if (s.kind == MergeStep::kRow) {          // the smallest row of all
//       send s.row;
//     } else break;                                    // kDone
//   }
//
// At the start every stream is wanted (Wants(i)): rows may be pushed in any
// order as they arrive (Next() names the lowest-numbered wanted stream).
// After a kRow only the stream it came from is wanted.
//
// Ownership: the merger copies the cells (pointers and sizes) but not their
// bytes. The bytes of a row pushed on stream i belong to the caller and must
// stay valid until the merger wants stream i again (Next() returns kNeedRow
// for i, or kDone). A kRow's span is valid until the next call to Next().
//
// Ties: rows with equal keys come in stream order (lower index first), each
// stream's own order kept: deterministic. With no sort keys the merge is a
// concatenation in stream order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "router/merge/sort_key.h"

namespace shardproxy::router::merge {

struct MergeStep {
  enum Kind : uint8_t {
    kNeedRow,  // push stream's next row (or its end)
    kRow,      // row is the next output row
    kDone,     // no more rows: every stream ended (or a limit was reached)
  };
  Kind kind = kDone;
  uint32_t stream = 0;  // kNeedRow: which stream; kRow: where the row came from
  Row row;              // kRow
};

class StreamMerger {
 public:
  StreamMerger(KeyEncoder encoder, uint32_t num_streams);

  MergeStep Next();
  // ERR 1105 when a sort value is not a value of its column's type (the
  // stream's row is then not taken: the statement should fail); [BUG] when
  // the stream is not wanted.
  Status Push(uint32_t stream, Row row);
  Status PushEnd(uint32_t stream);  // the stream has no more rows
  bool Wants(uint32_t stream) const { return stream < streams_.size() && streams_[stream].wanted; }

  uint32_t num_streams() const { return static_cast<uint32_t>(streams_.size()); }
  uint64_t rows_out() const { return rows_out_; }

 private:
  struct Stream {
    std::vector<Cell> cells;  // the head row's cells (bytes: the caller's)
    std::string key;          // its normalized key
    bool wanted = true;       // the merger needs this stream's next row or end
  };
  bool Less(uint32_t a, uint32_t b) const;
  void SiftUp(size_t i);
  void SiftDown(size_t i);

  KeyEncoder encoder_;
  std::vector<Stream> streams_;
  std::vector<uint32_t> heap_;  // streams with a head row; heap_[0] the smallest
  uint32_t wanted_count_ = 0;
  bool top_taken_ = false;  // heap_[0]'s row was returned; its stream is wanted
  uint64_t rows_out_ = 0;
};

}  // namespace shardproxy::router::merge
