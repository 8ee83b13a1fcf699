// Parser micro-benchmarks, literals varied per iteration (a ring of 1024
// pre-built statements per shape, so no formatting is timed):
//   BM_Digest/<shape>     ComputeDigestInto alone (buffers reused)
//   BM_CacheHit/<shape>   CachedParser::Parse on a warm cache: digest + lookup + Bind
//   BM_ColdParse/<shape>  CachedParser with capacity 0: digest + ANTLR parse + model
//                         (ANTLR's DFA warmed first by WarmUp and a pass over the ring)
// Shapes: point select, 10-row INSERT, 3-table join. Counter allocs/op counts
// operator new calls per statement.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "parser/digest/digest.h"
#ifdef SHARDPROXY_BENCH_HAVE_PARSER
#include "parser/cache/template_cache.h"
#include "parser/parser.h"
#endif

static std::atomic<uint64_t> g_allocs{0};
void* operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace {

using namespace shardproxy::parser;

constexpr size_t kRing = 1024;

std::vector<std::string> PointSelects() {
  std::vector<std::string> v;
  for (size_t i = 0; i < kRing; ++i) {
    v.push_back("SELECT c, pad FROM sbtest1 WHERE id = " + std::to_string(1000003 * i % 9999991));
  }
  return v;
}

std::vector<std::string> Inserts10() {
  std::vector<std::string> v;
  for (size_t i = 0; i < kRing; ++i) {
    std::string s = "INSERT INTO orders (order_id, user_id, amount, status) VALUES ";
    for (int r = 0; r < 10; ++r) {
      if (r) s += ", ";
      s += "(" + std::to_string(i * 10 + r) + ", " + std::to_string(i * 7 + r) + ", " +
           std::to_string(r + 1) + "." + std::to_string(10 + i % 90) + ", 'st" +
           std::to_string((i + r) % 5) + "')";
    }
    v.push_back(std::move(s));
  }
  return v;
}

std::vector<std::string> Joins3() {
  std::vector<std::string> v;
  for (size_t i = 0; i < kRing; ++i) {
    v.push_back(
        "SELECT o.order_id, u.name, i.sku, i.qty FROM orders o JOIN users u ON u.user_id = "
        "o.user_id JOIN order_items i ON i.order_id = o.order_id WHERE o.user_id = " +
        std::to_string(i * 31 + 7) + " AND o.status = 'paid' AND i.qty > " + std::to_string(i % 5) +
        " ORDER BY o.created_at DESC LIMIT 20");
  }
  return v;
}

const std::vector<std::string>& Ring(int shape) {
  static const std::vector<std::string> rings[3] = {PointSelects(), Inserts10(), Joins3()};
  return rings[shape];
}

void SetLabel(benchmark::State& state, int shape) {
  static const char* kNames[] = {"point_select", "insert_10_rows", "join_3_tables"};
  state.SetLabel(kNames[shape]);
}

void BM_Digest(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0));
  const auto& ring = Ring(shape);
  Digest d;
  size_t i = 0;
  uint64_t a0 = 0;
  bool started = false;
  for (auto _ : state) {
    if (!started) {
      a0 = g_allocs.load();
      started = true;
    }
    auto st = ComputeDigestInto(ring[i++ % kRing], {}, &d);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(d.hash);
  }
  state.counters["allocs/op"] = benchmark::Counter(static_cast<double>(g_allocs.load() - a0) /
                                                   static_cast<double>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ring[0].size()));
  SetLabel(state, shape);
}
BENCHMARK(BM_Digest)->DenseRange(0, 2);

#ifdef SHARDPROXY_BENCH_HAVE_PARSER
void WarmOnce() {
  static bool warm = [] {
    WarmUp();
    CachedParser cold(0);
    for (int shape = 0; shape < 3; ++shape) {
      for (const std::string& s : Ring(shape)) (void)cold.Parse(s, {});
    }
    return true;
  }();
  (void)warm;
}

void BM_CacheHit(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0));
  const auto& ring = Ring(shape);
  WarmOnce();
  CachedParser parser(1024);
  auto first = parser.Parse(ring[0], {});
  if (!first.ok()) {
    state.SkipWithError(first.status().ToString().c_str());
    return;
  }
  const uint64_t hits0 = parser.cache().stats().hits;
  size_t i = 1;
  uint64_t a0 = g_allocs.load();
  for (auto _ : state) {
    auto r = parser.Parse(ring[i++ % kRing], {});
    benchmark::DoNotOptimize(r);
  }
  state.counters["allocs/op"] = benchmark::Counter(static_cast<double>(g_allocs.load() - a0) /
                                                   static_cast<double>(state.iterations()));
  state.counters["hit_ratio"] =
      benchmark::Counter(static_cast<double>(parser.cache().stats().hits - hits0) /
                         static_cast<double>(state.iterations()));
  SetLabel(state, shape);
}
BENCHMARK(BM_CacheHit)->DenseRange(0, 2);

void BM_ColdParse(benchmark::State& state) {
  const int shape = static_cast<int>(state.range(0));
  const auto& ring = Ring(shape);
  WarmOnce();
  CachedParser parser(0);  // every Parse is a miss: digest + ANTLR + model
  size_t i = 0;
  uint64_t a0 = g_allocs.load();
  for (auto _ : state) {
    auto r = parser.Parse(ring[i++ % kRing], {});
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.counters["allocs/op"] = benchmark::Counter(static_cast<double>(g_allocs.load() - a0) /
                                                   static_cast<double>(state.iterations()));
  SetLabel(state, shape);
}
BENCHMARK(BM_ColdParse)->DenseRange(0, 2);
#endif

}  // namespace

BENCHMARK_MAIN();
