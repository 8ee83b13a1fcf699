// The statement model: what the router needs to know about one SQL statement.
//
// Plain data, built from the ANTLR parse tree (parser/model_builder.cc) or by
// Bind() from a cached template (parser/bind.cc); the two must agree exactly
// (operator== compares every field, ToJson() all but the source ranges).
// Source positions: literal offsets (refilled by Bind from the new statement's
// digest), the sharding clause range (re-parsed on Bind) and the SourceRange
// fields (mapped by Bind onto the new text, see SourceRange).
//
// Conventions:
//   - Identifiers are stored unquoted and verbatim (never case-folded; table
//     names are case-sensitive on Linux).
//   - "Normalised expression text" (SelectItem::expr, Value::text of
//     kExpression, OrderItem::expr) is the expression's tokens joined by one
//     space, keywords upper-case, identifiers verbatim, every literal as "?",
//     an IN list of only literals as "IN (...)". It does not change when only
//     literal values change, so templates bind exactly.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "parser/digest/digest.h"

namespace shardproxy::parser {

// A byte range [begin, end) in the text of the statement the model was built
// or bound for (after Bind: the new text, never the template's), for
// rewriting by position. begin == end is an insertion point: the byte just
// after the token that precedes where the absent construct would go. {0, 0}
// where a field does not apply. `begin` is always the first byte of a token,
// `end` one past the last byte of one (comments and blanks around are
// outside). Bind maps every range onto the new text through the literals
// around it (the bytes between them must match the template's, else Bind
// re-parses: see parser/README.md, "Source ranges").
struct SourceRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool empty() const { return begin == end; }
  uint32_t size() const { return end - begin; }
  bool operator==(const SourceRange&) const = default;
};

enum class StatementKind : uint8_t {
  kSelect,               // SELECT / WITH ... SELECT / (SELECT ...) UNION ...
  kInsert,               // INSERT (VALUES, SET, SELECT forms)
  kReplace,              // REPLACE (same forms)
  kUpdate,               // UPDATE, single or multi-table
  kDelete,               // DELETE, single or multi-table
  kCall,                 // CALL proc(...)
  kLoadData,             // LOAD DATA [LOCAL] INFILE
  kCreateTable,          // CREATE [OR REPLACE] [TEMPORARY] TABLE (incl. LIKE, AS SELECT)
  kAlterTable,           // ALTER TABLE
  kDropTable,            // DROP [TEMPORARY] TABLE
  kTruncate,             // TRUNCATE [TABLE]
  kRenameTable,          // RENAME TABLE a TO b, ...
  kCreateIndex,          // CREATE INDEX
  kDropIndex,            // DROP INDEX ... ON t
  kCreateDatabase,       // CREATE DATABASE / SCHEMA
  kAlterDatabase,        // ALTER DATABASE / SCHEMA
  kDropDatabase,         // DROP DATABASE / SCHEMA
  kBegin,                // BEGIN [WORK], START TRANSACTION ...
  kCommit,               // COMMIT
  kRollback,             // ROLLBACK (whole transaction)
  kSavepoint,            // SAVEPOINT x
  kRollbackToSavepoint,  // ROLLBACK TO [SAVEPOINT] x
  kReleaseSavepoint,     // RELEASE SAVEPOINT x
  kXa,                   // XA START/END/PREPARE/COMMIT/ROLLBACK/RECOVER (see xa_action)
  kSet,                  // SET variables / NAMES / CHARACTER SET
  kSetTransaction,       // SET [GLOBAL|SESSION] TRANSACTION ...
  kUse,                  // USE db
  kShow,                 // SHOW ... (see show_what)
  kExplain,              // EXPLAIN/DESCRIBE <statement> (inner_kind + the inner's model)
  kExplainSharding,      // EXPLAIN SHARDING <statement> (ours; inner_kind + inner's model)
  kDescribe,             // DESCRIBE/DESC/EXPLAIN table [column]
  kKill,                 // KILL [CONNECTION|QUERY] n
  kLockTables,           // LOCK TABLES
  kUnlockTables,         // UNLOCK TABLES
  kPrepare,              // PREPARE s FROM ...
  kExecute,              // EXECUTE s [USING ...]
  kDeallocate,           // DEALLOCATE / DROP PREPARE s
  kDo,                   // DO expr, ...
  kCreateView,           // CREATE [OR REPLACE] [ALGORITHM=..] [DEFINER=..] [SQL SECURITY ..] VIEW
                         //   (tables: the view first, then those its query reads)
  kAlterView,            // ALTER [ALGORITHM=..] ... VIEW v AS ...
  kDropView,             // DROP VIEW [IF EXISTS] v, ...
  kCreateSequence,       // CREATE [OR REPLACE] [TEMPORARY] SEQUENCE
  kAlterSequence,        // ALTER SEQUENCE
  kDropSequence,         // DROP [TEMPORARY] SEQUENCE
  kTableMaintenance,     // ANALYZE/OPTIMIZE/REPAIR/CHECK/CHECKSUM TABLE (name = the verb)
  kAnalyze,              // ANALYZE [FORMAT=JSON] <statement>: runs it and reports the plan
                         //   (inner_kind + the inner's model and flags: it really executes)
  kHelp,                 // HELP 'topic'
  kEmpty,                // only comments (e.g. a dump's /*M!999999\- enable the sandbox mode */,
           //   a version comment for a newer server): MariaDB answers OK  // Added after kEmpty
           //   (values above are unchanged).
  kAccountManagement,  // GRANT, REVOKE, CREATE/ALTER/DROP/RENAME USER, SET PASSWORD, CREATE/DROP
                       //   ROLE, SET DEFAULT ROLE (name = the verb: "GRANT", "CREATE USER", ...)
  kFlush,              // FLUSH ... (name = the first option: "TABLES", "TABLES WITH READ LOCK",
                       //   "PRIVILEGES", "BINARY LOGS", ...; tables = FLUSH TABLES t, ...)
  kCreateProcedure,    // CREATE [OR REPLACE] [DEFINER=..] PROCEDURE [db.]p (...) body
                       //   (name = p, database = db; the body is not modelled)
  kCreateFunction,     // CREATE ... [AGGREGATE] FUNCTION [db.]f (...) RETURNS type body
  kCreateTrigger,      // CREATE ... TRIGGER [db.]t {BEFORE|AFTER} ev ON tbl FOR EACH ROW body
                       //   (name = t, database = db, tables = [tbl])
  kCreateEvent,        // CREATE ... EVENT [db.]e ON SCHEDULE ... DO body
  kDropProcedure,      // DROP PROCEDURE [IF EXISTS] [db.]p   (name, database)
  kDropFunction,       // DROP FUNCTION [IF EXISTS] [db.]f
  kDropTrigger,        // DROP TRIGGER [IF EXISTS] [db.]t
  kDropEvent,          // DROP EVENT [IF EXISTS] [db.]e
  kHandler,            // HANDLER t OPEN / READ / CLOSE (name = "OPEN", "READ" or "CLOSE";
                       //   tables = [t]: the table or, for READ/CLOSE, the name it was opened as)
};
const char* StatementKindName(StatementKind k);  // "select", "insert", ...

// One value the router may care about: a literal, a placeholder, or a
// description of something that is not a constant.
struct Value {
  enum class Kind : uint8_t {
    kLiteral,      // a literal token: ref/literal_kind/text/offset/length are set
    kPlaceholder,  // ?: ref/offset/length set, text "?"
    kNull,         // NULL
    kBool,         // TRUE / FALSE: text "TRUE" / "FALSE"
    kExpression,   // anything else: text = normalised expression text
    kColumn,       // a column reference: text = column name (qualifier in `table`)
    kDefault,      // DEFAULT
  };
  Kind kind = Kind::kExpression;
  LiteralRef ref;  // digest slot of the literal (kLiteral/kPlaceholder)
  LiteralKind literal_kind = LiteralKind::kString;
  bool negative = false;  // unary minus applied directly to the literal
  std::string text;       // see Kind; literals: LiteralText() (unquoted)
  std::string charset;    // _charset introducer ("utf8mb4") or "N"; else empty
  std::string typed;      // "DATE" / "TIME" / "TIMESTAMP" for a typed literal: DATE '2024-01-01',
                          // {d '2024-01-01'} (text is the string's content); else empty
  std::string table;      // kColumn: qualifier as written ("" if none)
  uint32_t offset = 0;    // kLiteral/kPlaceholder: byte range of the token
  uint32_t length = 0;
  // Values of Statement::rows only (else {0,0}): the whole value as written
  // (a literal with its sign and introducer, NULL, DEFAULT, an expression).
  SourceRange range;

  bool IsConstant() const { return kind == Kind::kLiteral || kind == Kind::kPlaceholder; }
  bool operator==(const Value&) const = default;
};

struct TableRef {
  std::string schema;  // "" when not qualified
  std::string name;
  std::string alias;  // "" when none
  // Subquery nesting: 0 at statement level, 1+ inside a subquery, derived
  // table or CTE body.
  uint16_t depth = 0;
  // The query block (SELECT specification, UPDATE or DELETE; 0-based, text
  // order) whose FROM list names it; -1 for tables named outside any block
  // (INSERT target, DDL, LOCK TABLES, SHOW ...).
  int16_t query_block = -1;
  bool operator==(const TableRef&) const = default;
};

// A conjunct that constrains one table's rows. Extracted only from the
// top-level AND-conjuncts of a WHERE (and of the ON of an inner join that is
// not inside the null-supplying operand of an outer join: the right side of
// LEFT JOIN, everything left of RIGHT JOIN in its chain) of the query
// block the table belongs to; anything else (OR across columns, NOT, functions
// of the column, outer-scope references) is simply not extracted, never wrong.
// Row forms: (a, b) = (1, 'x') gives one kEq per position; (a, b) IN ((1, 'x'),
// (2, 'y')) gives one kIn per column (a IN (1, 2), b IN ('x', 'y'): a superset
// of the matching rows, exact for a single shard column). JOIN ... USING (c)
// gives kJoinEq c = c between the operands when the left owner of c is known
// (one base table, or named by an earlier USING (c) of the same chain); outer
// joins (and joins nested under their null-supplying side) contribute join
// predicates only.
struct Predicate {
  enum class Op : uint8_t {
    kEq,       // col = v  (or v = col, or col <=> v)
    kIn,       // col IN (v, ...)
    kBetween,  // col BETWEEN v0 AND v1
    kOrEq,     // col = v0 OR col = v1 OR ...  (same column)
    kJoinEq,   // col = other_table.other_column
  };
  Op op = Op::kEq;
  int32_t table_index = -1;  // into Statement::tables; -1 if the owner cannot be told
  std::string column;
  std::vector<Value> values;
  int32_t list_slot = -1;          // kIn: the digest slot when the list was collapsed ("IN (...)")
  int32_t other_table_index = -1;  // kJoinEq
  std::string other_column;        // kJoinEq
  bool operator==(const Predicate&) const = default;
};

// Aggregate functions. Values only ever get added at the end.
enum class AggregateKind : uint8_t {
  kNone,
  kCount,          // COUNT(*) / COUNT(expr) / COUNT(DISTINCT ...)
  kSum,            // SUM
  kMin,            // MIN
  kMax,            // MAX
  kAvg,            // AVG
  kStddevPop,      // STD, STDDEV, STDDEV_POP
  kStddevSamp,     // STDDEV_SAMP
  kVarPop,         // VARIANCE, VAR_POP
  kVarSamp,        // VAR_SAMP
  kBitAnd,         // BIT_AND
  kBitOr,          // BIT_OR
  kBitXor,         // BIT_XOR
  kGroupConcat,    // GROUP_CONCAT([DISTINCT] ... [ORDER BY ...] [SEPARATOR '..'])
  kJsonArrayAgg,   // JSON_ARRAYAGG
  kJsonObjectAgg,  // JSON_OBJECTAGG
};
// Whether per-shard results of a (non-DISTINCT) aggregate combine into the
// whole result with one simple operation over the partial values: COUNT and
// SUM (sum them), MIN, MAX, BIT_AND, BIT_OR, BIT_XOR (the same function over
// them). False for AVG, STDDEV*, VAR*, GROUP_CONCAT, JSON_ARRAYAGG and
// JSON_OBJECTAGG (need a rewrite, e.g. AVG -> SUM/COUNT, or a different merge)
// and for kNone. DISTINCT (aggregate_distinct) makes COUNT/SUM non-mergeable
// too; the caller checks it.
bool AggregateSimplyMergeable(AggregateKind k);

struct SelectItem {
  enum class Kind : uint8_t {
    kStar,        // *
    kTableStar,   // t.* (table = "t")
    kColumn,      // a bare column reference (table = qualifier, column)
    kAggregate,   // an aggregate function alone, not windowed (see aggregate*; AggregateKind)
    kExpression,  // anything else (contains_aggregate tells if an aggregate is inside)
  };
  Kind kind = Kind::kExpression;
  std::string table;
  std::string column;
  std::string expr;   // normalised expression text (all kinds but kStar)
  std::string alias;  // AS alias, unquoted; "" when none
  AggregateKind aggregate = AggregateKind::kNone;
  bool aggregate_distinct = false;  // COUNT(DISTINCT ...), GROUP_CONCAT(DISTINCT ...), ...
  bool aggregate_star = false;      // COUNT(*) (JSON: "agg_star")
  std::string aggregate_arg;        // normalised text of the argument(s)
  bool contains_aggregate = false;  // an aggregate anywhere inside (kAggregate too)
  bool has_window = false;          // ... OVER (...)
  SourceRange range;                // the whole item, alias included ("a + 1 AS x")
  SourceRange expr_range;           // the expression without its alias ("a + 1"); == range
                                    // for * and t.*
  bool operator==(const SelectItem&) const = default;
};

// An ORDER BY / GROUP BY item. `ORDER BY 2` is positional (position = 2,
// value keeps the literal's ref so Bind refills it); other constants are
// expressions.
struct OrderItem {
  std::string expr;  // normalised expression text
  bool desc = false;
  bool positional = false;
  uint32_t position = 0;  // 1-based select-list position when positional
  std::string table;      // when the item is a bare column: qualifier and name
  std::string column;
  std::optional<Value> value;  // when the item is a lone literal (positional or not)
  SourceRange range;           // the whole item, ASC/DESC included
  SourceRange expr_range;      // the expression only
  bool operator==(const OrderItem&) const = default;
};

struct Assignment {   // UPDATE ... SET col = v, INSERT ... SET, ON DUPLICATE KEY UPDATE
  std::string table;  // qualifier as written ("" if none)
  std::string column;
  int32_t table_index = -1;
  Value value;
  bool operator==(const Assignment&) const = default;
};

struct Sharding {  // our CREATE TABLE clause
  enum class Kind : uint8_t { kNone, kHash, kBroadcast };
  Kind kind = Kind::kNone;
  std::string column;  // kHash: DBPARTITION BY HASH(column)
  uint32_t begin = 0;  // byte range [begin, end) of the clause in the SQL, to strip it
  uint32_t end = 0;
  bool operator==(const Sharding&) const = default;
};

struct SetVar {  // SET x = v / SET STATEMENT x = v FOR
  enum class Scope : uint8_t { kSession, kGlobal, kUser, kNames, kCharset };
  Scope scope = Scope::kSession;
  std::string name;  // variable (no @/@@/scope prefix), or charset for NAMES/CHARACTER SET
  Value value;       // NAMES: kExpression "COLLATE x" text if any; else the value
  bool operator==(const SetVar&) const = default;
};

enum class LockMode : uint8_t { kNone, kForUpdate, kShareMode };

// A sequence function: NEXTVAL(s) / NEXT VALUE FOR s (kNext), LASTVAL(s) /
// PREVIOUS VALUE FOR s (kPrevious), SETVAL(s, ...) (kSet).
struct SequenceCall {
  enum class Op : uint8_t { kNext, kPrevious, kSet };
  Op op = Op::kNext;
  std::string schema;  // "" when not qualified
  std::string name;
  SourceRange range;  // the whole call: "NEXTVAL(s)", "NEXT VALUE FOR db.s", "SETVAL(s, 5)"
  bool operator==(const SequenceCall&) const = default;
};

struct Statement {
  StatementKind kind = StatementKind::kSelect;
  // EXPLAIN / EXPLAIN SHARDING: the explained statement's kind (its model is
  // flattened into this one). Equal to `kind` otherwise.
  StatementKind inner_kind = StatementKind::kSelect;
  bool read_only = false;         // reads data or metadata only; safe on a replica
  bool has_side_effects = false;  // writes data/schema, changes session/transaction
                                  // state, locks rows, or writes files/variables
  // Reads state that this session's earlier statements left on the backend
  // connection that ran them: FOUND_ROWS(), ROW_COUNT(), LAST_INSERT_ID()
  // (with or without an argument), @@last_insert_id / @@identity,
  // CONNECTION_ID(), LASTVAL(s) / PREVIOUS VALUE FOR s, SHOW WARNINGS / ERRORS
  // / COUNT(*) WARNINGS / PROFILE(S), anywhere in the statement (subqueries,
  // INSERT values, ...; not inside a stored program's body, not for EXPLAIN).
  // The router must send it over the connection the session's previous
  // statements used (never a replica, another shard or a pooled connection).
  // Implies read_only = false; has_side_effects is left as the rest of the
  // statement says (JSON: "session_bound", only when true).
  bool session_bound = false;
  std::vector<TableRef> tables;  // every table named, in text order (not CTE names)
  std::vector<Predicate> predicates;
  std::vector<Literal> literals;  // every literal/placeholder (from the digest), text order
  uint32_t placeholder_count = 0;
  std::vector<std::string> hints;  // /*+ ... */ verbatim, in order
  // Every function the statement calls anywhere (subqueries included, stored
  // program bodies not): lower-case names, first appearance order, each once.
  // Built-ins by their keyword ("count", "cast", "substring", "if",
  // "current_timestamp" also without parentheses), others as written
  // ("nextval", "db.f" for a qualified call). Not NEXT/PREVIOUS VALUE FOR
  // (see sequences). Not in ToJson (golden churn); SourceRangesToJson prints it.
  std::vector<std::string> functions;
  // Every sequence function call, text order (also in subqueries and INSERT
  // values; not in stored program bodies). NEXT/PREVIOUS VALUE FOR also name
  // the sequence in `tables`; NEXTVAL(s) & co. do not (JSON: "sequences").
  std::vector<SequenceCall> sequences;

  // SELECT (the outermost query block; for INSERT ... SELECT the inner one)
  bool distinct = false;
  bool has_set_operation = false;  // UNION / INTERSECT / EXCEPT
  bool has_subquery = false;       // subquery, derived table or CTE anywhere
  bool has_window = false;
  bool has_having = false;
  bool with_rollup = false;
  bool select_into = false;  // SELECT ... INTO @var / OUTFILE / DUMPFILE
  // SELECT SQL_CALC_FOUND_ROWS (the outermost/first query block): the server
  // counts the rows without LIMIT for a following FOUND_ROWS(); across shards
  // that count is the sum of the shards' counts (JSON: "calc_found_rows").
  bool calc_found_rows = false;
  std::vector<SelectItem> select_items;
  std::vector<OrderItem> group_by;
  std::vector<OrderItem> order_by;
  std::optional<Value> limit;
  std::optional<Value> offset;
  // Source ranges of that SELECT (see SourceRange; {0,0} for other statements).
  // Clauses of the query block select_items come from, or for ORDER BY/LIMIT
  // of the query expression order_by/limit come from; when absent, an
  // insertion point:
  //   select_list:      first item .. last item (end: where ", x" is appended)
  //   group_by_clause:  "GROUP BY .. [WITH ROLLUP]"; else after WHERE, FROM,
  //                     INTO or the select list (the last present)
  //   having_clause:    "HAVING expr"; else after GROUP BY (or its insertion point)
  //   order_by_clause:  "ORDER BY .."; else after the query body (the last
  //                     block's last clause, or a parenthesised query's ")")
  //   limit_clause:     "LIMIT .." (both operands); else after ORDER BY or its
  //                     insertion point
  // UPDATE / DELETE: order_by_clause and limit_clause when present, else {0,0}.
  SourceRange select_list;
  SourceRange group_by_clause;
  SourceRange having_clause;
  SourceRange order_by_clause;
  SourceRange limit_clause;
  LockMode lock = LockMode::kNone;
  std::string lock_wait;  // "NOWAIT", "SKIP LOCKED", "WAIT" or ""

  // INSERT / REPLACE / LOAD DATA
  bool ignore = false;
  // INSERT column list; LOAD DATA's (col_or_@var, ...) list in file-field
  // order, a user variable as "@name" (unquoted), a column by its name.
  std::vector<std::string> insert_columns;
  // INSERT / REPLACE: "(a, b)" with both parentheses (append ", id" at
  // end - 1; "()" has size 2); without a column list an insertion point after
  // the table name (and PARTITION (..)). {0,0} for other statements.
  SourceRange insert_column_list;
  std::vector<std::vector<Value>> rows;  // VALUES rows (each value's range: Value::range)
  std::vector<SourceRange> row_ranges;   // per row: "(1, 'a')" with both parentheses
  int32_t rows_slot = -1;                // digest slot when the rows were collapsed
  uint16_t row_width = 0;                // literals per row in that slot
  bool insert_select = false;
  std::vector<Assignment> on_duplicate;
  bool has_returning = false;

  // UPDATE SET / INSERT ... SET / LOAD DATA ... SET (LOAD DATA: table_index 0
  // for an unqualified column, the loaded table)
  std::vector<Assignment> assignments;

  // DELETE: the tables rows are deleted from, as indexes into `tables`: [0]
  // for a single-table DELETE; for DELETE t1, t2 FROM ... / DELETE FROM t1, t2
  // USING ... each target in written order, resolved like a column qualifier
  // (alias, else name); -1 for a target that names no single FROM table
  // (MariaDB refuses those, 1109). Tables not listed are only read.
  std::vector<int32_t> delete_targets;

  // LOAD DATA
  bool load_local = false;    // LOAD DATA LOCAL INFILE: the client sends the file
  bool load_replace = false;  // ... INFILE 'f' REPLACE INTO TABLE (duplicates replace rows)

  // DDL
  Sharding sharding;
  bool if_exists = false;      // DROP ... IF EXISTS, ALTER TABLE IF EXISTS
  bool if_not_exists = false;  // CREATE ... IF NOT EXISTS
  bool or_replace = false;
  bool temporary = false;

  // Session / misc
  std::string database;  // USE db, CREATE/DROP DATABASE db, SHOW ... FROM db
  std::string name;      // savepoint, prepared statement, procedure, index name
  std::vector<SetVar> set_vars;
  std::vector<SetVar> set_statement_vars;  // SET STATEMENT ... FOR <statement>
  std::string xa_action;    // "START", "END", "PREPARE", "COMMIT", "ROLLBACK", "RECOVER"
  std::string show_what;    // "TABLES", "COLUMNS", "VARIABLES", ... (SHOW)
  std::vector<Value> args;  // CALL / EXECUTE USING / KILL / LOAD DATA file / XA xid parts

  // Not printed: the sql_mode the statement was lexed under (Bind needs it to
  // unescape strings), and whether Bind must re-parse because some field holds
  // literal text outside a Value (a 'string' alias, SET NAMES 'x') or a source
  // position (the sharding clause).
  SqlMode mode;
  bool rebind_by_parse = false;

  nlohmann::json ToJson() const;
  // The source ranges and `functions` (not in ToJson), for tests and tools:
  // {"select_items":[[b,e,eb,ee],..], "group_by":[[b,e,eb,ee],..], ...}.
  nlohmann::json SourceRangesToJson() const;
  bool operator==(const Statement&) const = default;
};

nlohmann::json ToJson(const Value& v);

}  // namespace shardproxy::parser
