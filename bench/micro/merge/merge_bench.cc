// K-way merge micro-benchmarks (router/merge). Rows are pre-built (K sorted
// streams, 4096 rows each, cells pointing into pre-formatted text), so only
// the merge is timed: key encoding on Push, the heap, the pull protocol.
//   BM_MergeInt/<K>        ORDER BY a BIGINT column
//   BM_MergeString/<K>     ORDER BY a VARCHAR utf8mb4_general_ci column (weights + PAD SPACE)
//   BM_MergeDecimal/<K>    ORDER BY a DECIMAL(12,2) column DESC
//   BM_ResultMergerLimit/<K> ResultMerger with ORDER BY BIGINT + a hidden column + LIMIT
// items/s = merged rows per second; the ns/row is 1e9 / items_per_second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "router/merge/result_merger.h"
#include "router/merge/stream_merger.h"

namespace merge = shardproxy::router::merge;

namespace {

constexpr size_t kRowsPerStream = 4096;

struct Streams {
  std::vector<std::vector<std::string>> text;     // [stream][row]: the sort value
  std::vector<std::vector<std::string>> payload;  // [stream][row]: a second column
  std::vector<std::vector<std::vector<merge::Cell>>> rows;
};

enum class Kind { kInt, kString, kDecimal };

Streams Make(int k, Kind kind) {
  std::mt19937_64 rng(42);
  Streams s;
  s.text.resize(k);
  s.payload.resize(k);
  s.rows.resize(k);
  for (int i = 0; i < k; ++i) {
    std::vector<int64_t> v(kRowsPerStream);
    for (int64_t& x : v) x = static_cast<int64_t>(rng() % 100000000);
    std::sort(v.begin(), v.end());
    if (kind == Kind::kDecimal) std::reverse(v.begin(), v.end());
    for (int64_t x : v) {
      std::string t;
      if (kind == Kind::kInt) {
        t = std::to_string(x);
      } else if (kind == Kind::kDecimal) {
        t = std::to_string(x / 100) + "." + std::to_string(10 + x % 90);
      } else {
        t = "customer-" + std::to_string(x);  // sorted as numbers, compared as strings
      }
      s.text[i].push_back(t);
      s.payload[i].push_back("payload-" + std::to_string(x));
    }
    if (kind == Kind::kString) std::sort(s.text[i].begin(), s.text[i].end());
    for (size_t r = 0; r < kRowsPerStream; ++r) {
      s.rows[i].push_back({merge::Cell(s.text[i][r]), merge::Cell(s.payload[i][r])});
    }
  }
  return s;
}

std::vector<merge::ColumnType> Columns(Kind kind) {
  merge::ColumnType first = kind == Kind::kInt ? merge::ColumnType::Int()
                            : kind == Kind::kString
                                ? merge::ColumnType::String("utf8mb4_general_ci")
                                : merge::ColumnType::Decimal(2);
  return {first, merge::ColumnType::String("utf8mb4_bin")};
}

// Drives any merger with the pull protocol; returns the rows merged.
template <typename Merger, typename NextFn>
size_t Drain(Merger& m, const Streams& s, NextFn next) {
  std::vector<size_t> pos(s.rows.size(), 0);
  size_t out = 0;
  for (;;) {
    merge::MergeStep step = next(m);
    if (step.kind == merge::MergeStep::kDone) return out;
    if (step.kind == merge::MergeStep::kRow) {
      benchmark::DoNotOptimize(step.row.data());
      ++out;
      continue;
    }
    uint32_t i = step.stream;
    if (pos[i] == s.rows[i].size()) {
      (void)m.PushEnd(i);
    } else {
      (void)m.Push(i, s.rows[i][pos[i]++]);
    }
  }
}

void RunStreamMerger(benchmark::State& state, Kind kind, bool descending) {
  int k = static_cast<int>(state.range(0));
  Streams s = Make(k, kind);
  std::vector<merge::ColumnType> cols = Columns(kind);
  size_t rows = 0;
  for (auto _ : state) {
    merge::StreamMerger m(*merge::KeyEncoder::Make({{0, descending}}, cols), k);
    rows += Drain(m, s, [](merge::StreamMerger& mm) { return mm.Next(); });
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
}

void BM_MergeInt(benchmark::State& state) { RunStreamMerger(state, Kind::kInt, false); }
void BM_MergeString(benchmark::State& state) { RunStreamMerger(state, Kind::kString, false); }
void BM_MergeDecimal(benchmark::State& state) { RunStreamMerger(state, Kind::kDecimal, true); }

void BM_ResultMergerLimit(benchmark::State& state) {
  int k = static_cast<int>(state.range(0));
  Streams s = Make(k, Kind::kInt);
  merge::MergeSpec spec;
  spec.sort_keys = {{0, false}};
  spec.hidden_columns = 1;
  spec.offset = 100;
  spec.limit = kRowsPerStream * k / 2;
  size_t rows = 0;
  for (auto _ : state) {
    auto made = merge::ResultMerger::Make(spec, Columns(Kind::kInt), k);
    auto m = std::move(*made);
    rows += Drain(*m, s, [](merge::ResultMerger& mm) { return *mm.Next(); });
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
}

}  // namespace

BENCHMARK(BM_MergeInt)->Arg(2)->Arg(8)->Arg(32)->Arg(128);
BENCHMARK(BM_MergeString)->Arg(2)->Arg(8)->Arg(32);
BENCHMARK(BM_MergeDecimal)->Arg(2)->Arg(8)->Arg(32);
BENCHMARK(BM_ResultMergerLimit)->Arg(8);
BENCHMARK_MAIN();
