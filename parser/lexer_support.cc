// The hand-written parts of the ANTLR lexer (declared in MySQLLexer.g4's
// @lexer::members): mode-dependent quoting, executable comments, charset
// introducers and "||".
#include <cctype>
#include <string>

#include "MySQLLexer.h"
#include "parser/byte_char_stream.h"
#include "parser/digest/lexer.h"

namespace sp_antlr {

namespace {

// MariaDB executes /*!NNNNN ... */ and /*M!NNNNNN ... */ when NNNNN(N) is not
// above its version id; the sandbox and the backends run 10.11.
constexpr long kServerVersionId = 101119;

}  // namespace

// The opening quote has been matched; consume up to and including the closing
// one. '' (or "") inside is an escaped quote; a backslash escapes the next
// byte unless NO_BACKSLASH_ESCAPES (or the token is an ANSI_QUOTES identifier).
void MySQLLexer::LexQuoted(size_t quote) {
  bool ident = quote == '"' && ansi_quotes;
  bool backslash = !no_backslash_escapes && !ident;
  for (;;) {
    size_t c = _input->LA(1);
    if (c == antlr4::IntStream::EOF) {
      setType(UNTERMINATED);
      return;
    }
    _input->consume();
    if (backslash && c == '\\') {
      if (_input->LA(1) == antlr4::IntStream::EOF) {
        setType(UNTERMINATED);
        return;
      }
      _input->consume();
      continue;
    }
    if (c == quote) {
      if (_input->LA(1) == quote) {
        _input->consume();
        continue;
      }
      break;
    }
  }
  if (quote == '"') setType(ident ? DQ_IDENT : TEXT_STRING);
}

// Matched "/*!", "/*M!" plus any digits. A version of 5 or 6 digits decides
// whether the body is SQL (skip just the marker; EXEC_CLOSE skips the "*/") or
// a comment (skip through "*/"). Other digit runs belong to the body.
// As in MariaDB's lexer, "/*!" versions 50700..99999 are MySQL 5.7/8.0 syntax
// and stay comments; "/*M!" with the same numbers is executed.
void MySQLLexer::OnExecCommentOpen() {
  size_t start = tokenStartCharIndex;
  std::string text = getText();
  size_t bang = text.find('!');
  std::string digits = text.substr(bang + 1);
  long version = 0;
  if (digits.size() >= 5) {
    size_t n = digits.size() >= 6 ? 6 : 5;
    version = std::stol(digits.substr(0, n));
    _input->seek(start + bang + 1 + n);
  } else {
    _input->seek(start + bang + 1);
  }
  bool maria = text.size() > 2 && (text[2] == 'M' || text[2] == 'm');
  if (version <= kServerVersionId && (version < 50700 || version > 99999 || maria)) {
    ++exec_comment_depth;
    skip();
    return;
  }
  // Not for this server: a plain comment.
  for (;;) {
    size_t c = _input->LA(1);
    if (c == antlr4::IntStream::EOF) {
      setType(UNTERMINATED);
      return;
    }
    _input->consume();
    if (c == '*' && _input->LA(1) == '/') {
      _input->consume();
      skip();
      return;
    }
  }
}

std::unique_ptr<antlr4::Token> MySQLLexer::nextToken() {
  for (;;) {
    size_t c = _input->LA(1);
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0B) break;
    _input->consume();
  }
  return antlr4::Lexer::nextToken();
}

// Matched "*/". Inside an executable comment it closes the comment (skipped);
// elsewhere it is a '*' (STAR) and the '/' starts the next token.
void MySQLLexer::OnExecClose() {
  if (exec_comment_depth > 0) {
    --exec_comment_depth;
    skip();
    return;
  }
  _input->seek(tokenStartCharIndex + 1);
  setType(STAR);
}

// "_name": a character set introducer (_utf8mb4'x', _binary 0x41) when name is
// a known character set, else an ordinary identifier.
void MySQLLexer::OnUnderscoreWord() {
  std::string text = getText();
  setType(shardproxy::parser::internal::IsCharsetName(std::string_view(text).substr(1))
              ? UNDERSCORE_CHARSET
              : IDENT);
}

void MySQLLexer::OnPipes() { setType(pipes_as_concat ? CONCAT_PIPES : OR2); }

}  // namespace sp_antlr
