#include "parser/cache/template_cache.h"

#include <xxhash.h>

#include <utility>

namespace shardproxy::parser {

namespace {
constexpr char kListShape = '\x7f';  // a collapsed IN (...) / VALUES slot

// The statement with every collapsed list cut down to its first item (first
// IN-list literal, first VALUES row): the bytes from the end of the first
// item's last literal to the end of the last item's last literal go. Items of
// a collapsed list have the same digest text, so what follows the last
// item's last literal is, token for token, what follows the first item's.
// False (nothing to cut, or a list whose items differ in literal kind or
// introducer, which can decide what the grammar accepts: DATE '..' but not
// DATE 5, CHAR(5) but not CHAR('a')) when the full statement must be parsed.
bool ReducedStatement(std::string_view sql, const Digest& d, std::string* out) {
  bool any = false;
  size_t kept = 0;  // sql[0, kept) is already in *out
  for (const Slot& s : d.slots) {
    uint32_t width = s.row_width == 0 ? 1 : s.row_width;
    if (!s.collapsed || s.count <= width) continue;
    for (uint32_t i = width; i < s.count; ++i) {
      const Literal& a = d.literals[s.first_literal + i % width];
      const Literal& b = d.literals[s.first_literal + i];
      if (a.kind != b.kind || a.has_introducer() != b.has_introducer()) return false;
    }
    const Literal& first_end = d.literals[s.first_literal + width - 1];
    const Literal& last_end = d.literals[s.first_literal + s.count - 1];
    size_t cut_from = first_end.offset + first_end.length;
    size_t cut_to = last_end.offset + last_end.length;
    if (cut_from < kept || cut_to < cut_from || cut_to > sql.size()) return false;
    if (!any) {
      out->clear();
      out->reserve(sql.size());
      any = true;
    }
    out->append(sql.substr(kept, cut_from - kept));
    kept = cut_to;
  }
  if (!any) return false;
  out->append(sql.substr(kept));
  return true;
}

}  // namespace

TemplateCache::TemplateCache(size_t capacity) : capacity_(capacity) { map_.reserve(capacity); }

uint64_t TemplateCache::KeyOf(const Digest& d, SqlMode mode) {
  shape_scratch_.clear();
  for (const Slot& s : d.slots) {
    if (s.collapsed) {
      shape_scratch_.push_back(kListShape);
    } else if (s.first_literal < d.literals.size()) {
      shape_scratch_.push_back(static_cast<char>(d.literals[s.first_literal].kind));
    }
  }
  uint64_t shape_hash = XXH3_64bits(shape_scratch_.data(), shape_scratch_.size());
  // Mix the three parts; the map needs only a well-spread 64-bit key.
  uint64_t k = d.hash ^ (shape_hash * 0x9E3779B97F4A7C15ull);
  k ^= static_cast<uint64_t>(mode.Bits()) << 56 | static_cast<uint64_t>(mode.Bits());
  return k;
}

const Statement* TemplateCache::Find(const Digest& d, SqlMode mode) {
  if (capacity_ == 0) {
    ++stats_.misses;
    return nullptr;
  }
  uint64_t key = KeyOf(d, mode);
  auto it = map_.find(key);
  if (it == map_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  Entry& e = *it->second;
  if (e.mode_bits != mode.Bits() || e.text != d.text || e.shape != shape_scratch_) {
    ++stats_.collisions;
    ++stats_.misses;
    return nullptr;
  }
  if (it->second != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second);
  ++stats_.hits;
  return &e.tmpl;
}

void TemplateCache::Insert(const Digest& d, SqlMode mode, Statement tmpl) {
  if (capacity_ == 0) return;
  uint64_t key = KeyOf(d, mode);
  ++stats_.inserts;
  auto it = map_.find(key);
  if (it != map_.end()) {  // same key: replace (a collision, or a re-insert)
    Entry& e = *it->second;
    e.mode_bits = mode.Bits();
    e.text = d.text;
    e.shape = shape_scratch_;
    e.tmpl = std::move(tmpl);
    if (it->second != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  if (map_.size() >= capacity_) {
    map_.erase(lru_.back().key);
    lru_.pop_back();
    ++stats_.evictions;
  }
  lru_.push_front(Entry{key, mode.Bits(), d.text, shape_scratch_, std::move(tmpl)});
  map_.emplace(key, lru_.begin());
}

void TemplateCache::Clear() {
  map_.clear();
  lru_.clear();
}

CachedParser::CachedParser(size_t capacity, ParseOptions options)
    : cache_(capacity), options_(options) {}

Result<Statement> CachedParser::Parse(std::string_view sql, SqlMode mode) {
  Status st = ComputeDigestInto(sql, mode, &digest_);
  if (!st.ok()) return st;
  if (hash_for_test_ != nullptr) digest_.hash = hash_for_test_(digest_.text);
  ParseOptions opts = options_;
  opts.mode = mode;
  if (const Statement* tmpl = cache_.Find(digest_, mode)) {
    return Bind(*tmpl, sql, digest_, opts);
  }
  Result<Statement> parsed = ParseMiss(sql, opts);
  if (!parsed.ok()) return parsed;
  cache_.Insert(digest_, mode, *parsed);
  return parsed;
}

// A miss: ANTLR. A statement with collapsed lists of several items (multi-row
// VALUES, IN lists) is parsed with each list cut to its first item, and that
// template is bound to the real statement -- what a later cache hit does
// anyway, but ANTLR's cost grows with every row and list item (a 10-row INSERT
// parses about 5x faster this way). Any doubt (the cut statement's digest text
// differs, it fails to parse, or its model must be re-bound by parsing) falls
// back to parsing the full statement, so errors name positions in `sql`.
Result<Statement> CachedParser::ParseMiss(std::string_view sql, const ParseOptions& opts) {
  if (ReducedStatement(sql, digest_, &reduced_sql_) &&
      ComputeDigestInto(reduced_sql_, opts.mode, &reduced_digest_).ok() &&
      reduced_digest_.text == digest_.text &&
      reduced_digest_.slots.size() == digest_.slots.size()) {
    Result<Statement> tmpl = ParseStatement(reduced_sql_, reduced_digest_, opts);
    if (tmpl.ok() && !tmpl->rebind_by_parse) {
      ++reduced_parses_;
      return Bind(*tmpl, sql, digest_, opts);
    }
  }
  return ParseStatement(sql, digest_, opts);
}

CachedParser& ThreadCachedParser() {
  thread_local CachedParser parser;
  return parser;
}

}  // namespace shardproxy::parser
