// The digest lexer (parser/digest/digest.h): digest text, literals, slots,
// modes, errors, SplitStatements, charset safety.
#include "parser/digest/digest.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "parser/digest/lexer.h"
#include "parser/sql_mode.h"

// Counts heap allocations, to show ComputeDigestInto reuses its buffers.
static std::atomic<uint64_t> g_allocs{0};
void* operator new(size_t n) {
  ++g_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace shardproxy::parser {
namespace {

Digest D(std::string_view sql, SqlMode mode = {}) {
  Result<Digest> r = ComputeDigest(sql, mode);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? *r : Digest{};
}
std::string T(std::string_view sql, SqlMode mode = {}) { return D(sql, mode).text; }

SqlMode Mode(std::string_view s) { return SqlMode::FromString(s); }

// The source bytes of each literal.
std::vector<std::string> Tokens(std::string_view sql, const Digest& d) {
  std::vector<std::string> out;
  for (const Literal& l : d.literals) out.emplace_back(sql.substr(l.offset, l.length));
  return out;
}

TEST(Digest, NormalisesWhitespaceCaseAndLiterals) {
  EXPECT_EQ(T("select * from t where id=1"), "SELECT * FROM t WHERE id = ?");
  EXPECT_EQ(T("SELECT   *\n\tFROM t WHERE id =  'abc'"), "SELECT * FROM t WHERE id = ?");
  EXPECT_EQ(T("SELECT a,b , c FROM db . t"), "SELECT a, b, c FROM db.t");
  EXPECT_EQ(T("SELECT t.a FROM t WHERE ( a > 1 )"), "SELECT t.a FROM t WHERE (a > ?)");
  EXPECT_EQ(T("select count(*) from t"), "SELECT count(*) FROM t");
  EXPECT_EQ(T("SELECT a FROM t LIMIT 10 OFFSET 5"), "SELECT a FROM t LIMIT ? OFFSET ?");
}

TEST(Digest, SameDigestWhenOnlyLiteralsDiffer) {
  const char* pairs[][2] = {
      {"SELECT * FROM t WHERE id = 1", "select * FROM t where id=99999"},
      {"SELECT * FROM t WHERE name = 'bob'", "SELECT * FROM t WHERE name = 'a''b\\'c'"},
      {"SELECT * FROM t WHERE x = 1.5", "SELECT * FROM t WHERE x = 2.25"},
      {"SELECT * FROM t WHERE x IN (1, 2, 3)", "SELECT * FROM t WHERE x IN (7)"},
      {"SELECT * FROM t WHERE x IN ('a')", "SELECT * FROM t WHERE x IN ('b', 'c', 'd', 'e')"},
      {"INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t (a, b) VALUES (2, 'y'), (3, 'z')"},
      {"INSERT INTO t VALUES (1, NOW())", "insert into t values (5, NOW()),(6, NOW())"},
      {"SELECT 'a' 'b' FROM t", "SELECT 'c' FROM t"},
      {"SELECT * FROM t /* one */ WHERE a = 1 -- x\n", "SELECT * FROM t WHERE a = 2 # y"},
      {"UPDATE t SET a = 1 WHERE id = 2", "UPDATE t SET a = 'x' WHERE id = 3"},
      {"/*!40101 SET NAMES utf8 */", "/*!40101 SET NAMES utf8 */"},
      {"SELECT * FROM t WHERE d = X'AB'", "SELECT * FROM t WHERE d = 0x0102"},
  };
  for (auto& p : pairs) {
    Digest a = D(p[0]), b = D(p[1]);
    EXPECT_EQ(a.text, b.text) << p[0] << " vs " << p[1];
    EXPECT_EQ(a.hash, b.hash) << p[0] << " vs " << p[1];
  }
}

TEST(Digest, DifferentDigestOtherwise) {
  const char* pairs[][2] = {
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM u WHERE id = 1"},
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM T WHERE id = 1"},  // table case
      {"SELECT * FROM status", "SELECT * FROM STATUS"},                  // non-reserved word
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = -1"},
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = NULL"},
      {"SELECT * FROM t WHERE id = TRUE", "SELECT * FROM t WHERE id = FALSE"},
      {"SELECT COUNT(*) FROM t", "SELECT COUNT (*) FROM t"},  // space matters w/o IGNORE_SPACE
      {"SELECT * FROM t WHERE x IN (1, 2)", "SELECT * FROM t WHERE x IN (1, a)"},
      {"SELECT * FROM t WHERE x IN (1, 2)", "SELECT * FROM t WHERE x = 1"},
      {"SELECT `a` FROM t", "SELECT a FROM t"},
      {"SELECT a FROM t /*+ BKA(t) */", "SELECT a FROM t /*+ NO_BKA(t) */"},
      {"/*!40101 SET a = 1 */", "/*!40102 SET a = 1 */"},
      {"SELECT @a", "SELECT @b"},
      {"SELECT @@session.x", "SELECT @@global.x"},
      {"SELECT _utf8mb4'a'", "SELECT _latin1'a'"},
      {"SELECT _utf8mb4'a'", "SELECT 'a'"},
      {"SELECT N'a'", "SELECT 'a'"},
      {"SELECT 1;", "SELECT 1"},
      {"INSERT INTO t VALUES (1), (2)", "INSERT INTO t VALUES (1, 2)"},
      {"SELECT a FROM t WHERE b = 1 OR c = 2", "SELECT a FROM t WHERE b = 1 AND c = 2"},
      {"SELECT a - 1", "SELECT a - - 1"},
      {"SELECT a << 1", "SELECT a < < 1"},
  };
  for (auto& p : pairs) {
    Digest a = D(p[0]), b = D(p[1]);
    EXPECT_NE(a.text, b.text) << p[0] << " vs " << p[1];
    EXPECT_NE(a.hash, b.hash) << p[0] << " vs " << p[1];
  }
}

TEST(Digest, HashIsXxh3OfText) {
  Digest d = D("SELECT 1");
  EXPECT_EQ(d.text, "SELECT ?");
  EXPECT_EQ(d.hash, 0x0ull + D("select   5").hash);
  EXPECT_NE(d.hash, D("SELECT 1, 2").hash);
}

TEST(Digest, ReservedWordsUpperCasedOthersVerbatim) {
  EXPECT_EQ(T("select distinct a from t where b is not null order by c desc"),
            "SELECT DISTINCT a FROM t WHERE b IS NOT NULL ORDER BY c DESC");
  // Non-reserved keywords may be identifiers: kept as written.
  EXPECT_EQ(T("begin"), "begin");
  EXPECT_EQ(T("SELECT date, status FROM `order`"), "SELECT date, status FROM `order`");
  // A word before or after '.' is an identifier even if reserved.
  EXPECT_EQ(T("SELECT select.from FROM t select"), "SELECT select.from FROM t SELECT");
  EXPECT_EQ(T("select t.* from t"), "SELECT t.* FROM t");
  // \N is NULL.
  EXPECT_EQ(T("SELECT \\N"), "SELECT \\N");
}

TEST(Digest, SpaceBeforeParenthesis) {
  EXPECT_EQ(T("SELECT f(1), f (1), COUNT(a), IF(a, 1, 2), CHAR(65), LEFT(s, 1)"),
            "SELECT f(?), f (?), COUNT(a), IF(a, ?, ?), CHAR(?), LEFT(s, ?)");
  // IGNORE_SPACE: function names are reserved, spacing is irrelevant.
  EXPECT_EQ(T("SELECT COUNT (*), f (1)", Mode("IGNORE_SPACE")), "SELECT COUNT(*), f(?)");
  // Reserved structural keywords always get a space.
  EXPECT_EQ(T("SELECT * FROM t WHERE EXISTS(SELECT 1) AND a IN(1)"),
            "SELECT * FROM t WHERE EXISTS (SELECT ?) AND a IN (...)");
  EXPECT_EQ(T("CREATE TABLE t (a VARCHAR(10), b DECIMAL (10,2))"),
            "CREATE TABLE t (a VARCHAR(?), b DECIMAL(?, ?))");
}

TEST(Digest, LiteralForms) {
  std::string sql =
      "SELECT 'a', \"b\", 12, 1.5, .5, 1., 1e10, 1.5E-3, 2e+3, X'4142', x'', 0x1F, b'101', "
      "B'0', 0b11, ?, N'n', _utf8mb4'u', _binary 0xAB, _latin1 X'41', 'p' 'q'";
  Digest d = D(sql);
  EXPECT_EQ(d.text,
            "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, N?, _utf8mb4?, _binary?, "
            "_latin1?, ?");
  std::vector<std::string> toks = Tokens(sql, d);
  std::vector<std::string> want_toks = {
      "'a'",  "\"b\"",  "12",   "1.5",  ".5", "1.",  "1e10", "1.5E-3", "2e+3",  "X'4142'", "x''",
      "0x1F", "b'101'", "B'0'", "0b11", "?",  "'n'", "'u'",  "0xAB",   "X'41'", "'p' 'q'"};
  EXPECT_EQ(toks, want_toks);
  using K = LiteralKind;
  std::vector<K> want_kinds = {
      K::kString, K::kString,      K::kInteger, K::kDecimal, K::kDecimal, K::kDecimal, K::kFloat,
      K::kFloat,  K::kFloat,       K::kHex,     K::kHex,     K::kHex,     K::kBit,     K::kBit,
      K::kBit,    K::kPlaceholder, K::kString,  K::kString,  K::kHex,     K::kHex,     K::kString};
  ASSERT_EQ(d.literals.size(), want_kinds.size());
  for (size_t i = 0; i < want_kinds.size(); ++i) {
    EXPECT_EQ(d.literals[i].kind, want_kinds[i]) << i << " " << toks[i];
  }
  // Introducers: intro_offset points at N / _charset.
  const Literal& n = d.literals[16];
  EXPECT_EQ(sql.substr(n.intro_offset, n.offset - n.intro_offset), "N");
  const Literal& u = d.literals[17];
  EXPECT_EQ(sql.substr(u.intro_offset, u.offset - u.intro_offset), "_utf8mb4");
  const Literal& b = d.literals[18];
  EXPECT_EQ(sql.substr(b.intro_offset, b.offset - b.intro_offset), "_binary ");
  EXPECT_FALSE(d.literals[0].has_introducer());
  // Values.
  EXPECT_EQ(LiteralText(sql, d.literals[0], {}), "a");
  EXPECT_EQ(LiteralText(sql, d.literals[1], {}), "b");
  EXPECT_EQ(LiteralText(sql, d.literals[3], {}), "1.5");
  EXPECT_EQ(LiteralText(sql, d.literals[9], {}), "X'4142'");
  EXPECT_EQ(LiteralText(sql, d.literals[15], {}), "?");
  EXPECT_EQ(LiteralText(sql, d.literals[20], {}), "pq");
}

TEST(Digest, NumbersAndIdentifiersThatLookLikeNumbers) {
  // 123abc and 0x1G are identifiers; 0X1F is an identifier (only lower-case 0x).
  EXPECT_EQ(T("SELECT 123abc, 0x1G, 0X1F, 0b2, 1e, 1ex FROM t"),
            "SELECT 123abc, 0x1G, 0X1F, 0b2, 1e, 1ex FROM t");
  // 1e5x is the float 1e5 aliased x (as MariaDB reads it).
  Digest d = D("SELECT 1e5x");
  EXPECT_EQ(d.text, "SELECT ? x");
  // After "ident." digits are an identifier, not a decimal.
  EXPECT_EQ(T("SELECT t.5a, t.1 FROM t"), "SELECT t.5a, t.1 FROM t");
  EXPECT_EQ(T("SELECT a FROM t WHERE b = .5"), "SELECT a FROM t WHERE b = ?");
  // A leading minus stays an operator.
  Digest m = D("SELECT -5, - 5, 3-2, 1--1");
  EXPECT_EQ(m.text, "SELECT - ?, - ?, ? - ?, ? - - ?");
  EXPECT_EQ(m.literals.size(), 6u);
}

TEST(Digest, Strings) {
  std::string sql = R"(SELECT 'it''s', 'a\'b', 'c\\', "d""e", 'x\ny', '\%\_')";
  Digest d = D(sql);
  EXPECT_EQ(d.text, "SELECT ?, ?, ?, ?, ?, ?");
  EXPECT_EQ(LiteralText(sql, d.literals[0], {}), "it's");
  EXPECT_EQ(LiteralText(sql, d.literals[1], {}), "a'b");
  EXPECT_EQ(LiteralText(sql, d.literals[2], {}), "c\\");
  EXPECT_EQ(LiteralText(sql, d.literals[3], {}), "d\"e");
  EXPECT_EQ(LiteralText(sql, d.literals[4], {}), "x\ny");
  EXPECT_EQ(LiteralText(sql, d.literals[5], {}), "\\%\\_");
  // Quotes inside strings do not end them; comment markers inside are text.
  EXPECT_EQ(T("SELECT '/* not a comment */', '-- nor this', '#', 'a;b'"), "SELECT ?, ?, ?, ?");
}

void ExpectError(std::string_view sql, size_t offset, SqlMode mode = {}) {
  uint32_t at = 12345;
  Digest d;
  Status s = ComputeDigestInto(sql, mode, &d, &at);
  ASSERT_FALSE(s.ok()) << sql;
  EXPECT_EQ(s.code(), 1064);
  EXPECT_EQ(s.sqlstate(), "42000");
  EXPECT_EQ(at, offset) << sql;
  EXPECT_EQ(s.message(), SyntaxErrorAt(sql, offset).message());
  EXPECT_TRUE(d.text.empty());
}

// Long strings are scanned a run at a time (memchr to the next quote or
// backslash): escapes, doubled quotes and an escaped quote right before the
// closing one still end the string where MariaDB does.
TEST(Digest, LongStringsWithManyEscapes) {
  std::string body;
  std::string want;
  for (int i = 0; i < 20000; ++i) {
    body += (i % 3 == 0) ? "\\'" : (i % 3 == 1) ? "''" : "x\\\\";
    want += (i % 3 == 0) ? "'" : (i % 3 == 1) ? "'" : "x\\";
  }
  std::string sql = "SELECT '" + body + "\\'' FROM t";
  Digest d = D(sql);
  ASSERT_EQ(d.literals.size(), 1u);
  EXPECT_EQ(d.text, "SELECT ? FROM t");
  EXPECT_EQ(d.literals[0].length, body.size() + 4);
  EXPECT_EQ(LiteralText(sql, d.literals[0], {}), want + "'");
  // NO_BACKSLASH_ESCAPES: the backslash is a byte, the first lone quote ends it.
  SqlMode nbe = Mode("NO_BACKSLASH_ESCAPES");
  Digest n = D("SELECT 'a\\' 'b''c\\\\'", nbe);
  ASSERT_EQ(n.literals.size(), 1u);  // 'a\' 'b''c\\' : two adjacent strings
  EXPECT_EQ(LiteralText("SELECT 'a\\' 'b''c\\\\'", n.literals[0], nbe), "a\\b'c\\\\");
  // Unterminated after many escapes: an error at the opening quote.
  std::string open = "SELECT '" + body;
  Result<Digest> bad = ComputeDigest(open, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), 1064);
}

TEST(Digest, NoBackslashEscapes) {
  SqlMode nbe = Mode("NO_BACKSLASH_ESCAPES");
  std::string sql = R"(SELECT 'a\', 'b')";
  Digest d = D(sql, nbe);
  EXPECT_EQ(d.text, "SELECT ?, ?");
  EXPECT_EQ(LiteralText(sql, d.literals[0], nbe), "a\\");
  // Without the mode, 'a\', ' is one string (then the word b); with it, 'b is open.
  EXPECT_EQ(T(R"(SELECT 'a\', 'b)"), "SELECT ? b");
  ExpectError(R"(SELECT 'a\', 'b)", 13, nbe);
  EXPECT_EQ(T(R"(SELECT 'a\'b')"), "SELECT ?");
}

TEST(Digest, AnsiQuotes) {
  SqlMode ansi = Mode("ANSI_QUOTES");
  EXPECT_EQ(T("SELECT \"col\" FROM \"t\" WHERE a = 'x'", ansi),
            "SELECT \"col\" FROM \"t\" WHERE a = ?");
  EXPECT_EQ(T("SELECT \"col\" FROM t"), "SELECT ? FROM t");
  EXPECT_EQ(T("SELECT \"a\"\"b\" FROM t", ansi), "SELECT \"a\"\"b\" FROM t");
  // ANSI (combination mode) implies it.
  EXPECT_TRUE(Mode("STRICT_TRANS_TABLES,ansi").ansi_quotes);
}

TEST(Digest, Comments) {
  EXPECT_EQ(T("SELECT /* c */ 1 # x\n, 2 -- y\n, 3 --\t z\n"), "SELECT ?, ?, ?");
  EXPECT_EQ(T("SELECT 1 --"), "SELECT ?");  // "--" at end of input is a comment
  EXPECT_EQ(T("SELECT 1 --x"), "SELECT ? - - x");
  EXPECT_EQ(T("SELECT a/**/FROM t"), "SELECT a FROM t");
  // Hints kept verbatim (no literal inside).
  Digest h = D("SELECT /*+ MAX_EXECUTION_TIME(1000) */ a FROM t");
  EXPECT_EQ(h.text, "SELECT /*+ MAX_EXECUTION_TIME(1000) */ a FROM t");
  EXPECT_TRUE(h.literals.empty());
  // Executable comments: marker kept, content lexed (literals inside).
  std::string sql = "/*!40101 SET character_set_client = 'utf8' */";
  Digest e = D(sql);
  EXPECT_EQ(e.text, "/*!40101 SET character_set_client = ? */");
  ASSERT_EQ(e.literals.size(), 1u);
  EXPECT_EQ(sql.substr(e.literals[0].offset, e.literals[0].length), "'utf8'");
  EXPECT_EQ(T("CREATE TABLE t (a INT) /*M!100100 ENGINE=InnoDB */"),
            "CREATE TABLE t (a INT) /*M!100100 ENGINE = InnoDB */");
  EXPECT_EQ(T("SELECT 1 /*! +1 */"), "SELECT ? /*! + ? */");
  // A string in an executable comment may contain */.
  EXPECT_EQ(T("/*! SELECT '*/' */"), "/*! SELECT ? */");
  // Outside an executable comment, */ is two operators.
  EXPECT_EQ(T("SELECT 2 */ 3"), "SELECT ? * / ?");
}

TEST(Digest, VariablesVerbatim) {
  EXPECT_EQ(T("SET @a = 1, @@session.sql_mode = 'x', @`q` = 2, @'r s' = 3, @@GLOBAL.x = 4"),
            "SET @a = ?, @@session.sql_mode = ?, @`q` = ?, @'r s' = ?, @@GLOBAL.x = ?");
  EXPECT_EQ(T("SELECT @a:=1"), "SELECT @a := ?");
}

TEST(Digest, OperatorsLongestMatch) {
  EXPECT_EQ(T("SELECT a<=>b, a<=b, a>=b, a<>b, a!=b, a<<1, a>>1, a||b, a&&b, a:=b"),
            "SELECT a <=> b, a <= b, a >= b, a <> b, a != b, a << ?, a >> ?, a || b, a && b, a "
            ":= b");
}

TEST(Digest, InListSlots) {
  std::string sql = "SELECT * FROM t WHERE a = 1 AND b IN (2, 'x', ?) AND c NOT IN (4) AND d = 5";
  Digest d = D(sql);
  EXPECT_EQ(d.text, "SELECT * FROM t WHERE a = ? AND b IN (...) AND c NOT IN (...) AND d = ?");
  ASSERT_EQ(d.literals.size(), 6u);
  ASSERT_EQ(d.slots.size(), 4u);
  EXPECT_EQ(d.slots[0], (Slot{0, 1, 1, false}));
  EXPECT_EQ(d.slots[1], (Slot{1, 3, 1, true}));
  EXPECT_EQ(d.slots[2], (Slot{4, 1, 1, true}));
  EXPECT_EQ(d.slots[3], (Slot{5, 1, 1, false}));
  // Not only literals: not collapsed.
  EXPECT_EQ(T("SELECT * FROM t WHERE a IN (1, b, -2, NULL)"),
            "SELECT * FROM t WHERE a IN (?, b, - ?, NULL)");
  EXPECT_EQ(T("SELECT * FROM t WHERE a IN (SELECT 1)"), "SELECT * FROM t WHERE a IN (SELECT ?)");
  EXPECT_EQ(T("SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))"),
            "SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))");
  // Adjacent strings are one literal inside a list too.
  Digest s = D("SELECT * FROM t WHERE a IN ('a' 'b', 'c')");
  EXPECT_EQ(s.slots.size(), 1u);
  EXPECT_EQ(s.slots[0], (Slot{0, 2, 1, true}));
}

TEST(Digest, ValuesRowsSlots) {
  std::string sql =
      "INSERT INTO t (a, b, c) VALUES (1, 'x', NOW()), (2, 'y', NOW()), (3, 'z', NOW())";
  Digest d = D(sql);
  EXPECT_EQ(d.text, "INSERT INTO t (a, b, c) VALUES (?, ?, NOW()) /*, ...*/");
  ASSERT_EQ(d.literals.size(), 6u);
  ASSERT_EQ(d.slots.size(), 1u);
  EXPECT_EQ(d.slots[0], (Slot{0, 6, 2, true}));
  EXPECT_EQ(Tokens(sql, d), (std::vector<std::string>{"1", "'x'", "2", "'y'", "3", "'z'"}));
  // One row collapses too, so 1-row and n-row inserts share a template.
  EXPECT_EQ(D("INSERT INTO t (a, b, c) VALUES (7, 'q', NOW())").text, d.text);
  // Followed by more SQL.
  Digest o = D("INSERT INTO t VALUES (1), (2) ON DUPLICATE KEY UPDATE b = VALUES(b) + 1");
  EXPECT_EQ(o.text,
            "INSERT INTO t VALUES (?) /*, ...*/ ON DUPLICATE KEY UPDATE b = VALUES (b) + ?");
  ASSERT_EQ(o.slots.size(), 2u);
  EXPECT_EQ(o.slots[0], (Slot{0, 2, 1, true}));
  EXPECT_EQ(o.slots[1], (Slot{2, 1, 1, false}));
  // Rows that differ: nothing collapsed, text verbatim.
  EXPECT_EQ(T("INSERT INTO t VALUES (1, 2), (3, NULL), (4, 5)"),
            "INSERT INTO t VALUES (?, ?), (?, NULL), (?, ?)");
  EXPECT_EQ(T("INSERT INTO t VALUES (1), (2), (3, 4)"), "INSERT INTO t VALUES (?), (?), (?, ?)");
  EXPECT_EQ(D("INSERT INTO t VALUES (1), (2), (3, 4)").slots.size(), 4u);
  // Rows without literals are not collapsed (nothing to count rows with).
  EXPECT_EQ(T("INSERT INTO t VALUES (NOW()), (NOW())"), "INSERT INTO t VALUES (NOW()), (NOW())");
  // A row holding a collapsed IN list is not collapsed.
  EXPECT_EQ(T("INSERT INTO t VALUES (1 IN (1, 2)), (3 IN (4))"),
            "INSERT INTO t VALUES (? IN (...)), (? IN (...))");
  // VALUE and table value constructors.
  EXPECT_EQ(T("INSERT INTO t VALUE (1), (2)"), "INSERT INTO t VALUE (?) /*, ...*/");
  EXPECT_EQ(T("SELECT * FROM (VALUES (1, 2), (3, 4)) AS v"),
            "SELECT * FROM (VALUES (?, ?) /*, ...*/) AS v");
  // VALUES / VALUE as functions or outside a row-list position never collapse.
  EXPECT_EQ(T("SELECT value(1), (2)"), "SELECT value(?), (?)");
  EXPECT_EQ(T("SELECT CONCAT(VALUES(a + 1), (a + 1))"), "SELECT CONCAT(VALUES (a + ?), (a + ?))");
  EXPECT_EQ(
      T("INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE b = VALUES(b + 1), c = (2)"),
      "INSERT INTO t VALUES (?) /*, ...*/ ON DUPLICATE KEY UPDATE b = VALUES (b + ?), c = (?)");
  EXPECT_EQ(T("SELECT 1 UNION ALL VALUES (2), (3)"), "SELECT ? UNION ALL VALUES (?) /*, ...*/");
  EXPECT_EQ(T("VALUES (1), (2)"), "VALUES (?) /*, ...*/");
  EXPECT_EQ(T("SELECT * FROM t WHERE a IN (VALUES (1), (2))"),
            "SELECT * FROM t WHERE a IN (VALUES (?) /*, ...*/)");
  EXPECT_EQ(T("INSERT INTO db.t PARTITION (p0) VALUES (1), (2)"),
            "INSERT INTO db.t PARTITION (p0) VALUES (?) /*, ...*/");
  // An unterminated row leaves the text as written.
  EXPECT_EQ(T("INSERT INTO t VALUES (1), (2), (3"), "INSERT INTO t VALUES (?), (?), (?");
}

TEST(Digest, OffsetsExact) {
  std::string sql = "  SELECT  a FROM t WHERE id = 42 AND s = 'x''y' -- c\n AND f = 1.5e3";
  Digest d = D(sql);
  ASSERT_EQ(d.literals.size(), 3u);
  EXPECT_EQ(d.literals[0].offset, sql.find("42"));
  EXPECT_EQ(d.literals[0].length, 2u);
  EXPECT_EQ(d.literals[1].offset, sql.find("'x''y'"));
  EXPECT_EQ(d.literals[1].length, 6u);
  EXPECT_EQ(d.literals[2].offset, sql.find("1.5e3"));
  EXPECT_EQ(d.literals[2].length, 5u);
  for (const Literal& l : d.literals) EXPECT_EQ(l.intro_offset, l.offset);
}

TEST(Digest, FindLiteral) {
  std::string sql = "SELECT _utf8mb4 'a', 1 FROM t WHERE x IN (2, 3, 4) AND y = 'p' 'q'";
  Digest d = D(sql);
  EXPECT_EQ(FindLiteral(d, sql.find("_utf8mb4")), (LiteralRef{0, 0}));
  EXPECT_EQ(FindLiteral(d, sql.find("'a'")), (LiteralRef{0, 0}));
  EXPECT_EQ(FindLiteral(d, sql.find(", 1") + 2), (LiteralRef{1, 0}));
  EXPECT_EQ(FindLiteral(d, sql.find("2,")), (LiteralRef{2, 0}));
  EXPECT_EQ(FindLiteral(d, sql.find("3,")), (LiteralRef{2, 1}));
  EXPECT_EQ(FindLiteral(d, sql.find("4)")), (LiteralRef{2, 2}));
  EXPECT_EQ(FindLiteral(d, sql.find("'p'")), (LiteralRef{3, 0}));
  EXPECT_EQ(FindLiteral(d, sql.find("'q'")), (LiteralRef{3, 0}));  // inside the concatenation
  EXPECT_EQ(FindLiteral(d, sql.find("FROM")), LiteralRef{});
  EXPECT_EQ(FindLiteral(d, 0), LiteralRef{});
  EXPECT_EQ(FindLiteral(d, static_cast<uint32_t>(sql.size() + 10)), LiteralRef{});
}

TEST(Digest, Errors) {
  // MariaDB 10.11's wording, checked against the sandbox server.
  Result<Digest> r = ComputeDigest("SELECT 'abc", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "You have an error in your SQL syntax; check the manual that corresponds to your "
            "MariaDB server version for the right syntax to use near ''abc' at line 1");
  ExpectError("SELECT 'abc", 7);
  ExpectError("SELECT \"abc", 7);
  ExpectError("SELECT `abc", 7);
  ExpectError("SELECT \"abc", 7, Mode("ANSI_QUOTES"));
  ExpectError("SELECT 1 /* abc", 9);
  ExpectError("SELECT 1 /*+ abc", 9);
  ExpectError("SELECT 1 /*! +1", 15);  // MariaDB: near '' (end of input)
  ExpectError("SELECT X'ABC'", 7);     // odd number of digits
  ExpectError("SELECT X'4G'", 7);
  ExpectError("SELECT b'102'", 7);
  ExpectError("SELECT 1.5e", 7);
  ExpectError("SELECT 1,\n  2,\n  'x", 17);
  ExpectError("SELECT @'x", 8);
  ExpectError("SELECT _utf8mb4'x", 15);
  Status s = SyntaxErrorAt("SELECT 1,\n  2,\n  'x", 17);
  EXPECT_NE(s.message().find("near ''x' at line 3"), std::string::npos) << s.message();
  // The near text is cut at 80 bytes.
  std::string long_sql = "SELECT '" + std::string(200, 'z');
  Status l = ComputeDigest(long_sql, {}).status();
  EXPECT_NE(l.message().find("near ''" + std::string(79, 'z') + "' at line 1"), std::string::npos);
}

TEST(Digest, Modes) {
  EXPECT_EQ(SqlMode{}.Bits(), 0);
  SqlMode all = Mode("ANSI_QUOTES,NO_BACKSLASH_ESCAPES,PIPES_AS_CONCAT,IGNORE_SPACE");
  EXPECT_EQ(all.Bits(), 15);
  EXPECT_EQ(SqlMode::FromBits(all.Bits()), all);
  EXPECT_EQ(Mode(" strict_trans_tables , no_backslash_escapes ").Bits(), 2);
  SqlMode oracle = Mode("ORACLE");
  EXPECT_TRUE(oracle.ansi_quotes && oracle.pipes_as_concat && oracle.ignore_space);
  EXPECT_FALSE(oracle.no_backslash_escapes);
  EXPECT_EQ(Mode("").Bits(), 0);
  EXPECT_EQ(Mode("ANSI_QUOTESX").Bits(), 0);
}

TEST(Digest, ReuseDoesNotAllocate) {
  std::string a = "SELECT c1, c2 FROM sbtest1 WHERE id = 12345 AND k IN (1, 2, 3)";
  std::string b = "SELECT c1, c2 FROM sbtest1 WHERE id = 7 AND k IN (9, 8, 7, 6, 5)";
  Digest d;
  ASSERT_TRUE(ComputeDigestInto(a, {}, &d).ok());
  ASSERT_TRUE(ComputeDigestInto(b, {}, &d).ok());
  uint64_t before = g_allocs.load();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(ComputeDigestInto(i % 2 ? a : b, {}, &d).ok());
  }
  EXPECT_EQ(g_allocs.load() - before, 0u);
}

TEST(SplitStatements, TopLevelSemicolons) {
  std::string script =
      "SELECT 1; SELECT ';' ; -- c;\nSELECT `a;b` FROM t /* ; */;\n"
      "/*!40101 SET x = 1 */;;  \n  # only a comment;\n;INSERT INTO t VALUES ('a\\';b')";
  std::vector<std::string_view> parts = SplitStatements(script, {});
  std::vector<std::string_view> want = {"SELECT 1", "SELECT ';'",
                                        "-- c;\nSELECT `a;b` FROM t /* ; */",
                                        "/*!40101 SET x = 1 */", "INSERT INTO t VALUES ('a\\';b')"};
  EXPECT_EQ(parts, want);
  // NO_BACKSLASH_ESCAPES changes where the string ends.
  std::vector<std::string_view> nbe =
      SplitStatements("SELECT 'a\\'; SELECT 2", Mode("NO_BACKSLASH_ESCAPES"));
  EXPECT_EQ(nbe, (std::vector<std::string_view>{"SELECT 'a\\'", "SELECT 2"}));
  // Unterminated: the rest is one piece (the parser reports the error).
  EXPECT_EQ(SplitStatements("SELECT 1; SELECT 'x; SELECT 3", {}),
            (std::vector<std::string_view>{"SELECT 1", "SELECT 'x; SELECT 3"}));
  EXPECT_TRUE(SplitStatements("  \n -- nothing\n", {}).empty());
  EXPECT_EQ(SplitStatements("SELECT 1", {}), (std::vector<std::string_view>{"SELECT 1"}));
}

// A stored program's body is one statement: the ';' inside BEGIN ... END and
// inside IF/CASE/LOOP/WHILE/REPEAT ... END x do not split it.
TEST(SplitStatements, StoredProgramBodies) {
  using V = std::vector<std::string_view>;
  std::string proc =
      "CREATE PROCEDURE p(IN a INT, begin INT)\nBEGIN\n  DECLARE x INT DEFAULT 0;\n"
      "  DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN SET x = 1; END;\n"
      "  IF a > 0 THEN SET x = IF(a > 1, 2, 3); ELSEIF a < 0 THEN SET x = 4; ELSE BEGIN END; END "
      "IF;\n"
      "  lbl: LOOP SET x = x + 1; IF x > 9 THEN LEAVE lbl; END IF; END LOOP lbl;\n"
      "  WHILE x > 0 DO SET x = x - 1; END WHILE;\n"
      "  REPEAT SET x = x + 1; UNTIL x > 3 END REPEAT;\n"
      "  CASE x WHEN 1 THEN SELECT CASE WHEN a THEN 1 ELSE 2 END; ELSE SET x = REPEAT('a', 2); END "
      "CASE;\n"
      "END";
  EXPECT_EQ(SplitStatements(proc + ";\nSELECT 1;", {}), (V{proc, "SELECT 1"}));
  std::string trig =
      "CREATE TRIGGER t BEFORE INSERT ON o FOR EACH ROW IF NEW.a THEN SET NEW.b = 1; END IF";
  EXPECT_EQ(SplitStatements(trig + "; SELECT 2", {}), (V{trig, "SELECT 2"}));
  std::string ev = "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END";
  EXPECT_EQ(SplitStatements(ev + ";SELECT 3", {}), (V{ev, "SELECT 3"}));
  std::string fn = "CREATE FUNCTION f() RETURNS INT RETURN (SELECT CASE WHEN 1 THEN 2 END)";
  EXPECT_EQ(SplitStatements(fn + "; SELECT 4", {}), (V{fn, "SELECT 4"}));
  // Not stored programs: BEGIN is a transaction, or a column name.
  EXPECT_EQ(SplitStatements("BEGIN; SELECT 1; COMMIT", {}), (V{"BEGIN", "SELECT 1", "COMMIT"}));
  EXPECT_EQ(SplitStatements("CREATE TABLE t (begin INT); SELECT begin FROM t; END", {}),
            (V{"CREATE TABLE t (begin INT)", "SELECT begin FROM t", "END"}));
  EXPECT_EQ(SplitStatements("SELECT 1 AS begin; SELECT 2", {}),
            (V{"SELECT 1 AS begin", "SELECT 2"}));
}

TEST(Charset, SafeForLexing) {
  EXPECT_TRUE(IsCharsetSafeForLexing(33));   // utf8mb3_general_ci
  EXPECT_TRUE(IsCharsetSafeForLexing(45));   // utf8mb4_general_ci
  EXPECT_TRUE(IsCharsetSafeForLexing(224));  // utf8mb4_unicode_ci
  EXPECT_TRUE(IsCharsetSafeForLexing(8));    // latin1_swedish_ci
  EXPECT_TRUE(IsCharsetSafeForLexing(63));   // binary
  EXPECT_FALSE(IsCharsetSafeForLexing(28));  // gbk_chinese_ci
  EXPECT_FALSE(IsCharsetSafeForLexing(87));  // gbk_bin
  EXPECT_FALSE(IsCharsetSafeForLexing(1));   // big5_chinese_ci
  EXPECT_FALSE(IsCharsetSafeForLexing(13));  // sjis_japanese_ci
  EXPECT_FALSE(IsCharsetSafeForLexing(95));  // cp932_japanese_ci
  EXPECT_FALSE(IsCharsetSafeForLexing(35));  // ucs2_general_ci
  EXPECT_FALSE(IsCharsetSafeForLexing(0));
  EXPECT_TRUE(IsCharsetNameSafeForLexing("utf8mb4"));
  EXPECT_TRUE(IsCharsetNameSafeForLexing("LATIN1"));
  EXPECT_FALSE(IsCharsetNameSafeForLexing("GBK"));
  EXPECT_FALSE(IsCharsetNameSafeForLexing("'sjis'"));
  EXPECT_FALSE(IsCharsetNameSafeForLexing("big5"));
  EXPECT_FALSE(IsCharsetNameSafeForLexing("cp932"));
}

TEST(Digest, Utf8BytesInIdentifiersAndStrings) {
  std::string sql = "SELECT `名前`, 名前 FROM t WHERE n = '日本語'";
  Digest d = D(sql);
  EXPECT_EQ(d.text, "SELECT `名前`, 名前 FROM t WHERE n = ?");
  EXPECT_EQ(LiteralText(sql, d.literals[0], {}), "日本語");
}

TEST(Digest, ReservedWordTableIsSorted) {
  EXPECT_TRUE(internal::ReservedWordsSorted());
  bool glue = false;
  EXPECT_TRUE(internal::LookupReserved("select", &glue));
  EXPECT_FALSE(glue);
  EXPECT_TRUE(internal::LookupReserved("Char", &glue));
  EXPECT_TRUE(glue);
  EXPECT_FALSE(internal::LookupReserved("status", &glue));
  EXPECT_FALSE(internal::LookupReserved("database", &glue));  // a table name in MariaDB
}

}  // namespace
}  // namespace shardproxy::parser
