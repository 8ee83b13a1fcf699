// Source ranges, sequence calls and function lists of the statement model
// (parser/statement.h): built on a miss, moved by Bind onto the new text on a
// template-cache hit (literals of other lengths), and the row-form miss path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "parser/cache/template_cache.h"
#include "parser/parser.h"

namespace shardproxy::parser {
namespace {

std::string_view Text(std::string_view sql, SourceRange r) {
  EXPECT_LE(r.end, sql.size());
  EXPECT_LE(r.begin, r.end);
  if (r.end > sql.size() || r.begin > r.end) return "<out of range>";
  return sql.substr(r.begin, r.size());
}

Statement Cold(std::string_view sql) {
  Result<Statement> r = ParseStatement(sql);
  EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
  return r.ok() ? std::move(r).value() : Statement();
}

// The model of `b` from a cache hit on the template of `a` (same digest
// text), checked equal to a cold parse of `b`, source ranges included.
// `reparse`: whether Bind must fall back to a parse (blanks/comments differ).
Statement Hit(const std::string& a, const std::string& b, bool reparse = false) {
  CachedParser cp(16);
  Result<Statement> first = cp.Parse(a, {});
  EXPECT_TRUE(first.ok()) << a;
  const uint64_t hits = cp.cache().stats().hits;
  const uint64_t reparses = BindRangeReparses();
  Result<Statement> hit = cp.Parse(b, {});
  EXPECT_TRUE(hit.ok()) << b;
  EXPECT_EQ(cp.cache().stats().hits, hits + 1) << "not a cache hit: " << b;
  EXPECT_EQ(BindRangeReparses() - reparses, reparse ? 1u : 0u) << a << "\n" << b;
  if (!hit.ok()) return Statement();
  Statement cold = Cold(b);
  EXPECT_EQ(hit->SourceRangesToJson().dump(), cold.SourceRangesToJson().dump()) << b;
  EXPECT_EQ(hit->ToJson().dump(), cold.ToJson().dump()) << b;
  EXPECT_TRUE(*hit == cold) << b;
  return std::move(hit).value();
}

void ExpectSelectRanges(const std::string& sql, const Statement& s) {
  ASSERT_EQ(s.select_items.size(), 3u);
  EXPECT_EQ(Text(sql, s.select_items[0].range), "a");
  EXPECT_EQ(Text(sql, s.select_items[0].expr_range), "a");
  EXPECT_EQ(Text(sql, s.select_items[1].range), "AVG(b) AS x");
  EXPECT_EQ(Text(sql, s.select_items[1].expr_range), "AVG(b)");
  EXPECT_EQ(Text(sql, s.select_items[2].range), "COUNT(c)");
  EXPECT_EQ(Text(sql, s.select_list), "a, AVG(b) AS x, COUNT(c)");
  ASSERT_EQ(s.group_by.size(), 1u);
  EXPECT_EQ(Text(sql, s.group_by[0].range), "a");
  EXPECT_EQ(Text(sql, s.group_by_clause), "GROUP BY a");
  ASSERT_EQ(s.order_by.size(), 2u);
  EXPECT_EQ(Text(sql, s.order_by[0].range), "a DESC");
  EXPECT_EQ(Text(sql, s.order_by[0].expr_range), "a");
  EXPECT_EQ(Text(sql, s.order_by[1].range), "x");
  EXPECT_EQ(Text(sql, s.order_by_clause), "ORDER BY a DESC, x");
}

TEST(SourceRanges, SelectClausesOnMissAndHit) {
  const std::string a =
      "SELECT a, AVG(b) AS x, COUNT(c) FROM t WHERE id = 1 GROUP BY a HAVING x > 5 "
      "ORDER BY a DESC, x LIMIT 10, 20";
  const std::string b =
      "SELECT a, AVG(b) AS x, COUNT(c) FROM t WHERE id = 123456 GROUP BY a HAVING x > 987654321 "
      "ORDER BY a DESC, x LIMIT 7, 300000";
  Statement sa = Cold(a);
  ExpectSelectRanges(a, sa);
  EXPECT_EQ(Text(a, sa.having_clause), "HAVING x > 5");
  EXPECT_EQ(Text(a, sa.limit_clause), "LIMIT 10, 20");
  Statement sb = Hit(a, b);
  ExpectSelectRanges(b, sb);
  EXPECT_EQ(Text(b, sb.having_clause), "HAVING x > 987654321");
  EXPECT_EQ(Text(b, sb.limit_clause), "LIMIT 7, 300000");
  ASSERT_TRUE(sb.offset && sb.limit);
  EXPECT_EQ(b.substr(sb.offset->offset, sb.offset->length), "7");
  EXPECT_EQ(b.substr(sb.limit->offset, sb.limit->length), "300000");
  // The other way round: literals get shorter.
  ExpectSelectRanges(a, Hit(b, a));
}

TEST(SourceRanges, InsertionPointsOfAbsentClauses) {
  const std::string a = "SELECT a FROM t WHERE id = 1 FOR UPDATE";
  const std::string b = "SELECT a FROM t WHERE id = 4567890 FOR UPDATE";
  Statement s = Hit(a, b);
  const uint32_t after_where = static_cast<uint32_t>(b.find(" FOR UPDATE"));
  for (SourceRange r : {s.group_by_clause, s.having_clause, s.order_by_clause, s.limit_clause}) {
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(r.end, after_where);
  }
  // No WHERE: after FROM; GROUP BY present: HAVING goes after it.
  const std::string c = "SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY 2 LIMIT 5";
  const std::string d = "SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY 1 LIMIT 50000";
  Statement sd = Hit(c, d);
  EXPECT_EQ(Text(d, sd.group_by_clause), "GROUP BY a");
  EXPECT_TRUE(sd.having_clause.empty());
  EXPECT_EQ(sd.having_clause.begin, sd.group_by_clause.end);
  ASSERT_EQ(sd.order_by.size(), 1u);
  EXPECT_TRUE(sd.order_by[0].positional);
  EXPECT_EQ(Text(d, sd.order_by[0].range), "1");
  EXPECT_EQ(Text(d, sd.limit_clause), "LIMIT 50000");
  Statement se = Cold("SELECT a FROM t");
  EXPECT_EQ(se.group_by_clause, (SourceRange{15, 15}));
  EXPECT_EQ(se.limit_clause, (SourceRange{15, 15}));
  Statement sf = Cold("SELECT 1");
  EXPECT_EQ(Text("SELECT 1", sf.select_list), "1");
  EXPECT_EQ(sf.group_by_clause, (SourceRange{8, 8}));
  // UPDATE / DELETE: only present clauses.
  const std::string u = "DELETE FROM t WHERE k = 1 ORDER BY id LIMIT 10";
  Statement su = Hit(u, "DELETE FROM t WHERE k = 1000 ORDER BY id LIMIT 1");
  EXPECT_EQ(Text("DELETE FROM t WHERE k = 1000 ORDER BY id LIMIT 1", su.order_by_clause),
            "ORDER BY id");
  EXPECT_EQ(Text("DELETE FROM t WHERE k = 1000 ORDER BY id LIMIT 1", su.limit_clause), "LIMIT 1");
  EXPECT_EQ(Cold("UPDATE t SET a = 1").limit_clause, SourceRange());
}

TEST(SourceRanges, SetOperationsAndParentheses) {
  const std::string a = "SELECT a FROM t WHERE x = 1 UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 3";
  const std::string b =
      "SELECT a FROM t WHERE x = 99999 UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 30";
  Statement s = Hit(a, b);
  EXPECT_EQ(Text(b, s.select_list), "a");  // the first block's
  EXPECT_EQ(Text(b, s.order_by_clause), "ORDER BY 1");
  EXPECT_EQ(Text(b, s.limit_clause), "LIMIT 30");
  // A parenthesised query's ORDER BY is kept; LIMIT goes after the ")".
  const std::string c = "(SELECT a FROM t WHERE x = 1 ORDER BY a)";
  Statement sc = Hit(c, "(SELECT a FROM t WHERE x = 12 ORDER BY a)");
  EXPECT_EQ(Text("(SELECT a FROM t WHERE x = 12 ORDER BY a)", sc.order_by_clause), "ORDER BY a");
  EXPECT_EQ(sc.limit_clause, (SourceRange{41, 41}));
}

TEST(SourceRanges, BlanksOrCommentsThatDifferAreReparsed) {
  // Same digest text, other blanks before the first literal: the ranges
  // there cannot move with the literals; Bind parses and is still exact.
  const std::string a = "SELECT a, b FROM t WHERE id = 1";
  const std::string b = "SELECT  a ,b /* c */ FROM t WHERE id = 22";
  Statement s = Hit(a, b, /*reparse=*/true);
  ASSERT_EQ(s.select_items.size(), 2u);
  EXPECT_EQ(Text(b, s.select_items[0].range), "a");
  EXPECT_EQ(Text(b, s.select_items[1].range), "b");
  EXPECT_EQ(Text(b, s.select_list), "a ,b");
  // A difference far from every range still binds without a parse (ranges
  // move with the literal after them).
  const std::string c = "SELECT /* x */ a FROM t WHERE id = 1 ORDER BY a";
  const std::string d = "SELECT /* other comment */ a FROM t WHERE id = 333 ORDER BY a";
  Statement sd = Hit(c, d);
  EXPECT_EQ(Text(d, sd.select_items[0].range), "a");
  EXPECT_EQ(Text(d, sd.order_by_clause), "ORDER BY a");
  // Keyword case next to a range.
  Statement se =
      Hit("SELECT a FROM t WHERE id = 1 ORDER BY a", "select a from t where id = 2 order by a",
          /*reparse=*/true);
  EXPECT_EQ(Text("select a from t where id = 2 order by a", se.order_by_clause), "order by a");
}

TEST(SourceRanges, InsertColumnsRowsAndValues) {
  const std::string a = "INSERT INTO t (k, c, pad) VALUES (1, 'x', NOW()), (2, 'y', NOW())";
  const std::string b =
      "INSERT INTO t (k, c, pad) VALUES (100, 'xxxx', NOW()), (22222, 'yy', NOW()), (3, '', NOW())";
  EXPECT_EQ(Text(a, Cold(a).insert_column_list), "(k, c, pad)");
  Statement s = Hit(a, b);
  EXPECT_EQ(Text(b, s.insert_column_list), "(k, c, pad)");
  EXPECT_EQ(b[s.insert_column_list.end - 1], ')');  // where ", id" goes
  ASSERT_EQ(s.rows.size(), 3u);
  ASSERT_EQ(s.row_ranges.size(), 3u);
  EXPECT_EQ(Text(b, s.row_ranges[0]), "(100, 'xxxx', NOW())");
  EXPECT_EQ(Text(b, s.row_ranges[1]), "(22222, 'yy', NOW())");
  EXPECT_EQ(Text(b, s.row_ranges[2]), "(3, '', NOW())");
  EXPECT_EQ(Text(b, s.rows[1][0].range), "22222");
  EXPECT_EQ(Text(b, s.rows[1][1].range), "'yy'");
  EXPECT_EQ(Text(b, s.rows[2][2].range), "NOW()");
  // No column list: an insertion point after the table name. NULL and
  // DEFAULT values have ranges too.
  const std::string c = "INSERT INTO db.t VALUES (NULL, 1, DEFAULT)";
  const std::string d = "INSERT INTO db.t VALUES (NULL, 12345, DEFAULT)";
  Statement sd = Hit(c, d);
  EXPECT_TRUE(sd.insert_column_list.empty());
  EXPECT_EQ(sd.insert_column_list.begin, d.find(" VALUES"));
  ASSERT_EQ(sd.rows.size(), 1u);
  EXPECT_EQ(Text(d, sd.rows[0][0].range), "NULL");
  EXPECT_EQ(Text(d, sd.rows[0][1].range), "12345");
  EXPECT_EQ(Text(d, sd.rows[0][2].range), "DEFAULT");
  EXPECT_EQ(Text(d, sd.row_ranges[0]), "(NULL, 12345, DEFAULT)");
  // Rows without spaces (sysbench prepare) and an introducer.
  const std::string e =
      "INSERT INTO sbtest1(k,c,pad) VALUES(1,_utf8mb4'a','b'),(2,_utf8mb4'c','d')";
  const std::string f = "INSERT INTO sbtest1(k,c,pad) VALUES(10,_utf8mb4'aa','bbb')";
  Statement sf = Hit(e, f);
  EXPECT_EQ(Text(f, sf.insert_column_list), "(k,c,pad)");
  ASSERT_EQ(sf.rows.size(), 1u);
  EXPECT_EQ(Text(f, sf.row_ranges[0]), "(10,_utf8mb4'aa','bbb')");
  EXPECT_EQ(Text(f, sf.rows[0][1].range), "_utf8mb4'aa'");
  EXPECT_EQ(Cold("UPDATE t SET a = 1").insert_column_list, SourceRange());
}

TEST(SourceRanges, RowFormReductionOfADumpInsert) {
  // Rows that differ in NULL vs literal and sign: parsed as one row per form
  // and expanded (parser/cache/values_rows.h); ranges index the full text.
  const std::string sql =
      "INSERT INTO `t` VALUES (1,'a',NULL),(-2,NULL,'b'),(3,'c',NULL),(NULL,'d','e'),(5,'f',NULL) "
      "ON DUPLICATE KEY UPDATE c = VALUES(c)";
  CachedParser cp(0);
  Result<Statement> s = cp.Parse(sql, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(cp.row_form_parses(), 1u);
  Statement cold = Cold(sql);
  EXPECT_EQ(s->SourceRangesToJson().dump(), cold.SourceRangesToJson().dump());
  EXPECT_TRUE(*s == cold);
  ASSERT_EQ(s->rows.size(), 5u);
  EXPECT_EQ(Text(sql, s->row_ranges[3]), "(NULL,'d','e')");
  EXPECT_EQ(Text(sql, s->rows[1][0].range), "-2");
  EXPECT_EQ(Text(sql, s->rows[4][2].range), "NULL");
}

TEST(SourceRanges, SequenceCalls) {
  const std::string a =
      "SELECT NEXTVAL(trade.s1), LASTVAL(s2), SETVAL(s3, 10), PREVIOUS VALUE FOR s4";
  const std::string b =
      "SELECT NEXTVAL(trade.s1), LASTVAL(s2), SETVAL(s3, 100000), PREVIOUS VALUE FOR s4";
  Statement s = Hit(a, b);
  ASSERT_EQ(s.sequences.size(), 4u);
  EXPECT_EQ(s.sequences[0].op, SequenceCall::Op::kNext);
  EXPECT_EQ(s.sequences[0].schema, "trade");
  EXPECT_EQ(s.sequences[0].name, "s1");
  EXPECT_EQ(s.sequences[1].op, SequenceCall::Op::kPrevious);
  EXPECT_EQ(s.sequences[1].schema, "");
  EXPECT_EQ(s.sequences[2].op, SequenceCall::Op::kSet);
  EXPECT_EQ(s.sequences[3].op, SequenceCall::Op::kPrevious);
  EXPECT_EQ(s.sequences[3].name, "s4");
  EXPECT_EQ(Text(b, s.sequences[0].range), "NEXTVAL(trade.s1)");
  EXPECT_EQ(Text(b, s.sequences[2].range), "SETVAL(s3, 100000)");
  EXPECT_EQ(Text(b, s.sequences[3].range), "PREVIOUS VALUE FOR s4");
  // In INSERT values (a single row binds; collapsed rows re-parse: one call per row).
  const std::string c = "INSERT INTO t (id, a) VALUES (NEXT VALUE FOR db.seq, 1)";
  const std::string d = "INSERT INTO t (id, a) VALUES (NEXT VALUE FOR db.seq, 1000)";
  Statement sd = Hit(c, d);
  ASSERT_EQ(sd.sequences.size(), 1u);
  EXPECT_EQ(sd.sequences[0].schema, "db");
  EXPECT_EQ(Text(d, sd.sequences[0].range), "NEXT VALUE FOR db.seq");
  Statement rows =
      Hit("INSERT INTO t (id, a) VALUES (NEXTVAL(s), 1), (NEXTVAL(s), 2)",
          "INSERT INTO t (id, a) VALUES (NEXTVAL(s), 1), (NEXTVAL(s), 2), (NEXTVAL(s), 3)");
  EXPECT_EQ(rows.sequences.size(), 3u);
  EXPECT_TRUE(Cold("SELECT NEXTVAL(a.b.c), SETVAL(f(x), 1)").sequences.empty());
}

TEST(SourceRanges, FunctionsCalled) {
  Statement s = Cold(
      "SELECT COUNT(*), Upper(x), db.MyF(1), CAST(a AS CHAR), CURRENT_TIMESTAMP, IF(a, 1, 2), "
      "count(b), SUBSTR(c, 1) FROM t WHERE y IN (SELECT max(z) FROM u) AND NEXT VALUE FOR s > 0");
  EXPECT_EQ(s.functions, (std::vector<std::string>{"count", "upper", "db.myf", "cast",
                                                   "current_timestamp", "if", "substr", "max"}));
  EXPECT_TRUE(Cold("SELECT a FROM t").functions.empty());
  // Not the body of a stored program.
  EXPECT_TRUE(Cold("CREATE PROCEDURE p() BEGIN SELECT NOW(); END").functions.empty());
}

}  // namespace
}  // namespace shardproxy::parser
