// Bind: a cached template + a new statement with the same digest text -> the
// new statement's model, without ANTLR. Equal to a cold parse by construction:
// everything in the model except literal-backed Values is a function of the
// digest text; those Values are refilled from the new digest by LiteralRef.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <span>

#include "parser/model_builder.h"
#include "parser/parser.h"

namespace shardproxy::parser {
namespace {

// Moves SourceRanges from the template's text onto the new text. A position
// in the template lies in a gap between two literals (or the text's ends); it
// moves with the literal before it (same distance from that literal's end) or
// the one after it, provided the bytes in between -- and the token the
// position starts or ends -- are the same in both texts. The digests are
// equal, so the two texts differ only in literals, blanks, comments and
// keyword case: where those bytes match, so do the tokens. Positions inside a
// collapsed list (IN list items, VALUES rows other than the template's first)
// are mapped per row by the row's own literals.
class RangeMapper {
 public:
  // A row of a collapsed VALUES slot: template row 0 positions go to row `row`.
  struct Row {
    int32_t slot = -1;  // -1: not a row position
    uint32_t width = 0;
    uint32_t row = 0;
  };

  RangeMapper(const TemplateSource& src, const std::vector<Literal>& tlits, std::string_view sql,
              const Digest& d)
      : tsql_(src.sql), tslots_(src.slots), tlits_(tlits), sql_(sql), d_(d) {}

  // False when the range cannot be mapped with certainty (*r is then unspecified).
  bool Map(SourceRange* r) { return Map(r, Row()); }
  bool Map(SourceRange* r, Row row) {
    if (*r == SourceRange()) return true;  // not applicable
    uint32_t end;
    if (!MapPos(r->end, /*begin_edge=*/false, row, &end)) return false;
    uint32_t begin = end;
    if (!r->empty() && !MapPos(r->begin, /*begin_edge=*/true, row, &begin)) return false;
    *r = {begin, end};
    return true;
  }

 private:
  static constexpr int64_t kNone = INT64_MIN;

  uint32_t TBegin(int64_t k) const {
    return k >= static_cast<int64_t>(tlits_.size()) ? static_cast<uint32_t>(tsql_.size())
                                                    : tlits_[k].intro_offset;
  }
  uint32_t TEnd(int64_t k) const { return k < 0 ? 0 : tlits_[k].offset + tlits_[k].length; }
  uint32_t SBegin(int64_t k) const {
    return k >= static_cast<int64_t>(d_.literals.size()) ? static_cast<uint32_t>(sql_.size())
                                                         : d_.literals[k].intro_offset;
  }
  uint32_t SEnd(int64_t k) const {
    return k < 0 ? 0 : d_.literals[k].offset + d_.literals[k].length;
  }

  // The template slot of template literal k, and k's index in it.
  size_t SlotOf(int64_t k, uint32_t* index) const {
    auto it = std::upper_bound(tslots_.begin(), tslots_.end(), static_cast<uint32_t>(k),
                               [](uint32_t v, const Slot& s) { return v < s.first_literal; });
    size_t s = static_cast<size_t>(it - tslots_.begin()) - 1;
    *index = static_cast<uint32_t>(k) - tslots_[s].first_literal;
    return s;
  }
  // Whether template literal k belongs to `row`'s template row (row 0).
  bool InRow(int64_t k, Row row) const {
    if (row.slot < 0 || k < 0 || k >= static_cast<int64_t>(tlits_.size())) return false;
    uint32_t i;
    return SlotOf(k, &i) == static_cast<size_t>(row.slot) && i < row.width;
  }
  // The new text's literal for template literal k seen from the gap after it
  // (after == true) or before it; kNone inside a collapsed list.
  int64_t MapLiteral(int64_t k, bool after, Row row) const {
    if (k < 0) return -1;
    if (k >= static_cast<int64_t>(tlits_.size())) return static_cast<int64_t>(d_.literals.size());
    uint32_t i;
    size_t s = SlotOf(k, &i);
    if (s >= d_.slots.size()) return kNone;
    const Slot& ns = d_.slots[s];
    if (row.slot >= 0 && s == static_cast<size_t>(row.slot)) {
      uint64_t n = static_cast<uint64_t>(row.row) * row.width + i;
      return i < row.width && n < ns.count ? ns.first_literal + n : kNone;
    }
    if (!tslots_[s].collapsed) return ns.first_literal + i;
    if (after && i + 1 == tslots_[s].count) return ns.first_literal + ns.count - 1;
    if (!after && i == 0) return ns.first_literal;
    return kNone;
  }

  // Common prefix and suffix lengths of template gap g (before template
  // literal g) and new gap gs (before new literal gs), cached by gap.
  struct GapMatch {
    int64_t g = -1, gs = -1;
    uint32_t prefix = 0, suffix = 0;
  };
  const GapMatch& Match(int64_t g, int64_t gs) {
    GapMatch& m = cache_[static_cast<size_t>(g) % cache_.size()];
    if (m.g == g && m.gs == gs) return m;
    std::string_view a = tsql_.substr(TEnd(g - 1), TBegin(g) - TEnd(g - 1));
    std::string_view b = sql_.substr(SEnd(gs - 1), SBegin(gs) - SEnd(gs - 1));
    size_t n = std::min(a.size(), b.size());
    uint32_t p = 0, q = 0;
    while (p < n && a[p] == b[p]) ++p;
    while (q < n && a[a.size() - 1 - q] == b[b.size() - 1 - q]) ++q;
    m = GapMatch{g, gs, p, q};
    return m;
  }

  // A begin edge is the first byte of a token (that byte must match too), an
  // end edge one past the last byte of one (ditto).
  bool MapPos(uint32_t p, bool begin_edge, Row row, uint32_t* out) {
    if (p > tsql_.size()) return false;
    // Template gap g: after literal g - 1, before literal g.
    auto it = std::partition_point(tlits_.begin(), tlits_.end(),
                                   [p](const Literal& l) { return l.offset + l.length <= p; });
    const int64_t g = it - tlits_.begin();
    if (p < TEnd(g - 1) || p > TBegin(g)) return false;  // inside a literal
    int64_t prev = MapLiteral(g - 1, true, row);
    int64_t next = MapLiteral(g, false, row);
    bool forward = prev != kNone, backward = next != kNone;
    if (row.slot >= 0) {
      forward = forward && InRow(g - 1, row);
      backward = backward && InRow(g, row);
    } else if (!forward || !backward || next != prev + 1) {
      return false;  // a gap inside a collapsed list
    }
    if (forward) {
      uint32_t len = p - TEnd(g - 1);
      if (len + (begin_edge ? 1 : 0) <= Match(g, prev + 1).prefix) {
        *out = SEnd(prev) + len;
        return true;
      }
    }
    if (backward) {
      uint32_t len = TBegin(g) - p;
      if (len + (begin_edge ? 0 : 1) <= Match(g, next).suffix) {
        *out = SBegin(next) - len;
        return true;
      }
    }
    return false;
  }

  std::string_view tsql_;
  std::span<const Slot> tslots_;
  const std::vector<Literal>& tlits_;
  std::string_view sql_;
  const Digest& d_;
  std::array<GapMatch, 8> cache_;
};

class Binder {
 public:
  Binder(std::string_view sql, const Digest& d, SqlMode mode) : sql_(sql), d_(d), mode_(mode) {}

  // Refill one Value from the digest literal its ref names.
  void Refill(Value* v) const {
    if (v->ref.slot < 0) return;
    if (static_cast<size_t>(v->ref.slot) >= d_.slots.size()) return;
    const Slot& s = d_.slots[v->ref.slot];
    if (v->ref.index >= s.count) return;
    const Literal& lit = d_.literals[s.first_literal + v->ref.index];
    v->kind =
        lit.kind == LiteralKind::kPlaceholder ? Value::Kind::kPlaceholder : Value::Kind::kLiteral;
    v->literal_kind = lit.kind;
    v->text = LiteralText(sql_, lit, mode_);
    v->offset = lit.offset;
    v->length = lit.length;
  }
  void RefillAll(std::vector<Value>* vs) const {
    for (Value& v : *vs) Refill(&v);
  }

  // A collapsed list: one Value per literal of the slot, shaped like the template's first.
  void Expand(std::vector<Value>* vs, int32_t slot) const {
    if (vs->empty() || slot < 0 || static_cast<size_t>(slot) >= d_.slots.size()) return;
    Value proto = (*vs)[0];
    uint32_t n = d_.slots[slot].count;
    vs->assign(n, proto);
    for (uint32_t i = 0; i < n; ++i) {
      (*vs)[i].ref.index = i;
      Refill(&(*vs)[i]);
    }
  }

  // Refills the rows and maps their ranges; false when a range cannot be mapped.
  bool Rows(Statement* st, RangeMapper* m) const {
    bool ok = true;
    if (st->rows_slot < 0) {
      for (auto& r : st->rows) {
        for (Value& v : r) {
          Refill(&v);
          ok = m->Map(&v.range) && ok;
        }
      }
      for (SourceRange& r : st->row_ranges) ok = m->Map(&r) && ok;
      return ok;
    }
    if (st->rows.empty() || st->row_width == 0 || st->row_ranges.empty()) return ok;
    const Slot& s = d_.slots[st->rows_slot];
    uint32_t nrows = s.count / st->row_width;
    std::vector<Value> proto = st->rows[0];
    SourceRange proto_range = st->row_ranges[0];
    st->rows.assign(nrows, proto);
    st->row_ranges.assign(nrows, proto_range);
    for (uint32_t r = 0; r < nrows; ++r) {
      RangeMapper::Row row{st->rows_slot, st->row_width, r};
      for (Value& v : st->rows[r]) {
        if (v.ref.slot == st->rows_slot) v.ref.index += r * st->row_width;
        Refill(&v);
        ok = m->Map(&v.range, row) && ok;
      }
      ok = m->Map(&st->row_ranges[r], row) && ok;
    }
    return ok;
  }

 private:
  std::string_view sql_;
  const Digest& d_;
  SqlMode mode_;
};

}  // namespace

namespace {
std::atomic<uint64_t> range_reparses{0};

// The slow path: a cold parse of `sql` (the template's mode).
Result<Statement> Reparse(const Statement& tmpl, std::string_view sql, const Digest& d,
                          const ParseOptions& options) {
  ParseOptions o = options;
  o.mode = tmpl.mode;
  o.max_depth = 1 << 20;  // the template parsed: the same shape is within the limit
  return ParseStatement(sql, d, o);
}
}  // namespace

Statement Bind(const Statement& tmpl, const TemplateSource& src, std::string_view sql,
               const Digest& d, const ParseOptions& options) {
  if (tmpl.rebind_by_parse) {
    Result<Statement> r = Reparse(tmpl, sql, d, options);
    if (r.ok()) return std::move(r).value();
    return tmpl;  // cannot happen for a matching digest; keep the template
  }
  Statement st = tmpl;
  Binder b(sql, d, tmpl.mode);
  RangeMapper m(src, tmpl.literals, sql, d);
  bool mapped = true;
  if (src.sql != sql) {  // the same text: the ranges stay (rows are still re-made below)
    ForEachSourceRange(&st, [&](SourceRange* r) { mapped = m.Map(r) && mapped; });
  }
  st.literals = d.literals;
  st.placeholder_count = 0;
  for (const Literal& l : d.literals) {
    if (l.kind == LiteralKind::kPlaceholder) ++st.placeholder_count;
  }
  for (Predicate& p : st.predicates) {
    if (p.list_slot >= 0) {
      b.Expand(&p.values, p.list_slot);
    } else {
      b.RefillAll(&p.values);
    }
  }
  mapped = b.Rows(&st, &m) && mapped;
  if (!mapped) {
    // Blanks, comments or keyword case differ from the template's next to a
    // range: positions cannot be moved by the literals alone.
    range_reparses.fetch_add(1, std::memory_order_relaxed);
    Result<Statement> r = Reparse(tmpl, sql, d, options);
    if (r.ok()) return std::move(r).value();
  }
  for (Assignment& a : st.assignments) b.Refill(&a.value);
  for (Assignment& a : st.on_duplicate) b.Refill(&a.value);
  for (SetVar& v : st.set_vars) b.Refill(&v.value);
  for (SetVar& v : st.set_statement_vars) b.Refill(&v.value);
  b.RefillAll(&st.args);
  if (st.limit) b.Refill(&*st.limit);
  if (st.offset) b.Refill(&*st.offset);
  for (OrderItem& o : st.order_by) {
    if (o.value) {
      b.Refill(&*o.value);
      RecomputePositional(&o);
    }
  }
  for (OrderItem& o : st.group_by) {
    if (o.value) {
      b.Refill(&*o.value);
      RecomputePositional(&o);
    }
  }
  return st;
}

uint64_t BindRangeReparses() { return range_reparses.load(std::memory_order_relaxed); }

}  // namespace shardproxy::parser
