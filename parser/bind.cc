// Bind: a cached template + a new statement with the same digest text -> the
// new statement's model, without ANTLR. Equal to a cold parse by construction:
// everything in the model except literal-backed Values is a function of the
// digest text; those Values are refilled from the new digest by LiteralRef.
#include "parser/model_builder.h"
#include "parser/parser.h"

namespace shardproxy::parser {
namespace {

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
    v->kind = lit.kind == LiteralKind::kPlaceholder ? Value::Kind::kPlaceholder : Value::Kind::kLiteral;
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

  void Rows(Statement* st) const {
    if (st->rows_slot < 0) {
      for (auto& r : st->rows) RefillAll(&r);
      return;
    }
    if (st->rows.empty() || st->row_width == 0) return;
    const Slot& s = d_.slots[st->rows_slot];
    uint32_t nrows = s.count / st->row_width;
    std::vector<Value> proto = st->rows[0];
    st->rows.assign(nrows, proto);
    for (uint32_t r = 0; r < nrows; ++r) {
      for (Value& v : st->rows[r]) {
        if (v.ref.slot == st->rows_slot) v.ref.index += r * st->row_width;
        Refill(&v);
      }
    }
  }

 private:
  std::string_view sql_;
  const Digest& d_;
  SqlMode mode_;
};

}  // namespace

Statement Bind(const Statement& tmpl, std::string_view sql, const Digest& d,
               const ParseOptions& options) {
  if (tmpl.rebind_by_parse) {
    ParseOptions o = options;
    o.mode = tmpl.mode;
    o.max_depth = 1 << 20;  // the template parsed: the same shape is within the limit
    Result<Statement> r = ParseStatement(sql, d, o);
    if (r.ok()) return std::move(r).value();
    return tmpl;  // cannot happen for a matching digest; keep the template
  }
  Statement st = tmpl;
  Binder b(sql, d, tmpl.mode);
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
  b.Rows(&st);
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

}  // namespace shardproxy::parser
