// The ANTLR path: one statement -> Statement (parser/statement.h).
//
// The proxy normally goes through parser/cache (CachedParser), which runs
// ParseStatement only on a template-cache miss and Bind on a hit.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "parser/digest/digest.h"
#include "parser/sql_mode.h"
#include "parser/statement.h"

namespace shardproxy::parser {

struct ParseOptions {
  SqlMode mode;
  // Deepest nesting accepted: parentheses/CASE levels plus chains of prefix
  // operators (NOT, -, !, ~, BINARY). Deeper statements get ER_STACK_OVERRUN
  // (1436) instead of exhausting the stack.
  int max_depth = 200;
};

// Parses one statement (a trailing ';' is allowed). Literal refs are resolved
// through `digest`, which the caller computed on the same sql and mode.
// Errors: 1064 42000 "You have an error in your SQL syntax; check the manual
// that corresponds to your MariaDB server version for the right syntax to use
// near '<text from the offending token, at most 80 bytes>' at line N";
// 1436 HY000 when nesting exceeds options.max_depth. Never throws.
// Thread-safe: ANTLR runs under one process-wide mutex (its DFA cache is shared).
Result<Statement> ParseStatement(std::string_view sql, const Digest& digest,
                                 const ParseOptions& options);

// Convenience for tools and tests: computes the digest, then parses.
Result<Statement> ParseStatement(std::string_view sql, const ParseOptions& options = {});

// What a template was parsed from: its text and that text's digest slots
// (the template's `literals` are that digest's literals). Bind maps the
// template's SourceRanges from it onto the new text. The caller keeps both
// alive during Bind.
struct TemplateSource {
  std::string_view sql;
  std::span<const Slot> slots;
};

// Rebuilds the model for `sql` from a template parsed from a statement with the
// same digest text (same mode): every Value holding a LiteralRef takes its
// kind/text/offset from `d`; collapsed IN lists and VALUES rows are expanded to
// their new lengths; literal positions are replaced; every SourceRange is
// moved by the new lengths of the literals before it (src: the template's own
// text). Equal (==, ToJson) to a cold ParseStatement(sql, d). Re-parsed
// instead: templates whose model holds other positions (the CREATE TABLE
// sharding clause) or literal text outside a Value, and statements whose bytes
// around a SourceRange differ from the template's beyond the literals
// (other blanks, comments or keyword case there; or `src` empty).
Statement Bind(const Statement& tmpl, const TemplateSource& src, std::string_view sql,
               const Digest& d, const ParseOptions& options = {});

// Binds (process-wide, since start) that re-parsed because a SourceRange
// could not be mapped onto the new text (see Bind). For tests and metrics.
uint64_t BindRangeReparses();

// Parses a fixed set of statements once so ANTLR's DFA is warm before the
// first client statement. Call at start-up.
void WarmUp();

}  // namespace shardproxy::parser
