#include "proxy/session/parse_stage.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/errors.h"
#include "common/strings.h"
#include "parser/digest/digest.h"
#include "parser/statement.h"
#include "proxy/session/charset_guard.h"

namespace shardproxy::session {

namespace {

using parser::SetVar;
using parser::Statement;
using parser::StatementKind;

constexpr const char* kPassthroughReason = "passthrough: routing arrives with the routing issue";

// Skips blanks and plain comments (not /*! or /*M! executable ones, not /*+ hints).
size_t SkipBlanks(std::string_view s, size_t i) {
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '#' || (c == '-' && i + 2 < s.size() && s[i + 1] == '-' &&
                            std::isspace(static_cast<unsigned char>(s[i + 2])))) {
      size_t e = s.find('\n', i);
      i = e == std::string_view::npos ? s.size() : e + 1;
    } else if (c == '/' && i + 2 < s.size() && s[i + 1] == '*' && s[i + 2] != '!' &&
               s[i + 2] != '+' && !(s[i + 2] == 'M' && i + 3 < s.size() && s[i + 3] == '!')) {
      size_t e = s.find("*/", i + 2);
      if (e == std::string_view::npos) return std::string_view::npos;
      i = e + 2;
    } else {
      break;
    }
  }
  return i;
}

// Matches keyword `kw` at i (case-insensitive, whole word); returns the offset after it or npos.
size_t MatchWord(std::string_view s, size_t i, std::string_view kw) {
  if (i == std::string_view::npos || !IStartsWith(s.substr(i), kw)) return std::string_view::npos;
  size_t e = i + kw.size();
  if (e < s.size() && IsIdentChar(s[e])) return std::string_view::npos;
  return e;
}

// Does this SET (or SET STATEMENT ... FOR) name a refused client charset?
std::optional<std::string> RefusedCharsetOfSet(const std::vector<SetVar>& vars) {
  for (const SetVar& v : vars) {
    switch (v.scope) {
      case SetVar::Scope::kNames:
      case SetVar::Scope::kCharset:
        // The charset is the value (NAMES x / CHARACTER SET x); `name` may
        // hold a COLLATE collation. Check both.
        if (auto c = RefusedCharsetOfName(v.value.text)) return c;
        if (auto c = RefusedCharsetOfName(v.name)) return c;
        break;
      case SetVar::Scope::kSession:
        if (IEquals(v.name, "character_set_client") ||
            IEquals(v.name, "session.character_set_client")) {
          if (auto c = RefusedCharsetOfName(v.value.text)) return c;
        }
        break;
      default:  // GLOBAL (not our connection's lexing), user variables
        break;
    }
  }
  return std::nullopt;
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return std::string(s);
}

// Digest-text tokens separated by single spaces; `quoted` and "quoted" tokens may hold spaces.
std::vector<std::string_view> DigestTokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    size_t j = i;
    if (s[i] == '`' || s[i] == '"') {
      size_t e = s.find(s[i], i + 1);
      while (e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == s[i])
        e = s.find(s[i], e + 2);  // doubled quote inside
      j = e == std::string_view::npos ? s.size() : e + 1;
    } else {
      while (j < s.size() && s[j] != ' ') ++j;
    }
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Statements whose whole effect on the session is replayable state (tracked
// variables, schema, transaction status and characteristics).
bool ReplayableOnly(const Statement& m) {
  switch (m.kind) {
    case StatementKind::kSet:
      for (const SetVar& v : m.set_vars)
        if (v.scope == SetVar::Scope::kUser) return false;
      return true;
    case StatementKind::kSetTransaction:
    case StatementKind::kUse:
    case StatementKind::kBegin:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
      return true;
    default:
      return false;
  }
}

// Locks MariaDB's session tracking does not report as a state change.
const char* UntrackedLock(const Statement& m, std::string_view digest_text) {
  if (m.kind == StatementKind::kLockTables) return "LOCK TABLES";
  if (m.kind == StatementKind::kFlush && m.name.starts_with("TABLES WITH READ LOCK"))
    return "FLUSH TABLES WITH READ LOCK";
  if (m.kind == StatementKind::kHandler && m.name == "OPEN") return "HANDLER ... OPEN";
  if (IFind(digest_text, "GET_LOCK") != std::string_view::npos) return "GET_LOCK";
  return nullptr;
}

// SHOW [FULL] BACKEND PROCESSLIST (not MariaDB's grammar, so matched on the
// digest text). Returns 0 (no), 1 (plain) or 2 (FULL).
int MatchBackendProcessList(std::string_view digest_text) {
  std::vector<std::string_view> t = DigestTokens(digest_text);
  if (t.size() == 3 && IEquals(t[0], "SHOW") && IEquals(t[1], "BACKEND") &&
      IEquals(t[2], "PROCESSLIST"))
    return 1;
  if (t.size() == 4 && IEquals(t[0], "SHOW") && IEquals(t[1], "FULL") && IEquals(t[2], "BACKEND") &&
      IEquals(t[3], "PROCESSLIST"))
    return 2;
  return 0;
}

// Is `name` (as SetVar holds it: "x", or "session.x" for @@session.x) the
// proxy's own variable? *global: it was named @@global.x.
bool IsShowShardingVariable(std::string_view name, bool* global) {
  for (std::string_view prefix : {"session.", "local.", "global."}) {
    if (IStartsWith(name, prefix)) {
      *global = prefix == "global.";
      name.remove_prefix(prefix.size());
      break;
    }
  }
  return IEquals(name, kShowShardingVariable);
}

Status ShowShardingRefusal(std::string_view why) {
  return Status::Error(
      errors::kNotSupportedYet.code, errors::kNotSupportedYet.sqlstate,
      "shardproxy: " + std::string(kShowShardingVariable) + " " + std::string(why));
}

// SET [SESSION] shardproxy_show_sharding = ON|OFF|1|0|TRUE|FALSE|DEFAULT:
// answered by the session, so only that form, alone in a plain query (`alone`),
// is accepted; *value gets it (DEFAULT: an empty inner optional). Any other
// form naming it is refused: MariaDB would answer 1193 (unknown variable).
Status ReadShowShardingSet(const Statement& m, bool alone,
                           std::optional<std::optional<bool>>* value) {
  bool global = false;
  for (const SetVar& v : m.set_statement_vars) {
    if (IsShowShardingVariable(v.name, &global))
      return ShowShardingRefusal("cannot be set by SET STATEMENT ... FOR; SET it alone first");
  }
  for (const SetVar& v : m.set_vars) {
    if (v.scope == SetVar::Scope::kUser || v.scope == SetVar::Scope::kNames ||
        v.scope == SetVar::Scope::kCharset || !IsShowShardingVariable(v.name, &global))
      continue;
    if (global || v.scope == SetVar::Scope::kGlobal)
      return ShowShardingRefusal(
          "is a session variable (the proxy-wide default is show_create_table_sharding in "
          "the config); use SET SESSION");
    if (!alone || m.kind != StatementKind::kSet || m.set_vars.size() != 1)
      return ShowShardingRefusal(
          "must be set alone: one SET of it as a plain query (not with other variables, in a "
          "multi-statement or a prepared statement)");
    const std::string& t = v.value.text;
    const bool scalar = v.value.kind == parser::Value::Kind::kLiteral ||
                        v.value.kind == parser::Value::Kind::kBool ||
                        v.value.kind == parser::Value::Kind::kExpression;
    if (v.value.kind == parser::Value::Kind::kDefault) {
      value->emplace(std::nullopt);
    } else if (scalar && !v.value.negative &&
               (IEquals(t, "ON") || IEquals(t, "TRUE") || t == "1")) {
      value->emplace(true);
    } else if (scalar && !v.value.negative &&
               (IEquals(t, "OFF") || IEquals(t, "FALSE") || t == "0")) {
      value->emplace(false);
    } else {
      return Status::Error(errors::kWrongValueForVar.code, errors::kWrongValueForVar.sqlstate,
                           "Variable '" + std::string(kShowShardingVariable) +
                               "' can't be set to the value of '" + t + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

// A user variable (@x, not @@x) in a digest text (literals are "?" there, so a
// string holding '@' does not count).
bool HasUserVariable(std::string_view digest_text) {
  for (size_t i = 0; i < digest_text.size(); ++i) {
    if (digest_text[i] != '@') continue;
    if (i + 1 < digest_text.size() && digest_text[i + 1] == '@') {
      ++i;
      continue;
    }
    return true;
  }
  return false;
}

ParseCounters& ThreadParseCounters() {
  thread_local ParseCounters counters;
  return counters;
}

size_t ExplainShardingInnerOffset(std::string_view stmt) {
  size_t i = MatchWord(stmt, SkipBlanks(stmt, 0), "EXPLAIN");
  if (i == std::string_view::npos) return i;
  i = MatchWord(stmt, SkipBlanks(stmt, i), "SHARDING");
  if (i == std::string_view::npos) return i;
  return SkipBlanks(stmt, i);
}

SessionFunction LoneSessionFunction(std::string_view d) {
  static constexpr std::pair<std::string_view, SessionFunction> kFunctions[] = {
      {"CONNECTION_ID", SessionFunction::kConnectionId},
      {"ROW_COUNT", SessionFunction::kRowCount},
      {"FOUND_ROWS", SessionFunction::kFoundRows},
      {"LAST_INSERT_ID", SessionFunction::kLastInsertId},
      {"@@WARNING_COUNT", SessionFunction::kWarningCount},
      {"@@SESSION.WARNING_COUNT", SessionFunction::kWarningCount},
  };
  constexpr SessionFunction kNo = SessionFunction::kNone;
  if (!IStartsWith(d, "SELECT ")) return kNo;
  d.remove_prefix(7);
  SessionFunction fn = kNo;
  for (const auto& [name, f] : kFunctions) {
    if (IStartsWith(d, name) &&
        (d.size() == name.size() || !IsIdentChar(d[name.size()]) || name[0] != '@')) {
      d.remove_prefix(name.size());
      fn = f;
      break;
    }
  }
  if (fn == kNo) return kNo;
  if (fn != SessionFunction::kWarningCount) {
    if (!d.empty() && d.front() == ' ') d.remove_prefix(1);
    if (!IStartsWith(d, "()")) return kNo;
    d.remove_prefix(2);
  }
  std::vector<std::string_view> t = DigestTokens(d);
  size_t n = t.size();
  if (n >= 2 && IEquals(t[n - 2], "FROM") && IEquals(t[n - 1], "DUAL")) n -= 2;
  size_t k = 0;
  if (k < n && IEquals(t[k], "AS")) {
    ++k;
    if (k == n) return kNo;  // AS without an alias
  }
  if (k < n) {
    // One alias token: an identifier, a quoted name or a string literal ("?").
    std::string_view a = t[k];
    static constexpr std::string_view kClauses[] = {"FROM",  "WHERE",  "LIMIT",  "ORDER",
                                                    "GROUP", "HAVING", "INTO",   "FOR",
                                                    "LOCK",  "UNION",  "WINDOW", "PROCEDURE"};
    for (auto c : kClauses)
      if (a == c) return kNo;
    ++k;
  }
  return k == n ? fn : kNo;
}

ParseOutcome RunParserStage(std::string_view sql, parser::SqlMode mode, bool prepare,
                            parser::CachedParser& parser, ParseCounters& counters) {
  ParseOutcome out;
  std::vector<std::string_view> pieces;
  if (prepare) {
    pieces.push_back(sql);
  } else {
    pieces = parser::SplitStatements(sql, mode);
  }
  if (pieces.empty()) return out;  // blanks/comments only: the backend answers (1065 or OK)

  struct Cut {
    size_t begin, end;  // in `sql`
  };
  std::vector<Cut> cuts;
  int explain_piece = -1;
  std::string explain_reason = kPassthroughReason;
  parser::Sharding explain_cut;
  SessionFunction function = SessionFunction::kNone;
  std::string column;
  bool replayable_only = true;
  int processlist = 0;  // 1: SHOW PROCESSLIST, 2: FULL; -1/-2: the BACKEND forms
  std::optional<std::optional<bool>> show_sharding;  // SET shardproxy_show_sharding

  out.pieces.reserve(pieces.size());
  for (size_t pi = 0; pi < pieces.size(); ++pi) {
    std::string_view piece = pieces[pi];
    const size_t base = static_cast<size_t>(piece.data() - sql.data());
    const uint64_t hits_before = parser.cache().stats().hits;
    Result<Statement> r = parser.Parse(piece, mode);
    out.pieces.push_back(
        ParseOutcome::Piece{piece, std::nullopt, HasUserVariable(parser.last_digest().text)});
    if (!r.ok()) {
      replayable_only = false;
      if (pieces.size() == 1 && !prepare) {
        if (int b = MatchBackendProcessList(parser.last_digest().text)) {
          processlist = -b;
          continue;
        }
      }
      ++counters.failures;
      if (out.error.ok()) out.error = r.status();  // the first failure, for the debug log
      if (ExplainShardingInnerOffset(piece) != std::string_view::npos) {
        explain_piece = static_cast<int>(pi);
        explain_reason = "passthrough: shardproxy's parser cannot read this statement (" +
                         r.status().message() + "); it goes to the default group unchanged";
      }
      continue;
    }
    if (parser.cache().stats().hits != hits_before) {
      ++counters.hits;
    } else {
      ++counters.misses;
    }
    const Statement& m = out.pieces.back().model.emplace(std::move(*r));
    if (!ReplayableOnly(m)) replayable_only = false;
    if (const char* lock = UntrackedLock(m, parser.last_digest().text);
        lock != nullptr && out.pin_reason.empty())
      out.pin_reason = lock;
    for (const SetVar& v : m.set_vars) {
      // SET NAMES x [COLLATE y]: `name` holds y (empty without COLLATE).
      if (v.scope == SetVar::Scope::kNames) out.names_collation = v.name;
      if (v.scope == SetVar::Scope::kCharset) out.names_collation = std::string();
    }
    if (m.kind == StatementKind::kShow && pieces.size() == 1 && !prepare &&
        (m.show_what == "PROCESSLIST" || m.show_what == "FULL PROCESSLIST")) {
      processlist = m.show_what == "PROCESSLIST" ? 1 : 2;
    }
    if (auto bad = RefusedCharsetOfSet(m.set_vars)) {
      out.action = ParseOutcome::Action::kRefuse;
      out.error = RefusedCharsetError(*bad);
      return out;
    }
    if (auto bad = RefusedCharsetOfSet(m.set_statement_vars)) {
      out.action = ParseOutcome::Action::kRefuse;
      out.error = RefusedCharsetError(*bad);
      return out;
    }
    if (Status st = ReadShowShardingSet(m, pieces.size() == 1 && !prepare, &show_sharding);
        !st.ok()) {
      out.action = ParseOutcome::Action::kRefuse;
      out.error = st;
      return out;
    }
    const bool has_clause = m.sharding.kind != parser::Sharding::Kind::kNone &&
                            m.sharding.begin <= m.sharding.end && m.sharding.end <= piece.size();
    if (m.kind == StatementKind::kExplainSharding) {
      explain_piece = static_cast<int>(pi);
      if (has_clause) explain_cut = m.sharding;
    } else if (m.kind == StatementKind::kCreateTable && has_clause) {
      cuts.push_back(Cut{base + m.sharding.begin, base + m.sharding.end});
    } else if (m.kind == StatementKind::kSelect && pieces.size() == 1 && !prepare &&
               m.tables.empty() && m.select_items.size() == 1 && !m.select_into &&
               (function = LoneSessionFunction(parser.last_digest().text)) !=
                   SessionFunction::kNone) {
      // The column is named as the client wrote the call (or its alias).
      column = m.select_items[0].alias;
      if (column.empty()) {
        size_t at = SkipBlanks(piece, 0);
        if (at != std::string_view::npos) at = MatchWord(piece, at, "SELECT");
        if (at != std::string_view::npos) at = SkipBlanks(piece, at);
        if (at == std::string_view::npos) at = 0;
        size_t close = piece.find(')', at);
        column = close == std::string_view::npos ? std::string(piece.substr(at))
                                                 : std::string(piece.substr(at, close + 1 - at));
      }
    }
  }

  if (explain_piece >= 0) {
    if (pieces.size() > 1 || prepare) {
      out.action = ParseOutcome::Action::kRefuse;
      out.error = Status::Error(
          errors::kNotSupportedYet.code, errors::kNotSupportedYet.sqlstate,
          prepare ? "shardproxy: EXPLAIN SHARDING cannot be prepared; send it as a plain query"
                  : "shardproxy: EXPLAIN SHARDING must be sent alone, not in a multi-statement");
      return out;
    }
    std::string_view stmt = pieces[0];
    std::string text(stmt);
    if (explain_cut.kind != parser::Sharding::Kind::kNone) {
      text.erase(explain_cut.begin, explain_cut.end - explain_cut.begin);
    }
    size_t inner = ExplainShardingInnerOffset(text);
    out.action = ParseOutcome::Action::kExplainSharding;
    out.sql = Trimmed(inner == std::string_view::npos ? std::string_view(text)
                                                      : std::string_view(text).substr(inner));
    out.reason = explain_reason;
    out.error = Status::Ok();
    {
      // The explained statement as the client wrote it (clause included), for the router.
      std::string_view whole = pieces[0];
      size_t at = ExplainShardingInnerOffset(whole);
      out.explain_inner = Trimmed(at == std::string_view::npos ? whole : whole.substr(at));
    }
    return out;
  }
  out.replayable_only = replayable_only;
  if (show_sharding) {
    out.action = ParseOutcome::Action::kSetShowSharding;
    out.show_sharding = *show_sharding;
    return out;
  }
  if (processlist != 0) {
    out.action = processlist > 0 ? ParseOutcome::Action::kProcessList
                                 : ParseOutcome::Action::kBackendProcessList;
    out.full = processlist == 2 || processlist == -2;
    out.error = Status::Ok();
    return out;
  }
  if (function != SessionFunction::kNone) {
    out.action = ParseOutcome::Action::kSessionFunction;
    out.function = function;
    out.column = std::move(column);
    return out;
  }
  if (!cuts.empty()) {
    out.action = ParseOutcome::Action::kRewrite;
    size_t pos = 0;
    for (const Cut& c : cuts) {
      out.sql.append(sql.substr(pos, c.begin - pos));
      pos = c.end;
    }
    out.sql.append(sql.substr(pos));
  }
  return out;
}

}  // namespace shardproxy::session
