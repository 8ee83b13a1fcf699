// The start-up catalog check's comparison (router/rules/catalog.h).
#include "router/rules/catalog.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace shardproxy::router {
namespace {

using testing::SampleMetadata;

// trade.orders (sharded, pending on g1), trade.codes (sharded),
// trade.currencies (broadcast), trade.settings (single on g1).
std::shared_ptr<const RoutingSnapshot> Snap() {
  auto s = RoutingSnapshot::Build(SampleMetadata(), {"g0", "g1"});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

GroupTables Group(std::string name, std::map<std::string, std::vector<std::string>> tables) {
  return GroupTables{std::move(name), std::move(tables)};
}

const std::vector<std::string> kCodes = {"id bigint(20) NOT NULL", "code varchar(32) NULL"};
const std::vector<std::string> kCur = {"c char(3) utf8mb4_general_ci NULL"};

TEST(CatalogCheck, AgreeingGroupsQuarantineNothing) {
  auto snap = Snap();
  const SchemaRule& trade = *snap->FindSchema("trade");
  CatalogReport r =
      CheckCatalog(*snap, trade,
                   {Group("g0", {{"orders", kCodes}, {"codes", kCodes}, {"currencies", kCur}}),
                    Group("g1", {{"codes", kCodes}, {"currencies", kCur}, {"settings", kCur}})});
  EXPECT_TRUE(r.quarantine.empty());
  // orders is pending on g1: missing there is expected, not a finding.
  EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
}

TEST(CatalogCheck, TableWithoutRuleIsReported) {
  auto snap = Snap();
  CatalogReport r = CheckCatalog(
      *snap, *snap->FindSchema("trade"),
      {Group("g0", {{"orders", kCodes}, {"codes", kCodes}, {"currencies", kCur}, {"legacy", kCur}}),
       Group("g1", {{"codes", kCodes}, {"currencies", kCur}, {"settings", kCur}})});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("trade.legacy exists on group(s) g0 but has no sharding rule"),
            std::string::npos)
      << r.warnings[0];
  EXPECT_TRUE(r.quarantine.empty());  // the planner refuses rule-less tables by itself
}

TEST(CatalogCheck, DifferentDefinitionsQuarantine) {
  auto snap = Snap();
  std::vector<std::string> other = kCodes;
  other[1] = "code varchar(64) NULL";
  CatalogReport r =
      CheckCatalog(*snap, *snap->FindSchema("trade"),
                   {Group("g0", {{"orders", kCodes}, {"codes", kCodes}, {"currencies", kCur}}),
                    Group("g1", {{"codes", other}, {"currencies", kCur}, {"settings", kCur}})});
  ASSERT_EQ(r.quarantine.size(), 1u);
  EXPECT_EQ(r.quarantine[0].table, "codes");
  EXPECT_NE(r.quarantine[0].reason.find("column 2: g0 has `code varchar(32) NULL`, g1 has "
                                        "`code varchar(64) NULL`"),
            std::string::npos)
      << r.quarantine[0].reason;
  // A column more on one group.
  other = kCodes;
  other.push_back("x int(11) NULL");
  r = CheckCatalog(*snap, *snap->FindSchema("trade"),
                   {Group("g0", {{"orders", kCodes}, {"codes", kCodes}, {"currencies", kCur}}),
                    Group("g1", {{"codes", other}, {"currencies", kCur}, {"settings", kCur}})});
  ASSERT_EQ(r.quarantine.size(), 1u);
  EXPECT_NE(r.quarantine[0].reason.find("column 3: g0 has no such column"), std::string::npos)
      << r.quarantine[0].reason;
}

TEST(CatalogCheck, MissingOnAGroupQuarantinesShardedAndBroadcast) {
  auto snap = Snap();
  CatalogReport r =
      CheckCatalog(*snap, *snap->FindSchema("trade"),
                   {Group("g0", {{"orders", kCodes}, {"codes", kCodes}}), Group("g1", {})});
  ASSERT_EQ(r.quarantine.size(), 2u);
  EXPECT_EQ(r.quarantine[0].table, "codes");
  EXPECT_NE(r.quarantine[0].reason.find("sharded table trade.codes is missing on group(s) g1"),
            std::string::npos);
  EXPECT_EQ(r.quarantine[1].table, "currencies");
  EXPECT_NE(r.quarantine[1].reason.find("missing on group(s) g0, g1"), std::string::npos);
  // The single table missing on its group: a warning only.
  bool single = false;
  for (const auto& w : r.warnings) single = single || w.find("trade.settings") != w.npos;
  EXPECT_TRUE(single);
}

TEST(CatalogCheck, UnreadableGroupConcludesNothing) {
  auto snap = Snap();
  CatalogReport r =
      CheckCatalog(*snap, *snap->FindSchema("trade"),
                   {Group("g0", {{"orders", kCodes}, {"codes", kCodes}, {"currencies", kCur}})});
  EXPECT_TRUE(r.quarantine.empty());
}

TEST(CatalogCheck, SnapshotCarriesQuarantine) {
  auto s =
      RoutingSnapshot::Build(SampleMetadata(), {"g0", "g1"}, {Quarantine{"trade", "codes", "why"}});
  ASSERT_TRUE(s.ok());
  ASSERT_NE((*s)->QuarantineReason("trade", "codes"), nullptr);
  EXPECT_EQ(*(*s)->QuarantineReason("trade", "codes"), "why");
  EXPECT_EQ((*s)->QuarantineReason("trade", "orders"), nullptr);
}

}  // namespace
}  // namespace shardproxy::router
