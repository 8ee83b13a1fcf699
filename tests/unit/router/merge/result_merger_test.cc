// The merge engine end to end (router/merge/result_merger.h): ORDER BY +
// LIMIT/OFFSET, hidden columns, aggregates over stream and in-memory group
// merges, scalar aggregates over no rows, DISTINCT, the memory limit, the
// per-group LIMIT helper and MergeSpec::ToJson. Aggregate texts are MariaDB
// 10.11's for the same rows in one table (checked on the ref instance).
#include "router/merge/result_merger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace shardproxy::router::merge {
namespace {

using Value = std::optional<std::string>;
using TextRow = std::vector<Value>;
using Stream = std::vector<TextRow>;
const Value kNull = std::nullopt;

// Runs the merger to kDone: rows are pushed one at a time when asked for,
// each kept in its own buffer until the merger asks for that stream again.
Result<std::vector<TextRow>> RunMerge(const MergeSpec& spec, const std::vector<ColumnType>& cols,
                                      const std::vector<Stream>& streams, MergeLimits limits = {}) {
  auto made = ResultMerger::Make(spec, cols, static_cast<uint32_t>(streams.size()), limits);
  if (!made.ok()) return made.status();
  ResultMerger& m = **made;
  std::vector<size_t> next(streams.size(), 0);
  std::vector<std::vector<std::string>> buffers(streams.size());  // the caller's bytes
  std::vector<std::vector<Cell>> cells(streams.size());
  std::vector<TextRow> out;
  for (;;) {
    Result<MergeStep> step = m.Next();
    if (!step.ok()) return step.status();
    if (step->kind == MergeStep::kDone) return out;
    if (step->kind == MergeStep::kRow) {
      TextRow r;
      for (Cell c : step->row) r.push_back(c.is_null() ? kNull : Value(std::string(c.value())));
      out.push_back(std::move(r));
      continue;
    }
    uint32_t s = step->stream;
    if (next[s] == streams[s].size()) {
      SP_RETURN_IF_ERROR(m.PushEnd(s));
      continue;
    }
    const TextRow& src = streams[s][next[s]++];
    buffers[s].assign(src.size(), std::string());
    cells[s].clear();
    for (size_t i = 0; i < src.size(); ++i) {
      if (src[i]) buffers[s][i] = *src[i];
    }
    for (size_t i = 0; i < src.size(); ++i) {
      cells[s].push_back(src[i] ? Cell(buffers[s][i]) : Cell::Null());
    }
    SP_RETURN_IF_ERROR(m.Push(s, cells[s]));
  }
}

std::vector<TextRow> MustRun(const MergeSpec& spec, const std::vector<ColumnType>& cols,
                             const std::vector<Stream>& streams) {
  Result<std::vector<TextRow>> r = RunMerge(spec, cols, streams);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<TextRow>{};
}

TEST(ResultMerger, OrderByLimitOffsetDropsHiddenColumns) {
  // SELECT name FROM t ORDER BY id DESC LIMIT 2, 3: per group "SELECT name, id ... LIMIT 5".
  std::vector<ColumnType> cols = {ColumnType::String("utf8mb4_general_ci"), ColumnType::Int()};
  MergeSpec spec;
  spec.sort_keys = {{1, true}};
  spec.offset = 2;
  spec.limit = 3;
  spec.hidden_columns = 1;
  std::vector<Stream> streams = {
      {{"j", "10"}, {"g", "7"}, {"d", "4"}, {"a", "1"}},
      {{"i", "9"}, {"h", "8"}, {"e", "5"}},
      {{"f", "6"}, {"c", "3"}, {"b", "2"}, {"n", kNull}},
  };
  std::vector<TextRow> got = MustRun(spec, cols, streams);
  EXPECT_EQ(got, (std::vector<TextRow>{{"h"}, {"g"}, {"f"}}));
  // NULL last in DESC, first in ASC.
  spec.offset = 0;
  spec.limit.reset();
  got = MustRun(spec, cols, streams);
  ASSERT_EQ(got.size(), 11u);
  EXPECT_EQ(got.back(), TextRow{"n"});
  spec.sort_keys = {{1, false}};
  for (Stream& s : streams) std::reverse(s.begin(), s.end());
  got = MustRun(spec, cols, streams);
  EXPECT_EQ(got.front(), TextRow{"n"});
  EXPECT_EQ(got.back(), TextRow{"j"});
}

TEST(ResultMerger, LimitZeroAndNoSortKeysConcatenate) {
  std::vector<ColumnType> cols = {ColumnType::Int()};
  MergeSpec spec;
  std::vector<Stream> streams = {{{"3"}, {"1"}}, {}, {{"2"}}};
  EXPECT_EQ(MustRun(spec, cols, streams), (std::vector<TextRow>{{"3"}, {"1"}, {"2"}}));
  spec.limit = 0;
  EXPECT_TRUE(MustRun(spec, cols, streams).empty());
}

// SELECT g, COUNT(*), SUM(x), MIN(x), MAX(x), AVG(x) FROM t GROUP BY g ORDER BY g,
// AVG rewritten to SUM(x) + a hidden COUNT(x).
MergeSpec GroupSpec(GroupMode mode) {
  MergeSpec spec;
  spec.group_mode = mode;
  spec.group_keys = {{0, false}};
  if (mode == GroupMode::kStream) spec.sort_keys = {{0, false}};
  spec.aggregates = {
      {AggregateKind::kNone, 0},  {AggregateKind::kCount, 1}, {AggregateKind::kSum, 2},
      {AggregateKind::kMin, 3},   {AggregateKind::kMax, 4},   {AggregateKind::kAvg, 5, 6},
      {AggregateKind::kCount, 6},
  };
  spec.hidden_columns = 1;
  return spec;
}

std::vector<ColumnType> GroupColumns() {
  ColumnType dec = ColumnType::Decimal(2);
  return {ColumnType::String("utf8mb4_general_ci"),
          ColumnType::Int(),
          dec,
          dec,
          dec,
          dec,
          ColumnType::Int()};
}

// Rows of t: g='a': 1.00, 2.00, 2.00 (over two groups); g='B'/'b': -0.05, -0.06, -0.06, NULL;
// g='c': NULL only. MariaDB: a|3|5.00|1.00|2.00|1.666667, b|4|-0.17|-0.06|-0.05|-0.056667,
// c|1|NULL|NULL|NULL|NULL.
std::vector<Stream> GroupStreams() {
  return {
      {{"a", "2", "3.00", "1.00", "2.00", "3.00", "2"},
       {"B", "2", "-0.11", "-0.06", "-0.05", "-0.11", "2"}},
      {{"A", "1", "2.00", "2.00", "2.00", "2.00", "1"},
       {"b", "2", "-0.06", "-0.06", "-0.06", "-0.06", "1"},
       {"c", "1", kNull, kNull, kNull, kNull, "0"}},
      {},
  };
}

const std::vector<TextRow> kGrouped = {
    {"a", "3", "5.00", "1.00", "2.00", "1.666667"},
    {"B", "4", "-0.17", "-0.06", "-0.05", "-0.056667"},
    {"c", "1", kNull, kNull, kNull, kNull},
};

TEST(ResultMerger, StreamGroupMergeCombinesEqualKeysAcrossStreams) {
  EXPECT_EQ(MustRun(GroupSpec(GroupMode::kStream), GroupColumns(), GroupStreams()), kGrouped);
}

TEST(ResultMerger, MemoryGroupMergeOutputsInGroupKeyOrder) {
  std::vector<Stream> streams = GroupStreams();
  std::reverse(streams[1].begin(), streams[1].end());  // unordered input
  std::vector<TextRow> got = MustRun(GroupSpec(GroupMode::kMemory), GroupColumns(), streams);
  EXPECT_EQ(got, kGrouped);  // the group's first row met (stream 0's "B") gives the key's text
}

TEST(ResultMerger, MemoryGroupMergeSortsByOtherKeysAfterGrouping) {
  // ... ORDER BY COUNT(*) DESC LIMIT 2
  MergeSpec spec = GroupSpec(GroupMode::kMemory);
  spec.sort_keys = {{1, true}};
  spec.limit = 2;
  std::vector<TextRow> got = MustRun(spec, GroupColumns(), GroupStreams());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], kGrouped[1]);
  EXPECT_EQ(got[1], kGrouped[0]);
}

TEST(ResultMerger, MemoryLimitIsAClearError) {
  MergeSpec spec = GroupSpec(GroupMode::kMemory);
  std::vector<Stream> streams(1);
  for (int i = 0; i < 1000; ++i) {
    streams[0].push_back({"key" + std::to_string(i), "1", "1.00", "1.00", "1.00", "1.00", "1"});
  }
  MergeLimits small;
  small.memory_bytes = 16 * 1024;
  Result<std::vector<TextRow>> r = RunMerge(spec, GroupColumns(), streams, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), 1038);
  EXPECT_EQ(r.status().sqlstate(), "HY001");
  EXPECT_NE(r.status().message().find("16384 bytes"), std::string::npos);
  EXPECT_TRUE(RunMerge(spec, GroupColumns(), streams).ok());  // the default 64 MiB
}

TEST(ResultMerger, ScalarAggregates) {
  // SELECT COUNT(*), SUM(i), AVG(i), MIN(i), SUM(d), AVG(d) over integers and doubles.
  MergeSpec spec;
  spec.aggregates = {{AggregateKind::kCount, 0},     {AggregateKind::kSum, 1},
                     {AggregateKind::kAvg, 2, 0},    {AggregateKind::kMin, 3},
                     {AggregateKind::kSumDouble, 4}, {AggregateKind::kAvgDouble, 5, 0}};
  std::vector<ColumnType> cols = {ColumnType::Int(), ColumnType::Decimal(0), ColumnType::Decimal(0),
                                  ColumnType::Int(), ColumnType::Double(),   ColumnType::Double()};
  // Rows 5, 6, 6 (integers) and 1, 2, 2 (doubles): MariaDB 3|17|5.6667|5|5|1.6666666666666667.
  std::vector<Stream> streams = {{{"2", "11", "11", "5", "3", "3"}},
                                 {{"1", "6", "6", "6", "2", "2"}},
                                 {{"0", kNull, kNull, kNull, kNull, kNull}}};
  EXPECT_EQ(MustRun(spec, cols, streams),
            (std::vector<TextRow>{{"3", "17", "5.6667", "5", "5", "1.6666666666666667"}}));
  // No rows anywhere (no group to ask, or every group's scalar row missing): COUNT 0, others NULL.
  EXPECT_EQ(MustRun(spec, cols, {{}, {}}),
            (std::vector<TextRow>{{"0", kNull, kNull, kNull, kNull, kNull}}));
  EXPECT_EQ(MustRun(spec, cols, {}),
            (std::vector<TextRow>{{"0", kNull, kNull, kNull, kNull, kNull}}));
  // With GROUP BY, no rows means no rows.
  EXPECT_TRUE(MustRun(GroupSpec(GroupMode::kStream), GroupColumns(), {{}, {}}).empty());
}

TEST(ResultMerger, SumOfHugeDecimalsAndUnsignedCountsIsExact) {
  MergeSpec spec;
  spec.aggregates = {{AggregateKind::kSum, 0}, {AggregateKind::kCount, 1}};
  std::vector<ColumnType> cols = {ColumnType::Decimal(30), ColumnType::Int(true)};
  std::string big = "99999999999999999999999999999999999.999999999999999999999999999999";
  std::vector<Stream> streams = {{{big, "18446744073709551615"}},
                                 {{big, "18446744073709551615"}},
                                 {{"-0.000000000000000000000000000001", "1"}}};
  EXPECT_EQ(
      MustRun(spec, cols, streams),
      (std::vector<TextRow>{{"199999999999999999999999999999999999.999999999999999999999999999997",
                             "36893488147419103231"}}));
}

TEST(ResultMerger, DistinctOverMergedSortedRows) {
  // SELECT DISTINCT s FROM t ORDER BY s under utf8mb4_general_ci: 'a' = 'A' = 'a '.
  std::vector<ColumnType> cols = {ColumnType::String("utf8mb4_general_ci")};
  MergeSpec spec;
  spec.sort_keys = {{0, false}};
  spec.distinct = true;
  spec.offset = 1;
  std::vector<Stream> streams = {{{kNull}, {"a"}, {"c"}}, {{kNull}, {"A"}, {"b"}}, {{"a "}, {"C"}}};
  EXPECT_EQ(MustRun(spec, cols, streams), (std::vector<TextRow>{{"a"}, {"b"}, {"c"}}));
}

TEST(ResultMerger, BadInputsAreErrors) {
  std::vector<ColumnType> cols = {ColumnType::Int()};
  MergeSpec spec;
  spec.sort_keys = {{0, false}};
  Result<std::vector<TextRow>> r = RunMerge(spec, cols, {{{"1"}}, {{"zz"}}});
  EXPECT_EQ(r.status().code(), 1105);
  spec.sort_keys = {{3, false}};
  EXPECT_EQ(RunMerge(spec, cols, {{}}).status().code(), 1105);  // [BUG]: a column past the row
  MergeSpec stream_group = GroupSpec(GroupMode::kStream);
  stream_group.sort_keys = {{1, false}};
  Status st = RunMerge(stream_group, GroupColumns(), {{}}).status();
  EXPECT_NE(st.message().find("[BUG]"), std::string::npos);
  MergeSpec sum_text;
  sum_text.aggregates = {{AggregateKind::kSum, 0}};
  EXPECT_EQ(RunMerge(sum_text, {ColumnType::Decimal(0)}, {{{"1x"}}}).status().code(), 1105);
  MergeSpec enum_sort;
  enum_sort.sort_keys = {{0, false}};
  EXPECT_EQ(RunMerge(enum_sort, {ColumnType::Of(mysql_type::kEnum)}, {{}}).status().code(), 1235);
}

TEST(PerGroupLimit, OffsetPlusCountWithinTheCap) {
  EXPECT_EQ(*PerGroupLimit(10, 20, 1000), 30u);
  EXPECT_EQ(*PerGroupLimit(0, 1000, 1000), 1000u);
  Status st = PerGroupLimit(999000, 2000, 1000000).status();
  EXPECT_EQ(st.code(), 1235);
  EXPECT_NE(st.message().find("1001000"), std::string::npos);
  EXPECT_NE(st.message().find("cap (1000000)"), std::string::npos);
  EXPECT_EQ(PerGroupLimit(UINT64_MAX, 2, UINT64_MAX).status().code(), 1235);  // overflow
}

TEST(MergeSpec, ToJson) {
  MergeSpec spec = GroupSpec(GroupMode::kStream);
  spec.limit = 10;
  spec.offset = 5;
  spec.distinct = true;
  nlohmann::json want = R"({
    "sort": [{"column": 0, "order": "asc"}],
    "group_mode": "stream",
    "group_by": [{"column": 0, "order": "asc"}],
    "aggregates": [{"kind": "none", "column": 0}, {"kind": "count", "column": 1},
                   {"kind": "sum", "column": 2}, {"kind": "min", "column": 3},
                   {"kind": "max", "column": 4}, {"kind": "avg", "column": 5, "count_column": 6},
                   {"kind": "count", "column": 6}],
    "distinct": true, "offset": 5, "limit": 10, "hidden_columns": 1
  })"_json;
  EXPECT_EQ(spec.ToJson(), want) << spec.ToJson().dump(2);
  EXPECT_EQ(MergeSpec().ToJson().dump(), "{}");
}

}  // namespace
}  // namespace shardproxy::router::merge
