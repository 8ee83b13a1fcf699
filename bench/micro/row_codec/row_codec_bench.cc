// Row codec micro-benchmarks on a sysbench row: id INT, k INT, c CHAR(120),
// pad CHAR(60) (sbtest's shape; values varied over a ring of 1024 rows so no
// formatting is timed). Per iteration one row; items/s = rows/s, and the
// counter allocs/row counts operator new calls (0 expected: buffers reused).
//   BM_TextDecode          DecodeTextRow into 4 cells (validates the row)
//   BM_TextViewIterate     TextRowView::Parse + range-for over the cells
//   BM_TextEncode          AppendTextRow into a reused buffer
//   BM_BinaryDecode        DecodeBinaryRow + AsInt64 of both ints
//   BM_BinaryEncode        AppendBinaryRow from typed values
//   BM_BinaryToText        DecodeBinaryRow + AppendTextRowFromBinary
#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/micro/alloc_counter.h"
#include "proxy/protocol/row_codec.h"

namespace {

using namespace shardproxy::protocol;

constexpr size_t kRing = 1024;

const std::array<ColumnType, 4> kColumns = {
    ColumnType(kTypeLong, kFlagNotNull, 0, 11), ColumnType(kTypeLong, kFlagNotNull, 0, 11),
    ColumnType(kTypeString, kFlagNotNull, 0, 480), ColumnType(kTypeString, kFlagNotNull, 0, 240)};

// sysbench's c / pad: groups of 11 digits joined by '-'.
std::string Digits(size_t seed, size_t len) {
  std::string s;
  uint64_t x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  while (s.size() < len) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    s.push_back(s.size() % 12 == 11 ? '-' : static_cast<char>('0' + (x >> 33) % 10));
  }
  return s;
}

struct Ring {
  std::vector<std::string> c, pad, ids, ks, text, binary;
  std::vector<int64_t> id, k;
  Ring() {
    for (size_t i = 0; i < kRing; ++i) {
      id.push_back(static_cast<int64_t>(1 + i * 9973 % 10000));
      k.push_back(static_cast<int64_t>(4000 + i * 7919 % 5000));
      c.push_back(Digits(i, 119));
      pad.push_back(Digits(i + kRing, 59));
      ids.push_back(std::to_string(id[i]));
      ks.push_back(std::to_string(k[i]));
    }
    for (size_t i = 0; i < kRing; ++i) {
      const TextCell cells[4] = {ids[i], ks[i], c[i], pad[i]};
      text.emplace_back();
      AppendTextRow(cells, &text.back());
      const BinaryValue values[4] = {id[i], k[i], std::string_view(c[i]), std::string_view(pad[i])};
      binary.emplace_back();
      if (!AppendBinaryRow(kColumns, values, &binary.back()).ok()) std::abort();
    }
  }
};

const Ring& TheRing() {
  static const Ring ring;
  return ring;
}

// Runs row(r) once per iteration, r cycling over the ring; items = rows.
template <typename F>
void PerRow(benchmark::State& state, F&& row) {
  const uint64_t allocs = g_allocs.load();
  size_t i = 0;
  for (auto _ : state) row(i++ % kRing);
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs/row"] =
      benchmark::Counter(static_cast<double>(g_allocs.load() - allocs) / state.iterations());
}

void BM_TextDecode(benchmark::State& state) {
  const Ring& ring = TheRing();
  std::array<TextCell, 4> cells;
  PerRow(state, [&](size_t r) {
    if (!DecodeTextRow(ring.text[r], cells).ok()) std::abort();
    benchmark::DoNotOptimize(cells);
  });
}
BENCHMARK(BM_TextDecode);

void BM_TextViewIterate(benchmark::State& state) {
  const Ring& ring = TheRing();
  PerRow(state, [&](size_t r) {
    auto row = TextRowView::Parse(ring.text[r], 4);
    if (!row.ok()) std::abort();
    size_t bytes = 0;
    for (TextCell c : *row) bytes += c ? c->size() : 0;
    benchmark::DoNotOptimize(bytes);
  });
}
BENCHMARK(BM_TextViewIterate);

void BM_TextEncode(benchmark::State& state) {
  const Ring& ring = TheRing();
  std::string out;
  out.reserve(1024);
  PerRow(state, [&](size_t r) {
    const TextCell cells[4] = {ring.ids[r], ring.ks[r], ring.c[r], ring.pad[r]};
    out.clear();
    AppendTextRow(cells, &out);
    benchmark::DoNotOptimize(out.data());
  });
}
BENCHMARK(BM_TextEncode);

void BM_BinaryDecode(benchmark::State& state) {
  const Ring& ring = TheRing();
  std::array<BinaryCell, 4> cells;
  PerRow(state, [&](size_t r) {
    if (!DecodeBinaryRow(ring.binary[r], kColumns, cells).ok()) std::abort();
    int64_t sum = *cells[0].AsInt64() + *cells[1].AsInt64();
    benchmark::DoNotOptimize(sum);
  });
}
BENCHMARK(BM_BinaryDecode);

void BM_BinaryEncode(benchmark::State& state) {
  const Ring& ring = TheRing();
  std::string out;
  out.reserve(1024);
  PerRow(state, [&](size_t r) {
    const BinaryValue values[4] = {ring.id[r], ring.k[r], std::string_view(ring.c[r]),
                                   std::string_view(ring.pad[r])};
    out.clear();
    if (!AppendBinaryRow(kColumns, values, &out).ok()) std::abort();
    benchmark::DoNotOptimize(out.data());
  });
}
BENCHMARK(BM_BinaryEncode);

void BM_BinaryToText(benchmark::State& state) {
  const Ring& ring = TheRing();
  std::array<BinaryCell, 4> cells;
  std::string out;
  out.reserve(1024);
  PerRow(state, [&](size_t r) {
    if (!DecodeBinaryRow(ring.binary[r], kColumns, cells).ok()) std::abort();
    out.clear();
    if (!AppendTextRowFromBinary(cells, &out).ok()) std::abort();
    benchmark::DoNotOptimize(out.data());
  });
}
BENCHMARK(BM_BinaryToText);

}  // namespace

BENCHMARK_MAIN();
