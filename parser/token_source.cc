#include "parser/token_source.h"

#include <string_view>
#include <unordered_map>
#include <vector>

#include "MySQLLexer.h"
#include "parser/digest/lexer.h"

namespace shardproxy::parser {
namespace {

using internal::TokenType;
using sp_antlr::MySQLLexer;

// MariaDB runs /*!NNNNN and /*M!NNNNNN comments up to its version id.
constexpr long kServerVersionId = 101119;

// Upper-case word -> keyword token type, from the generated lexer's literal
// names ('SELECT' -> SELECT). Built once.
class KeywordTable {
 public:
  KeywordTable() {
    const antlr4::dfa::Vocabulary& v = MySQLLexer(nullptr).getVocabulary();
    size_t max = v.getMaxTokenType();
    words_.reserve(max + 1);
    for (size_t t = 1; t <= max; ++t) {
      std::string lit = v.getLiteralName(t);
      if (lit.size() < 3 || lit.front() != '\'' || lit.back() != '\'') continue;
      std::string w = lit.substr(1, lit.size() - 2);
      bool word = true;
      for (char c : w) word &= (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!word || !(w[0] >= 'A' && w[0] <= 'Z')) continue;
      words_.push_back(std::move(w));
      types_.push_back(t);
    }
    for (size_t i = 0; i < words_.size(); ++i) map_.emplace(words_[i], types_[i]);
  }
  // 0 when `upper` is not a keyword.
  size_t Find(std::string_view upper) const {
    auto it = map_.find(upper);
    return it == map_.end() ? 0 : it->second;
  }

 private:
  std::vector<std::string> words_;
  std::vector<size_t> types_;
  std::unordered_map<std::string_view, size_t> map_;
};

const KeywordTable& Keywords() {
  static const KeywordTable* table = new KeywordTable();
  return *table;
}

// Built-in function names that are keywords only directly before '('.
bool IsFunctionWord(size_t type) {
  switch (type) {
    case MySQLLexer::COUNT:
    case MySQLLexer::SUM:
    case MySQLLexer::MIN:
    case MySQLLexer::MAX:
    case MySQLLexer::GROUP_CONCAT:
    case MySQLLexer::CAST:
    case MySQLLexer::EXTRACT:
    case MySQLLexer::POSITION:
    case MySQLLexer::SUBSTR:
    case MySQLLexer::SUBSTRING:
    case MySQLLexer::TRIM:
      return true;
    default:
      return false;
  }
}

size_t LiteralType(LiteralKind k) {
  switch (k) {
    case LiteralKind::kString:
      return MySQLLexer::TEXT_STRING;
    case LiteralKind::kInteger:
      return MySQLLexer::INT_NUM;
    case LiteralKind::kDecimal:
      return MySQLLexer::DECIMAL_NUM;
    case LiteralKind::kFloat:
      return MySQLLexer::FLOAT_NUM;
    case LiteralKind::kHex:
      return MySQLLexer::HEX_NUM;
    case LiteralKind::kBit:
      return MySQLLexer::BIN_NUM;
    case LiteralKind::kPlaceholder:
      return MySQLLexer::PARAM_MARKER;
  }
  return MySQLLexer::OTHER_CHAR;
}

}  // namespace

DigestTokenSource::DigestTokenSource(ByteCharStream* input, SqlMode mode)
    : input_(input), sql_(input->sql()), mode_(mode), lexer_(sql_, mode), source_(this, input) {}

std::unique_ptr<antlr4::Token> DigestTokenSource::Make(size_t type, uint32_t begin, uint32_t end,
                                                       size_t channel) {
  // stop = end - 1 (SIZE_MAX for an empty token at 0, as ANTLR's EOF has)
  return std::make_unique<antlr4::CommonToken>(source_, type, channel, begin,
                                               static_cast<size_t>(end) - 1);
}

size_t DigestTokenSource::WordType(const internal::Token& t) const {
  std::string_view w = sql_.substr(t.begin, t.end - t.begin);
  if (t.ident_only || w.size() > 32) return MySQLLexer::IDENT;
  if (w[0] == '_' && w.size() > 1 && internal::IsCharsetName(w.substr(1))) {
    return MySQLLexer::UNDERSCORE_CHARSET;
  }
  char buf[32];
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    buf[i] = c;
  }
  size_t type = Keywords().Find(std::string_view(buf, w.size()));
  if (type == 0) return MySQLLexer::IDENT;
  if (IsFunctionWord(type) && !mode_.ignore_space && (t.end >= sql_.size() || sql_[t.end] != '(')) {
    return MySQLLexer::IDENT;
  }
  return type;
}

size_t DigestTokenSource::PunctType(const internal::Token& t) const {
  std::string_view p = sql_.substr(t.begin, t.end - t.begin);
  if (p.size() == 3) return p == "<=>" ? MySQLLexer::NULL_SAFE_EQ : MySQLLexer::OTHER_CHAR;
  if (p.size() == 2) {
    if (p == "<=") return MySQLLexer::LE;
    if (p == ">=") return MySQLLexer::GE;
    if (p == "<>" || p == "!=") return MySQLLexer::NE;
    if (p == "<<") return MySQLLexer::SHL;
    if (p == ">>") return MySQLLexer::SHR;
    if (p == "&&") return MySQLLexer::AND2;
    if (p == "||") return mode_.pipes_as_concat ? MySQLLexer::CONCAT_PIPES : MySQLLexer::OR2;
    if (p == ":=") return MySQLLexer::ASSIGN;
    return MySQLLexer::OTHER_CHAR;  // \N
  }
  switch (p[0]) {
    case '=':
      return MySQLLexer::EQ;
    case '<':
      return MySQLLexer::LT;
    case '>':
      return MySQLLexer::GT;
    case '+':
      return MySQLLexer::PLUS;
    case '-':
      return MySQLLexer::MINUS;
    case '*':
      return MySQLLexer::STAR;
    case '/':
      return MySQLLexer::SLASH;
    case '%':
      return MySQLLexer::PERCENT;
    case '^':
      return MySQLLexer::CARET;
    case '&':
      return MySQLLexer::AMP;
    case '|':
      return MySQLLexer::PIPE;
    case '~':
      return MySQLLexer::TILDE;
    case '!':
      return MySQLLexer::BANG;
    case '(':
      return MySQLLexer::LPAREN;
    case ')':
      return MySQLLexer::RPAREN;
    case ',':
      return MySQLLexer::COMMA;
    case '.':
      return MySQLLexer::DOT;
    case ';':
      return MySQLLexer::SEMI;
    case ':':
      return MySQLLexer::COLON;
    case '{':
      return MySQLLexer::LBRACE;
    case '}':
      return MySQLLexer::RBRACE;
    default:
      return MySQLLexer::OTHER_CHAR;
  }
}

bool DigestTokenSource::SkipComment(uint32_t) {
  internal::Token t;
  while (lexer_.Next(&t)) {
    if (t.type == TokenType::kExecClose || t.type == TokenType::kEnd) return true;
  }
  return false;
}

std::unique_ptr<antlr4::Token> DigestTokenSource::nextToken() {
  if (pending_) return std::move(pending_);
  const uint32_t n = static_cast<uint32_t>(sql_.size());
  for (;;) {
    internal::Token t;
    if (done_ || !lexer_.Next(&t)) {
      if (!done_) {
        // A lexical error (the digest normally refuses these first): a token
        // the grammar never expects, at the error, then EOF.
        done_ = true;
        uint32_t at = lexer_.error_offset();
        if (at < n) return Make(MySQLLexer::OTHER_CHAR, at, at + 1);
      }
      return Make(antlr4::Token::EOF, n, n);
    }
    switch (t.type) {
      case TokenType::kEnd:
        done_ = true;
        return Make(antlr4::Token::EOF, n, n);
      case TokenType::kWord:
        return Make(WordType(t), t.begin, t.end);
      case TokenType::kQuotedIdent:
        return Make(sql_[t.begin] == '`' ? MySQLLexer::BQ_IDENT : MySQLLexer::DQ_IDENT, t.begin,
                    t.end);
      case TokenType::kLiteral: {
        size_t type = LiteralType(t.literal_kind);
        if (t.literal_begin == t.begin) return Make(type, t.begin, t.end);
        if (sql_[t.begin] != '_') return Make(MySQLLexer::NCHAR_STRING, t.begin, t.end);  // N'..'
        pending_ = Make(type, t.literal_begin, t.end);
        return Make(MySQLLexer::UNDERSCORE_CHARSET, t.begin, t.intro_end);
      }
      case TokenType::kPunct:
        return Make(PunctType(t), t.begin, t.end);
      case TokenType::kVariable: {
        if (t.end - t.begin == 1) return Make(MySQLLexer::AT_SIGN, t.begin, t.end);
        bool system = t.end - t.begin >= 2 && sql_[t.begin + 1] == '@';
        if (system) {
          // @@name, @@scope.name, @@`name`, @@scope.`name`; "@@", "@@x." are errors.
          std::string_view rest = sql_.substr(t.begin + 2, t.end - t.begin - 2);
          if (rest.empty() || rest.back() == '.' || rest.front() == '.' ||
              rest.find("..") != std::string_view::npos) {
            return Make(MySQLLexer::OTHER_CHAR, t.begin, t.end);
          }
        }
        return Make(system ? MySQLLexer::SYSTEM_VAR : MySQLLexer::USER_VAR, t.begin, t.end);
      }
      case TokenType::kHint:
        return Make(MySQLLexer::HINT, t.begin, t.end, antlr4::Token::HIDDEN_CHANNEL);
      case TokenType::kExecOpen: {
        // "/*!", "/*M!" plus up to 6 digits. A version of 5 or 6 digits decides;
        // fewer digits are not a version but the body's first token.
        std::string_view m = sql_.substr(t.begin, t.end - t.begin);
        size_t bang = m.find('!');
        bool maria = bang == 3;
        std::string_view digits = m.substr(bang + 1);
        long version = 0;
        if (digits.size() >= 5) {
          for (char c : digits) version = version * 10 + (c - '0');
        } else if (!digits.empty()) {
          uint32_t b = t.begin + static_cast<uint32_t>(bang) + 1;
          return Make(MySQLLexer::INT_NUM, b, t.end);
        }
        if (version <= kServerVersionId && (version < 50700 || version > 99999 || maria)) {
          continue;  // executed: its body is SQL
        }
        if (!SkipComment(t.end)) continue;  // the error surfaces on the next Next()
        continue;
      }
      case TokenType::kExecClose:
        continue;
    }
  }
}

}  // namespace shardproxy::parser
