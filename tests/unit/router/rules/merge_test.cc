// MergeDeclaredSchemas: the config's declared schemas vs the stored metadata.
#include "router/rules/merge.h"

#include <gtest/gtest.h>

#include "tests/unit/router/rules/test_util.h"

namespace shardproxy::router {
namespace {

using testing::SampleMetadata;

SchemaRule Declared(std::string name, std::vector<std::string> groups, bool sharded = true) {
  SchemaRule s;
  s.name = std::move(name);
  s.sharded = sharded;
  s.groups = std::move(groups);
  return s;  // no vpart map: the merge makes it
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(MergeTest, FirstStartTakesTheConfig) {
  std::vector<std::string> warnings;
  auto r = MergeDeclaredSchemas(
      std::nullopt,
      {Declared("trade", {"g0", "g1", "g2"}), Declared("account", {"g1"}, /*sharded=*/false)},
      &warnings);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 0u);
  ASSERT_EQ(r->schemas.size(), 2u);
  EXPECT_EQ(r->schemas[0], MakeShardedSchema("trade", {"g0", "g1", "g2"}));
  EXPECT_EQ(r->schemas[1], MakeUnshardedSchema("account", "g1"));
  EXPECT_TRUE(r->tables.empty());
  EXPECT_TRUE(warnings.empty());
}

TEST(MergeTest, MatchingStoredSchemaKeepsItsMovedVparts) {
  Metadata stored = SampleMetadata();
  stored.schemas[0].vpart_group[3] = 1;  // moved
  auto r = MergeDeclaredSchemas(
      stored, {Declared("trade", {"g0", "g1"}), Declared("account", {"g1"}, false)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, stored);  // nothing to save
}

TEST(MergeTest, GroupOrderInConfigDoesNotMatter) {
  Metadata stored = SampleMetadata();
  auto r = MergeDeclaredSchemas(
      stored, {Declared("trade", {"g1", "g0"}), Declared("account", {"g1"}, false)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->schemas[0].groups, (std::vector<std::string>{"g0", "g1"}));  // stored order
  EXPECT_EQ(*r, stored);
}

TEST(MergeTest, NewDeclaredSchemaIsAppendedAndTablesKept) {
  Metadata stored = SampleMetadata();
  auto r = MergeDeclaredSchemas(stored,
                                {Declared("billing", {"g0", "g1"}), Declared("trade", {"g0", "g1"}),
                                 Declared("account", {"g1"}, false)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->schemas.size(), 3u);
  EXPECT_EQ(r->schemas[0].name, "trade");
  EXPECT_EQ(r->schemas[1].name, "account");
  EXPECT_EQ(r->schemas[2], MakeShardedSchema("billing", {"g0", "g1"}));
  EXPECT_EQ(r->tables, stored.tables);
  EXPECT_EQ(r->version, stored.version);
}

TEST(MergeTest, ChangedGroupsAreAnError) {
  auto r = MergeDeclaredSchemas(SampleMetadata(), {Declared("trade", {"g0", "g1", "g2"}),
                                                   Declared("account", {"g1"}, false)});
  ASSERT_FALSE(r.ok());
  std::string msg = r.status().message();
  EXPECT_TRUE(Contains(msg,
                       "config: schema 'trade': the config lists groups [g0, g1, g2], the "
                       "metadata store [g0, g1]"))
      << msg;
  EXPECT_TRUE(Contains(msg, "moving vparts between groups is a later issue")) << msg;

  r = MergeDeclaredSchemas(SampleMetadata(),
                           {Declared("trade", {"g0", "g1"}), Declared("account", {"g0"}, false)});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "schema 'account': the config lists groups [g0]"))
      << r.status().message();
}

TEST(MergeTest, ShardedFlipIsAnError) {
  auto r = MergeDeclaredSchemas(SampleMetadata(), {Declared("trade", {"g0"}, /*sharded=*/false),
                                                   Declared("account", {"g1"}, false)});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(),
                       "schema 'trade': the config declares it unsharded, the metadata store has "
                       "it sharded"))
      << r.status().message();
}

TEST(MergeTest, VpartCountChangeIsAnError) {
  SchemaRule d = Declared("trade", {"g0", "g1"});
  d.vpart_count = 256;
  auto r = MergeDeclaredSchemas(SampleMetadata(), {d, Declared("account", {"g1"}, false)});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(),
                       "schema 'trade': the config says vpart_count 256, the metadata store 1024"))
      << r.status().message();
}

TEST(MergeTest, UndeclaredStoredSchemaIsKeptWithItsTablesAndReported) {
  Metadata stored = SampleMetadata();
  std::vector<std::string> warnings;
  auto r = MergeDeclaredSchemas(stored, {Declared("account", {"g1"}, false)}, &warnings);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, stored);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(Contains(warnings[0],
                       "schema 'trade' is in the metadata store but no longer declared in the "
                       "config: kept as stored (sharded over [g0, g1]) with its 4 table rule(s) "
                       "[orders, codes, currencies, settings]"))
      << warnings[0];

  // Without tables, and with nothing declared at all.
  stored.tables.clear();
  warnings.clear();
  r = MergeDeclaredSchemas(stored, {}, &warnings);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_FALSE(Contains(warnings[0], "table rule")) << warnings[0];
  EXPECT_TRUE(Contains(warnings[1], "schema 'account'")) << warnings[1];
}

TEST(MergeTest, InvalidDeclarationsAreErrors) {
  struct Case {
    std::vector<SchemaRule> declared;
    std::string expected;
  } cases[] = {
      {{Declared("a", {"g0", "g1"}, false)}, "exactly one group, got 2"},
      {{Declared("a", {}, true)}, "a sharded schema needs 1..65536 groups, got 0"},
      {{Declared("a", {"g0"}), Declared("a", {"g0"})}, "'a' is declared twice"},
      {{Declared("", {"g0"})}, "schemas[0].name: must not be empty"},
      {{Declared("a", {"g0", "g0"})}, "group 'g0' is listed twice"},
  };
  for (const Case& c : cases) {
    auto r = MergeDeclaredSchemas(std::nullopt, c.declared);
    ASSERT_FALSE(r.ok()) << c.expected;
    EXPECT_TRUE(Contains(r.status().message(), "config (declared schemas)"))
        << r.status().message();
    EXPECT_TRUE(Contains(r.status().message(), c.expected)) << r.status().message();
  }
  SchemaRule few = Declared("a", {"g0", "g1", "g2"});
  few.vpart_count = 2;
  auto r = MergeDeclaredSchemas(std::nullopt, {few});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "3 groups but only 2 vparts")) << r.status().message();
}

TEST(MergeTest, InvalidStoredMetadataIsAnError) {
  Metadata stored = SampleMetadata();
  stored.tables[0].schema = "gone";
  auto r = MergeDeclaredSchemas(stored, {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "tables[0].schema: 'gone' is not in schemas"))
      << r.status().message();
}

}  // namespace
}  // namespace shardproxy::router
