// Statement model: names and JSON. Only non-default fields are printed, in a
// fixed order, so golden files stay short and stable.
#include "parser/statement.h"

#include <nlohmann/json.hpp>

namespace shardproxy::parser {
namespace {

using nlohmann::json;

const char* ValueKindName(Value::Kind k) {
  switch (k) {
    case Value::Kind::kLiteral:
      return "literal";
    case Value::Kind::kPlaceholder:
      return "placeholder";
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kExpression:
      return "expression";
    case Value::Kind::kColumn:
      return "column";
    case Value::Kind::kDefault:
      return "default";
  }
  return "?";
}

const char* OpName(Predicate::Op op) {
  switch (op) {
    case Predicate::Op::kEq:
      return "eq";
    case Predicate::Op::kIn:
      return "in";
    case Predicate::Op::kBetween:
      return "between";
    case Predicate::Op::kOrEq:
      return "or_eq";
    case Predicate::Op::kJoinEq:
      return "join_eq";
  }
  return "?";
}

const char* AggregateName(AggregateKind k) {
  switch (k) {
    case AggregateKind::kNone:
      return "";
    case AggregateKind::kCount:
      return "COUNT";
    case AggregateKind::kSum:
      return "SUM";
    case AggregateKind::kMin:
      return "MIN";
    case AggregateKind::kMax:
      return "MAX";
    case AggregateKind::kAvg:
      return "AVG";
    case AggregateKind::kStddevPop:
      return "STDDEV_POP";
    case AggregateKind::kStddevSamp:
      return "STDDEV_SAMP";
    case AggregateKind::kVarPop:
      return "VAR_POP";
    case AggregateKind::kVarSamp:
      return "VAR_SAMP";
    case AggregateKind::kBitAnd:
      return "BIT_AND";
    case AggregateKind::kBitOr:
      return "BIT_OR";
    case AggregateKind::kBitXor:
      return "BIT_XOR";
    case AggregateKind::kGroupConcat:
      return "GROUP_CONCAT";
    case AggregateKind::kJsonArrayAgg:
      return "JSON_ARRAYAGG";
    case AggregateKind::kJsonObjectAgg:
      return "JSON_OBJECTAGG";
  }
  return "?";
}

}  // namespace

bool AggregateSimplyMergeable(AggregateKind k) {
  switch (k) {
    case AggregateKind::kCount:
    case AggregateKind::kSum:
    case AggregateKind::kMin:
    case AggregateKind::kMax:
    case AggregateKind::kBitAnd:
    case AggregateKind::kBitOr:
    case AggregateKind::kBitXor:
      return true;
    default:
      return false;
  }
}

namespace {

const char* SelectItemKindName(SelectItem::Kind k) {
  switch (k) {
    case SelectItem::Kind::kStar:
      return "star";
    case SelectItem::Kind::kTableStar:
      return "table_star";
    case SelectItem::Kind::kColumn:
      return "column";
    case SelectItem::Kind::kAggregate:
      return "aggregate";
    case SelectItem::Kind::kExpression:
      return "expression";
  }
  return "?";
}

const char* ScopeName(SetVar::Scope s) {
  switch (s) {
    case SetVar::Scope::kSession:
      return "session";
    case SetVar::Scope::kGlobal:
      return "global";
    case SetVar::Scope::kUser:
      return "user";
    case SetVar::Scope::kNames:
      return "names";
    case SetVar::Scope::kCharset:
      return "charset";
  }
  return "?";
}

const char* SequenceOpName(SequenceCall::Op op) {
  switch (op) {
    case SequenceCall::Op::kNext:
      return "next";
    case SequenceCall::Op::kPrevious:
      return "previous";
    case SequenceCall::Op::kSet:
      return "set";
  }
  return "?";
}

json RangeJson(const SourceRange& r) { return json::array({r.begin, r.end}); }

// [begin, end, expr_begin, expr_end] per item.
template <typename Item>
json ItemRangesJson(const std::vector<Item>& items) {
  json a = json::array();
  for (const Item& i : items) {
    a.push_back(json::array({i.range.begin, i.range.end, i.expr_range.begin, i.expr_range.end}));
  }
  return a;
}

json Values(const std::vector<Value>& vs) {
  json a = json::array();
  for (const Value& v : vs) a.push_back(ToJson(v));
  return a;
}

json OrderJson(const std::vector<OrderItem>& items) {
  json a = json::array();
  for (const OrderItem& o : items) {
    json j;
    j["expr"] = o.expr;
    if (o.desc) j["desc"] = true;
    if (o.positional) j["position"] = o.position;
    if (!o.column.empty()) j["column"] = o.column;
    if (!o.table.empty()) j["table"] = o.table;
    if (o.value) j["value"] = ToJson(*o.value);
    a.push_back(j);
  }
  return a;
}

json AssignmentsJson(const std::vector<Assignment>& as) {
  json a = json::array();
  for (const Assignment& x : as) {
    json j;
    j["column"] = x.column;
    if (!x.table.empty()) j["table"] = x.table;
    j["table_index"] = x.table_index;
    j["value"] = ToJson(x.value);
    a.push_back(j);
  }
  return a;
}

json SetVarsJson(const std::vector<SetVar>& vs) {
  json a = json::array();
  for (const SetVar& v : vs) {
    json j;
    j["scope"] = ScopeName(v.scope);
    if (!v.name.empty()) j["name"] = v.name;
    if (!(v.value == Value())) j["value"] = ToJson(v.value);
    a.push_back(j);
  }
  return a;
}

}  // namespace

const char* StatementKindName(StatementKind k) {
  switch (k) {
    case StatementKind::kSelect:
      return "select";
    case StatementKind::kInsert:
      return "insert";
    case StatementKind::kReplace:
      return "replace";
    case StatementKind::kUpdate:
      return "update";
    case StatementKind::kDelete:
      return "delete";
    case StatementKind::kCall:
      return "call";
    case StatementKind::kLoadData:
      return "load_data";
    case StatementKind::kCreateTable:
      return "create_table";
    case StatementKind::kAlterTable:
      return "alter_table";
    case StatementKind::kDropTable:
      return "drop_table";
    case StatementKind::kTruncate:
      return "truncate";
    case StatementKind::kRenameTable:
      return "rename_table";
    case StatementKind::kCreateIndex:
      return "create_index";
    case StatementKind::kDropIndex:
      return "drop_index";
    case StatementKind::kCreateDatabase:
      return "create_database";
    case StatementKind::kAlterDatabase:
      return "alter_database";
    case StatementKind::kDropDatabase:
      return "drop_database";
    case StatementKind::kBegin:
      return "begin";
    case StatementKind::kCommit:
      return "commit";
    case StatementKind::kRollback:
      return "rollback";
    case StatementKind::kSavepoint:
      return "savepoint";
    case StatementKind::kRollbackToSavepoint:
      return "rollback_to_savepoint";
    case StatementKind::kReleaseSavepoint:
      return "release_savepoint";
    case StatementKind::kXa:
      return "xa";
    case StatementKind::kSet:
      return "set";
    case StatementKind::kSetTransaction:
      return "set_transaction";
    case StatementKind::kUse:
      return "use";
    case StatementKind::kShow:
      return "show";
    case StatementKind::kExplain:
      return "explain";
    case StatementKind::kExplainSharding:
      return "explain_sharding";
    case StatementKind::kDescribe:
      return "describe";
    case StatementKind::kKill:
      return "kill";
    case StatementKind::kLockTables:
      return "lock_tables";
    case StatementKind::kUnlockTables:
      return "unlock_tables";
    case StatementKind::kPrepare:
      return "prepare";
    case StatementKind::kExecute:
      return "execute";
    case StatementKind::kDeallocate:
      return "deallocate";
    case StatementKind::kDo:
      return "do";
    case StatementKind::kCreateView:
      return "create_view";
    case StatementKind::kAlterView:
      return "alter_view";
    case StatementKind::kDropView:
      return "drop_view";
    case StatementKind::kCreateSequence:
      return "create_sequence";
    case StatementKind::kAlterSequence:
      return "alter_sequence";
    case StatementKind::kDropSequence:
      return "drop_sequence";
    case StatementKind::kTableMaintenance:
      return "table_maintenance";
    case StatementKind::kAnalyze:
      return "analyze";
    case StatementKind::kHelp:
      return "help";
    case StatementKind::kEmpty:
      return "empty";
    case StatementKind::kAccountManagement:
      return "account_management";
    case StatementKind::kFlush:
      return "flush";
    case StatementKind::kCreateProcedure:
      return "create_procedure";
    case StatementKind::kCreateFunction:
      return "create_function";
    case StatementKind::kCreateTrigger:
      return "create_trigger";
    case StatementKind::kCreateEvent:
      return "create_event";
    case StatementKind::kDropProcedure:
      return "drop_procedure";
    case StatementKind::kDropFunction:
      return "drop_function";
    case StatementKind::kDropTrigger:
      return "drop_trigger";
    case StatementKind::kDropEvent:
      return "drop_event";
    case StatementKind::kHandler:
      return "handler";
  }
  return "?";
}

nlohmann::json ToJson(const Value& v) {
  json j;
  j["kind"] = ValueKindName(v.kind);
  if (v.kind == Value::Kind::kLiteral) j["type"] = LiteralKindName(v.literal_kind);
  if (!v.text.empty()) j["text"] = v.text;
  if (v.negative) j["negative"] = true;
  if (!v.charset.empty()) j["charset"] = v.charset;
  if (!v.typed.empty()) j["typed"] = v.typed;
  if (!v.table.empty()) j["table"] = v.table;
  if (v.ref.slot >= 0) {
    j["slot"] = v.ref.slot;
    j["index"] = v.ref.index;
    j["offset"] = v.offset;
    j["length"] = v.length;
  }
  return j;
}

nlohmann::json Statement::ToJson() const {
  json j;
  j["kind"] = StatementKindName(kind);
  if (inner_kind != kind) j["inner_kind"] = StatementKindName(inner_kind);
  j["read_only"] = read_only;
  j["side_effects"] = has_side_effects;
  if (session_bound) j["session_bound"] = true;
  json ts = json::array();
  for (const TableRef& t : tables) {
    json x;
    if (!t.schema.empty()) x["schema"] = t.schema;
    x["name"] = t.name;
    if (!t.alias.empty()) x["alias"] = t.alias;
    if (t.depth) x["depth"] = t.depth;
    if (t.query_block >= 0) x["block"] = t.query_block;
    ts.push_back(x);
  }
  j["tables"] = ts;
  if (!predicates.empty()) {
    json ps = json::array();
    for (const Predicate& p : predicates) {
      json x;
      x["op"] = OpName(p.op);
      x["table_index"] = p.table_index;
      x["column"] = p.column;
      if (p.op == Predicate::Op::kJoinEq) {
        x["other_table_index"] = p.other_table_index;
        x["other_column"] = p.other_column;
      } else {
        x["values"] = Values(p.values);
      }
      if (p.list_slot >= 0) x["list_slot"] = p.list_slot;
      ps.push_back(x);
    }
    j["predicates"] = ps;
  }
  if (!literals.empty()) {
    json ls = json::array();
    for (const Literal& l : literals) {
      ls.push_back(json::array({LiteralKindName(l.kind), l.offset, l.length}));
    }
    j["literals"] = ls;
  }
  if (placeholder_count) j["placeholders"] = placeholder_count;
  if (!hints.empty()) j["hints"] = hints;
  if (!sequences.empty()) {
    json a = json::array();
    for (const SequenceCall& c : sequences) {
      json x;
      x["op"] = SequenceOpName(c.op);
      if (!c.schema.empty()) x["schema"] = c.schema;
      x["name"] = c.name;
      a.push_back(x);
    }
    j["sequences"] = a;
  }
  if (distinct) j["distinct"] = true;
  if (has_set_operation) j["set_operation"] = true;
  if (has_subquery) j["subquery"] = true;
  if (has_window) j["window"] = true;
  if (has_having) j["having"] = true;
  if (with_rollup) j["with_rollup"] = true;
  if (select_into) j["select_into"] = true;
  if (calc_found_rows) j["calc_found_rows"] = true;
  if (!select_items.empty()) {
    json a = json::array();
    for (const SelectItem& s : select_items) {
      json x;
      x["kind"] = SelectItemKindName(s.kind);
      if (!s.expr.empty()) x["expr"] = s.expr;
      if (!s.table.empty()) x["table"] = s.table;
      if (!s.column.empty()) x["column"] = s.column;
      if (!s.alias.empty()) x["alias"] = s.alias;
      if (s.aggregate != AggregateKind::kNone) {
        x["aggregate"] = AggregateName(s.aggregate);
        x["arg"] = s.aggregate_arg;
        if (s.aggregate_distinct) x["agg_distinct"] = true;
        if (s.aggregate_star) x["agg_star"] = true;
      }
      if (s.contains_aggregate) x["contains_aggregate"] = true;
      if (s.has_window) x["window"] = true;
      a.push_back(x);
    }
    j["select"] = a;
  }
  if (!group_by.empty()) j["group_by"] = OrderJson(group_by);
  if (!order_by.empty()) j["order_by"] = OrderJson(order_by);
  if (limit) j["limit"] = parser::ToJson(*limit);
  if (offset) j["offset"] = parser::ToJson(*offset);
  if (lock != LockMode::kNone) j["lock"] = lock == LockMode::kForUpdate ? "for_update" : "share";
  if (!lock_wait.empty()) j["lock_wait"] = lock_wait;
  if (ignore) j["ignore"] = true;
  if (!insert_columns.empty()) j["insert_columns"] = insert_columns;
  if (!rows.empty()) {
    json rs = json::array();
    for (const auto& r : rows) rs.push_back(Values(r));
    j["rows"] = rs;
  }
  if (rows_slot >= 0) {
    j["rows_slot"] = rows_slot;
    j["row_width"] = row_width;
  }
  if (insert_select) j["insert_select"] = true;
  if (!on_duplicate.empty()) j["on_duplicate"] = AssignmentsJson(on_duplicate);
  if (has_returning) j["returning"] = true;
  if (!assignments.empty()) j["assignments"] = AssignmentsJson(assignments);
  if (!delete_targets.empty()) j["delete_targets"] = delete_targets;
  if (load_local) j["load_local"] = true;
  if (load_replace) j["load_replace"] = true;
  if (sharding.kind != Sharding::Kind::kNone) {
    json s;
    s["kind"] = sharding.kind == Sharding::Kind::kHash ? "hash" : "broadcast";
    if (!sharding.column.empty()) s["column"] = sharding.column;
    s["begin"] = sharding.begin;
    s["end"] = sharding.end;
    j["sharding"] = s;
  }
  if (if_exists) j["if_exists"] = true;
  if (if_not_exists) j["if_not_exists"] = true;
  if (or_replace) j["or_replace"] = true;
  if (temporary) j["temporary"] = true;
  if (!database.empty()) j["database"] = database;
  if (!name.empty()) j["name"] = name;
  if (!set_vars.empty()) j["set_vars"] = SetVarsJson(set_vars);
  if (!set_statement_vars.empty()) j["set_statement_vars"] = SetVarsJson(set_statement_vars);
  if (!xa_action.empty()) j["xa_action"] = xa_action;
  if (!show_what.empty()) j["show"] = show_what;
  if (!args.empty()) j["args"] = Values(args);
  return j;
}

nlohmann::json Statement::SourceRangesToJson() const {
  json j = json::object();
  j["select_items"] = ItemRangesJson(select_items);
  j["group_by"] = ItemRangesJson(group_by);
  j["order_by"] = ItemRangesJson(order_by);
  j["select_list"] = RangeJson(select_list);
  j["group_by_clause"] = RangeJson(group_by_clause);
  j["having_clause"] = RangeJson(having_clause);
  j["order_by_clause"] = RangeJson(order_by_clause);
  j["limit_clause"] = RangeJson(limit_clause);
  j["insert_column_list"] = RangeJson(insert_column_list);
  json rs = json::array();
  for (size_t r = 0; r < rows.size(); ++r) {
    json row = json::array();
    row.push_back(r < row_ranges.size() ? RangeJson(row_ranges[r]) : json());
    for (const Value& v : rows[r]) row.push_back(RangeJson(v.range));
    rs.push_back(row);
  }
  j["rows"] = rs;  // per row: [row range, value ranges...]
  json seqs = json::array();
  for (const SequenceCall& c : sequences) seqs.push_back(RangeJson(c.range));
  j["sequences"] = seqs;
  j["functions"] = functions;
  return j;
}

}  // namespace shardproxy::parser
