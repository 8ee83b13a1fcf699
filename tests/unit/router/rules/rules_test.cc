// The rules model: vpart map shape, JSON round trip and validation, snapshot
// lookups, the snapshot holder.
#include "router/rules/rules.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/unit/router/rules/test_util.h"

namespace shardproxy::router {
namespace {

using nlohmann::json;
using testing::SampleMetadata;

// ---------------------------------------------------------------------------
// Contiguous initial vpart map

class ContiguousTest : public ::testing::TestWithParam<size_t> {};

TEST_P(ContiguousTest, EveryVpartMappedInContiguousBalancedRanges) {
  const size_t groups = GetParam();
  const uint32_t n = 1024;
  std::vector<uint16_t> map = ContiguousVpartGroups(n, groups);
  ASSERT_EQ(map.size(), n);
  std::vector<uint32_t> size(groups, 0);
  for (uint32_t v = 0; v < n; ++v) {
    ASSERT_LT(map[v], groups) << "vpart " << v;
    if (v > 0) {
      // Contiguous: the group index never goes down and steps by at most one.
      ASSERT_TRUE(map[v] == map[v - 1] || map[v] == map[v - 1] + 1) << "vpart " << v;
    }
    ++size[map[v]];
  }
  EXPECT_EQ(map.front(), 0);
  EXPECT_EQ(map.back(), groups - 1);
  auto [lo, hi] = std::minmax_element(size.begin(), size.end());
  EXPECT_LE(*hi - *lo, 1u);
  // Range i is [i*N/G, (i+1)*N/G).
  for (size_t g = 0; g < groups; ++g) {
    uint32_t begin = static_cast<uint32_t>(g * n / groups);
    uint32_t end = static_cast<uint32_t>((g + 1) * n / groups);
    EXPECT_EQ(map[begin], g);
    EXPECT_EQ(map[end - 1], g);
    EXPECT_EQ(size[g], end - begin);
  }
}

INSTANTIATE_TEST_SUITE_P(Groups, ContiguousTest, ::testing::Values(1, 2, 3));

TEST(ContiguousTest, ThreeGroupsSizes) {
  std::vector<uint16_t> map = ContiguousVpartGroups(1024, 3);
  EXPECT_EQ(std::count(map.begin(), map.end(), 0), 341);
  EXPECT_EQ(std::count(map.begin(), map.end(), 1), 341);
  EXPECT_EQ(std::count(map.begin(), map.end(), 2), 342);
  EXPECT_EQ(map[340], 0);
  EXPECT_EQ(map[341], 1);
  EXPECT_EQ(map[681], 1);
  EXPECT_EQ(map[682], 2);
}

TEST(MakeSchemaTest, ShardedAndUnsharded) {
  SchemaRule s = MakeShardedSchema("trade", {"g0", "g1"});
  EXPECT_TRUE(s.sharded);
  EXPECT_EQ(s.vpart_count, 1024u);
  EXPECT_EQ(s.vpart_group.size(), 1024u);
  EXPECT_EQ(s.vpart_group[511], 0);
  EXPECT_EQ(s.vpart_group[512], 1);
  SchemaRule u = MakeUnshardedSchema("app", "g0");
  EXPECT_FALSE(u.sharded);
  EXPECT_EQ(u.groups, std::vector<std::string>{"g0"});
  EXPECT_TRUE(u.vpart_group.empty());
  EXPECT_TRUE(ValidateMetadata(Metadata{1, {s, u}, {}}).ok());
}

// ---------------------------------------------------------------------------
// JSON

TEST(JsonTest, RoundTrip) {
  Metadata m = SampleMetadata();
  auto back = Metadata::FromJsonText(m.ToJsonText());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  // And through the json object.
  auto back2 = Metadata::FromJson(m.ToJson());
  ASSERT_TRUE(back2.ok()) << back2.status().ToString();
  EXPECT_EQ(*back2, m);
}

TEST(JsonTest, EmptyMetadataRoundTrip) {
  Metadata m;
  auto back = Metadata::FromJsonText(m.ToJsonText());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
}

TEST(JsonTest, VpartsAreWrittenAsRanges) {
  json j = SampleMetadata().ToJson();
  EXPECT_EQ(j["format"], 1);
  EXPECT_EQ(j["version"], 7);
  const json& trade = j["schemas"][0];
  EXPECT_EQ(trade["vpart_count"], 1024);
  EXPECT_EQ(trade["vparts"], json::parse(R"([{"first":0,"last":511,"group":"g0"},
                                              {"first":512,"last":1023,"group":"g1"}])"));
  EXPECT_FALSE(j["schemas"][1].contains("vparts"));
  EXPECT_FALSE(j["schemas"][1].contains("vpart_count"));
  // Key type: NULLs of information_schema are JSON nulls.
  EXPECT_EQ(j["tables"][0]["key"]["collation_name"], nullptr);
  EXPECT_EQ(j["tables"][0]["key"]["numeric_scale"], 0);
  EXPECT_EQ(j["tables"][1]["key"]["numeric_scale"], nullptr);
  EXPECT_EQ(j["tables"][1]["key"]["collation_name"], "utf8mb4_general_ci");
  // Fields of other kinds are not written.
  EXPECT_FALSE(j["tables"][2].contains("shard_column"));
  EXPECT_FALSE(j["tables"][2].contains("single_group"));
  EXPECT_EQ(j["tables"][3]["single_group"], "g1");
}

TEST(JsonTest, MovedVpartsRoundTrip) {
  Metadata m = SampleMetadata();
  // Vparts 0, 7 and 1023 moved: five ranges.
  std::vector<uint16_t>& map = m.schemas[0].vpart_group;
  map[0] = 1;
  map[7] = 1;
  map[1023] = 0;
  json j = m.ToJson();
  EXPECT_EQ(j["schemas"][0]["vparts"].size(), 6u);  // 0 | 1-6 | 7 | 8-511 | 512-1022 | 1023
  auto back = Metadata::FromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
}

TEST(JsonTest, AdjacentRangesOnOneGroupAreAccepted) {
  json j = SampleMetadata().ToJson();
  j["schemas"][0]["vparts"] = json::parse(R"([{"first":0,"last":99,"group":"g0"},
      {"first":100,"last":511,"group":"g0"}, {"first":512,"last":1023,"group":"g1"}])");
  auto back = Metadata::FromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->schemas[0], SampleMetadata().schemas[0]);
}

struct BadCase {
  const char* name;
  std::function<void(json&)> mutate;
  const char* expected;  // a substring of the error message
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class JsonValidationTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(JsonValidationTest, NamesTheBadField) {
  json j = SampleMetadata().ToJson();
  GetParam().mutate(j);
  auto r = Metadata::FromJson(j, "metadata file /x/metadata.json");
  ASSERT_FALSE(r.ok()) << "accepted: " << j.dump();
  EXPECT_NE(r.status().message().find(GetParam().expected), std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().message().rfind("metadata file /x/metadata.json: ", 0), 0u)
      << r.status().message();
}

const BadCase kBadCases[] = {
    {"NotAnObject", [](json& j) { j = json::array(); }, "expected an object, got a list"},
    {"UnknownTopKey", [](json& j) { j["shards"] = 1; }, "shards: unknown key"},
    {"FormatMissing", [](json& j) { j.erase("format"); }, "format: missing"},
    {"FormatNewer", [](json& j) { j["format"] = 2; }, "format: this proxy reads format 1"},
    {"VersionMissing", [](json& j) { j.erase("version"); }, "version: missing"},
    {"VersionNegative", [](json& j) { j["version"] = -1; },
     "version: expected a non-negative integer, got"},
    {"VersionString", [](json& j) { j["version"] = "7"; },
     "version: expected a non-negative integer, got"},
    {"SchemasNotList", [](json& j) { j["schemas"] = json::object(); },
     "schemas: expected a list of objects"},
    {"TablesMissing", [](json& j) { j.erase("tables"); }, "tables: missing"},
    {"SchemaUnknownKey", [](json& j) { j["schemas"][0]["vpart_map"] = 1; },
     "schemas[0].vpart_map: unknown key"},
    {"SchemaNameEmpty", [](json& j) { j["schemas"][1]["name"] = ""; },
     "schemas[1].name: must not be empty"},
    {"SchemaNameTooLong", [](json& j) { j["schemas"][1]["name"] = std::string(65, 'a'); },
     "schemas[1].name: longer than 64 bytes"},
    {"SchemaNameNotString", [](json& j) { j["schemas"][1]["name"] = 5; },
     "schemas[1].name: expected a string, got 5"},
    {"ShardedNotBool", [](json& j) { j["schemas"][0]["sharded"] = "yes"; },
     "schemas[0].sharded: expected true or false, got \"yes\""},
    {"GroupNotString", [](json& j) { j["schemas"][0]["groups"][0] = 7; },
     "schemas[0].groups[0]: expected a string, got 7"},
    {"GroupEmpty", [](json& j) { j["schemas"][1]["groups"][0] = ""; },
     "schemas[1].groups[0]: must not be empty"},
    {"GroupTwice",
     [](json& j) {
       j["schemas"][0]["groups"] = {"g0", "g0"};
       j["schemas"][0]["vparts"] = json::parse(R"([{"first":0,"last":1023,"group":"g0"}])");
     },
     "schemas[0].groups[1]: group 'g0' is listed twice"},
    {"DuplicateSchema", [](json& j) { j["schemas"][1]["name"] = "trade"; },
     "schemas[1].name: 'trade' is declared twice (also schemas[0])"},
    {"UnshardedTwoGroups",
     [](json& j) {
       j["schemas"][1]["groups"] = {"g0", "g1"};
     },
     "schemas[1].groups: an unsharded schema lives on exactly one group, got 2"},
    {"UnshardedNoGroup", [](json& j) { j["schemas"][1]["groups"] = json::array(); },
     "exactly one group, got 0"},
    {"UnshardedWithVparts", [](json& j) { j["schemas"][1]["vparts"] = json::array(); },
     "schemas[1].vparts: only for sharded schemas"},
    {"ShardedNoGroups", [](json& j) { j["schemas"][0]["groups"] = json::array(); },
     "schemas[0].groups: a sharded schema needs 1..65536 groups, got 0"},
    {"VpartCountZero", [](json& j) { j["schemas"][0]["vpart_count"] = 0; },
     "schemas[0].vpart_count: expected an integer 1.."},
    {"VpartCountHuge", [](json& j) { j["schemas"][0]["vpart_count"] = 1ull << 40; },
     "schemas[0].vpart_count: expected an integer 0..1048576"},
    {"VpartCountMissing", [](json& j) { j["schemas"][0].erase("vpart_count"); },
     "schemas[0].vpart_count: missing"},
    {"VpartsMissing", [](json& j) { j["schemas"][0].erase("vparts"); },
     "schemas[0].vparts: missing"},
    {"VpartsGap", [](json& j) { j["schemas"][0]["vparts"][1]["first"] = 600; },
     "schemas[0].vparts[1].first: expected 512 (ranges are in order, without gaps or overlaps), "
     "got 600"},
    {"VpartsOverlap", [](json& j) { j["schemas"][0]["vparts"][1]["first"] = 500; },
     "schemas[0].vparts[1].first: expected 512"},
    {"VpartsShort", [](json& j) { j["schemas"][0]["vparts"].erase(1); },
     "schemas[0].vparts: the ranges cover vparts 0..511, expected 0..1023"},
    {"VpartsBeyondCount", [](json& j) { j["schemas"][0]["vparts"][1]["last"] = 1024; },
     "schemas[0].vparts[1].last: expected 512..1023, got 1024"},
    {"VpartsLastBeforeFirst", [](json& j) { j["schemas"][0]["vparts"][1]["last"] = 3; },
     "schemas[0].vparts[1].last: expected 512..1023, got 3"},
    {"VpartsUnknownGroup", [](json& j) { j["schemas"][0]["vparts"][1]["group"] = "g9"; },
     "schemas[0].vparts[1].group: 'g9' is not one of the schema's groups (g0, g1)"},
    {"VpartsRangeUnknownKey", [](json& j) { j["schemas"][0]["vparts"][0]["count"] = 1; },
     "schemas[0].vparts[0].count: unknown key"},
    {"TableUnknownKey", [](json& j) { j["tables"][0]["sharding"] = "hash"; },
     "tables[0].sharding: unknown key"},
    {"TableSchemaUndeclared", [](json& j) { j["tables"][0]["schema"] = "nope"; },
     "tables[0].schema: 'nope' is not in schemas"},
    {"TableNameEmpty", [](json& j) { j["tables"][0]["table"] = ""; },
     "tables[0].table: must not be empty"},
    {"TableTwice", [](json& j) { j["tables"][1]["table"] = "orders"; },
     "tables[1].table: 'trade.orders' is declared twice (also tables[0])"},
    {"KindUnknown", [](json& j) { j["tables"][0]["kind"] = "hash"; },
     "tables[0].kind: expected \"sharded\", \"broadcast\" or \"single\", got \"hash\""},
    {"ShardColumnMissing", [](json& j) { j["tables"][0].erase("shard_column"); },
     "tables[0].shard_column: missing"},
    {"ShardColumnEmpty", [](json& j) { j["tables"][0]["shard_column"] = ""; },
     "tables[0].shard_column: must not be empty"},
    {"KeyMissing", [](json& j) { j["tables"][0].erase("key"); }, "tables[0].key: missing"},
    {"KeyDataTypeEmpty", [](json& j) { j["tables"][0]["key"]["data_type"] = ""; },
     "tables[0].key.data_type: must not be empty"},
    {"KeyColumnTypeMissing", [](json& j) { j["tables"][0]["key"].erase("column_type"); },
     "tables[0].key.column_type: missing"},
    {"KeyScaleNegative", [](json& j) { j["tables"][0]["key"]["numeric_scale"] = -1; },
     "tables[0].key.numeric_scale: expected an integer 0..1000, got -1"},
    {"KeyTypeNotHashable",
     [](json& j) {
       j["tables"][0]["key"] = {{"data_type", "double"}, {"column_type", "double"}};
     },
     "tables[0].key: This version of shardproxy doesn't yet support 'shard key `user_id` of type "
     "double'"},
    {"KeyUnknownKey", [](json& j) { j["tables"][0]["key"]["charset"] = "utf8mb4"; },
     "tables[0].key.charset: unknown key"},
    {"BroadcastWithShardColumn", [](json& j) { j["tables"][2]["shard_column"] = "c"; },
     "tables[2].shard_column: only for sharded tables"},
    {"ShardedWithSingleGroup", [](json& j) { j["tables"][0]["single_group"] = "g0"; },
     "tables[0].single_group: only for single tables"},
    {"SingleWithoutGroup", [](json& j) { j["tables"][3].erase("single_group"); },
     "tables[3].single_group: missing"},
    {"SingleOnForeignGroup", [](json& j) { j["tables"][3]["single_group"] = "g7"; },
     "tables[3].single_group: 'g7' is not one of the groups of schema 'trade' (g0, g1)"},
    {"ShardedInUnshardedSchema", [](json& j) { j["tables"][0]["schema"] = "account"; },
     "tables[0].kind: a sharded table needs a sharded schema; 'account' is unsharded (on g1)"},
    {"BroadcastInUnshardedSchema", [](json& j) { j["tables"][2]["schema"] = "account"; },
     "tables[2].kind: a broadcast table needs a sharded schema"},
    {"PendingGroupForeign", [](json& j) { j["tables"][3]["pending_groups"] = {"g0"}; },
     "tables[3].pending_groups[0]: 'g0' is not a group the table lives on (g1)"},
    {"PendingGroupTwice",
     [](json& j) {
       j["tables"][0]["pending_groups"] = {"g1", "g1"};
     },
     "tables[0].pending_groups[1]: 'g1' is listed twice"},
    {"PendingGroupsNotList", [](json& j) { j["tables"][0]["pending_groups"] = "g1"; },
     "tables[0].pending_groups: expected a list of strings"},
    {"CreateSqlNotString", [](json& j) { j["tables"][0]["create_sql"] = 1; },
     "tables[0].create_sql: expected a string, got 1"},
};

INSTANTIATE_TEST_SUITE_P(Bad, JsonValidationTest, ::testing::ValuesIn(kBadCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(JsonTest, NotJsonNamesOrigin) {
  auto r = Metadata::FromJsonText("{\"format\": 1,", "metadata file /d/metadata.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("metadata file /d/metadata.json: not valid JSON"),
            std::string::npos)
      << r.status().message();
}

TEST(ValidateTest, InMemoryVpartMapErrors) {
  Metadata m = SampleMetadata();
  m.schemas[0].vpart_group.pop_back();
  Status st = ValidateMetadata(m);
  EXPECT_NE(
      st.message().find("schemas[0].vpart_group: has 1023 entries, expected vpart_count (1024)"),
      std::string::npos)
      << st.message();

  m = SampleMetadata();
  m.schemas[0].vpart_group[5] = 2;
  st = ValidateMetadata(m);
  EXPECT_NE(
      st.message().find("schemas[0].vpart_group[5]: group index 2 but the schema has 2 groups"),
      std::string::npos)
      << st.message();

  m = SampleMetadata();
  m.schemas[1].vpart_group = {0};
  st = ValidateMetadata(m);
  EXPECT_NE(st.message().find("schemas[1].vpart_group: only for sharded schemas"),
            std::string::npos)
      << st.message();

  m = SampleMetadata();
  m.tables[2].key.data_type = "int";  // broadcast with a key
  st = ValidateMetadata(m);
  EXPECT_NE(st.message().find("tables[2].key: only for sharded tables"), std::string::npos)
      << st.message();
}

// The example in router/rules/README.md is a valid file (comments stripped).
TEST(JsonTest, ReadmeExampleParses) {
  std::ifstream in(std::string(SHARDPROXY_SOURCE_DIR) + "/router/rules/README.md");
  ASSERT_TRUE(in.good());
  std::string line, json_text;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("```jsonc", 0) == 0) {
      inside = true;
    } else if (inside && line.rfind("```", 0) == 0) {
      break;
    } else if (inside) {
      json_text += line.substr(0, line.find("//")) + "\n";
    }
  }
  ASSERT_FALSE(json_text.empty());
  auto m = Metadata::FromJsonText(json_text, "README example");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->version, 3u);
  auto snap = RoutingSnapshot::Build(*m, {"g0", "g1"});
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->GroupOfVpart(*(*snap)->FindSchema("trade"), 600), "g1");
}

// ---------------------------------------------------------------------------
// RoutingSnapshot

std::shared_ptr<const RoutingSnapshot> Snapshot(Metadata m = SampleMetadata()) {
  auto s = RoutingSnapshot::Build(std::move(m), {"g0", "g1"});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

TEST(SnapshotTest, BuildRejectsUnconfiguredGroup) {
  auto s = RoutingSnapshot::Build(SampleMetadata(), {"g0"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "metadata: schemas[0].groups[1]: group 'g1' is not in the config (groups: g0)");
}

TEST(SnapshotTest, BuildRejectsNoGroups) {
  auto s = RoutingSnapshot::Build(Metadata{}, {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("no group configured"), std::string::npos);
}

TEST(SnapshotTest, BuildRejectsInvalidMetadata) {
  Metadata m = SampleMetadata();
  m.schemas[0].vpart_group.resize(10);
  auto s = RoutingSnapshot::Build(std::move(m), {"g0", "g1"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("schemas[0].vpart_group: has 10 entries"), std::string::npos);
}

TEST(SnapshotTest, Lookups) {
  auto snap = Snapshot();
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->version(), 7u);
  EXPECT_EQ(snap->default_group(), "g0");

  const SchemaRule* trade = snap->FindSchema("trade");
  ASSERT_NE(trade, nullptr);
  EXPECT_TRUE(trade->sharded);
  EXPECT_EQ(snap->FindSchema("Trade"), nullptr);  // case-sensitive
  EXPECT_EQ(snap->FindSchema("nope"), nullptr);
  EXPECT_EQ(snap->FindSchema(""), nullptr);

  const TableRule* orders = snap->FindTable("trade", "orders");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->shard_column, "user_id");
  EXPECT_EQ(orders->key.column_type, "bigint(20) unsigned");
  EXPECT_EQ(snap->FindTable("trade", "ORDERS"), nullptr);
  EXPECT_EQ(snap->FindTable("TRADE", "orders"), nullptr);
  EXPECT_EQ(snap->FindTable("account", "orders"), nullptr);
  // The key is the pair, not a concatenation.
  EXPECT_EQ(snap->FindTable("tradeo", "rders"), nullptr);
  EXPECT_EQ(snap->FindTable("trade", "settings")->single_group, "g1");
  EXPECT_EQ(snap->FindTable("trade", "currencies")->kind, TableKind::kBroadcast);

  // Lookups work from views into unrelated buffers.
  std::string buf = "xxtradeyyorderszz";
  EXPECT_EQ(snap->FindTable(std::string_view(buf).substr(2, 5), std::string_view(buf).substr(9, 6)),
            orders);
}

TEST(SnapshotTest, SchemaOrDefault) {
  auto snap = Snapshot();
  EXPECT_EQ(&snap->SchemaOrDefault("trade"), snap->FindSchema("trade"));
  EXPECT_EQ(snap->SchemaOrDefault("account").groups, std::vector<std::string>{"g1"});
  const SchemaRule& other = snap->SchemaOrDefault("mysql");
  EXPECT_FALSE(other.sharded);
  EXPECT_EQ(other.groups, std::vector<std::string>{"g0"});
  EXPECT_EQ(other.name, "");
  EXPECT_EQ(&snap->SchemaOrDefault("x"), &other);  // one shared object
  EXPECT_EQ(snap->GroupOfVpart(other, 17), "g0");
}

TEST(SnapshotTest, GroupOfVpartAndVpartsOfGroup) {
  Metadata m = SampleMetadata();
  m.schemas[0].vpart_group[3] = 1;  // vpart 3 moved to g1
  auto snap = Snapshot(std::move(m));
  const SchemaRule& trade = *snap->FindSchema("trade");
  EXPECT_EQ(snap->GroupOfVpart(trade, 0), "g0");
  EXPECT_EQ(snap->GroupOfVpart(trade, 3), "g1");
  EXPECT_EQ(snap->GroupOfVpart(trade, 511), "g0");
  EXPECT_EQ(snap->GroupOfVpart(trade, 512), "g1");
  EXPECT_EQ(snap->GroupOfVpart(trade, 1023), "g1");
  EXPECT_EQ(snap->GroupOfVpart(trade, 1024), "");  // out of range

  std::vector<uint32_t> g0 = snap->VpartsOfGroup(trade, "g0");
  std::vector<uint32_t> g1 = snap->VpartsOfGroup(trade, "g1");
  EXPECT_EQ(g0.size(), 511u);
  EXPECT_EQ(g1.size(), 513u);
  EXPECT_TRUE(std::is_sorted(g0.begin(), g0.end()));
  EXPECT_EQ(g1.front(), 3u);
  EXPECT_EQ(g1[1], 512u);
  EXPECT_EQ(std::find(g0.begin(), g0.end(), 3u), g0.end());
  EXPECT_TRUE(snap->VpartsOfGroup(trade, "g9").empty());

  const SchemaRule& account = *snap->FindSchema("account");
  EXPECT_EQ(snap->GroupOfVpart(account, 5), "g1");
  EXPECT_TRUE(snap->VpartsOfGroup(account, "g1").empty());
}

TEST(SnapshotTest, ShardKeyIsDerivedOnce) {
  auto snap = Snapshot();
  const TableRule* orders = snap->FindTable("trade", "orders");
  const KeyColumn& k = snap->ShardKey(*orders);
  EXPECT_EQ(k.type, KeyType::kInteger);
  EXPECT_TRUE(k.is_unsigned);
  EXPECT_EQ(k.int_bytes, 8);
  EXPECT_EQ(k.name, "user_id");
  EXPECT_EQ(&snap->ShardKey(*orders), &k);  // no work per call

  const KeyColumn& c = snap->ShardKey(*snap->FindTable("trade", "codes"));
  EXPECT_EQ(c.type, KeyType::kString);
  EXPECT_EQ(c.collation, "utf8mb4_general_ci");
  EXPECT_EQ(c.length, 32u);

  // A rule from elsewhere (a caller's bug) gets a default, not a crash.
  TableRule foreign = *orders;
  EXPECT_EQ(snap->ShardKey(foreign).name, "");
}

TEST(SnapshotHolderTest, GetSet) {
  SnapshotHolder holder;
  EXPECT_EQ(holder.Get(), nullptr);
  auto a = Snapshot();
  holder.Set(a);
  EXPECT_EQ(holder.Get(), a);
  Metadata m = SampleMetadata();
  m.version = 8;
  auto b = Snapshot(m);
  holder.Set(b);
  EXPECT_EQ(holder.Get()->version(), 8u);
  EXPECT_EQ(a->version(), 7u);  // a reader's old snapshot stays valid
}

TEST(SnapshotHolderTest, ConcurrentReadersSeeWholeSnapshots) {
  auto tagged = [](uint64_t v) {
    Metadata m = SampleMetadata();
    m.version = v;
    m.tables[0].create_sql = "v" + std::to_string(v);
    return Snapshot(std::move(m));
  };
  SnapshotHolder holder(tagged(1));
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      uint64_t last = 0;
      while (!stop.load()) {
        auto s = holder.Get();
        const TableRule* t = s->FindTable("trade", "orders");
        // Each snapshot is whole (its version is in its table's SQL), and a
        // reader never sees an older one after a newer one.
        ASSERT_NE(t, nullptr);
        ASSERT_EQ(t->create_sql, "v" + std::to_string(s->version()));
        ASSERT_GE(s->version(), last);
        last = s->version();
        ++reads;
      }
    });
  }
  for (uint64_t v = 2; v <= 300; ++v) holder.Set(tagged(v));
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(holder.Get()->version(), 300u);
  EXPECT_GT(reads.load(), 0u);
}

}  // namespace
}  // namespace shardproxy::router
