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
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "parser/cache/values_rows.h"
#include "parser/digest/digest.h"
#include "parser/parser.h"
#include "parser/sql_mode.h"
#include "parser/statement.h"

namespace shardproxy::parser {

// Limits of one thread's template cache (docs/CONFIG.md, `parser_cache`).
//
// Entries are bounded in number and in approximate heap bytes (ApproxHeapBytes
// of the template plus the digest text, shape and bookkeeping), evicting the
// least recently used while either bound is exceeded. Statements longer than
// max_statement_bytes or with more literals than max_statement_literals are
// parsed but never cached: a restore of a dump sends thousands of distinct
// megabyte-sized INSERTs whose templates would only push everything else out.
// Why these defaults: parser/cache/README.md.
struct CacheLimits {
  size_t max_entries = 4096;
  size_t max_bytes = size_t{16} << 20;
  size_t max_statement_bytes = size_t{64} << 10;
  size_t max_statement_literals = 4096;
};

// Approximate heap bytes owned by a Statement (its strings' and vectors'
// allocations, malloc's per-block overhead included; not sizeof(Statement)).
// Walks every field of statement.h: keep it in sync when fields are added.
size_t ApproxHeapBytes(const Statement& st);

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
    uint64_t evictions = 0;   // LRU entries dropped for the entry or byte cap
    uint64_t inserts = 0;
    // Statements parsed but not cached: above max_statement_bytes or
    // max_statement_literals (Admit), or an entry alone above max_bytes (Insert).
    uint64_t not_cached_too_large = 0;
  };

  explicit TemplateCache(size_t capacity);  // capacity 0: caches nothing; default byte limits
  explicit TemplateCache(const CacheLimits& limits);
  TemplateCache(const TemplateCache&) = delete;
  TemplateCache& operator=(const TemplateCache&) = delete;

  // The template for a statement with this digest under `mode`, or nullptr;
  // *source (if given) is set to the text and slots it was parsed from. The
  // pointers stay valid until the next Insert, SetLimits or Clear.
  const Statement* Find(const Digest& d, SqlMode mode, TemplateSource* source = nullptr);
  // Whether a statement of `sql_bytes` bytes and `literals` literals may be
  // cached at all; a refusal is counted in stats().not_cached_too_large.
  bool Admit(size_t sql_bytes, size_t literals);
  // Stores `tmpl` (parsed from a statement with digest `d`; `source`: the
  // text and digest slots it was parsed from, copied, for Bind to map its
  // source ranges -- without it a hit with ranges re-parses), replacing any
  // entry with the same key, then evicts least recently used entries until
  // both caps hold. An entry that alone exceeds max_bytes is not stored.
  void Insert(const Digest& d, SqlMode mode, Statement tmpl, const TemplateSource& source = {});
  // New limits; evicts at once to fit them.
  void SetLimits(const CacheLimits& limits);
  void Clear();

  size_t size() const { return map_.size(); }
  size_t capacity() const { return limits_.max_entries; }
  size_t bytes() const { return bytes_; }  // approximate heap bytes of all entries
  const CacheLimits& limits() const { return limits_; }
  const Stats& stats() const { return stats_; }

 private:
  struct Entry {
    uint64_t key;
    uint8_t mode_bits;
    std::string text;   // digest text, confirms a hit
    std::string shape;  // literal-kind shape (see above)
    Statement tmpl;
    std::string source;       // the text tmpl was parsed from (TemplateSource)
    std::vector<Slot> slots;  // ... and its digest's slots
    size_t bytes = 0;         // EntryBytes(*this), counted in bytes_
  };
  // Fills shape_scratch_ and returns the combined key.
  uint64_t KeyOf(const Digest& d, SqlMode mode);
  static size_t EntryBytes(const Entry& e);
  bool Enabled() const { return limits_.max_entries > 0 && limits_.max_bytes > 0; }
  // Drops LRU entries (never `keep`, the one just stored) while over a cap.
  void EvictToFit(const Entry* keep);
  void EvictBack();

  CacheLimits limits_;
  size_t bytes_ = 0;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<uint64_t, std::list<Entry>::iterator> map_;
  std::string shape_scratch_;
  Stats stats_;
};

class CachedParser {
 public:
  static constexpr size_t kDefaultCapacity = CacheLimits{}.max_entries;

  explicit CachedParser(size_t capacity = kDefaultCapacity, ParseOptions options = {});
  explicit CachedParser(const CacheLimits& limits, ParseOptions options = {});

  // Parses one statement under `mode` (options.mode is ignored): digest ->
  // cache hit -> Bind, or miss -> ParseStatement (ANTLR) -> cache. Errors are
  // the digest's or the parser's (1064 naming the position, 1436 too deep);
  // failed statements are not cached.
  Result<Statement> Parse(std::string_view sql, SqlMode mode);

  // The digest of the last statement given to Parse (valid until the next call).
  const Digest& last_digest() const { return digest_; }
  const TemplateCache& cache() const { return cache_; }
  TemplateCache& cache() { return cache_; }
  // Changes the cache's limits (e.g. from the configuration at thread start).
  void SetLimits(const CacheLimits& limits) { cache_.SetLimits(limits); }

  // Misses answered by parsing a reduced statement and binding its template
  // to the real one (see ParseMiss in template_cache.cc): collapsed lists cut
  // to one item, or VALUES rows of plain values (literals, -literals, NULL,
  // TRUE, FALSE, DEFAULT) reduced to one row per value form.
  uint64_t reduced_parses() const { return reduced_parses_; }
  // Of those, the VALUES row-form reductions (rows differing in NULL vs
  // literal, sign or literal kind: a mysqldump extended INSERT).
  uint64_t row_form_parses() const { return row_form_parses_; }

  // Test hook: replaces Digest::hash with fn(digest text) before the cache
  // lookup, e.g. a constant to force every statement to collide.
  void SetDigestHashForTest(uint64_t (*fn)(std::string_view text)) { hash_for_test_ = fn; }

 private:
  // The miss path. Sets *cacheable to the template the cache should keep for
  // this digest when it is not the result itself (a reduced template binds
  // like the full one and is far smaller), and *cacheable_source to the
  // reduced text it was parsed from (in reduced_sql_ / reduced_digest_); else
  // leaves them empty.
  Result<Statement> ParseMiss(std::string_view sql, const ParseOptions& opts,
                              std::optional<Statement>* cacheable,
                              TemplateSource* cacheable_source);
  // Frees miss-path scratch that a huge statement grew (kept otherwise).
  void TrimScratch();

  TemplateCache cache_;
  ParseOptions options_;
  Digest digest_;             // reused: no allocation on the digest step once warm
  std::string reduced_sql_;   // miss path scratch: the statement with lists cut
  Digest reduced_digest_;     // ... and its digest
  ValuesRowForms row_forms_;  // miss path scratch: the VALUES row-form reduction
  uint64_t reduced_parses_ = 0;
  uint64_t row_form_parses_ = 0;
  uint64_t (*hash_for_test_)(std::string_view) = nullptr;
};

// The calling thread's CachedParser (created on first use with the default
// limits; a server thread calls SetLimits on it from the configuration at start).
CachedParser& ThreadCachedParser();

}  // namespace shardproxy::parser
