// The k-way merge (router/merge/stream_merger.h): the pull protocol, and a
// property test: K random sorted streams, pushed as an asynchronous producer
// would (first rows in random order), merged == a stable sort of their
// concatenation by an independent comparator.
#include "router/merge/stream_merger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace shardproxy::router::merge {
namespace {

struct TestRow {
  std::optional<int64_t> n;  // BIGINT
  std::string s;             // VARCHAR utf8mb4_general_ci: letters only, any case
  int64_t cents;             // DECIMAL: printed with 2 or 1 digits or none when whole
  uint32_t stream, index;    // identity
  std::string n_text, d_text;
  std::vector<Cell> cells;
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// ORDER BY s DESC, n ASC, d DESC (NULL first in ASC).
int RefCompare(const TestRow& a, const TestRow& b) {
  std::string la = Lower(a.s), lb = Lower(b.s);
  if (la != lb) return la < lb ? 1 : -1;
  if (a.n != b.n) {
    if (!a.n) return -1;
    if (!b.n) return 1;
    return *a.n < *b.n ? -1 : 1;
  }
  if (a.cents != b.cents) return a.cents < b.cents ? 1 : -1;
  return 0;
}

std::string CentsText(int64_t cents, int form) {
  std::string sign = cents < 0 ? "-" : "";
  int64_t m = cents < 0 ? -cents : cents;
  std::string whole = std::to_string(m / 100);
  if (form == 0) return sign + whole + "." + (m % 100 < 10 ? "0" : "") + std::to_string(m % 100);
  if (m % 10 == 0 && form == 1) return sign + whole + "." + std::to_string((m % 100) / 10);
  if (m % 100 == 0) return sign + whole;
  return sign + whole + "." + (m % 100 < 10 ? "0" : "") + std::to_string(m % 100);
}

std::vector<ColumnType> Columns() {
  return {ColumnType::Int(), ColumnType::String("utf8mb4_general_ci"), ColumnType::Decimal(2)};
}

TEST(StreamMerger, RandomStreamsMergeLikeASortOfTheirConcatenation) {
  std::mt19937_64 rng(20240601);
  for (int round = 0; round < 60; ++round) {
    uint32_t k = 1 + static_cast<uint32_t>(rng() % 9);
    std::vector<std::vector<TestRow>> streams(k);
    for (uint32_t s = 0; s < k; ++s) {
      size_t n = rng() % 40;
      for (size_t i = 0; i < n; ++i) {
        TestRow r;
        if (rng() % 6 != 0) r.n = static_cast<int64_t>(rng() % 7) - 3;
        size_t len = rng() % 3;
        for (size_t c = 0; c < len; ++c) r.s.push_back("aAbB"[rng() % 4]);
        r.cents = static_cast<int64_t>(rng() % 41) - 20;
        r.d_text = CentsText(r.cents, static_cast<int>(rng() % 3));
        streams[s].push_back(std::move(r));
      }
      std::stable_sort(streams[s].begin(), streams[s].end(),
                       [](const TestRow& a, const TestRow& b) { return RefCompare(a, b) < 0; });
      for (size_t i = 0; i < streams[s].size(); ++i) {
        TestRow& r = streams[s][i];
        r.stream = s;
        r.index = static_cast<uint32_t>(i);
        r.n_text = r.n ? std::to_string(*r.n) : "";
        r.cells = {r.n ? Cell(r.n_text) : Cell::Null(), Cell(r.s), Cell(r.d_text)};
      }
    }
    std::vector<const TestRow*> expected;
    for (const auto& st : streams) {
      for (const TestRow& r : st) expected.push_back(&r);
    }
    std::stable_sort(expected.begin(), expected.end(),
                     [](const TestRow* a, const TestRow* b) { return RefCompare(*a, *b) < 0; });

    KeyEncoder enc = *KeyEncoder::Make({{1, true}, {0, false}, {2, true}}, Columns());
    StreamMerger m(std::move(enc), k);
    std::vector<size_t> next(k, 0);
    auto push = [&](uint32_t s) {
      if (next[s] < streams[s].size()) {
        ASSERT_TRUE(m.Push(s, streams[s][next[s]++].cells).ok());
      } else {
        ASSERT_TRUE(m.PushEnd(s).ok());
      }
    };
    // The first rows arrive in a random order.
    std::vector<uint32_t> order(k);
    for (uint32_t s = 0; s < k; ++s) order[s] = s;
    std::shuffle(order.begin(), order.end(), rng);
    for (uint32_t s : order) {
      ASSERT_TRUE(m.Wants(s));
      push(s);
    }
    std::vector<std::pair<uint32_t, uint32_t>> got;
    for (;;) {
      MergeStep step = m.Next();
      if (step.kind == MergeStep::kDone) break;
      if (step.kind == MergeStep::kNeedRow) {
        push(step.stream);
        continue;
      }
      // The row's cells are the pushed ones: identify it by its stream and position.
      const TestRow& r = streams[step.stream][next[step.stream] - 1];
      ASSERT_EQ(step.row[1].value().data(), r.s.data());
      got.emplace_back(r.stream, r.index);
    }
    ASSERT_EQ(got.size(), expected.size()) << "round " << round;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i], std::make_pair(expected[i]->stream, expected[i]->index))
          << "round " << round << " row " << i;
    }
  }
}

TEST(StreamMerger, ProtocolAsksForEachStreamThenTheOneConsumed) {
  StreamMerger m(*KeyEncoder::Make({{0, false}}, {ColumnType::Int()}), 3);
  std::vector<Cell> r5 = {Cell("5")}, r1 = {Cell("1")}, r3 = {Cell("3")}, r2 = {Cell("2")};
  MergeStep s = m.Next();
  ASSERT_EQ(s.kind, MergeStep::kNeedRow);
  EXPECT_EQ(s.stream, 0u);
  ASSERT_TRUE(m.Push(0, r5).ok());
  EXPECT_EQ(m.Push(0, r5).code(), 1105);  // not wanted: [BUG]
  s = m.Next();
  EXPECT_EQ(s.stream, 1u);
  ASSERT_TRUE(m.Push(2, r3).ok());  // any wanted stream may come first
  ASSERT_TRUE(m.Push(1, r1).ok());
  s = m.Next();
  ASSERT_EQ(s.kind, MergeStep::kRow);
  EXPECT_EQ(s.stream, 1u);
  EXPECT_EQ(s.row[0].value(), "1");
  s = m.Next();
  ASSERT_EQ(s.kind, MergeStep::kNeedRow);
  EXPECT_EQ(s.stream, 1u);
  EXPECT_FALSE(m.Wants(0));
  ASSERT_TRUE(m.Push(1, r2).ok());
  s = m.Next();
  EXPECT_EQ(s.row[0].value(), "2");
  s = m.Next();
  ASSERT_TRUE(m.PushEnd(s.stream).ok());
  EXPECT_EQ(m.Next().row[0].value(), "3");
  ASSERT_TRUE(m.PushEnd(2).ok());
  EXPECT_EQ(m.Next().row[0].value(), "5");
  ASSERT_TRUE(m.PushEnd(0).ok());
  EXPECT_EQ(m.Next().kind, MergeStep::kDone);
  EXPECT_EQ(m.rows_out(), 4u);
}

TEST(StreamMerger, NoStreamsIsDone) {
  StreamMerger m(KeyEncoder(), 0);
  EXPECT_EQ(m.Next().kind, MergeStep::kDone);
}

TEST(StreamMerger, BadSortValueFailsThePush) {
  StreamMerger m(*KeyEncoder::Make({{0, false}}, {ColumnType::Int()}), 1);
  std::vector<Cell> bad = {Cell("x")};
  EXPECT_EQ(m.Push(0, bad).code(), 1105);
  EXPECT_TRUE(m.Wants(0));
}

}  // namespace
}  // namespace shardproxy::router::merge
