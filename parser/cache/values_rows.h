// The VALUES row-form reduction: a cheap miss path for INSERT/REPLACE ...
// VALUES statements whose rows do not collapse in the digest (a mysqldump
// extended INSERT: rows differ in NULL vs literal, in sign, in literal kind).
//
// The model of such a statement is, row by row, what the grammar makes of
// each value; for a plain value (a literal, -literal, NULL, TRUE, FALSE,
// DEFAULT) that depends only on the value's own *form* (which of those, the
// literal kind, the introducer), never on its neighbours. So instead of
// parsing N rows, the statement is parsed with its rows replaced by one row
// per form: row 0 as written, then rows made of the forms not seen yet in each
// column. Every row of the model is then the template value of its form, with
// the literal refilled from the full statement's digest, exactly as Bind does.
// ANTLR (and its process-wide mutex) sees a handful of rows instead of
// thousands; the rest is one pass over the bytes between the literals.
//
// Anything else (an expression, a comment or a literal outside the rows, rows
// of different widths, a template of an unexpected shape) makes Reduce or
// Expand return false, and the caller parses the full statement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parser/digest/digest.h"
#include "parser/sql_mode.h"
#include "parser/statement.h"

namespace shardproxy::parser {

// Scratch state of one CachedParser's miss path (per thread, not thread-safe);
// buffers are reused between statements.
class ValuesRowForms {
 public:
  // Step 1. When `sql` (digest `d`, lexed under `mode`) is INSERT/REPLACE ...
  // VALUES with at least two rows of plain values, no literal outside the
  // rows, and fewer distinct forms per column than rows: writes the reduced
  // statement to *reduced and returns true.
  bool Reduce(std::string_view sql, const Digest& d, SqlMode mode, std::string* reduced);

  // Step 2, after a successful Reduce of the same `sql`/`d`: `tmpl` is the
  // parse of *reduced and `rd` its digest. Builds the model of `sql` into
  // *out (equal to a cold parse of `sql`) and returns true; false when `tmpl`
  // is not what the reduction expects (e.g. VALUES was not the insert's row
  // list), and *out is then unspecified.
  bool Expand(Statement tmpl, const Digest& rd, std::string_view sql, const Digest& d,
              Statement* out);

  // Frees buffers that grew above `keep_bytes` (after a huge statement).
  void Trim(size_t keep_bytes);

 private:
  enum class FormType : uint8_t { kLiteral, kNegative, kNull, kTrue, kFalse, kDefault };
  struct Form {
    FormType type = FormType::kNull;
    LiteralKind kind = LiteralKind::kString;  // kLiteral / kNegative
    uint32_t intro_begin = 0;                 // introducer bytes sql[intro_begin, +intro_len)
    uint32_t intro_len = 0;
    uint32_t begin = 0;  // the first value of this form in the column: sql[begin, end)
    uint32_t end = 0;
    bool has_literal() const { return type == FormType::kLiteral || type == FormType::kNegative; }
  };
  static constexpr size_t kMaxFormsPerColumn = 32;
  static constexpr size_t kMaxColumns = 4096;

  // Reads one value at *pos (blanks skipped): its form, consuming a digest literal.
  bool ScanValue(uint32_t* pos, Form* f);
  // Index of `f` among the forms of `column`, added if new; -1 if too many.
  int FormIndex(uint32_t column, const Form& f);

  std::string_view sql_;
  const Digest* d_ = nullptr;
  uint32_t next_literal_ = 0;  // scan position in d_->literals
  uint32_t width_ = 0;         // values per row
  uint32_t rows_ = 0;
  uint32_t reduced_rows_ = 0;             // rows of the reduced statement
  std::vector<std::vector<Form>> forms_;  // per column, in order of first appearance
  std::vector<uint8_t> value_form_;       // per value (row-major): index into forms_[column]
  std::vector<int32_t> expect_literal_;   // per reduced value: its literal index in *reduced, or -1
  std::vector<SourceRange> value_ranges_;  // per value (row-major): its bytes in sql_
  std::vector<SourceRange> row_ranges_;    // per row: "(...)" in sql_
  uint32_t row0_end_ = 0;                  // end of row 0 (sql_ and *reduced agree before it)
  uint32_t reduced_suffix_ = 0;            // where what follows the rows starts in *reduced
  uint32_t suffix_ = 0;                    // ... and in sql_
};

}  // namespace shardproxy::parser
