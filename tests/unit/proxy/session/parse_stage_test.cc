#include "proxy/session/parse_stage.h"

#include <gtest/gtest.h>

namespace shardproxy::session {
namespace {

using Action = ParseOutcome::Action;

class ParseStageTest : public ::testing::Test {
 protected:
  ParseOutcome Run(std::string_view sql, bool prepare = false) {
    return RunParserStage(sql, parser::SqlMode(), prepare, parser_, counters_);
  }
  parser::CachedParser parser_{64};
  ParseCounters counters_;
};

TEST_F(ParseStageTest, PlainStatementsPassThroughAndAreCounted) {
  EXPECT_EQ(Run("SELECT * FROM t WHERE id = 1").action, Action::kPassThrough);
  EXPECT_EQ(Run("SELECT * FROM t WHERE id = 2").action, Action::kPassThrough);
  EXPECT_EQ(counters_.misses, 1u);
  EXPECT_EQ(counters_.hits, 1u);
  EXPECT_EQ(counters_.failures, 0u);
}

TEST_F(ParseStageTest, UnparsableStatementPassesThroughWithTheParserError) {
  ParseOutcome o = Run("SELEC 1");
  EXPECT_EQ(o.action, Action::kPassThrough);
  EXPECT_EQ(o.error.code(), 1064);  // for the debug log only; nothing is answered
  EXPECT_EQ(counters_.failures, 1u);
}

TEST_F(ParseStageTest, ShardingClauseIsCut) {
  ParseOutcome o = Run("CREATE TABLE t1 (id INT PRIMARY KEY) DBPARTITION BY HASH(id)");
  ASSERT_EQ(o.action, Action::kRewrite);
  EXPECT_EQ(o.sql, "CREATE TABLE t1 (id INT PRIMARY KEY) ");
  o = Run("create table t2 (id int) broadcast");
  ASSERT_EQ(o.action, Action::kRewrite);
  EXPECT_EQ(o.sql, "create table t2 (id int) ");
}

TEST_F(ParseStageTest, ShardingClauseCutInEveryStatementOfAMultiStatement) {
  ParseOutcome o =
      Run("CREATE TABLE a (id INT) DBPARTITION BY HASH(id); SELECT 1; CREATE TABLE b (x INT) "
          "BROADCAST;");
  ASSERT_EQ(o.action, Action::kRewrite);
  EXPECT_EQ(o.sql, "CREATE TABLE a (id INT) ; SELECT 1; CREATE TABLE b (x INT) ;");
}

TEST_F(ParseStageTest, ExplainSharding) {
  ParseOutcome o = Run("EXPLAIN SHARDING SELECT * FROM t1 WHERE id = 5");
  ASSERT_EQ(o.action, Action::kExplainSharding);
  EXPECT_EQ(o.sql, "SELECT * FROM t1 WHERE id = 5");
  EXPECT_EQ(o.reason, "passthrough: routing arrives with the routing issue");
  o = Run("explain /* c */ sharding CREATE TABLE t3 (id INT) DBPARTITION BY HASH(id)");
  ASSERT_EQ(o.action, Action::kExplainSharding);
  EXPECT_EQ(o.sql, "CREATE TABLE t3 (id INT)");
}

TEST_F(ParseStageTest, ExplainShardingRefusedInMultiStatementAndPrepare) {
  ParseOutcome o = Run("SELECT 1; EXPLAIN SHARDING SELECT 2");
  EXPECT_EQ(o.action, Action::kRefuse);
  EXPECT_EQ(o.error.code(), 1235);
  o = Run("EXPLAIN SHARDING SELECT ?", /*prepare=*/true);
  EXPECT_EQ(o.action, Action::kRefuse);
  EXPECT_EQ(o.error.code(), 1235);
}

TEST_F(ParseStageTest, ConnectionIdAlone) {
  ParseOutcome o = Run("SELECT CONNECTION_ID()");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.column, "CONNECTION_ID()");
  o = Run("select connection_id( ) as `my id`");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.column, "my id");
  o = Run("select connection_id( )");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.column, "connection_id( )");
  EXPECT_EQ(Run("SELECT CONNECTION_ID() x FROM dual").action, Action::kSessionFunction);
  // Not alone: passed through (the backend's thread id).
  EXPECT_EQ(Run("SELECT CONNECTION_ID(), 1").action, Action::kPassThrough);
  EXPECT_EQ(Run("SELECT CONNECTION_ID() FROM t").action, Action::kPassThrough);
  EXPECT_EQ(Run("SELECT CONNECTION_ID() WHERE 1 = 0").action, Action::kPassThrough);
  EXPECT_EQ(Run("SELECT CONNECTION_ID() + 1").action, Action::kPassThrough);
  EXPECT_EQ(Run("SELECT CONNECTION_ID(); SELECT 1").action, Action::kPassThrough);
  EXPECT_EQ(Run("SELECT CONNECTION_ID()", /*prepare=*/true).action, Action::kPassThrough);
}

TEST_F(ParseStageTest, LoneSessionFunctionDigest) {
  using F = SessionFunction;
  EXPECT_EQ(LoneSessionFunction("SELECT CONNECTION_ID()"), F::kConnectionId);
  EXPECT_EQ(LoneSessionFunction("SELECT connection_id () AS `a b`"), F::kConnectionId);
  EXPECT_EQ(LoneSessionFunction("SELECT CONNECTION_ID() AS ?"), F::kConnectionId);
  EXPECT_EQ(LoneSessionFunction("SELECT CONNECTION_ID() AS"), F::kNone);
  EXPECT_EQ(LoneSessionFunction("SELECT CONNECTION_ID() LIMIT ?"), F::kNone);
  EXPECT_EQ(LoneSessionFunction("SELECT CONNECTION_ID() x y"), F::kNone);
  EXPECT_EQ(LoneSessionFunction("SELECT ROW_COUNT()"), F::kRowCount);
  EXPECT_EQ(LoneSessionFunction("SELECT found_rows() AS n"), F::kFoundRows);
  EXPECT_EQ(LoneSessionFunction("SELECT LAST_INSERT_ID()"), F::kLastInsertId);
  EXPECT_EQ(LoneSessionFunction("SELECT LAST_INSERT_ID(?)"), F::kNone);  // sets it
  EXPECT_EQ(LoneSessionFunction("SELECT ROW_COUNT() + ?"), F::kNone);
  EXPECT_EQ(LoneSessionFunction("SELECT ROW_COUNTER()"), F::kNone);
}

TEST_F(ParseStageTest, SessionFunctionsAlone) {
  ParseOutcome o = Run("SELECT ROW_COUNT()");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.function, SessionFunction::kRowCount);
  EXPECT_EQ(o.column, "ROW_COUNT()");
  o = Run("  /* c */ select Last_Insert_Id() id");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.function, SessionFunction::kLastInsertId);
  EXPECT_EQ(o.column, "id");
  o = Run("select found_rows( )");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.column, "found_rows( )");
  EXPECT_EQ(Run("SELECT ROW_COUNT(), FOUND_ROWS()").action, Action::kPassThrough);
  o = Run("SELECT @@warning_count");
  ASSERT_EQ(o.action, Action::kSessionFunction);
  EXPECT_EQ(o.function, SessionFunction::kWarningCount);
  EXPECT_EQ(o.column, "@@warning_count");
  EXPECT_EQ(Run("select @@SESSION.warning_count").function, SessionFunction::kWarningCount);
  EXPECT_EQ(Run("SELECT @@warning_counts").action, Action::kPassThrough);
}

TEST_F(ParseStageTest, RefusedCharsetsInSet) {
  for (const char* sql :
       {"SET NAMES gbk", "SET NAMES 'big5' COLLATE big5_bin", "set character set sjis",
        "SET character_set_client = cp932", "SET @@session.character_set_client = 'gbk'",
        "SET NAMES utf8mb4; SET NAMES gbk", "SET autocommit = 1, character_set_client = gbk"}) {
    ParseOutcome o = Run(sql);
    EXPECT_EQ(o.action, Action::kRefuse) << sql;
    EXPECT_EQ(o.error.code(), 1115) << sql;
  }
  EXPECT_EQ(Run("SET NAMES gbk", /*prepare=*/true).action, Action::kRefuse);
  for (const char* sql :
       {"SET NAMES utf8mb4", "SET NAMES latin1 COLLATE latin1_bin",
        "SET character_set_results = gbk", "SET @cs = 'gbk'", "SET CHARACTER SET DEFAULT"}) {
    EXPECT_NE(Run(sql).action, Action::kRefuse) << sql;
  }
}

TEST_F(ParseStageTest, ProcessList) {
  ParseOutcome o = Run("SHOW PROCESSLIST");
  EXPECT_EQ(o.action, Action::kProcessList);
  EXPECT_FALSE(o.full);
  o = Run("show full processlist");
  EXPECT_EQ(o.action, Action::kProcessList);
  EXPECT_TRUE(o.full);
  o = Run("SHOW BACKEND PROCESSLIST");
  EXPECT_EQ(o.action, Action::kBackendProcessList);
  EXPECT_FALSE(o.full);
  o = Run("show full backend processlist");
  EXPECT_EQ(o.action, Action::kBackendProcessList);
  EXPECT_TRUE(o.full);
  // Not alone: relayed as written (MariaDB answers, or refuses ours with 1064).
  EXPECT_EQ(Run("SHOW PROCESSLIST; SELECT 1").action, Action::kPassThrough);
  EXPECT_EQ(Run("SHOW BACKEND PROCESSLIST", /*prepare=*/true).action, Action::kPassThrough);
}

TEST_F(ParseStageTest, ReplayableOnlyStatements) {
  EXPECT_TRUE(Run("SET NAMES latin1").replayable_only);
  EXPECT_TRUE(Run("SET sql_mode = 'ANSI_QUOTES', time_zone = '+03:00'").replayable_only);
  EXPECT_TRUE(Run("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE").replayable_only);
  EXPECT_TRUE(Run("USE test").replayable_only);
  EXPECT_TRUE(Run("BEGIN; COMMIT").replayable_only);
  EXPECT_FALSE(Run("SET @x = 1").replayable_only);
  EXPECT_FALSE(Run("SET @x = 1, sql_mode = ''").replayable_only);
  EXPECT_FALSE(Run("SET sql_mode = ''; SELECT @y := 2").replayable_only);
  EXPECT_FALSE(Run("CREATE TEMPORARY TABLE t (a INT)").replayable_only);
  EXPECT_FALSE(Run("SELECT GET_LOCK('a', 0)").replayable_only);
  EXPECT_FALSE(Run("LOCK TABLES t WRITE").replayable_only);
  EXPECT_FALSE(Run("PREPARE s FROM 'SELECT 1'").replayable_only);
  EXPECT_FALSE(Run("SELEC 1").replayable_only);  // not read: unknown
}

TEST_F(ParseStageTest, UntrackedStateAndNamesCollation) {
  EXPECT_EQ(Run("LOCK TABLES t WRITE").pin_reason, "LOCK TABLES");
  EXPECT_EQ(Run("SELECT get_lock('x', 0)").pin_reason, "GET_LOCK");
  EXPECT_EQ(Run("DO GET_LOCK('x', 0)").pin_reason, "GET_LOCK");
  EXPECT_EQ(Run("FLUSH TABLES WITH READ LOCK").pin_reason, "FLUSH TABLES WITH READ LOCK");
  EXPECT_EQ(Run("SELECT 1").pin_reason, "");
  EXPECT_EQ(Run("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci").names_collation,
            std::optional<std::string>("utf8mb4_unicode_ci"));
  EXPECT_EQ(Run("SET NAMES latin1").names_collation, std::optional<std::string>(""));
  EXPECT_EQ(Run("SET sql_mode = ''").names_collation, std::nullopt);
}

TEST_F(ParseStageTest, ShowShardingSwitchIsAnsweredByTheSession) {
  struct Case {
    const char* sql;
    std::optional<bool> value;
  };
  const Case cases[] = {
      {"SET SESSION shardproxy_show_sharding = OFF", false},
      {"SET shardproxy_show_sharding = ON", true},
      {"set Shardproxy_Show_Sharding = 0", false},
      {"SET @@shardproxy_show_sharding = 1", true},
      {"SET @@session.shardproxy_show_sharding = 'off'", false},
      {"SET LOCAL shardproxy_show_sharding = TRUE", true},
      {"SET shardproxy_show_sharding = DEFAULT", std::nullopt},
  };
  for (const Case& c : cases) {
    ParseOutcome o = Run(c.sql);
    EXPECT_EQ(o.action, Action::kSetShowSharding) << c.sql;
    EXPECT_EQ(o.show_sharding, c.value) << c.sql;
  }
}

TEST_F(ParseStageTest, ShowShardingSwitchOtherFormsAreRefused) {
  for (const char* sql :
       {"SET GLOBAL shardproxy_show_sharding = OFF", "SET @@global.shardproxy_show_sharding = OFF",
        "SET shardproxy_show_sharding = OFF, autocommit = 1",
        "SET autocommit = 1; SET shardproxy_show_sharding = OFF",
        "SET STATEMENT shardproxy_show_sharding = 0 FOR SELECT 1"}) {
    ParseOutcome o = Run(sql);
    EXPECT_EQ(o.action, Action::kRefuse) << sql;
    EXPECT_EQ(o.error.code(), 1235) << sql;
  }
  ParseOutcome o = Run("SET shardproxy_show_sharding = OFF", /*prepare=*/true);
  EXPECT_EQ(o.action, Action::kRefuse);
  EXPECT_EQ(o.error.code(), 1235);
  for (const char* sql : {"SET shardproxy_show_sharding = 2", "SET shardproxy_show_sharding = -1",
                          "SET shardproxy_show_sharding = 'maybe'"}) {
    o = Run(sql);
    EXPECT_EQ(o.action, Action::kRefuse) << sql;
    EXPECT_EQ(o.error.code(), 1231) << sql;
  }
  // Other variables are untouched.
  EXPECT_EQ(Run("SET SESSION sql_quote_show_create = 0").action, Action::kPassThrough);
}

TEST(ExplainShardingOffsetTest, SkipsCommentsAndBlanks) {
  EXPECT_EQ(ExplainShardingInnerOffset("EXPLAIN SHARDING SELECT 1"), 17u);
  EXPECT_EQ(ExplainShardingInnerOffset(" explain\n-- x\n sharding\tSELECT 1"), 24u);
  EXPECT_EQ(ExplainShardingInnerOffset("EXPLAIN SELECT 1"), std::string_view::npos);
  EXPECT_EQ(ExplainShardingInnerOffset("EXPLAINSHARDING SELECT 1"), std::string_view::npos);
}

}  // namespace
}  // namespace shardproxy::session
