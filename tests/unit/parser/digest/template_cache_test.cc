// TemplateCache and CachedParser (parser/cache/template_cache.h): hits bind
// the same model a cold parse gives, collisions never bind the wrong
// template, LRU bounds, mode and literal-kind separation, errors not cached,
// allocations on the hit path, one parser per thread.
#include "parser/cache/template_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "parser/parser.h"
#include "parser/statement.h"

static std::atomic<uint64_t> g_allocs{0};
void* operator new(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace shardproxy::parser {
namespace {

Digest D(std::string_view sql, SqlMode mode = {}) {
  Result<Digest> r = ComputeDigest(sql, mode);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Digest{};
}

Statement Named(std::string name) {
  Statement s;
  TableRef t;
  t.name = std::move(name);
  s.tables.push_back(t);
  return s;
}

Statement Cold(std::string_view sql, SqlMode mode = {}) {
  ParseOptions o;
  o.mode = mode;
  Result<Statement> r = ParseStatement(sql, o);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? *r : Statement{};
}

TEST(TemplateCache, ForcedCollisionNeverReturnsTheWrongTemplate) {
  TemplateCache cache(8);
  Digest a = D("SELECT * FROM a WHERE id = 1");
  Digest b = D("SELECT * FROM b WHERE id = 2");
  ASSERT_NE(a.text, b.text);
  b.hash = a.hash;  // two different digests, one key
  cache.Insert(a, {}, Named("a"));
  EXPECT_EQ(cache.Find(b, {}), nullptr);
  EXPECT_EQ(cache.stats().collisions, 1u);
  EXPECT_EQ(cache.stats().misses, 1u);
  const Statement* hit = cache.Find(a, {});
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->tables[0].name, "a");
  // The colliding statement replaces the entry; now a misses and b hits.
  cache.Insert(b, {}, Named("b"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find(a, {}), nullptr);
  EXPECT_EQ(cache.stats().collisions, 2u);
  ASSERT_NE(cache.Find(b, {}), nullptr);
  EXPECT_EQ(cache.Find(b, {})->tables[0].name, "b");
}

TEST(TemplateCache, LruEviction) {
  TemplateCache cache(2);
  Digest a = D("SELECT * FROM a"), b = D("SELECT * FROM b"), c = D("SELECT * FROM c");
  cache.Insert(a, {}, Named("a"));
  cache.Insert(b, {}, Named("b"));
  ASSERT_NE(cache.Find(a, {}), nullptr);  // a is now the most recent
  cache.Insert(c, {}, Named("c"));        // evicts b
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Find(a, {}), nullptr);
  EXPECT_EQ(cache.Find(b, {}), nullptr);
  EXPECT_NE(cache.Find(c, {}), nullptr);
  EXPECT_EQ(cache.stats().collisions, 0u);
  TemplateCache none(0);
  none.Insert(a, {}, Named("a"));
  EXPECT_EQ(none.Find(a, {}), nullptr);
  EXPECT_EQ(none.size(), 0u);
}

TEST(TemplateCache, ModeBitsAndLiteralKindsSeparateTemplates) {
  TemplateCache cache(8);
  SqlMode ansi = SqlMode::FromString("ANSI_QUOTES");
  Digest a = D("SELECT a FROM t LIMIT 5");
  cache.Insert(a, {}, Named("plain"));
  EXPECT_EQ(cache.Find(D("SELECT a FROM t LIMIT 5", ansi), ansi), nullptr);
  EXPECT_NE(cache.Find(D("SELECT a FROM t LIMIT 7"), {}), nullptr);
  // Same digest text, but a string where an integer was: not the same template.
  Digest s = D("SELECT a FROM t LIMIT '5'");
  ASSERT_EQ(s.text, a.text);
  EXPECT_EQ(cache.Find(s, {}), nullptr);
  // Collapsed lists accept any literal kinds.
  cache.Insert(D("SELECT a FROM t WHERE b IN (1, 2)"), {}, Named("in"));
  EXPECT_NE(cache.Find(D("SELECT a FROM t WHERE b IN ('x', 2.5, 7)"), {}), nullptr);
}

TEST(CachedParser, HitBindsTheSameModelAsAColdParse) {
  CachedParser parser(16);
  const char* first[] = {
      "SELECT c, pad FROM sbtest1 WHERE id = 17",
      "INSERT INTO orders (order_id, user_id, status) VALUES (1, 2, 'new'), (3, 4, 'paid')",
      "SELECT o.order_id FROM orders o JOIN users u ON u.user_id = o.user_id WHERE o.user_id "
      "IN (1, 2, 3) AND o.status = 'x' ORDER BY o.created_at DESC LIMIT 10",
      "UPDATE orders SET status = 'paid', amount = 1.5 WHERE order_id = 9",
  };
  const char* second[] = {
      "SELECT c, pad FROM sbtest1 WHERE id = 123456",
      "INSERT INTO orders (order_id, user_id, status) VALUES (5, 6, 'a'), (7, 8, 'b'), (9, 10, "
      "'c')",
      "SELECT o.order_id FROM orders o JOIN users u ON u.user_id = o.user_id WHERE o.user_id "
      "IN (9) AND o.status = 'y' ORDER BY o.created_at DESC LIMIT 99",
      "UPDATE orders SET status = 'new', amount = 2.75 WHERE order_id = 1",
  };
  for (size_t i = 0; i < std::size(first); ++i) {
    Result<Statement> a = parser.Parse(first[i], {});
    ASSERT_TRUE(a.ok()) << first[i] << ": " << a.status().ToString();
    EXPECT_EQ(a->ToJson(), Cold(first[i]).ToJson());
    uint64_t hits = parser.cache().stats().hits;
    Result<Statement> b = parser.Parse(second[i], {});
    ASSERT_TRUE(b.ok()) << second[i] << ": " << b.status().ToString();
    EXPECT_EQ(parser.cache().stats().hits, hits + 1) << second[i];
    EXPECT_EQ(b->ToJson(), Cold(second[i]).ToJson()) << second[i];
  }
  EXPECT_EQ(parser.cache().stats().collisions, 0u);
}

TEST(CachedParser, ForcedHashCollisionBindsNothingWrong) {
  CachedParser parser(16);
  parser.SetDigestHashForTest([](std::string_view) -> uint64_t { return 42; });
  Result<Statement> a = parser.Parse("SELECT * FROM alpha WHERE id = 1", {});
  ASSERT_TRUE(a.ok());
  Result<Statement> b = parser.Parse("SELECT * FROM beta WHERE id = 2", {});
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->tables.size(), 1u);
  EXPECT_EQ(b->tables[0].name, "beta");
  EXPECT_EQ(parser.cache().stats().collisions, 1u);
  EXPECT_EQ(parser.cache().stats().hits, 0u);
  EXPECT_EQ(b->ToJson(), Cold("SELECT * FROM beta WHERE id = 2").ToJson());
  // beta replaced alpha under the shared key: beta hits, alpha collides again.
  Result<Statement> b2 = parser.Parse("SELECT * FROM beta WHERE id = 3", {});
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(parser.cache().stats().hits, 1u);
  EXPECT_EQ(b2->tables[0].name, "beta");
  Result<Statement> a2 = parser.Parse("SELECT * FROM alpha WHERE id = 4", {});
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->tables[0].name, "alpha");
  EXPECT_EQ(parser.cache().stats().collisions, 2u);
}

TEST(CachedParser, ErrorsAreReportedAndNotCached) {
  CachedParser parser(16);
  Result<Statement> r = parser.Parse("SELECT 'unterminated", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), 1064);
  EXPECT_NE(r.status().message().find("near ''unterminated' at line 1"), std::string::npos);
  Result<Statement> g = parser.Parse("SELECT FROM WHERE 1", {});
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), 1064);
  EXPECT_EQ(parser.cache().size(), 0u);
}

TEST(CachedParser, ModesAreHonoured) {
  CachedParser parser(16);
  SqlMode ansi = SqlMode::FromString("ANSI_QUOTES");
  Result<Statement> a = parser.Parse("SELECT \"x\" FROM t WHERE id = 1", ansi);
  Result<Statement> b = parser.Parse("SELECT \"x\" FROM t WHERE id = 1", {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ToJson(), Cold("SELECT \"x\" FROM t WHERE id = 1", ansi).ToJson());
  EXPECT_EQ(b->ToJson(), Cold("SELECT \"x\" FROM t WHERE id = 1").ToJson());
  EXPECT_EQ(parser.cache().stats().hits, 0u);
}

TEST(CachedParser, HitPathAllocations) {
  CachedParser parser(16);
  ASSERT_TRUE(parser.Parse("SELECT c, pad FROM sbtest1 WHERE id = 1", {}).ok());
  ASSERT_TRUE(parser.Parse("SELECT c, pad FROM sbtest1 WHERE id = 2", {}).ok());
  constexpr int kN = 100;
  uint64_t before = g_allocs.load();
  for (int i = 0; i < kN; ++i) {
    std::string sql = "SELECT c, pad FROM sbtest1 WHERE id = " + std::to_string(1000 + i);
    Result<Statement> r = parser.Parse(sql, {});
    ASSERT_TRUE(r.ok());
  }
  double per = static_cast<double>(g_allocs.load() - before) / kN;
  // The digest and the lookup allocate nothing once warm; what remains is the
  // bound Statement itself (its vectors and strings) plus building `sql` here.
  std::cout << "allocations per cache-hit Parse (point select): " << per << "\n";
  EXPECT_EQ(parser.cache().stats().hits, static_cast<uint64_t>(kN + 1));
  EXPECT_LT(per, 16.0);
}

TEST(CachedParser, OneParserPerThread) {
  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      CachedParser& parser = ThreadCachedParser();
      for (int i = 0; i < 200; ++i) {
        std::string table = "t" + std::to_string((t + i) % 3);
        std::string sql = "SELECT a FROM " + table + " WHERE id = " + std::to_string(i);
        Result<Statement> r = parser.Parse(sql, {});
        if (!r.ok() || r->tables.size() != 1 || r->tables[0].name != table) ++failures;
      }
      if (parser.cache().stats().hits < 190) ++failures;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace shardproxy::parser
