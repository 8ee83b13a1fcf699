// ParseStatement: lex + depth check + SLL parse (LL fallback) + model build,
// all under one mutex (ANTLR 4.9's shared DFA and context cache are not
// thread-safe). Exceptions from ANTLR are caught here and become a Status.
#include "parser/parser.h"

#include <antlr4-runtime.h>

#include <memory>
#include <mutex>

#include "MySQLLexer.h"
#include "MySQLParser.h"
#include "common/errors.h"
#include "parser/byte_char_stream.h"
#include "parser/model_builder.h"
#include "parser/token_source.h"

namespace shardproxy::parser {
namespace {

using sp_antlr::MySQLLexer;
using sp_antlr::MySQLParser;

// Thrown by the error listener on the first syntax error, caught in Parse().
struct SyntaxError {
  size_t offset;
};

class FirstErrorListener : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    size_t offset = sql_size_;
    if (offending != nullptr && offending->getType() != antlr4::Token::EOF) {
      offset = offending->getStartIndex();
    }
    throw SyntaxError{offset};
  }
  size_t sql_size_ = 0;
};

// One lexer/parser pair, reused for every parse (under g_mutex).
struct Engine {
  ByteCharStream empty{std::string_view()};
  MySQLLexer lexer{&empty};
  antlr4::CommonTokenStream tokens{&lexer};
  MySQLParser parser{&tokens};
  FirstErrorListener listener;
  std::shared_ptr<antlr4::ANTLRErrorStrategy> bail = std::make_shared<antlr4::BailErrorStrategy>();
  std::shared_ptr<antlr4::ANTLRErrorStrategy> normal =
      std::make_shared<antlr4::DefaultErrorStrategy>();

  Engine() {
    lexer.removeErrorListeners();
    parser.removeErrorListeners();
  }
};

std::mutex g_mutex;

Engine& GetEngine() {
  static Engine* engine = new Engine();  // never destroyed: used until exit
  return *engine;
}

bool IsPrefixOperator(size_t type) {
  switch (type) {
    case MySQLLexer::NOT:
    case MySQLLexer::BANG:
    case MySQLLexer::MINUS:
    case MySQLLexer::PLUS:
    case MySQLLexer::TILDE:
    case MySQLLexer::BINARY:
      return true;
    default:
      return false;
  }
}

// Nesting: open parentheses and CASE..END plus the current run of prefix
// operators. Every level costs a handful of recursive ANTLR rule calls.
Status CheckDepth(antlr4::CommonTokenStream& tokens, int max_depth) {
  int depth = 0;
  int run = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = t->getType();
    if (type == MySQLLexer::LPAREN || type == MySQLLexer::CASE) {
      ++depth;
    } else if (type == MySQLLexer::RPAREN || type == MySQLLexer::END) {
      if (depth > 0) --depth;
    }
    run = IsPrefixOperator(type) ? run + 1 : 0;
    if (depth + run > max_depth) {
      return Status::Error(errors::kStackOverrun.code, errors::kStackOverrun.sqlstate,
                           "Statement nesting too deep: more than " + std::to_string(max_depth) +
                               " levels of parentheses, CASE or prefix operators");
    }
  }
  return Status::Ok();
}

Result<Statement> ParseLocked(Engine& e, ByteCharStream& input, const Digest& digest,
                              const ParseOptions& options) {
  std::string_view sql = input.sql();
  e.lexer.setInputStream(&input);
  e.lexer.ansi_quotes = options.mode.ansi_quotes;
  e.lexer.no_backslash_escapes = options.mode.no_backslash_escapes;
  e.lexer.pipes_as_concat = options.mode.pipes_as_concat;
  e.lexer.ignore_space = options.mode.ignore_space;
  e.lexer.exec_comment_depth = 0;
  // Tokens come from the digest lexer (DigestTokenSource), not the ANTLR
  // lexer: same token types, a fraction of the cost.
  DigestTokenSource source(&input, options.mode);
  e.tokens.setTokenSource(&source);
  e.tokens.fill();
  SP_RETURN_IF_ERROR(CheckDepth(e.tokens, options.max_depth));

  // No SQL token at all: MariaDB answers ER_EMPTY_QUERY for blanks and ';'
  // only, and OK for a statement of comments (a dump's
  // /*M!999999\- enable the sandbox mode */, a /*!80000 ... */ for MySQL 8).
  bool any_token = false;
  for (antlr4::Token* t : e.tokens.getTokens()) {
    size_t type = t->getType();
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL && type != antlr4::Token::EOF &&
        type != MySQLLexer::SEMI) {
      any_token = true;
      break;
    }
  }
  if (!any_token) {
    bool comment = false;
    for (char c : sql) {
      if (c != ';' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
        comment = true;
        break;
      }
    }
    if (!comment) {
      return Status::Error(errors::kEmptyQuery.code, errors::kEmptyQuery.sqlstate,
                           "Query was empty");
    }
    return BuildEmptyStatement(e.tokens, digest, options.mode);
  }

  e.listener.sql_size_ = sql.size();
  auto* interp = e.parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  MySQLParser::RootContext* root = nullptr;

  // Pass 1: SLL, bail out on the first error.
  e.parser.setTokenStream(&e.tokens);
  e.parser.getTreeTracker().reset();
  e.parser.removeErrorListeners();
  e.parser.setErrorHandler(e.bail);
  interp->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    root = e.parser.root();
  } catch (const antlr4::ParseCancellationException&) {
    root = nullptr;
  }
  if (root == nullptr) {
    // Pass 2: full LL; the first reported error is the answer.
    e.tokens.seek(0);
    e.parser.setTokenStream(&e.tokens);
    e.parser.getTreeTracker().reset();
    e.parser.setErrorHandler(e.normal);
    e.parser.addErrorListener(&e.listener);
    interp->setPredictionMode(antlr4::atn::PredictionMode::LL);
    try {
      root = e.parser.root();
    } catch (const SyntaxError& err) {
      e.parser.removeErrorListeners();
      return SyntaxErrorAt(sql, err.offset);
    }
    e.parser.removeErrorListeners();
  }
  return BuildStatement(root, e.tokens, sql, digest, options.mode);
}

}  // namespace

Result<Statement> ParseStatement(std::string_view sql, const Digest& digest,
                                 const ParseOptions& options) {
  std::lock_guard<std::mutex> lock(g_mutex);
  Engine& e = GetEngine();
  Result<Statement> result = Status::Bug("parse did not run");
  // Lives until the lexer is pointed back at e.empty below (Lexer::setInputStream
  // rewinds the previous stream, so it must still exist then).
  ByteCharStream input(sql);
  try {
    result = ParseLocked(e, input, digest, options);
  } catch (const SyntaxError& err) {
    result = SyntaxErrorAt(sql, err.offset);
  } catch (const std::exception& ex) {
    result = Status::Bug(std::string("ANTLR: ") + ex.what());
  } catch (...) {
    result = Status::Bug("ANTLR: unknown exception");
  }
  // Drop the tree and tokens now; the input stream dies with this call.
  e.parser.getTreeTracker().reset();
  e.lexer.setInputStream(&e.empty);
  e.tokens.setTokenSource(&e.lexer);
  return result;
}

Result<Statement> ParseStatement(std::string_view sql, const ParseOptions& options) {
  Result<Digest> d = ComputeDigest(sql, options.mode);
  if (!d.ok()) return d.status();
  return ParseStatement(sql, *d, options);
}

void WarmUp() {
  static const char* const kStatements[] = {
      "SELECT * FROM t WHERE id = 1",
      "SELECT a, b FROM t WHERE id = ? AND k IN (1, 2, 3) ORDER BY a DESC LIMIT 10",
      "SELECT COUNT(*), SUM(x) FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.k BETWEEN 1 AND 5 "
      "GROUP BY t1.a HAVING COUNT(*) > 1",
      "SELECT * FROM t WHERE id = 1 FOR UPDATE",
      "INSERT INTO t (a, b, c) VALUES (1, 'x', NULL), (2, 'y', NOW())",
      "INSERT INTO t SET a = 1 ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "UPDATE t SET a = a + 1, b = 'x' WHERE id = 5",
      "DELETE FROM t WHERE id IN (1, 2)",
      "REPLACE INTO t VALUES (1, 2)",
      "BEGIN",
      "COMMIT",
      "ROLLBACK",
      "SET autocommit = 1",
      "SET NAMES utf8mb4",
      "USE db",
      "SHOW TABLES",
      "SELECT @@version_comment LIMIT 1",
      "CREATE TABLE t (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10)) "
      "ENGINE=InnoDB DBPARTITION BY HASH(id)",
  };
  for (const char* sql : kStatements) (void)ParseStatement(sql);
}

}  // namespace shardproxy::parser
