// The template cache and the cached-parse facade: digest -> cache -> Bind,
// or ANTLR on a miss. THE entry point the proxy uses to parse a statement:
// CachedParser::Parse.
//
// Both classes are per thread (one per io_context thread): no locks, not
// thread-safe. ParseStatement (the miss path) serialises ANTLR internally.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "parser/digest/digest.h"
#include "parser/parser.h"
#include "parser/sql_mode.h"
#include "parser/statement.h"

namespace shardproxy::parser {

// Bounded LRU map (digest hash, sql_mode bits, literal-kind shape) -> parsed
// template. A hit is confirmed by comparing the full digest text, the mode
// bits and the literal-kind shape, so a 64-bit hash collision can never return
// the wrong template (it counts as a collision and a miss).
//
// Literal-kind shape: the LiteralKind of every single-literal slot (collapsed
// IN/VALUES slots count as one "list" marker). MariaDB's grammar accepts some
// positions only for some kinds (LIMIT 5 but not LIMIT 'a'; ORDER BY 1 is a
// position, ORDER BY 'a' a constant), so two statements with the same digest
// text but different literal kinds get separate templates.
class TemplateCache {
 public:
  struct Stats {
    uint64_t hits = 0;        // Find returned a template
    uint64_t misses = 0;      // Find returned nullptr (includes collisions)
    uint64_t collisions = 0;  // same key, different digest text/mode/shape
    uint64_t evictions = 0;   // LRU entries dropped for capacity
    uint64_t inserts = 0;
  };

  explicit TemplateCache(size_t capacity);  // capacity 0: caches nothing
  TemplateCache(const TemplateCache&) = delete;
  TemplateCache& operator=(const TemplateCache&) = delete;

  // The template for a statement with this digest under `mode`, or nullptr.
  // The pointer stays valid until the next Insert or Clear.
  const Statement* Find(const Digest& d, SqlMode mode);
  // Stores `tmpl` (parsed from a statement with digest `d`), replacing any
  // entry with the same key and evicting the least recently used if full.
  void Insert(const Digest& d, SqlMode mode, Statement tmpl);
  void Clear();

  size_t size() const { return map_.size(); }
  size_t capacity() const { return capacity_; }
  const Stats& stats() const { return stats_; }

 private:
  struct Entry {
    uint64_t key;
    uint8_t mode_bits;
    std::string text;   // digest text, confirms a hit
    std::string shape;  // literal-kind shape (see above)
    Statement tmpl;
  };
  // Fills shape_scratch_ and returns the combined key.
  uint64_t KeyOf(const Digest& d, SqlMode mode);

  size_t capacity_;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<uint64_t, std::list<Entry>::iterator> map_;
  std::string shape_scratch_;
  Stats stats_;
};

class CachedParser {
 public:
  static constexpr size_t kDefaultCapacity = 4096;

  explicit CachedParser(size_t capacity = kDefaultCapacity, ParseOptions options = {});

  // Parses one statement under `mode` (options.mode is ignored): digest ->
  // cache hit -> Bind, or miss -> ParseStatement (ANTLR) -> cache. Errors are
  // the digest's or the parser's (1064 naming the position, 1436 too deep);
  // failed statements are not cached.
  Result<Statement> Parse(std::string_view sql, SqlMode mode);

  // The digest of the last statement given to Parse (valid until the next call).
  const Digest& last_digest() const { return digest_; }
  const TemplateCache& cache() const { return cache_; }
  TemplateCache& cache() { return cache_; }

  // Misses answered by parsing the statement with its collapsed lists cut to
  // one item and binding that template (see ParseMiss in template_cache.cc).
  uint64_t reduced_parses() const { return reduced_parses_; }

  // Test hook: replaces Digest::hash with fn(digest text) before the cache
  // lookup, e.g. a constant to force every statement to collide.
  void SetDigestHashForTest(uint64_t (*fn)(std::string_view text)) { hash_for_test_ = fn; }

 private:
  Result<Statement> ParseMiss(std::string_view sql, const ParseOptions& opts);

  TemplateCache cache_;
  ParseOptions options_;
  Digest digest_;            // reused: no allocation on the digest step once warm
  std::string reduced_sql_;  // miss path scratch: the statement with lists cut
  Digest reduced_digest_;    // ... and its digest
  uint64_t reduced_parses_ = 0;
  uint64_t (*hash_for_test_)(std::string_view) = nullptr;
};

// The calling thread's CachedParser (created on first use with the default capacity).
CachedParser& ThreadCachedParser();

}  // namespace shardproxy::parser
