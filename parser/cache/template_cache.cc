#include "parser/cache/template_cache.h"

#include <xxhash.h>

#include <utility>

namespace shardproxy::parser {

namespace {
constexpr char kListShape = '\x7f';  // a collapsed IN (...) / VALUES slot
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
  Result<Statement> parsed = ParseStatement(sql, digest_, opts);
  if (!parsed.ok()) return parsed;
  cache_.Insert(digest_, mode, *parsed);
  return parsed;
}

CachedParser& ThreadCachedParser() {
  thread_local CachedParser parser;
  return parser;
}

}  // namespace shardproxy::parser
