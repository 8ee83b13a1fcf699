#include "proxy/session/kill_matcher.h"

#include <gtest/gtest.h>

namespace shardproxy::session {
namespace {

using Kind = KillRequest::Kind;

TEST(KillMatcher, PlainKillIsConnection) {
  auto r = MatchKill("KILL 42");
  EXPECT_EQ(r.kind, Kind::kKill);
  EXPECT_FALSE(r.query_only);
  EXPECT_EQ(r.id, 42u);
}

TEST(KillMatcher, QueryAndConnectionAnyCase) {
  auto q = MatchKill("kill query 7");
  EXPECT_EQ(q.kind, Kind::kKill);
  EXPECT_TRUE(q.query_only);
  EXPECT_EQ(q.id, 7u);
  auto c = MatchKill("Kill Connection 8;");
  EXPECT_EQ(c.kind, Kind::kKill);
  EXPECT_FALSE(c.query_only);
  EXPECT_EQ(c.id, 8u);
}

TEST(KillMatcher, HardSoftCommentsAndWhitespace) {
  auto r = MatchKill("  /* ctrl-c */ KILL\n\tHARD QUERY /* x */ 12345 ;  -- done\n");
  EXPECT_EQ(r.kind, Kind::kKill);
  EXPECT_TRUE(r.query_only);
  EXPECT_EQ(r.id, 12345u);
  auto s = MatchKill("# leading\nKILL SOFT 3");
  EXPECT_EQ(s.kind, Kind::kKill);
  EXPECT_EQ(s.id, 3u);
}

TEST(KillMatcher, TheMariadbCliCtrlCForm) {
  // What the mariadb CLI sends on Ctrl-C (on a new connection).
  auto r = MatchKill("KILL QUERY 4294967295");
  EXPECT_EQ(r.kind, Kind::kKill);
  EXPECT_TRUE(r.query_only);
  EXPECT_EQ(r.id, 4294967295u);
}

TEST(KillMatcher, NotKill) {
  EXPECT_EQ(MatchKill("SELECT 1").kind, Kind::kNotKill);
  EXPECT_EQ(MatchKill("").kind, Kind::kNotKill);
  EXPECT_EQ(MatchKill("KILLER 1").kind, Kind::kNotKill);
  EXPECT_EQ(MatchKill("SELECT 'KILL 1'").kind, Kind::kNotKill);
  EXPECT_EQ(MatchKill("skill 1").kind, Kind::kNotKill);
}

TEST(KillMatcher, UnsupportedFormsAreNeverRelayed) {
  EXPECT_EQ(MatchKill("KILL USER app").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL QUERY ID 5").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL 1; DROP TABLE t").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL 1 2").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL 12a").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL /*!50000 1 */").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL /* unterminated 1").kind, Kind::kUnsupported);
  EXPECT_EQ(MatchKill("KILL 99999999999999999999999").kind, Kind::kUnsupported);
}

TEST(KillMatcher, IdsBeyond32BitsAreKeptForAnUnknownIdError) {
  auto r = MatchKill("KILL 18446744073709551615");
  EXPECT_EQ(r.kind, Kind::kKill);
  EXPECT_EQ(r.id, 18446744073709551615ull);
  EXPECT_EQ(MatchKill("KILL 18446744073709551616").kind, Kind::kUnsupported);
}

}  // namespace
}  // namespace shardproxy::session

namespace shardproxy::session {
namespace {

TEST(KillMatcher, ContainsKillStatement) {
  EXPECT_TRUE(ContainsKillStatement("SELECT 1; KILL 5"));
  EXPECT_TRUE(ContainsKillStatement("SELECT 1;kill query 5"));
  EXPECT_TRUE(ContainsKillStatement("/*!KILL 5*/"));
  EXPECT_TRUE(ContainsKillStatement("/*!50000 KILL 5*/"));
  EXPECT_TRUE(ContainsKillStatement("/*M!100000 kill 5*/"));
  EXPECT_FALSE(ContainsKillStatement("SELECT * FROM skills"));
  EXPECT_FALSE(ContainsKillStatement("SELECT 'kill' AS k"));
  EXPECT_FALSE(ContainsKillStatement("SELECT killed FROM t; SELECT 2"));
  EXPECT_FALSE(ContainsKillStatement("/*!40101 SET NAMES utf8mb4 */"));
}

}  // namespace
}  // namespace shardproxy::session
