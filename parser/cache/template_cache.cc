#include "parser/cache/template_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <utility>
#include <vector>

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

// ---- footprint ---------------------------------------------------------------

// A malloc block holding `n` bytes (glibc: 8-byte header, 16-byte granularity,
// 32 bytes at least).
size_t Block(size_t n) {
  if (n == 0) return 0;
  size_t c = (n + 8 + 15) & ~size_t{15};
  return c < 32 ? 32 : c;
}
// libstdc++ keeps up to 15 characters inside the std::string itself.
size_t Str(const std::string& s) { return s.capacity() > 15 ? Block(s.capacity() + 1) : 0; }
template <typename T>
size_t VecBlock(const std::vector<T>& v) {
  return Block(v.capacity() * sizeof(T));
}
size_t Val(const Value& v) { return Str(v.text) + Str(v.charset) + Str(v.typed) + Str(v.table); }
size_t Val(const std::optional<Value>& v) { return v ? Val(*v) : 0; }
size_t Vals(const std::vector<Value>& vs) {
  size_t n = VecBlock(vs);
  for (const Value& v : vs) n += Val(v);
  return n;
}
size_t Strs(const std::vector<std::string>& ss) {
  size_t n = VecBlock(ss);
  for (const std::string& s : ss) n += Str(s);
  return n;
}
size_t Orders(const std::vector<OrderItem>& os) {
  size_t n = VecBlock(os);
  for (const OrderItem& o : os) n += Str(o.expr) + Str(o.table) + Str(o.column) + Val(o.value);
  return n;
}
size_t Assignments(const std::vector<Assignment>& as) {
  size_t n = VecBlock(as);
  for (const Assignment& a : as) n += Str(a.table) + Str(a.column) + Val(a.value);
  return n;
}
size_t SetVars(const std::vector<SetVar>& vs) {
  size_t n = VecBlock(vs);
  for (const SetVar& v : vs) n += Str(v.name) + Val(v.value);
  return n;
}

}  // namespace

size_t ApproxHeapBytes(const Statement& st) {
  size_t n = VecBlock(st.tables);
  for (const TableRef& t : st.tables) n += Str(t.schema) + Str(t.name) + Str(t.alias);
  n += VecBlock(st.predicates);
  for (const Predicate& p : st.predicates)
    n += Str(p.column) + Vals(p.values) + Str(p.other_column);
  n += VecBlock(st.literals);
  n += Strs(st.hints);
  n += Strs(st.functions);
  n += VecBlock(st.sequences);
  for (const SequenceCall& c : st.sequences) n += Str(c.schema) + Str(c.name);
  n += VecBlock(st.select_items);
  for (const SelectItem& s : st.select_items) {
    n += Str(s.table) + Str(s.column) + Str(s.expr) + Str(s.alias) + Str(s.aggregate_arg);
  }
  n += Orders(st.group_by) + Orders(st.order_by);
  n += Val(st.limit) + Val(st.offset);
  n += Str(st.lock_wait);
  n += Strs(st.insert_columns);
  n += VecBlock(st.rows);
  for (const std::vector<Value>& r : st.rows) n += Vals(r);
  n += VecBlock(st.row_ranges);
  n += Assignments(st.on_duplicate) + Assignments(st.assignments);
  n += VecBlock(st.delete_targets);
  n += Str(st.sharding.column);
  n += Str(st.database) + Str(st.name);
  n += SetVars(st.set_vars) + SetVars(st.set_statement_vars);
  n += Str(st.xa_action) + Str(st.show_what);
  n += Vals(st.args);
  return n;
}

// ---- TemplateCache ---------------------------------------------------------------

TemplateCache::TemplateCache(size_t capacity) {
  limits_.max_entries = capacity;
  map_.reserve(std::min<size_t>(capacity, 1 << 16));
}

TemplateCache::TemplateCache(const CacheLimits& limits) : limits_(limits) {
  map_.reserve(std::min<size_t>(limits.max_entries, 1 << 16));
}

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

size_t TemplateCache::EntryBytes(const Entry& e) {
  // The list node (Entry + two links), the map node (next link + key +
  // iterator) and its bucket, then what the entry's members own.
  size_t fixed = Block(sizeof(Entry) + 2 * sizeof(void*)) +
                 Block(sizeof(void*) + sizeof(uint64_t) + sizeof(std::list<Entry>::iterator)) +
                 sizeof(void*);
  return fixed + Str(e.text) + Str(e.shape) + ApproxHeapBytes(e.tmpl) + Str(e.source) +
         VecBlock(e.slots);
}

const Statement* TemplateCache::Find(const Digest& d, SqlMode mode, TemplateSource* source) {
  if (!Enabled() || map_.empty()) {
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
  if (source != nullptr) *source = TemplateSource{e.source, e.slots};
  return &e.tmpl;
}

bool TemplateCache::Admit(size_t sql_bytes, size_t literals) {
  if (!Enabled()) return false;
  if (sql_bytes > limits_.max_statement_bytes || literals > limits_.max_statement_literals) {
    ++stats_.not_cached_too_large;
    return false;
  }
  return true;
}

void TemplateCache::EvictBack() {
  bytes_ -= lru_.back().bytes;
  map_.erase(lru_.back().key);
  lru_.pop_back();
  ++stats_.evictions;
}

void TemplateCache::EvictToFit(const Entry* keep) {
  while (!lru_.empty() && &lru_.back() != keep &&
         (map_.size() > limits_.max_entries || bytes_ > limits_.max_bytes)) {
    EvictBack();
  }
}

void TemplateCache::Insert(const Digest& d, SqlMode mode, Statement tmpl,
                           const TemplateSource& source) {
  if (!Enabled()) return;
  uint64_t key = KeyOf(d, mode);
  Entry fresh{key,
              mode.Bits(),
              d.text,
              shape_scratch_,
              std::move(tmpl),
              std::string(source.sql),
              std::vector<Slot>(source.slots.begin(), source.slots.end())};
  fresh.bytes = EntryBytes(fresh);
  if (fresh.bytes > limits_.max_bytes) {
    ++stats_.not_cached_too_large;
    return;
  }
  ++stats_.inserts;
  auto it = map_.find(key);
  if (it != map_.end()) {  // same key: replace (a collision, or a re-insert)
    Entry& e = *it->second;
    bytes_ -= e.bytes;
    e = std::move(fresh);
    bytes_ += e.bytes;
    if (it->second != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second);
    EvictToFit(&e);
    return;
  }
  // Make room first, so the entry count never exceeds the cap.
  while (!lru_.empty() &&
         (map_.size() + 1 > limits_.max_entries || bytes_ + fresh.bytes > limits_.max_bytes)) {
    EvictBack();
  }
  bytes_ += fresh.bytes;
  lru_.push_front(std::move(fresh));
  map_.emplace(key, lru_.begin());
}

void TemplateCache::SetLimits(const CacheLimits& limits) {
  limits_ = limits;
  if (!Enabled()) {
    Clear();
    return;
  }
  EvictToFit(nullptr);
}

void TemplateCache::Clear() {
  map_.clear();
  lru_.clear();
  bytes_ = 0;
}

// ---- CachedParser ----------------------------------------------------------------

namespace {
// Miss-path scratch above this many bytes is freed after the statement that
// grew it (a dump's megabyte INSERT), so each thread does not keep megabytes.
constexpr size_t kScratchKeep = size_t{256} << 10;

size_t DigestBytes(const Digest& d) {
  return d.text.capacity() + d.literals.capacity() * sizeof(Literal) +
         d.slots.capacity() * sizeof(Slot);
}
}  // namespace

CachedParser::CachedParser(size_t capacity, ParseOptions options)
    : cache_(capacity), options_(options) {}

CachedParser::CachedParser(const CacheLimits& limits, ParseOptions options)
    : cache_(limits), options_(options) {}

Result<Statement> CachedParser::Parse(std::string_view sql, SqlMode mode) {
  // The digest buffers of a huge previous statement: free them before a
  // small one reuses them (last_digest() had to stay valid until now).
  if (sql.size() < kScratchKeep / 4 && DigestBytes(digest_) > kScratchKeep) digest_ = Digest();
  Status st = ComputeDigestInto(sql, mode, &digest_);
  if (!st.ok()) return st;
  if (hash_for_test_ != nullptr) digest_.hash = hash_for_test_(digest_.text);
  ParseOptions opts = options_;
  opts.mode = mode;
  TemplateSource source;
  if (const Statement* tmpl = cache_.Find(digest_, mode, &source)) {
    return Bind(*tmpl, source, sql, digest_, opts);
  }
  std::optional<Statement> cacheable;
  Result<Statement> parsed = ParseMiss(sql, opts, &cacheable, &source);
  if (parsed.ok() && cache_.Admit(sql.size(), digest_.literals.size())) {
    if (cacheable) {
      cache_.Insert(digest_, mode, std::move(*cacheable), source);
    } else {
      cache_.Insert(digest_, mode, *parsed, TemplateSource{sql, digest_.slots});
    }
  }
  TrimScratch();  // after Insert: `source` may point into the scratch
  return parsed;
}

// A miss: ANTLR, on as little of the statement as possible.
//
// 1. Collapsed lists (multi-row VALUES, IN lists) of several items: the
//    statement with each list cut to its first item is parsed and that
//    template is bound to the real statement -- what a later cache hit does
//    anyway, but ANTLR's cost grows with every row and list item (a 10-row
//    INSERT parses about 5x faster this way). The cut template is what the
//    cache keeps: it binds like the full one and does not grow with the rows.
// 2. VALUES rows of plain values that do not collapse (rows differing in NULL
//    vs literal, sign or literal kind, as in a mysqldump extended INSERT):
//    parsed with one row per value form and expanded (values_rows.h).
// Any doubt (the cut statement's digest text differs, it fails to parse, or
// its model must be re-bound by parsing) falls back to parsing the full
// statement, so errors name positions in `sql`.
Result<Statement> CachedParser::ParseMiss(std::string_view sql, const ParseOptions& opts,
                                          std::optional<Statement>* cacheable,
                                          TemplateSource* cacheable_source) {
  auto reduced = [this] { return TemplateSource{reduced_sql_, reduced_digest_.slots}; };
  if (ReducedStatement(sql, digest_, &reduced_sql_) &&
      ComputeDigestInto(reduced_sql_, opts.mode, &reduced_digest_).ok() &&
      reduced_digest_.text == digest_.text &&
      reduced_digest_.slots.size() == digest_.slots.size()) {
    Result<Statement> tmpl = ParseStatement(reduced_sql_, reduced_digest_, opts);
    if (tmpl.ok() && !tmpl->rebind_by_parse) {
      ++reduced_parses_;
      Statement st = Bind(*tmpl, reduced(), sql, digest_, opts);
      cacheable->emplace(std::move(tmpl).value());
      *cacheable_source = reduced();
      return st;
    }
  }
  if (row_forms_.Reduce(sql, digest_, opts.mode, &reduced_sql_) &&
      ComputeDigestInto(reduced_sql_, opts.mode, &reduced_digest_).ok()) {
    Result<Statement> tmpl = ParseStatement(reduced_sql_, reduced_digest_, opts);
    if (tmpl.ok()) {
      // Rows that differ only in literal kinds keep the digest text: then the
      // reduced template is a template of this digest, and the small one to cache.
      const bool same_digest = reduced_digest_.text == digest_.text &&
                               reduced_digest_.slots.size() == digest_.slots.size();
      if (same_digest) {
        cacheable->emplace(*tmpl);
        *cacheable_source = reduced();
      }
      Statement st;
      if (row_forms_.Expand(std::move(tmpl).value(), reduced_digest_, sql, digest_, &st)) {
        ++reduced_parses_;
        ++row_form_parses_;
        return st;
      }
      cacheable->reset();
    }
  }
  return ParseStatement(sql, digest_, opts);
}

void CachedParser::TrimScratch() {
  if (reduced_sql_.capacity() > kScratchKeep) std::string().swap(reduced_sql_);
  if (DigestBytes(reduced_digest_) > kScratchKeep) reduced_digest_ = Digest();
  row_forms_.Trim(kScratchKeep);
}

CachedParser& ThreadCachedParser() {
  thread_local CachedParser parser;
  return parser;
}

}  // namespace shardproxy::parser
