#include "router/planner/planner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "common/errors.h"
#include "common/strings.h"

namespace shardproxy::router {

namespace {

using parser::Predicate;
using parser::Statement;
using parser::StatementKind;
using parser::TableRef;
using parser::Value;

Status NotSupported(std::string msg) {
  return Status::Error(errors::kNotSupportedYet.code, errors::kNotSupportedYet.sqlstate,
                       "shardproxy: " + std::move(msg));
}

Plan Refuse(Status st) {
  Plan p;
  p.kind = Plan::Kind::kRefuse;
  p.refusal = std::move(st);
  return p;
}

Plan Refuse(std::string msg) { return Refuse(NotSupported(std::move(msg))); }

// Where one table of the statement lives.
struct Placement {
  enum class Kind : uint8_t {
    kOneGroup,   // an unsharded schema's table, a single table, a system table
    kSharded,    // rows by vpart
    kBroadcast,  // a copy on every group of its schema
  };
  Kind kind = Kind::kOneGroup;
  std::string schema;                       // resolved (current schema when unqualified)
  std::string group;                        // kOneGroup
  const SchemaRule* schema_rule = nullptr;  // kSharded / kBroadcast: the declared schema
  const TableRule* rule = nullptr;          // nullptr for tables without a rule
  std::optional<KeyColumn> key;             // kSharded
};

// The groups a set of vparts of `schema` lives on, in the schema's group order.
std::vector<std::string> GroupsOf(const RoutingSnapshot& snap, const SchemaRule& schema,
                                  const std::set<uint32_t>& vparts) {
  std::vector<bool> used(schema.groups.size(), false);
  for (uint32_t v : vparts) used[schema.vpart_group[v]] = true;
  std::vector<std::string> out;
  for (size_t i = 0; i < used.size(); ++i)
    if (used[i]) out.push_back(schema.groups[i]);
  return out;
}

// The placeholder ordinal of a kPlaceholder value (its index among the
// statement's placeholders, in text order).
std::optional<size_t> PlaceholderOrdinal(const Statement& st, const Value& v) {
  size_t ordinal = 0;
  for (const auto& lit : st.literals) {
    if (lit.kind != parser::LiteralKind::kPlaceholder) continue;
    if (lit.offset == v.offset) return ordinal;
    ++ordinal;
  }
  return std::nullopt;
}

// The key value a model Value stands for, when it is a constant we can hash.
std::optional<KeyValue> KeyValueOf(const PlanInput& in, const Value& v) {
  KeyValue kv;
  switch (v.kind) {
    case Value::Kind::kLiteral:
      kv.kind = v.literal_kind;
      kv.text = v.text;
      kv.negative = v.negative;
      // A string literal without an introducer is in the connection's
      // character set; hex/bit literals and numbers have none.
      kv.charset = !v.charset.empty()                               ? std::string_view(v.charset)
                   : v.literal_kind == parser::LiteralKind::kString ? in.connection_charset
                                                                    : std::string_view();
      kv.typed = v.typed;
      return kv;
    case Value::Kind::kNull:
      kv.is_null = true;
      return kv;
    case Value::Kind::kPlaceholder: {
      auto ord = PlaceholderOrdinal(*in.stmt, v);
      if (!ord || *ord >= in.params.size()) return std::nullopt;
      return in.params[*ord];
    }
    default:
      return std::nullopt;
  }
}

// What a predicate on the shard key allows: a set of vparts, or nullopt (any).
std::optional<std::set<uint32_t>> VpartsOfPredicate(const PlanInput& in, const Predicate& p,
                                                    const KeyColumn& key, uint32_t vpart_count,
                                                    std::string* why) {
  if (p.op != Predicate::Op::kEq && p.op != Predicate::Op::kIn && p.op != Predicate::Op::kOrEq)
    return std::nullopt;
  std::set<uint32_t> out;
  for (const Value& v : p.values) {
    // NULL in an IN list or an OR of equalities never matches a row.
    if (v.kind == Value::Kind::kNull && p.op != Predicate::Op::kEq) continue;
    auto kv = KeyValueOf(in, v);
    if (!kv) return std::nullopt;  // not a constant (or an unbound placeholder)
    auto ck = CanonicalKeyBytes(key, *kv, KeyPurpose::kCompare);
    if (!ck.ok()) return std::nullopt;
    switch (ck->verdict) {
      case KeyVerdict::kOneVpart:
        out.insert(VpartOf(ck->bytes, vpart_count));
        break;
      case KeyVerdict::kNeverEqual:
        break;  // matches no row anywhere
      case KeyVerdict::kAllGroups:
        if (why) *why = ck->reason;
        return std::nullopt;
    }
  }
  return out;
}

// The statement as a DBA writes it, for messages.
const char* SqlName(StatementKind k) {
  switch (k) {
    case StatementKind::kCall:
      return "CALL";
    case StatementKind::kLoadData:
      return "LOAD DATA";
    case StatementKind::kLockTables:
      return "LOCK TABLES";
    case StatementKind::kPrepare:
      return "PREPARE";
    case StatementKind::kExecute:
      return "EXECUTE";
    case StatementKind::kHandler:
      return "HANDLER";
    case StatementKind::kXa:
      return "XA";
    case StatementKind::kCreateView:
      return "CREATE VIEW";
    case StatementKind::kAlterView:
      return "ALTER VIEW";
    case StatementKind::kCreateProcedure:
      return "CREATE PROCEDURE";
    case StatementKind::kCreateFunction:
      return "CREATE FUNCTION";
    case StatementKind::kCreateTrigger:
      return "CREATE TRIGGER";
    case StatementKind::kCreateEvent:
      return "CREATE EVENT";
    default:
      return parser::StatementKindName(k);
  }
}

// What a result from several groups would need merged (the merge issue).
std::string MergeNeed(const Statement& st) {
  if (st.has_set_operation) return "UNION/INTERSECT/EXCEPT";
  if (!st.order_by.empty()) return "ORDER BY";
  if (st.limit || st.offset) return "LIMIT";
  if (st.distinct) return "DISTINCT";
  if (!st.group_by.empty()) return "GROUP BY";
  if (st.has_having) return "HAVING";
  if (st.with_rollup) return "WITH ROLLUP";
  if (st.calc_found_rows) return "SQL_CALC_FOUND_ROWS";
  if (st.has_window) return "a window function";
  for (const auto& it : st.select_items)
    if (it.contains_aggregate) return "an aggregate function";
  if (st.select_into) return "SELECT ... INTO";
  return "";
}

// Does `sql` qualify a name with `schema` (`schema.x`, `` `schema`.x ``)?
// Text-level: also inside a string or a comment (over-refuses, never misses).
bool NamesQualifier(std::string_view sql, std::string_view schema) {
  for (size_t at = sql.find(schema); at != std::string_view::npos; at = sql.find(schema, at + 1)) {
    size_t e = at + schema.size();
    if (at > 0 && IsIdentChar(sql[at - 1])) continue;
    if (e < sql.size() && sql[e] == '`') ++e;
    if (e < sql.size() && sql[e] == '.') return true;
  }
  return false;
}

// Byte spans of INSERT ... VALUES rows: [begin, end) of each "(...)".
// `first` is an offset inside the first row (its first literal). Quote- and
// comment-aware; nullopt when the text does not look like `nrows` rows.
std::optional<std::vector<std::pair<size_t, size_t>>> RowSpans(std::string_view sql, size_t first,
                                                               size_t nrows, bool no_backslash) {
  size_t i = first;
  while (i > 0 && sql[i] != '(') --i;
  if (sql[i] != '(') return std::nullopt;
  std::vector<std::pair<size_t, size_t>> out;
  while (out.size() < nrows) {
    if (i >= sql.size() || sql[i] != '(') return std::nullopt;
    const size_t begin = i;
    int depth = 0;
    for (; i < sql.size(); ++i) {
      char c = sql[i];
      if (c == '\'' || c == '"' || c == '`') {
        // To the closing quote: a doubled quote or (outside NO_BACKSLASH_ESCAPES)
        // a backslash escape continues the string.
        for (++i; i < sql.size(); ++i) {
          if (sql[i] == '\\' && !no_backslash && c != '`') {
            ++i;
          } else if (sql[i] == c) {
            if (i + 1 < sql.size() && sql[i + 1] == c) {
              ++i;
            } else {
              break;
            }
          }
        }
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) break;
    }
    if (i >= sql.size()) return std::nullopt;
    out.emplace_back(begin, i + 1);
    ++i;
    if (out.size() == nrows) break;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (i >= sql.size() || sql[i] != ',') return std::nullopt;
    ++i;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  }
  return out;
}

class Planner {
 public:
  Planner(const PlanInput& in, const RoutingSnapshot& snap) : in_(in), snap_(snap) {}

  Plan Run();

 private:
  Placement Place(const TableRef& t) const;
  std::string FirstGroupOf(std::string_view schema) const;
  std::string_view SchemaOf(const TableRef& t) const {
    return t.schema.empty() ? in_.current_schema : std::string_view(t.schema);
  }
  bool IsShardedSchema(std::string_view schema) const {
    const SchemaRule* r = snap_.FindSchema(schema);
    return r != nullptr && r->sharded;
  }
  Plan OneGroup(std::string group, std::string reason) const {
    Plan p;
    p.targets.push_back(RouteTarget{std::move(group), {}, true, ""});
    p.reason = std::move(reason);
    return p;
  }
  Plan AllGroupsOf(const SchemaRule& schema, std::string sql, std::string reason) const;
  Plan PlanUnparsed();
  Plan PlanSession();
  Plan PlanDdl();
  Plan PlanInsert();
  // SELECT / UPDATE / DELETE / EXPLAIN / DO / ... With `insert_source`: an
  // INSERT ... SELECT whose target (table 0) takes its shard key from the
  // shard key of table *insert_source, so the two are co-located.
  Plan PlanQuery(std::optional<size_t> insert_source = std::nullopt);
  Plan PlanInsertSelect(const Placement& target);
  Plan CheckUserVariables(Plan p) const;
  Plan PlanShowAfterMultiGroup() const;
  std::optional<Plan> CheckTablesKnown() const;

  const PlanInput& in_;
  const RoutingSnapshot& snap_;
};

std::string Planner::FirstGroupOf(std::string_view schema) const {
  if (schema.empty() || IsSystemSchema(schema)) schema = in_.current_schema;
  return snap_.SchemaOrDefault(schema).groups.front();
}

Placement Planner::Place(const TableRef& t) const {
  Placement pl;
  pl.schema = std::string(SchemaOf(t));
  if (pl.schema.empty() || IsSystemSchema(pl.schema)) {
    pl.group = FirstGroupOf(in_.current_schema);
    return pl;
  }
  const SchemaRule& sr = snap_.SchemaOrDefault(pl.schema);
  if (!sr.sharded) {
    pl.group = sr.groups.front();
    return pl;
  }
  pl.schema_rule = &sr;
  pl.rule = snap_.FindTable(pl.schema, t.name);
  if (pl.rule == nullptr) {
    // No rule: a table made outside the proxy, a view, ... It can only be a
    // single table on the schema's first group (where a plain CREATE TABLE
    // through the proxy puts it).
    pl.group = sr.groups.front();
    return pl;
  }
  switch (pl.rule->kind) {
    case TableKind::kSingle:
      pl.group = pl.rule->single_group;
      break;
    case TableKind::kBroadcast:
      pl.kind = Placement::Kind::kBroadcast;
      break;
    case TableKind::kSharded: {
      pl.kind = Placement::Kind::kSharded;
      auto key = KeyColumn::FromColumnInfo(
          pl.rule->key.data_type, pl.rule->key.column_type,
          pl.rule->key.numeric_scale ? static_cast<int64_t>(*pl.rule->key.numeric_scale) : -1,
          pl.rule->key.collation_name, pl.rule->shard_column);
      if (key.ok()) pl.key = std::move(*key);
      break;
    }
  }
  return pl;
}

Plan Planner::AllGroupsOf(const SchemaRule& schema, std::string sql, std::string reason) const {
  Plan p;
  for (const std::string& g : schema.groups) p.targets.push_back(RouteTarget{g, {}, true, sql});
  p.reason = std::move(reason);
  return p;
}

Plan Planner::CheckUserVariables(Plan p) const {
  if (p.kind != Plan::Kind::kRoute || !in_.user_variables) return p;
  const std::string home = FirstGroupOf(in_.current_schema);
  for (const RouteTarget& t : p.targets) {
    if (t.group != home) {
      return Refuse(fmt::format(
          "user variables live on the session's first group {} only; this statement uses one "
          "and runs on group {}. Use a literal or a bound parameter instead",
          home, t.group));
    }
  }
  return p;
}

// Tables of sharded schemas the proxy cannot place: without a rule (made
// behind its back: it will not guess), or quarantined by the start-up
// catalog check (their groups disagree). DDL still reaches a quarantined
// table, to fix it; SHOW and DESCRIBE still read them.
std::optional<Plan> Planner::CheckTablesKnown() const {
  const Statement& st = *in_.stmt;
  switch (st.kind) {
    case StatementKind::kSelect:
    case StatementKind::kInsert:
    case StatementKind::kReplace:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kExplain:
    case StatementKind::kAnalyze:
    case StatementKind::kDo:
    case StatementKind::kTableMaintenance:
    case StatementKind::kCreateTable:
    case StatementKind::kAlterTable:
    case StatementKind::kDropTable:
    case StatementKind::kTruncate:
    case StatementKind::kRenameTable:
    case StatementKind::kCreateIndex:
    case StatementKind::kDropIndex:
      break;
    default:
      return std::nullopt;  // SHOW, DESCRIBE, ...: answered anyway; the rest refused by kind
  }
  const bool ddl = st.kind == StatementKind::kCreateTable ||
                   st.kind == StatementKind::kAlterTable || st.kind == StatementKind::kDropTable ||
                   st.kind == StatementKind::kTruncate || st.kind == StatementKind::kRenameTable ||
                   st.kind == StatementKind::kCreateIndex || st.kind == StatementKind::kDropIndex;
  for (size_t i = 0; i < st.tables.size(); ++i) {
    const TableRef& t = st.tables[i];
    const std::string_view schema = SchemaOf(t);
    if (!IsShardedSchema(schema)) continue;
    if (snap_.FindTable(schema, t.name) != nullptr) {
      if (ddl) continue;
      if (const std::string* why = snap_.QuarantineReason(schema, t.name))
        return Refuse(
            Status::Error(errors::kUnknownError.code, errors::kUnknownError.sqlstate, *why));
      continue;
    }
    // No rule. CREATE TABLE makes one; DROP TABLE IF EXISTS goes everywhere;
    // the new name of a RENAME has none yet.
    if (st.kind == StatementKind::kCreateTable && i == 0) continue;
    if (st.kind == StatementKind::kDropTable && st.if_exists) continue;
    if ((st.kind == StatementKind::kRenameTable && i % 2 == 1) ||
        (st.kind == StatementKind::kAlterTable && i > 0))
      continue;
    return Refuse(Status::Error(
        errors::kNoSuchTable.code, errors::kNoSuchTable.sqlstate,
        fmt::format("Table '{}.{}' doesn't exist (shardproxy: the sharded schema {} has no rule "
                    "for it; a table made behind the proxy is not used: see docs/SHARDING.md, "
                    "\"Tables without a rule\")",
                    schema, t.name, schema)));
  }
  return std::nullopt;
}

// SHOW WARNINGS / SHOW ERRORS after a statement that ran on several groups:
// each group keeps its own diagnostics.
Plan Planner::PlanShowAfterMultiGroup() const {
  const Statement& st = *in_.stmt;
  const bool list = st.show_what == "WARNINGS" || st.show_what == "ERRORS";
  const bool limit = st.limit || ContainsWord(in_.sql, "LIMIT", true);
  if (!list || limit || in_.last_groups.empty()) {
    return Refuse(fmt::format(
        "the previous statement ran on several groups: SHOW {}{} is not combined across "
        "groups; use SHOW WARNINGS (or SHOW ERRORS) without LIMIT",
        st.show_what, limit ? " ... LIMIT" : ""));
  }
  if (in_.last_was_ddl) {
    // Every group ran the same DDL: their warnings are the same (and the
    // proxy's own are on the first).
    return OneGroup(std::string(in_.last_group),
                    "the previous DDL's first group (each group ran the same statement)");
  }
  Plan p;
  for (const std::string& g : in_.last_groups) p.targets.push_back(RouteTarget{g, {}, false, {}});
  p.concatenate = true;
  p.reason = "the diagnostics of every group the previous statement ran on, concatenated";
  return p;
}

Plan Planner::PlanUnparsed() {
  // The grammar could not read it: never guess which groups hold its rows.
  if (IsShardedSchema(in_.current_schema)) {
    return Refuse(fmt::format(
        "the statement cannot be read by the proxy's SQL parser and the current schema {} is "
        "sharded: it is not sent anywhere (see docs/SQL.md for what is not parsed yet)",
        in_.current_schema));
  }
  for (const SchemaRule& s : snap_.metadata().schemas) {
    if (s.sharded && ContainsWord(in_.sql, s.name, false)) {
      return Refuse(fmt::format(
          "the statement cannot be read by the proxy's SQL parser and names the sharded schema "
          "{}: it is not sent anywhere",
          s.name));
    }
  }
  return OneGroup(FirstGroupOf(in_.current_schema), "not parsed: the current schema's group");
}

Plan Planner::PlanSession() {
  // SET, USE, BEGIN, COMMIT ...: the session's connections (the executor
  // sends session-wide statements to each one it has open).
  Plan p = OneGroup(FirstGroupOf(in_.current_schema), "session statement");
  const Statement& st = *in_.stmt;
  bool user_vars = false;
  for (const auto& v : st.set_vars)
    if (v.scope == parser::SetVar::Scope::kUser) user_vars = true;
  p.session_wide = !user_vars && !in_.user_variables;
  if (!p.session_wide) p.reason = "user variables: the session's first group only";
  if (st.kind == StatementKind::kUse) {
    p.targets[0].group = FirstGroupOf(st.database);
    p.reason = "USE: every open connection of the session";
  }
  // SET x = @u (x a system variable): it runs where the user variable lives;
  // the session's other connections then get the new value replayed.
  if (!p.session_wide) {
    for (const auto& v : st.set_vars)
      if (v.scope != parser::SetVar::Scope::kUser) p.refresh_other_connections = true;
  }
  return p;
}

Plan Planner::PlanDdl() {
  const Statement& st = *in_.stmt;
  if (st.kind == StatementKind::kCreateDatabase || st.kind == StatementKind::kDropDatabase ||
      st.kind == StatementKind::kAlterDatabase) {
    const SchemaRule* sr = snap_.FindSchema(st.database);
    if (sr != nullptr && sr->sharded) {
      Plan p = AllGroupsOf(*sr, "", "sharded schema " + st.database + ": every group");
      p.writes = true;
      p.ddl = true;
      if (st.kind == StatementKind::kDropDatabase) {
        p.effect = PlanEffect::kDropDatabase;
        p.table_schema = st.database;
      }
      return p;
    }
    Plan p = OneGroup(snap_.SchemaOrDefault(st.database).groups.front(),
                      "unsharded schema " + st.database);
    p.writes = true;
    return p;
  }
  if (st.tables.empty()) return OneGroup(FirstGroupOf(in_.current_schema), "no table");
  const TableRef& t = st.tables[0];
  const std::string schema(SchemaOf(t));
  const SchemaRule& sr = snap_.SchemaOrDefault(schema);
  if (st.kind == StatementKind::kCreateTable) {
    const bool clause = st.sharding.kind != parser::Sharding::Kind::kNone;
    std::string sql;
    if (clause && st.sharding.begin <= st.sharding.end && st.sharding.end <= in_.sql.size()) {
      sql = std::string(in_.sql.substr(0, st.sharding.begin));
      sql.append(in_.sql.substr(st.sharding.end));
    }
    if (!sr.sharded) {
      if (clause) {
        return Refuse(fmt::format(
            "{} is not a sharded schema, so {} cannot be declared {}: declare the schema sharded "
            "in the proxy's configuration (schemas:), or drop the clause",
            schema.empty() ? "(no schema)" : schema, t.name,
            st.sharding.kind == parser::Sharding::Kind::kHash ? "DBPARTITION BY HASH"
                                                              : "BROADCAST"));
      }
      Plan p = OneGroup(sr.groups.front(), "unsharded schema " + schema);
      p.writes = true;
      return p;
    }
    if (st.temporary) {
      return Refuse("temporary tables are not supported in the sharded schema " + schema +
                    " (each group would have its own); use an unsharded schema");
    }
    if (st.insert_select) {
      return Refuse("CREATE TABLE ... SELECT is not supported in the sharded schema " + schema +
                    "; create the table, then INSERT");
    }
    const TableRule* existing = snap_.FindTable(schema, t.name);
    Plan p;
    if (existing != nullptr) {
      const TableKind kind = st.sharding.kind == parser::Sharding::Kind::kHash ? TableKind::kSharded
                             : st.sharding.kind == parser::Sharding::Kind::kBroadcast
                                 ? TableKind::kBroadcast
                                 : TableKind::kSingle;
      if (existing->pending_groups.empty() || existing->kind != kind) {
        // The table has a rule: the statement goes where the table is, and
        // the rule stays (IF NOT EXISTS: nothing happens; else the groups
        // answer 1050 "Table already exists").
        Placement pl = Place(t);
        Plan q = pl.kind == Placement::Kind::kOneGroup
                     ? OneGroup(pl.group, "the table exists: its rule is kept")
                     : AllGroupsOf(sr, sql, "the table exists: its rule is kept");
        q.writes = true;
        q.ddl = true;
        return q;
      }
    }
    p.writes = true;
    p.table_schema = schema;
    p.table_name = t.name;
    if (st.sharding.kind == parser::Sharding::Kind::kHash) {
      p = AllGroupsOf(sr, sql, "DBPARTITION BY HASH(" + st.sharding.column + "): every group");
      p.effect = PlanEffect::kCreateSharded;
      p.shard_column = st.sharding.column;
    } else if (st.sharding.kind == parser::Sharding::Kind::kBroadcast) {
      p = AllGroupsOf(sr, sql, "BROADCAST: every group");
      p.effect = PlanEffect::kCreateBroadcast;
    } else {
      p = OneGroup(sr.groups.front(), "a single table on the sharded schema's first group");
      p.effect = PlanEffect::kCreateSingle;
    }
    p.writes = true;
    p.table_schema = schema;
    p.table_name = t.name;
    if (existing != nullptr && !existing->pending_groups.empty()) {
      // Re-run of a DDL that failed on some groups: only those get it.
      std::vector<RouteTarget> left;
      for (RouteTarget& rt : p.targets) {
        if (std::find(existing->pending_groups.begin(), existing->pending_groups.end(), rt.group) !=
            existing->pending_groups.end())
          left.push_back(std::move(rt));
      }
      if (!left.empty()) p.targets = std::move(left);
      p.reason += " (finishing a pending rule: only the groups it is pending on)";
    }
    p.ddl = true;
    return p;
  }
  // ALTER / DROP / TRUNCATE / RENAME / CREATE INDEX / DROP INDEX: every group
  // that holds the table(s).
  std::optional<Placement> first;
  for (size_t ti = 0; ti < st.tables.size(); ++ti) {
    // RENAME TABLE a TO b, c TO d / ALTER TABLE a RENAME TO b: the new names
    // have no rule yet; the old ones say where the statement runs.
    const bool new_name = (st.kind == StatementKind::kRenameTable && ti % 2 == 1) ||
                          (st.kind == StatementKind::kAlterTable && ti > 0);
    if (new_name) {
      // A rename stays in its schema: another schema may live elsewhere.
      const TableRef& from = st.tables[st.kind == StatementKind::kRenameTable ? ti - 1 : 0];
      if (SchemaOf(st.tables[ti]) != SchemaOf(from) &&
          (IsShardedSchema(SchemaOf(from)) || IsShardedSchema(SchemaOf(st.tables[ti])))) {
        return Refuse("renaming a table into another schema (" +
                      std::string(SchemaOf(st.tables[ti])) +
                      ") is not supported for sharded schemas; the groups of the two schemas "
                      "may differ");
      }
      continue;
    }
    Placement pl = Place(st.tables[ti]);
    if (!first) {
      first = pl;
      continue;
    }
    const bool same =
        pl.kind == first->kind && pl.group == first->group && pl.schema_rule == first->schema_rule;
    if (!same) {
      return Refuse(
          "a DDL statement naming tables that live on different groups; send one "
          "statement per table");
    }
  }
  Plan p;
  if (st.kind == StatementKind::kDropTable && st.if_exists && first->rule == nullptr &&
      IsShardedSchema(first->schema)) {
    // DROP TABLE IF EXISTS of a table the proxy has no rule for, in a sharded
    // schema: wherever it exists (a leftover of a failed or foreign DDL).
    p = AllGroupsOf(snap_.SchemaOrDefault(first->schema), "",
                    "DROP TABLE IF EXISTS without a rule: every group of the sharded schema");
  } else if (first->kind == Placement::Kind::kOneGroup) {
    p = OneGroup(first->group, first->rule ? "single table" : "unsharded table");
  } else {
    p = AllGroupsOf(
        *first->schema_rule, "",
        std::string(first->kind == Placement::Kind::kSharded ? "sharded" : "broadcast") +
            " table: every group");
  }
  p.writes = true;
  p.ddl = true;
  const bool has_rule = first->rule != nullptr;  // only tables of sharded schemas have rules
  if (!has_rule) {
    // nothing to record
  } else if (st.kind == StatementKind::kDropTable) {
    p.effect = PlanEffect::kDropTable;
  } else if (st.kind == StatementKind::kRenameTable ||
             (st.kind == StatementKind::kAlterTable && st.tables.size() == 2)) {
    p.effect = PlanEffect::kRenameTable;
  }
  p.table_schema = first->schema;
  p.table_name = st.tables[0].name;
  return p;
}

Plan Planner::PlanInsert() {
  const Statement& st = *in_.stmt;
  const Placement target = Place(st.tables[0]);
  if (target.kind == Placement::Kind::kOneGroup) {
    // The other tables (INSERT ... SELECT) must be there too.
    for (size_t i = 1; i < st.tables.size(); ++i) {
      Placement pl = Place(st.tables[i]);
      if (pl.kind == Placement::Kind::kSharded ||
          (pl.kind == Placement::Kind::kOneGroup && pl.group != target.group)) {
        return Refuse("INSERT ... SELECT reading a table on another group (" + pl.schema + "." +
                      st.tables[i].name + ") is not supported");
      }
    }
    if (st.session_bound && !in_.last_group.empty() && in_.last_group != target.group) {
      return Refuse(fmt::format(
          "this INSERT reads state of the previous statement, which ran on group {}, but its "
          "table is on group {}; read that value first and pass it as a literal",
          in_.last_group, target.group));
    }
    Plan p = OneGroup(target.group, "unsharded / single table");
    p.writes = true;
    return p;
  }
  if (target.kind == Placement::Kind::kBroadcast) {
    for (size_t i = 1; i < st.tables.size(); ++i) {
      if (Place(st.tables[i]).kind != Placement::Kind::kBroadcast)
        return Refuse("INSERT ... SELECT into a broadcast table may only read broadcast tables");
    }
    if (st.session_bound)
      return Refuse(
          "a write to a broadcast table cannot use FOUND_ROWS(), LAST_INSERT_ID() or "
          "other state of the previous statement (each group has its own)");
    Plan p = AllGroupsOf(*target.schema_rule, "", "broadcast table: every group");
    p.writes = true;
    return p;
  }
  // Sharded target.
  const TableRule& rule = *target.rule;
  const std::string name = target.schema + "." + rule.table;
  if (!target.key) {
    return Refuse("the shard key " + rule.shard_column + " of " + name +
                  " has a type the proxy cannot hash");
  }
  for (const auto& a : st.on_duplicate) {
    if (IEquals(a.column, rule.shard_column))
      return Refuse("ON DUPLICATE KEY UPDATE cannot change the shard key " + rule.shard_column +
                    " of " + name + " (the row would move to another vpart)");
  }
  if (st.insert_select) return PlanInsertSelect(target);
  const SchemaRule& sr = *target.schema_rule;
  auto missing = [&] {
    return Refuse(Status::Error(
        errors::kShardKeyMissing.code, errors::kShardKeyMissing.sqlstate,
        fmt::format("shardproxy: INSERT into the sharded table {} needs a value for its shard key "
                    "{} (NULL, DEFAULT and a missing column cannot be routed); automatic ids for "
                    "sharded tables come with global sequences",
                    name, rule.shard_column)));
  };
  auto row_vpart = [&](const Value& v, uint32_t* vpart) -> std::optional<Plan> {
    if (v.kind == Value::Kind::kNull || v.kind == Value::Kind::kDefault) return missing();
    auto kv = KeyValueOf(in_, v);
    if (!kv) {
      if (v.kind == Value::Kind::kPlaceholder && in_.prepare) return std::nullopt;
      return Refuse("the shard key " + rule.shard_column + " of " + name +
                    " must be given as a literal or a bound parameter, not an expression");
    }
    if (kv->is_null) return missing();
    auto ck = CanonicalKeyBytes(*target.key, *kv, KeyPurpose::kStore);
    if (!ck.ok()) return Refuse(ck.status());
    *vpart = VpartOf(ck->bytes, sr.vpart_count);
    return std::nullopt;
  };

  // INSERT ... SET col = v
  if (!st.assignments.empty()) {
    for (const auto& a : st.assignments) {
      if (!IEquals(a.column, rule.shard_column)) continue;
      uint32_t vp = 0;
      if (auto refusal = row_vpart(a.value, &vp)) return *refusal;
      Plan p;
      p.targets.push_back(RouteTarget{snap_.GroupOfVpart(sr, vp), {vp}, false, ""});
      p.writes = true;
      p.reason = fmt::format("{} -> vpart {}", rule.shard_column, vp);
      return p;
    }
    return missing();
  }
  if (st.insert_columns.empty()) {
    return Refuse("INSERT into the sharded table " + name +
                  " without a column list: name the columns, so that the proxy finds the shard "
                  "key " +
                  rule.shard_column);
  }
  size_t key_index = st.insert_columns.size();
  for (size_t i = 0; i < st.insert_columns.size(); ++i)
    if (IEquals(st.insert_columns[i], rule.shard_column)) key_index = i;
  if (key_index == st.insert_columns.size()) return missing();

  std::map<std::string, std::vector<size_t>> rows_of_group;  // group -> row indexes
  std::map<std::string, std::set<uint32_t>> vparts_of_group;
  std::vector<std::string> order;  // groups in first-row order
  for (size_t r = 0; r < st.rows.size(); ++r) {
    if (key_index >= st.rows[r].size()) return missing();
    uint32_t vp = 0;
    if (auto refusal = row_vpart(st.rows[r][key_index], &vp)) return *refusal;
    const std::string& g = snap_.GroupOfVpart(sr, vp);
    if (!rows_of_group.count(g)) order.push_back(g);
    rows_of_group[g].push_back(r);
    vparts_of_group[g].insert(vp);
  }
  if (in_.prepare) {
    // Routed at execute, by the bound values.
    Plan p = AllGroupsOf(sr, "", "prepared on every group; each execute goes where its rows go");
    p.writes = true;
    return p;
  }
  if (st.session_bound && !in_.last_group.empty() &&
      !(order.size() == 1 && order[0] == in_.last_group)) {
    return Refuse(fmt::format(
        "this INSERT reads LAST_INSERT_ID() or other state of the previous statement, which ran "
        "on group {}, but its rows go to group(s) {}; read that value first and pass it as a "
        "literal",
        in_.last_group, fmt::join(order, ", ")));
  }
  Plan p;
  p.writes = true;
  p.reason = fmt::format("{} rows by {}", st.rows.size(), rule.shard_column);
  if (order.size() == 1) {
    const auto& vps = vparts_of_group[order[0]];
    p.targets.push_back(
        RouteTarget{order[0], std::vector<uint32_t>(vps.begin(), vps.end()), false, ""});
    return p;
  }
  // Several groups: each gets only its rows, cut out of the text by position.
  std::optional<size_t> first_offset;
  for (const Value& v : st.rows[0])
    if (v.kind == Value::Kind::kLiteral || v.kind == Value::Kind::kPlaceholder) {
      first_offset = v.offset;
      break;
    }
  if (in_.stmt->placeholder_count > 0) {
    return Refuse("a prepared multi-row INSERT whose rows go to different groups (" + order[0] +
                  ", " + order[1] + "); send one row per execute");
  }
  std::optional<std::vector<std::pair<size_t, size_t>>> spans;
  if (first_offset)
    spans = RowSpans(in_.sql, *first_offset, st.rows.size(), st.mode.no_backslash_escapes);
  if (!spans) {
    return Refuse(
        "this multi-row INSERT's rows go to different groups and the proxy cannot split "
        "its text; send one row per statement");
  }
  const std::string_view prefix = in_.sql.substr(0, spans->front().first);
  const std::string_view suffix = in_.sql.substr(spans->back().second);
  p.concatenate = st.has_returning;  // each group returns its rows' result set
  for (const std::string& g : order) {
    std::string sql(prefix);
    bool first = true;
    for (size_t r : rows_of_group[g]) {
      if (!first) sql += ", ";
      first = false;
      sql.append(in_.sql.substr((*spans)[r].first, (*spans)[r].second - (*spans)[r].first));
    }
    sql.append(suffix);
    const auto& vps = vparts_of_group[g];
    p.targets.push_back(
        RouteTarget{g, std::vector<uint32_t>(vps.begin(), vps.end()), false, std::move(sql)});
  }
  return p;
}

// INSERT INTO t (k, ...) SELECT s.k, ... FROM s ...: every row read on a
// group has its s.k in that group's vparts, so when t.k takes s.k (the same
// type, the same vpart map) each group inserts its own rows: the statement
// runs where the SELECT reads, and needs no merge (which PlanQuery checks).
Plan Planner::PlanInsertSelect(const Placement& target) {
  const Statement& st = *in_.stmt;
  const TableRule& rule = *target.rule;
  const std::string name = target.schema + "." + rule.table;
  auto refuse = [&](std::string why) {
    return Refuse(fmt::format(
        "INSERT ... SELECT into the sharded table {} is pushed down only when its shard key {} "
        "is filled from the shard key of a sharded table with the same type and vparts "
        "(INSERT INTO t (k, ...) SELECT s.k, ... FROM s ...): {}",
        name, rule.shard_column, why));
  };
  if (st.insert_columns.empty()) return refuse("name the inserted columns");
  size_t key_index = st.insert_columns.size();
  for (size_t i = 0; i < st.insert_columns.size(); ++i)
    if (IEquals(st.insert_columns[i], rule.shard_column)) key_index = i;
  if (key_index == st.insert_columns.size())
    return refuse("the column list leaves out " + rule.shard_column);
  if (key_index >= st.select_items.size() ||
      st.select_items[key_index].kind != parser::SelectItem::Kind::kColumn)
    return refuse("the value for " + rule.shard_column + " is not a column of the SELECT");
  const parser::SelectItem& item = st.select_items[key_index];
  std::optional<size_t> source;
  for (size_t i = 1; i < st.tables.size(); ++i) {
    const TableRef& t = st.tables[i];
    if (!item.table.empty() && !IEquals(item.table, t.alias.empty() ? t.name : t.alias)) continue;
    Placement pl = Place(t);
    if (pl.kind != Placement::Kind::kSharded || !pl.key ||
        !IEquals(pl.rule->shard_column, item.column))
      continue;
    if (source) return refuse("the column " + item.column + " is ambiguous; qualify it");
    const KeyColumn& a = *target.key;
    const KeyColumn& b = *pl.key;
    if (a.type != b.type || a.collation != b.collation)
      return refuse("the two shard keys have different types or collations");
    if (!(pl.schema_rule == target.schema_rule ||
          (pl.schema_rule->groups == target.schema_rule->groups &&
           pl.schema_rule->vpart_group == target.schema_rule->vpart_group)))
      return refuse("the two tables' schemas place their vparts differently");
    source = i;
  }
  if (!source) return refuse(item.column + " is not the shard key of a sharded table it reads");
  Plan p = PlanQuery(source);
  if (p.kind == Plan::Kind::kRoute)
    p.reason = fmt::format("INSERT ... SELECT co-located ({} from {}.{}): {}", rule.shard_column,
                           st.tables[*source].name, item.column, p.reason);
  return p;
}

Plan Planner::PlanQuery(std::optional<size_t> insert_source) {
  const Statement& st = *in_.stmt;
  const bool writes = st.kind == StatementKind::kUpdate || st.kind == StatementKind::kDelete ||
                      insert_source.has_value();
  std::vector<Placement> places;
  places.reserve(st.tables.size());
  for (const TableRef& t : st.tables) places.push_back(Place(t));

  // One-group constraints (unsharded, single, system tables).
  std::optional<std::string> pinned;
  for (size_t i = 0; i < places.size(); ++i) {
    if (places[i].kind != Placement::Kind::kOneGroup) continue;
    if (pinned && *pinned != places[i].group) {
      return Refuse(
          fmt::format("a statement over tables on different groups ({} and {}) is not "
                      "supported",
                      *pinned, places[i].group));
    }
    pinned = places[i].group;
  }

  // Sharded tables: their vparts, and the components of co-located joins.
  std::vector<size_t> sharded;
  for (size_t i = 0; i < places.size(); ++i)
    if (places[i].kind == Placement::Kind::kSharded) sharded.push_back(i);
  for (size_t i : sharded) {
    if (!places[i].key)
      return Refuse("the shard key of " + places[i].schema + "." + st.tables[i].name +
                    " has a type the proxy cannot hash");
  }
  if (writes) {
    for (const auto& a : st.assignments) {
      int ti = a.table_index >= 0 ? a.table_index : (places.size() == 1 ? 0 : -1);
      for (size_t i : sharded) {
        if ((ti < 0 || static_cast<size_t>(ti) == i) &&
            IEquals(a.column, places[i].rule->shard_column)) {
          return Refuse("UPDATE cannot change the shard key " + places[i].rule->shard_column +
                        " of " + places[i].schema + "." + st.tables[i].name +
                        " (the row would move to another vpart); DELETE it and INSERT it again");
        }
      }
    }
  }
  // Broadcast tables written to: every group of their schema, and nothing sharded.
  bool broadcast_write = false;
  if (writes) {
    std::vector<int32_t> targets = st.delete_targets;
    if (st.kind == StatementKind::kUpdate) {
      for (const auto& a : st.assignments) {
        if (a.table_index < 0 && places.size() > 1) {
          for (const Placement& pl : places) {
            if (pl.kind == Placement::Kind::kBroadcast)
              return Refuse("qualify the column " + a.column + " of this multi-table UPDATE (t." +
                            a.column +
                            "): the proxy must know whether it writes the broadcast table");
          }
          continue;
        }
        targets.push_back(a.table_index < 0 ? 0 : a.table_index);
      }
    }
    for (int32_t ti : targets) {
      if (ti >= 0 && static_cast<size_t>(ti) < places.size() &&
          places[ti].kind == Placement::Kind::kBroadcast)
        broadcast_write = true;
    }
  }
  if (broadcast_write) {
    if (!sharded.empty() || pinned) {
      return Refuse(
          "a write to a broadcast table that also reads a sharded or single table is "
          "not supported (every group must see the same rows)");
    }
    for (const Placement& pl : places) {
      if (pl.kind == Placement::Kind::kBroadcast) {
        Plan p = AllGroupsOf(*pl.schema_rule, "", "write to a broadcast table: every group");
        p.writes = true;
        if (st.session_bound)
          return Refuse(
              "a write to a broadcast table cannot use FOUND_ROWS(), LAST_INSERT_ID() "
              "or other state of the previous statement (each group has its own)");
        return CheckUserVariables(std::move(p));
      }
    }
  }

  // Union-find over the sharded tables by shard-key equalities.
  std::vector<size_t> parent(places.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto same_map = [&](const Placement& a, const Placement& b) {
    return a.schema_rule == b.schema_rule ||
           (a.schema_rule->groups == b.schema_rule->groups &&
            a.schema_rule->vpart_group == b.schema_rule->vpart_group);
  };
  for (const Predicate& p : st.predicates) {
    if (p.op != Predicate::Op::kJoinEq || p.table_index < 0 || p.other_table_index < 0) continue;
    const size_t a = p.table_index, b = p.other_table_index;
    if (a >= places.size() || b >= places.size()) continue;
    if (places[a].kind != Placement::Kind::kSharded || places[b].kind != Placement::Kind::kSharded)
      continue;
    if (!IEquals(p.column, places[a].rule->shard_column) ||
        !IEquals(p.other_column, places[b].rule->shard_column))
      continue;
    const KeyColumn& ka = *places[a].key;
    const KeyColumn& kb = *places[b].key;
    if (ka.type != kb.type || ka.collation != kb.collation || !same_map(places[a], places[b]))
      continue;
    parent[find(a)] = find(b);
  }
  if (insert_source) parent[find(0)] = find(*insert_source);
  // Vparts per component: the intersection of what each table allows.
  std::map<size_t, std::optional<std::set<uint32_t>>> comp_vparts;  // nullopt = all
  std::string why_all;
  std::optional<size_t> in_list_table;  // a table whose IN list can be cut per group
  const Predicate* in_list = nullptr;
  for (size_t i : sharded) {
    const size_t c = find(i);
    if (!comp_vparts.count(c)) comp_vparts[c] = std::nullopt;
    for (const Predicate& p : st.predicates) {
      int ti = p.table_index;
      if (ti < 0 && places.size() == 1) ti = 0;
      if (ti != static_cast<int>(i) || !IEquals(p.column, places[i].rule->shard_column)) continue;
      auto vps =
          VpartsOfPredicate(in_, p, *places[i].key, places[i].schema_rule->vpart_count, &why_all);
      if (!vps) continue;
      if (p.op == Predicate::Op::kIn && p.values.size() > 1) {
        in_list_table = i;
        in_list = &p;
      }
      auto& cur = comp_vparts[c];
      if (!cur) {
        cur = std::move(vps);
      } else {
        std::set<uint32_t> both;
        std::set_intersection(cur->begin(), cur->end(), vps->begin(), vps->end(),
                              std::inserter(both, both.begin()));
        cur = std::move(both);
      }
    }
  }

  // Groups per component.
  std::vector<std::string> groups;  // the statement's groups, in schema order
  std::map<std::string, std::set<uint32_t>> vparts_of_group;
  bool all_vparts = false;
  const SchemaRule* sharded_schema = nullptr;
  if (comp_vparts.size() > 1) {
    // Several unrelated sharded tables: fine only when every one of them
    // lands on the same single group.
    std::optional<std::string> only;
    for (auto& [c, vps] : comp_vparts) {
      const Placement& pl = places[c];
      std::vector<std::string> gs;
      if (vps) {
        gs = GroupsOf(snap_, *pl.schema_rule, *vps);
      } else {
        gs = pl.schema_rule->groups;
      }
      if ((gs.size() != 1 || (only && *only != gs[0])) && st.has_set_operation) {
        return Refuse(
            "UNION/INTERSECT/EXCEPT over several groups needs a merge of their "
            "results, which is not supported yet");
      }
      if (gs.size() != 1 || (only && *only != gs[0])) {
        std::vector<std::string> names;
        for (auto& [c2, unused] : comp_vparts) names.push_back(st.tables[c2].name);
        return Refuse(fmt::format(
            "the sharded tables {} and {} are not joined on their shard keys (and do not all "
            "resolve to one group): a cross-group join or subquery is not supported",
            names[0], names[1]));
      }
      only = gs[0];
    }
    groups = {*only};
  } else if (comp_vparts.size() == 1) {
    auto& [c, vps] = *comp_vparts.begin();
    sharded_schema = places[c].schema_rule;
    if (vps) {
      groups = GroupsOf(snap_, *sharded_schema, *vps);
      for (uint32_t v : *vps) vparts_of_group[snap_.GroupOfVpart(*sharded_schema, v)].insert(v);
      if (groups.empty()) {
        // No value can match: any one group answers (with no rows).
        groups = {sharded_schema->groups.front()};
      }
    } else {
      groups = sharded_schema->groups;
      all_vparts = true;
    }
  }
  if (pinned) {
    if (groups.empty()) {
      groups = {*pinned};
    } else if (std::find(groups.begin(), groups.end(), *pinned) == groups.end() ||
               groups.size() > 1) {
      if (std::find(groups.begin(), groups.end(), *pinned) != groups.end()) {
        groups = {*pinned};  // the pinned table restricts the join to its group's rows
        // ... but that silently drops the other groups' rows: refuse instead.
        return Refuse(
            fmt::format("a join of a sharded table with a table that lives on group {} "
                        "only reaches rows on other groups too; not supported",
                        *pinned));
      }
      return Refuse(
          fmt::format("a join of a sharded table with a table on group {} whose rows "
                      "are on other groups is not supported",
                      *pinned));
    }
  }
  if (groups.empty()) {
    // Only broadcast tables (or none): one group answers.
    for (const Placement& pl : places) {
      if (pl.kind == Placement::Kind::kBroadcast) {
        groups = {pl.schema_rule->groups.front()};
        break;
      }
    }
    if (groups.empty()) {
      if (st.session_bound && !in_.last_group.empty()) {
        Plan p = OneGroup(std::string(in_.last_group), "reads the previous statement's state");
        return CheckUserVariables(std::move(p));
      }
      return CheckUserVariables(OneGroup(FirstGroupOf(in_.current_schema), "no sharded table"));
    }
  }

  if (st.session_bound && !in_.last_group.empty() &&
      !(groups.size() == 1 && groups[0] == in_.last_group)) {
    const bool broadcast_only = sharded.empty() && !pinned;
    if (broadcast_only && !writes) {
      groups = {std::string(in_.last_group)};
    } else {
      return Refuse(fmt::format(
          "this statement reads FOUND_ROWS(), LAST_INSERT_ID() or other state of the previous "
          "statement, which ran on group {}, but its rows are on group(s) {}; read that value "
          "first and pass it as a literal",
          in_.last_group, fmt::join(groups, ", ")));
    }
  }
  Plan p;
  p.writes = writes;
  if (groups.size() > 1) {
    if (st.session_bound) {
      return Refuse(
          "a statement reading the previous statement's state (FOUND_ROWS(), "
          "LAST_INSERT_ID(), ...) cannot run on several groups");
    }
    if (writes && (st.limit || !st.order_by.empty())) {
      return Refuse(fmt::format(
          "{} with ORDER BY or LIMIT over several groups is not supported (each group would "
          "apply the limit to its own rows)",
          insert_source ? "INSERT ... SELECT" : "UPDATE/DELETE"));
    }
    // An INSERT ... SELECT inserts what each group's SELECT returns: it must
    // need no merge either.
    const std::string need = writes && !insert_source ? std::string() : MergeNeed(st);
    if (!need.empty()) {
      return Refuse(need + " over several groups (" + fmt::format("{}", fmt::join(groups, ", ")) +
                    ") needs a merge of their results, which is not supported yet; add a shard-key "
                    "condition that selects one group");
    }
    if (writes && (st.limit || !st.order_by.empty())) {
      return Refuse("UPDATE/DELETE with ORDER BY or LIMIT over several groups is not supported");
    }
    if (st.has_subquery) {
      return Refuse("a subquery in a statement over several groups is not supported yet");
    }
    bool broadcast = false;
    for (const Placement& pl : places)
      broadcast = broadcast || pl.kind == Placement::Kind::kBroadcast;
    if (broadcast && (ContainsWord(in_.sql, "LEFT", true) || ContainsWord(in_.sql, "RIGHT", true) ||
                      ContainsWord(in_.sql, "NATURAL", true))) {
      return Refuse(
          "an outer join with a broadcast table over several groups would repeat the "
          "broadcast table's unmatched rows once per group; add a shard-key condition "
          "that selects one group, or use an inner join");
    }
    p.concatenate = !writes || st.has_returning;
  }
  for (const std::string& g : groups) {
    RouteTarget t;
    t.group = g;
    if (all_vparts) {
      t.all_vparts = true;
    } else if (vparts_of_group.count(g)) {
      t.vparts.assign(vparts_of_group[g].begin(), vparts_of_group[g].end());
    } else {
      t.all_vparts = true;
    }
    p.targets.push_back(std::move(t));
  }
  p.reason = all_vparts ? (why_all.empty() ? "no shard-key condition: every group"
                                           : "every group: " + why_all)
                        : "by shard key";
  if (sharded_schema == nullptr) p.reason = "one group";

  // An IN list on the shard key sent to several groups: each gets its values.
  if (groups.size() > 1 && in_list != nullptr && in_.params.empty() &&
      in_.stmt->placeholder_count == 0) {
    const Placement& pl = places[*in_list_table];
    struct Item {
      size_t begin, end;
      std::string group;  // "" = keep everywhere
    };
    std::vector<Item> items;
    bool ok = true;
    for (const Value& v : in_list->values) {
      if (v.kind != Value::Kind::kLiteral) {
        ok = false;
        break;
      }
      size_t begin = v.offset;
      for (const auto& lit : st.literals)
        if (lit.offset == v.offset) begin = lit.intro_offset;
      if (v.negative) {
        size_t j = begin;
        while (j > 0 && std::isspace(static_cast<unsigned char>(in_.sql[j - 1]))) --j;
        if (j == 0 || in_.sql[j - 1] != '-') {
          ok = false;
          break;
        }
        begin = j - 1;
      }
      auto kv = KeyValueOf(in_, v);
      auto ck = CanonicalKeyBytes(*pl.key, *kv, KeyPurpose::kCompare);
      if (!ck.ok() || ck->verdict == KeyVerdict::kAllGroups) {
        ok = false;
        break;
      }
      std::string g = ck->verdict == KeyVerdict::kNeverEqual
                          ? std::string("-")
                          : snap_.GroupOfVpart(*pl.schema_rule,
                                               VpartOf(ck->bytes, pl.schema_rule->vpart_count));
      items.push_back(Item{begin, static_cast<size_t>(v.offset) + v.length, g});
    }
    // Only a plain list: between two values nothing but blanks and one comma
    // (a row constructor's list `((1, 10), (2, 20))` is left whole).
    for (size_t k = 1; ok && k < items.size(); ++k) {
      if (items[k].begin < items[k - 1].end) {
        ok = false;
        break;
      }
      int commas = 0;
      for (size_t c = items[k - 1].end; c < items[k].begin; ++c) {
        const char ch = in_.sql[c];
        if (ch == ',') {
          ++commas;
        } else if (!std::isspace(static_cast<unsigned char>(ch))) {
          ok = false;
        }
      }
      if (commas != 1) ok = false;
    }
    if (ok && !items.empty()) {
      const size_t list_begin = items.front().begin, list_end = items.back().end;
      for (RouteTarget& t : p.targets) {
        std::string list;
        for (const Item& it : items) {
          if (it.group != t.group) continue;
          if (!list.empty()) list += ", ";
          list.append(in_.sql.substr(it.begin, it.end - it.begin));
        }
        if (list.empty()) continue;  // cannot happen: the group is there for a value
        t.sql = std::string(in_.sql.substr(0, list_begin)) + list +
                std::string(in_.sql.substr(list_end));
      }
      p.reason = "IN list on the shard key, cut per group";
    }
  }
  return CheckUserVariables(std::move(p));
}

Plan Planner::Run() {
  if (in_.stmt == nullptr) return PlanUnparsed();
  const Statement& st = *in_.stmt;
  if (st.session_bound && in_.last_was_multi_group && st.kind != StatementKind::kShow) {
    return Refuse(
        "the previous statement ran on several groups: FOUND_ROWS(), ROW_COUNT() and "
        "LAST_INSERT_ID() are answered by the proxy only in a lone SELECT (SELECT ROW_COUNT()); "
        "inside another statement they would show one group's value");
  }
  if (std::optional<Plan> refused = CheckTablesKnown()) return *refused;
  const bool sharded_here = IsShardedSchema(in_.current_schema);
  auto touches_sharded = [&] {
    if (sharded_here) return true;
    for (const TableRef& t : st.tables)
      if (IsShardedSchema(SchemaOf(t))) return true;
    return false;
  };
  switch (st.kind) {
    case StatementKind::kSet:
    case StatementKind::kSetTransaction:
    case StatementKind::kUse:
    case StatementKind::kBegin:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
    case StatementKind::kSavepoint:
    case StatementKind::kRollbackToSavepoint:
    case StatementKind::kReleaseSavepoint:
      if (st.kind == StatementKind::kSet && st.has_subquery && touches_sharded())
        return Refuse("SET with a subquery in a sharded schema is not supported");
      return PlanSession();
    case StatementKind::kCreateTable:
    case StatementKind::kAlterTable:
    case StatementKind::kDropTable:
    case StatementKind::kTruncate:
    case StatementKind::kRenameTable:
    case StatementKind::kCreateIndex:
    case StatementKind::kDropIndex:
    case StatementKind::kCreateDatabase:
    case StatementKind::kAlterDatabase:
    case StatementKind::kDropDatabase:
      return PlanDdl();
    case StatementKind::kInsert:
    case StatementKind::kReplace:
      if (st.tables.empty()) return OneGroup(FirstGroupOf(in_.current_schema), "no table");
      return CheckUserVariables(PlanInsert());
    case StatementKind::kSelect:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kExplain:
    case StatementKind::kDo:
    case StatementKind::kTableMaintenance:
    case StatementKind::kAnalyze:
      if (st.kind == StatementKind::kSelect && st.lock != parser::LockMode::kNone &&
          touches_sharded()) {
        // FOR UPDATE is fine on one or several groups (each locks its rows).
      }
      for (const auto& a : st.args) {
        if (touches_sharded() && IFind(a.text, "GET_LOCK") != std::string_view::npos)
          return Refuse(
              "GET_LOCK in a sharded schema is not supported (each group has its own "
              "locks); use an unsharded schema for application locks");
      }
      for (const auto& it : st.select_items) {
        if (touches_sharded() && IFind(it.expr, "GET_LOCK") != std::string_view::npos)
          return Refuse(
              "GET_LOCK in a sharded schema is not supported (each group has its own "
              "locks); use an unsharded schema for application locks");
      }
      return PlanQuery();
    case StatementKind::kDescribe: {
      std::string_view schema = st.tables.empty() || st.tables[0].schema.empty()
                                    ? in_.current_schema
                                    : std::string_view(st.tables[0].schema);
      return OneGroup(FirstGroupOf(schema), "DESCRIBE: the schema's first group");
    }
    case StatementKind::kShow: {
      if (st.session_bound && in_.last_was_multi_group) return PlanShowAfterMultiGroup();
      if (st.session_bound && !in_.last_group.empty())
        return OneGroup(std::string(in_.last_group), "the previous statement's group");
      std::string_view schema = st.database.empty() ? in_.current_schema : st.database;
      if (!st.tables.empty() && !st.tables[0].schema.empty()) schema = st.tables[0].schema;
      return OneGroup(FirstGroupOf(schema), IsShardedSchema(schema)
                                                ? "SHOW: the sharded schema's first group"
                                                : "SHOW: the schema's group");
    }
    case StatementKind::kCall:
    case StatementKind::kLoadData:
    case StatementKind::kLockTables:
    case StatementKind::kPrepare:
    case StatementKind::kExecute:
    case StatementKind::kHandler:
    case StatementKind::kXa:
    case StatementKind::kCreateView:
    case StatementKind::kAlterView:
    case StatementKind::kCreateProcedure:
    case StatementKind::kCreateFunction:
    case StatementKind::kCreateTrigger:
    case StatementKind::kCreateEvent:
      if (st.kind == StatementKind::kCall && !touches_sharded()) {
        // CALL db.proc(): the procedure's schema is not in the model's tables.
        for (const SchemaRule& sr : snap_.metadata().schemas) {
          if (sr.sharded && NamesQualifier(in_.sql, sr.name))
            return Refuse(fmt::format(
                "CALL of a procedure of the sharded schema {} is not supported yet", sr.name));
        }
      }
      if (touches_sharded()) {
        return Refuse(fmt::format("{} is not supported in a sharded schema yet", SqlName(st.kind)));
      }
      break;
    default:
      break;
  }
  // Everything else: the schema's (first) group.
  std::string_view schema = in_.current_schema;
  if (!st.tables.empty() && !st.tables[0].schema.empty()) schema = st.tables[0].schema;
  if (!st.database.empty()) schema = st.database;
  return OneGroup(FirstGroupOf(schema), "the schema's first group");
}

}  // namespace

bool IsSystemSchema(std::string_view schema) {
  return IEquals(schema, "information_schema") || IEquals(schema, "mysql") ||
         IEquals(schema, "performance_schema") || IEquals(schema, "sys");
}

Plan MakePlan(const PlanInput& in, const RoutingSnapshot& snapshot) {
  return Planner(in, snapshot).Run();
}

}  // namespace shardproxy::router
