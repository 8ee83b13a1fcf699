// Parse tree -> Statement (the model in parser/statement.h). Internal to
// parser/: called by ParseStatement with the ANTLR lock held.
#pragma once

#include <string_view>

#include "common/status.h"
#include "parser/digest/digest.h"
#include "parser/sql_mode.h"
#include "parser/statement.h"

namespace antlr4 {
class CommonTokenStream;
}
namespace sp_antlr {
class MySQLParser;
}

namespace shardproxy::parser {

// `root` is a MySQLParser::RootContext*; `tokens` the stream it was parsed
// from (all tokens, hints on the hidden channel). Every tree walk is iterative
// or bounded by the nesting limit checked before parsing.
Result<Statement> BuildStatement(void* root, antlr4::CommonTokenStream& tokens,
                                 std::string_view sql, const Digest& digest, SqlMode mode);

// The model of a statement without SQL tokens (only comments): kind kEmpty,
// read-only, its hints and the digest's literals (if any).
Statement BuildEmptyStatement(antlr4::CommonTokenStream& tokens, const Digest& digest,
                              SqlMode mode);

// Calls f(SourceRange*) on every SourceRange of `st` except the VALUES rows'
// (row_ranges and each row Value's range), which are per row.
template <typename F>
void ForEachSourceRange(Statement* st, F&& f) {
  for (SelectItem& s : st->select_items) {
    f(&s.range);
    f(&s.expr_range);
  }
  for (std::vector<OrderItem>* items : {&st->group_by, &st->order_by}) {
    for (OrderItem& o : *items) {
      f(&o.range);
      f(&o.expr_range);
    }
  }
  for (SourceRange* r : {&st->select_list, &st->group_by_clause, &st->having_clause,
                         &st->order_by_clause, &st->limit_clause, &st->insert_column_list}) {
    f(r);
  }
  for (SequenceCall& c : st->sequences) f(&c.range);
}

// Sets OrderItem::positional/position from its value (an unsigned integer
// literal is a select-list position). Used by Bind after refilling the value.
void RecomputePositional(OrderItem* item);

}  // namespace shardproxy::parser
