// Parse tree -> Statement. See parser/statement.h for what each field means.
//
// Recursion: the parse tree of a long operator chain (a OR b OR c ...) is as
// deep as the chain, so generic walks here use an explicit stack; the only
// recursive helpers descend through parentheses / prefix operators, whose
// depth ParseStatement bounded before parsing.
#include "parser/model_builder.h"

#include <antlr4-runtime.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "MySQLLexer.h"
#include "MySQLParser.h"
#include "parser/digest/lexer.h"

namespace shardproxy::parser {
namespace {

using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using sp_antlr::MySQLLexer;
using P = sp_antlr::MySQLParser;

// Token classes, computed once from the vocabulary.
struct TokenClasses {
  std::vector<bool> keyword;  // by token type: a word-like keyword ('SELECT')
  TokenClasses() {
    const antlr4::dfa::Vocabulary& v = MySQLLexer(nullptr).getVocabulary();
    size_t max = v.getMaxTokenType();
    keyword.assign(max + 1, false);
    for (size_t t = 1; t <= max; ++t) {
      std::string lit = v.getLiteralName(t);
      if (lit.size() > 2 && lit.front() == '\'' &&
          std::isalpha(static_cast<unsigned char>(lit[1]))) {
        keyword[t] = true;
      }
    }
  }
};
const TokenClasses& Classes() {
  static const TokenClasses* c = new TokenClasses();
  return *c;
}

bool IsLiteralToken(size_t type) {
  switch (type) {
    case MySQLLexer::TEXT_STRING:
    case MySQLLexer::NCHAR_STRING:
    case MySQLLexer::INT_NUM:
    case MySQLLexer::DECIMAL_NUM:
    case MySQLLexer::FLOAT_NUM:
    case MySQLLexer::HEX_NUM:
    case MySQLLexer::BIN_NUM:
    case MySQLLexer::PARAM_MARKER:
      return true;
    default:
      return false;
  }
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The bytes of a rule's tokens (token indexes are byte offsets), and the
// insertion point just after them.
SourceRange RangeOf(antlr4::ParserRuleContext* c) {
  return {static_cast<uint32_t>(c->getStart()->getStartIndex()),
          static_cast<uint32_t>(c->getStop()->getStopIndex() + 1)};
}
SourceRange After(antlr4::ParserRuleContext* c) {
  uint32_t end = RangeOf(c).end;
  return {end, end};
}

// Unquotes `x`, "x" (ANSI_QUOTES) and returns other identifiers verbatim.
std::string UnquoteIdent(const std::string& t) {
  if (t.size() >= 2 && (t.front() == '`' || t.front() == '"') && t.back() == t.front()) {
    char q = t.front();
    std::string out;
    out.reserve(t.size() - 2);
    for (size_t i = 1; i + 1 < t.size(); ++i) {
      out.push_back(t[i]);
      if (t[i] == q && i + 2 < t.size() && t[i + 1] == q) ++i;
    }
    return out;
  }
  return t;
}

// @name, @`name`, @'name', @"name" -> name.
std::string UnquoteVar(std::string t) {
  while (!t.empty() && t.front() == '@') t.erase(0, 1);
  if (t.size() >= 2 && (t.front() == '`' || t.front() == '\'' || t.front() == '"') &&
      t.back() == t.front()) {
    return UnquoteIdent("`" + t.substr(1, t.size() - 2) + "`");
  }
  return t;
}

// Exact-type checks. dynamic_cast is slow here (every failing cast walks the
// class hierarchy comparing type names with strcmp), and the tree only holds
// most-derived context classes, so comparing type_info addresses is exact:
// every context class has a key function (getRuleIndex) defined in the
// generated MySQLParser.cpp, linked statically, so its type_info is unique in
// the program; TerminalNodeImpl's lives once in libantlr4-runtime.
template <typename T>
bool Is(ParseTree* t) {
  return &typeid(*t) == &typeid(T);
}
template <typename T>
T* As(ParseTree* t) {
  return (t != nullptr && Is<T>(t)) ? static_cast<T*>(t) : nullptr;
}
bool IsTerminal(ParseTree* t) {
  return Is<antlr4::tree::TerminalNodeImpl>(t) || Is<antlr4::tree::ErrorNodeImpl>(t);
}
// The rule a non-terminal node belongs to (any alternative); SIZE_MAX for terminals.
size_t RuleOf(ParseTree* t) {
  if (t == nullptr || IsTerminal(t)) return static_cast<size_t>(-1);
  return static_cast<ParserRuleContext*>(t)->getRuleIndex();
}
// i-th child of exact type T (ANTLR's accessors use dynamic_cast).
template <typename T>
T* Child(ParserRuleContext* c, size_t i = 0) {
  for (ParseTree* ch : c->children) {
    if (Is<T>(ch) && i-- == 0) return static_cast<T*>(ch);
  }
  return nullptr;
}
// The child of rule `rule` (any alternative), e.g. an expr or simpleExpr.
ParserRuleContext* RuleChild(ParserRuleContext* c, size_t rule, size_t i = 0) {
  for (ParseTree* ch : c->children) {
    if (RuleOf(ch) == rule && i-- == 0) return static_cast<ParserRuleContext*>(ch);
  }
  return nullptr;
}
// Whether `c` has a terminal child of token type `type`.
bool HasToken(ParserRuleContext* c, size_t type) {
  for (ParseTree* ch : c->children) {
    if (IsTerminal(ch) && static_cast<TerminalNode*>(ch)->getSymbol()->getType() == type)
      return true;
  }
  return false;
}

class Builder {
 public:
  Builder(antlr4::CommonTokenStream& tokens, std::string_view sql, const Digest& d, SqlMode mode)
      : tokens_(tokens), sql_(sql), d_(d), mode_(mode) {}

  Result<Statement> Build(P::RootContext* root) {
    st_.literals = d_.literals;
    for (const Literal& l : d_.literals) {
      if (l.kind == LiteralKind::kPlaceholder) ++st_.placeholder_count;
    }
    for (Token* t : tokens_.getTokens()) {
      if (t->getType() == MySQLLexer::HINT) st_.hints.push_back(t->getText());
    }
    IndexTree(root);
    CollectTables();
    P::StatementContext* s = root->statement();
    AllBlockPredicates();
    BuildStatement(s);
    st_.inner_kind = st_.kind;
    if (session_bound_expr_ || SessionBoundShow()) {
      st_.session_bound = true;
      st_.read_only = false;
    }
    if (auto* ex = dynamic_cast<P::ExplainShardingContext*>(s->explainStmt())) {
      st_.kind = StatementKind::kExplainSharding;
      st_.read_only = true;
      st_.has_side_effects = false;
      st_.session_bound = false;
      (void)ex;
    } else if (auto* eq = dynamic_cast<P::ExplainQueryContext*>(s->explainStmt())) {
      st_.kind = StatementKind::kExplain;
      st_.read_only = true;
      st_.has_side_effects = false;
      st_.session_bound = false;
      (void)eq;
    } else if (auto* an = dynamic_cast<P::AnalyzeQueryContext*>(s->explainStmt())) {
      // ANALYZE runs the statement: it keeps the inner statement's flags.
      st_.kind = StatementKind::kAnalyze;
      (void)an;
    }
    return std::move(st_);
  }

  bool rebind_by_parse() const { return rebind_by_parse_; }

  // SHOW WARNINGS / ERRORS / COUNT(*) WARNINGS / PROFILE(S): the previous
  // statement's diagnostics / profile on this session's connection.
  bool SessionBoundShow() const {
    if (st_.kind != StatementKind::kShow) return false;
    const std::string& w = st_.show_what;
    return w == "WARNINGS" || w == "ERRORS" || w == "COUNT(*) WARNINGS" || w == "COUNT(*) ERRORS" ||
           w.rfind("PROFILE", 0) == 0;
  }

 private:
  // ------------------------------------------------------------ tree index
  // One pre-order pass (explicit stack) remembering the nodes we look up later.
  void IndexTree(ParseTree* root) {
    std::vector<std::pair<ParseTree*, int>> stack;  // node, subquery depth
    stack.reserve(64);
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto [node, depth] = stack.back();
      stack.pop_back();
      int child_depth = depth;
      switch (RuleOf(node)) {
        case P::RuleSubquery:
          st_.has_subquery = true;
          child_depth = depth + 1;
          break;
        case P::RuleQuerySpecification:
        case P::RuleUpdateStmt:
        case P::RuleDeleteStmt:
          block_index_[node] = static_cast<int>(blocks_.size());
          blocks_.push_back(Block{static_cast<ParserRuleContext*>(node), depth});
          break;
        case P::RuleTableName:
          table_names_.push_back({static_cast<P::TableNameContext*>(node), depth});
          break;
        case P::RuleTableFactor:
          if (auto* dt = As<P::DerivedTableContext>(node)) {
            if (int b = BlockOf(node); b >= 0) {
              blocks_[b].other_sources.push_back(OutputNames(dt->subquery(), dt->columnNameList()));
            }
          }
          break;
        case P::RuleCte:
          cte_names_.emplace(Ident(static_cast<P::CteContext*>(node)->identifier()),
                             static_cast<P::CteContext*>(node));
          st_.has_subquery = true;
          break;
        case P::RuleOverClause:
          st_.has_window = true;
          break;
        case P::RuleRoutineBody:
          continue;  // a stored program's body: parsed, not part of this statement's model
        case P::RuleIdentKeyword:
          ident_keyword_tokens_.insert(
              static_cast<ParserRuleContext*>(node)->getStart()->getTokenIndex());
          break;
        case P::RuleSimpleExpr:
          if (auto* seq = As<P::SequenceExprContext>(node)) {
            std::vector<P::IdentifierContext*> ids = seq->tableName()->identifier();
            AddSequence(seq->PREVIOUS() ? SequenceCall::Op::kPrevious : SequenceCall::Op::kNext,
                        ids.size() == 2 ? Ident(ids[0]) : "", Ident(ids.back()), RangeOf(seq));
            if (seq->PREVIOUS()) {
              session_bound_expr_ = true;  // the session's last NEXT VALUE
            } else {
              side_effect_expr_ = true;
            }
          } else if (As<P::AssignExprContext>(node)) {
            side_effect_expr_ = true;
          } else if (auto* sv = As<P::SystemVarExprContext>(node);
                     sv && SessionBoundVariable(sv->SYSTEM_VAR()->getText())) {
            session_bound_expr_ = true;
          }
          break;
        case P::RuleFunctionCall:
          AddFunction(static_cast<ParserRuleContext*>(node));
          if (auto* g = As<P::GenericCallContext>(node)) {
            if (SideEffectFunction(g)) side_effect_expr_ = true;
            if (SessionBoundFunction(g)) session_bound_expr_ = true;
            SequenceFunction(g);
          }
          break;
        default:
          break;
      }
      for (size_t i = node->children.size(); i-- > 0;) {
        if (!IsTerminal(node->children[i])) stack.push_back({node->children[i], child_depth});
      }
    }
  }

  // Statement::functions: a call's lower-case name, once.
  void AddFunction(ParserRuleContext* call) {
    std::string name;
    if (auto* g = As<P::GenericCallContext>(call)) {
      for (P::IdentifierContext* id : g->qualifiedIdentifier()->identifier()) {
        if (!name.empty()) name += '.';
        name += Lower(Ident(id));
      }
    } else {
      name = Lower(call->getStart()->getText());  // the keyword: COUNT, CAST, IF, ...
    }
    if (std::find(st_.functions.begin(), st_.functions.end(), name) == st_.functions.end()) {
      st_.functions.push_back(std::move(name));
    }
  }

  void AddSequence(SequenceCall::Op op, std::string schema, std::string name, SourceRange range) {
    st_.sequences.push_back(SequenceCall{op, std::move(schema), std::move(name), range});
  }
  // NEXTVAL(s), LASTVAL(s), SETVAL(s, ...) naming s or db.s.
  void SequenceFunction(P::GenericCallContext* g) {
    std::vector<P::IdentifierContext*> ids = g->qualifiedIdentifier()->identifier();
    if (ids.size() != 1 || g->exprList() == nullptr) return;
    std::string fn = Upper(Ident(ids[0]));
    SequenceCall::Op op;
    if (fn == "NEXTVAL") {
      op = SequenceCall::Op::kNext;
    } else if (fn == "LASTVAL") {
      op = SequenceCall::Op::kPrevious;
    } else if (fn == "SETVAL") {
      op = SequenceCall::Op::kSet;
    } else {
      return;
    }
    ColumnInfo c;
    if (!ColumnOf(g->exprList()->expr(0), &c) || !c.schema.empty()) return;
    AddSequence(op, c.table, c.column, RangeOf(g));
  }

  // Functions that change server or session state: named locks, sequences,
  // LAST_INSERT_ID(expr). A SELECT calling them is not read-only.
  bool SideEffectFunction(P::GenericCallContext* g) const {
    std::vector<P::IdentifierContext*> ids = g->qualifiedIdentifier()->identifier();
    if (ids.size() != 1) return false;
    std::string name = Upper(Ident(ids[0]));
    if (name == "LAST_INSERT_ID") return g->exprList() != nullptr;
    return name == "GET_LOCK" || name == "RELEASE_LOCK" || name == "RELEASE_ALL_LOCKS" ||
           name == "NEXTVAL" || name == "SETVAL";
  }

  // Functions that read what this session's earlier statements left on
  // their backend connection (see Statement::session_bound).
  bool SessionBoundFunction(P::GenericCallContext* g) const {
    std::vector<P::IdentifierContext*> ids = g->qualifiedIdentifier()->identifier();
    if (ids.size() != 1) return false;
    std::string name = Upper(Ident(ids[0]));
    return name == "FOUND_ROWS" || name == "ROW_COUNT" || name == "LAST_INSERT_ID" ||
           name == "CONNECTION_ID" || name == "LASTVAL";
  }
  // @@[session.|local.]last_insert_id / identity / warning_count / error_count.
  static bool SessionBoundVariable(std::string text) {
    text = Lower(text.substr(std::min<size_t>(2, text.size())));
    for (const char* scope : {"session.", "local."}) {
      if (text.rfind(scope, 0) == 0) text = text.substr(std::string(scope).size());
    }
    text = UnquoteIdent(text);
    return text == "last_insert_id" || text == "identity" || text == "warning_count" ||
           text == "error_count";
  }

  // The query block (QuerySpecification / UPDATE / DELETE) a node belongs to; -1 if none.
  int BlockOf(ParseTree* node) const {
    for (ParseTree* p = node; p != nullptr; p = p->parent) {
      auto it = block_index_.find(p);
      if (it != block_index_.end()) return it->second;
    }
    return -1;
  }

  void CollectTables() {
    for (auto& [t, depth] : table_names_) {
      std::vector<P::IdentifierContext*> ids = t->identifier();
      TableRef ref;
      if (ids.size() == 2) {
        ref.schema = Ident(ids[0]);
        ref.name = Ident(ids[1]);
      } else {
        ref.name = Ident(ids[0]);
      }
      ParseTree* parent = t->parent;
      if (auto* single = As<P::SingleTableContext>(parent)) {
        if (auto cte = cte_names_.find(ref.name); ref.schema.empty() && cte != cte_names_.end()) {
          // a CTE, not a table
          if (int b = BlockOf(t); b >= 0) {
            blocks_[b].other_sources.push_back(
                OutputNames(cte->second->subquery(), cte->second->columnNameList()));
          }
          continue;
        }
        if (single->tableAlias()) ref.alias = Ident(single->tableAlias()->identifier());
      } else if (auto* lock = As<P::LockItemContext>(parent)) {
        if (lock->tableAlias()) ref.alias = Ident(lock->tableAlias()->identifier());
      }
      ref.depth = static_cast<uint16_t>(depth);
      ref.query_block = static_cast<int16_t>(BlockOf(t));
      int index = static_cast<int>(st_.tables.size());
      st_.tables.push_back(std::move(ref));
      table_ctx_[t] = index;
      if (ref_block_ok(t)) blocks_[BlockOf(t)].tables.push_back(index);
    }
  }
  // Only FROM-list tables (and UPDATE/DELETE targets) scope column names.
  bool ref_block_ok(P::TableNameContext* t) const {
    return BlockOf(t) >= 0 &&
           (As<P::SingleTableContext>(t->parent) || As<P::DeleteSingleContext>(t->parent));
  }

  // ------------------------------------------------------------ text helpers
  std::string Text(ParserRuleContext* c) const {
    if (c == nullptr || c->start == nullptr || c->stop == nullptr) return {};
    size_t a = c->start->getStartIndex(), b = c->stop->getStopIndex();
    if (b < a || b == static_cast<size_t>(-1)) return {};
    return std::string(sql_.substr(a, b - a + 1));
  }
  std::string Ident(P::IdentifierContext* c) const {
    return c ? UnquoteIdent(c->getStart()->getText()) : std::string();
  }

  // Normalised expression text (see statement.h).
  std::string Norm(ParserRuleContext* c) const {
    if (c == nullptr || c->start == nullptr || c->stop == nullptr) return {};
    const TokenClasses& cls = Classes();
    std::string out;
    size_t first = c->start->getTokenIndex(), last = c->stop->getTokenIndex();
    if (last == static_cast<size_t>(-1) || last < first) return {};
    auto append = [&out](const std::string& s) {
      if (!out.empty()) out.push_back(' ');
      out += s;
    };
    for (size_t i = first; i <= last; ++i) {
      Token* t = tokens_.get(i);
      if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;
      size_t type = t->getType();
      if (type == MySQLLexer::IN) {
        // IN (lit, lit, ...) -> IN (...), as the digest collapses it.
        size_t j = NextDefault(i + 1, last);
        if (j <= last && tokens_.get(j)->getType() == MySQLLexer::LPAREN) {
          size_t k = NextDefault(j + 1, last);
          bool any = false, ok = true;
          while (k <= last) {
            size_t kt = tokens_.get(k)->getType();
            if (kt == MySQLLexer::UNDERSCORE_CHARSET)
              k = NextDefault(k + 1, last), kt = k <= last ? tokens_.get(k)->getType() : 0;
            if (!IsLiteralToken(kt)) {
              ok = false;
              break;
            }
            any = true;
            k = NextDefault(k + 1, last);
            while (k <= last && kt == MySQLLexer::TEXT_STRING &&
                   tokens_.get(k)->getType() == MySQLLexer::TEXT_STRING)
              k = NextDefault(k + 1, last);
            if (k > last) {
              ok = false;
              break;
            }
            size_t sep = tokens_.get(k)->getType();
            if (sep == MySQLLexer::RPAREN) break;
            if (sep != MySQLLexer::COMMA) {
              ok = false;
              break;
            }
            k = NextDefault(k + 1, last);
          }
          if (ok && any && k <= last) {
            append("IN (...)");
            i = k;
            continue;
          }
        }
      }
      if (IsLiteralToken(type)) {
        if (type == MySQLLexer::TEXT_STRING && i > first) {
          size_t p = PrevDefault(i, first);
          if (p != static_cast<size_t>(-1) && tokens_.get(p)->getType() == MySQLLexer::TEXT_STRING)
            continue;
        }
        append("?");
      } else if (type < cls.keyword.size() && cls.keyword[type] && !VerbatimKeyword(i, t)) {
        append(Upper(t->getText()));
      } else if (type == MySQLLexer::OR2) {
        append("OR");
      } else if (type == MySQLLexer::AND2) {
        append("AND");
      } else {
        append(t->getText());
      }
    }
    return out;
  }
  // A non-reserved keyword used as a name (`status`, `list`) keeps its
  // spelling, as in the digest text; words the digest upper-cases (MariaDB's
  // reserved words) are upper-cased here too, so equal digest texts always
  // give equal expression texts.
  bool VerbatimKeyword(size_t token_index, Token* t) const {
    if (ident_keyword_tokens_.count(token_index) == 0) return false;
    bool glue = false;
    return !internal::LookupReserved(t->getText(), &glue);
  }
  size_t NextDefault(size_t i, size_t last) const {
    while (i <= last && tokens_.get(i)->getChannel() != Token::DEFAULT_CHANNEL) ++i;
    return i;
  }
  size_t PrevDefault(size_t i, size_t first) const {
    while (i > first) {
      --i;
      if (tokens_.get(i)->getChannel() == Token::DEFAULT_CHANNEL) return i;
    }
    return static_cast<size_t>(-1);
  }

  // ------------------------------------------------------------ values
  // A Value for the literal token starting at `offset`.
  Value LiteralValue(size_t offset) {
    Value v;
    LiteralRef ref = FindLiteral(d_, static_cast<uint32_t>(offset));
    if (ref.slot < 0 || static_cast<size_t>(ref.slot) >= d_.slots.size()) {
      v.kind = Value::Kind::kExpression;
      v.text = "?";
      return v;
    }
    const Literal& lit = d_.literals[d_.slots[ref.slot].first_literal + ref.index];
    v.ref = ref;
    v.kind =
        lit.kind == LiteralKind::kPlaceholder ? Value::Kind::kPlaceholder : Value::Kind::kLiteral;
    v.literal_kind = lit.kind;
    v.text = LiteralText(sql_, lit, mode_);
    v.offset = lit.offset;
    v.length = lit.length;
    if (lit.has_introducer()) {
      std::string intro(sql_.substr(lit.intro_offset, lit.offset - lit.intro_offset));
      while (!intro.empty() && std::isspace(static_cast<unsigned char>(intro.back())))
        intro.pop_back();
      if (!intro.empty() && intro.front() == '_') intro.erase(0, 1);
      v.charset = intro;
    }
    return v;
  }

  // A LIMIT/OFFSET operand: a literal or placeholder, or (inside a stored
  // program) a local variable name.
  Value LimitValue(P::LimitValueContext* x) {
    if (x->identifier()) {
      Value val;
      val.kind = Value::Kind::kColumn;
      val.text = Ident(x->identifier());
      return val;
    }
    return LiteralValue(x->getStart()->getStartIndex());
  }

  // Strips layers that add nothing: expr -> boolPri (predicatePri: bitExpr predicateOp?) or
  // predicate -> bitExpr -> simpleExpr,
  // and single-expression parentheses. Returns the innermost SimpleExprContext or nullptr.
  P::SimpleExprContext* Simple(ParserRuleContext* c) const {
    for (int guard = 0; c != nullptr && guard < 10000; ++guard) {
      if (auto* e = As<P::PrimaryExprContext>(c)) {
        if (HasToken(e, MySQLLexer::IS)) return nullptr;
        c = RuleChild(e, P::RuleBoolPri);
      } else if (Is<P::PredicatePriContext>(c) || Is<P::PredicateContext>(c)) {
        auto* p = static_cast<ParserRuleContext*>(c);
        if (p->children.size() != 1) return nullptr;  // has a predicateOp
        c = RuleChild(p, P::RuleBitExpr);
      } else if (auto* s = As<P::SimpleBitExprContext>(c)) {
        c = RuleChild(s, P::RuleSimpleExpr);
      } else if (auto* pe = As<P::ParenExprContext>(c)) {
        P::ExprListContext* list = Child<P::ExprListContext>(pe);
        if (HasToken(pe, MySQLLexer::ROW) || list->children.size() != 1) {
          return static_cast<P::SimpleExprContext*>(c);
        }
        c = RuleChild(list, P::RuleExpr);
      } else {
        return RuleOf(c) == P::RuleSimpleExpr ? static_cast<P::SimpleExprContext*>(c) : nullptr;
      }
    }
    return nullptr;
  }
  P::BoolPriContext* BoolPriOf(P::ExprContext* e) const {
    auto* pe = As<P::PrimaryExprContext>(e);
    return (pe && !HasToken(pe, MySQLLexer::IS))
               ? static_cast<P::BoolPriContext*>(RuleChild(pe, P::RuleBoolPri))
               : nullptr;
  }

  Value ValueOf(ParserRuleContext* c) {
    P::SimpleExprContext* s = Simple(c);
    Value v;
    if (s != nullptr) {
      if (auto* lit = As<P::LiteralExprContext>(s)) {
        P::LiteralContext* l = lit->literal();
        if (l->NULL_SYM()) {
          v.kind = Value::Kind::kNull;
          v.text = "NULL";
          return v;
        }
        if (l->TRUE_SYM() || l->FALSE_SYM()) {
          v.kind = Value::Kind::kBool;
          v.text = l->TRUE_SYM() ? "TRUE" : "FALSE";
          return v;
        }
        if (l->DATE() == nullptr && l->TIME() == nullptr && l->TIMESTAMP() == nullptr) {
          Token* t = l->getStart();
          if (t->getType() == MySQLLexer::UNDERSCORE_CHARSET && l->getStop() != t) {
            t = tokens_.get(NextDefault(t->getTokenIndex() + 1, l->getStop()->getTokenIndex()));
          }
          return LiteralValue(t->getStartIndex());
        }
        // DATE '2024-01-01', TIME '..', TIMESTAMP '..': the string, typed.
        Value typed = LiteralValue(l->TEXT_STRING()->getSymbol()->getStartIndex());
        if (typed.IsConstant()) {
          typed.typed = Upper(l->getStart()->getText());
          return typed;
        }
      } else if (auto* odbc = As<P::OdbcExprContext>(s)) {
        // {d '2024-01-01'}, {t '..'}, {ts '..'}: the same as DATE/TIME/TIMESTAMP '..'.
        std::string kind = Lower(Ident(odbc->identifier()));
        const char* type = kind == "d"    ? "DATE"
                           : kind == "t"  ? "TIME"
                           : kind == "ts" ? "TIMESTAMP"
                                          : nullptr;
        P::SimpleExprContext* inner = Simple(odbc->expr());
        auto* lit = inner ? As<P::LiteralExprContext>(inner) : nullptr;
        if (type != nullptr && lit && lit->literal()->textLiteral() &&
            lit->literal()->textLiteral()->UNDERSCORE_CHARSET() == nullptr &&
            lit->literal()->textLiteral()->TEXT_STRING().size() == 1) {
          Value typed = LiteralValue(lit->getStart()->getStartIndex());
          if (typed.IsConstant()) {
            typed.typed = type;
            return typed;
          }
        }
      } else if (As<P::ParamExprContext>(s)) {
        return LiteralValue(s->getStart()->getStartIndex());
      } else if (auto* u = As<P::UnaryExprContext>(s)) {
        P::SimpleExprContext* inner = Simple(u->simpleExpr());
        auto* lit = inner ? As<P::LiteralExprContext>(inner) : nullptr;
        if (lit && lit->literal()->numLiteral() && u->MINUS()) {
          Value n = LiteralValue(lit->getStart()->getStartIndex());
          n.negative = true;
          return n;
        }
      } else if (auto* col = As<P::ColumnExprContext>(s)) {
        const size_t n = IdentCount(col);
        v.kind = Value::Kind::kColumn;
        v.text = Ident(IdentAt(col, n - 1));
        if (n >= 2) v.table = Ident(IdentAt(col, n - 2));
        return v;
      } else if (auto* fn = As<P::FunctionExprContext>(s)) {
        if (auto* kw = As<P::KeywordCallContext>(fn->functionCall());
            kw && kw->DEFAULT() && !kw->exprList()) {
          v.kind = Value::Kind::kDefault;
          v.text = "DEFAULT";
          return v;
        }
      }
    }
    v.kind = Value::Kind::kExpression;
    v.text = Norm(c);
    return v;
  }

  Value ValueOfItem(P::ValueItemContext* item) {
    if (item->DEFAULT()) {
      Value v;
      v.kind = Value::Kind::kDefault;
      v.text = "DEFAULT";
      return v;
    }
    return ValueOf(item->expr());
  }

  // ------------------------------------------------------------ columns -> tables
  // Resolves a column reference to a table of `block` (by alias, else name);
  // an unqualified column goes to the block's only table. -1 when unknown.
  // An unqualified column goes there only when no derived table / CTE of the
  // block may have a column of that name.
  int Resolve(int block, const std::string& qualifier, const std::string& schema,
              const std::string& column) const {
    if (block < 0) return -1;
    const std::vector<int>& ts = blocks_[block].tables;
    if (qualifier.empty()) {
      std::string lower = Lower(column);
      // A column joined with USING is one (coalesced) column: its owner.
      if (auto it = blocks_[block].using_owner.find(lower);
          it != blocks_[block].using_owner.end()) {
        return it->second;
      }
      if (ts.size() != 1) return -1;
      for (const auto& names : blocks_[block].other_sources) {
        if (!names || names->count(lower)) return -1;
      }
      return ts[0];
    }
    int found = -1;
    for (int i : ts) {
      const TableRef& t = st_.tables[i];
      bool match = !t.alias.empty()
                       ? (schema.empty() && t.alias == qualifier)
                       : (t.name == qualifier && (schema.empty() || schema == t.schema));
      if (match) {
        if (found >= 0) return -1;
        found = i;
      }
    }
    return found;
  }

  struct ColumnInfo {
    std::string schema, table, column;
  };
  int Resolve(int block, const ColumnInfo& c) const {
    return Resolve(block, c.table, c.schema, c.column);
  }

  // The column names a derived table or CTE exposes (lower case): its column
  // list, else the aliases / column names of its first SELECT's items;
  // nullopt when a * makes them unknown. Unaliased expressions are named by
  // their text, which is never a plain column name.
  std::optional<std::unordered_set<std::string>> OutputNames(P::SubqueryContext* sq,
                                                             P::ColumnNameListContext* cols) const {
    std::unordered_set<std::string> names;
    if (cols) {
      for (P::IdentifierContext* id : cols->identifier()) names.insert(Lower(Ident(id)));
      return names;
    }
    P::QueryPrimaryContext* prim =
        sq->queryExpression()->queryBody()->queryTerm(0)->queryPrimary(0);
    while (prim->queryExpression() != nullptr) {
      prim = prim->queryExpression()->queryBody()->queryTerm(0)->queryPrimary(0);
    }
    P::QuerySpecificationContext* spec = prim->querySpecification();
    if (!spec) return std::nullopt;
    for (P::SelectItemContext* it : spec->selectList()->selectItem()) {
      auto* se = As<P::SelectExprContext>(it);
      if (!se) return std::nullopt;  // * or t.*
      if (P::SelectAliasContext* a = se->selectAlias()) {
        if (a->identifier()) {
          names.insert(Lower(Ident(a->identifier())));
        } else {  // 'alias': its text between the quotes (escapes kept: a superset is fine)
          std::string t = a->TEXT_STRING()->getText();
          if (t.size() >= 2) names.insert(Lower(t.substr(1, t.size() - 2)));
        }
        continue;
      }
      ColumnInfo c;
      if (ColumnOf(se->expr(), &c)) names.insert(Lower(c.column));
    }
    return names;
  }
  bool ColumnOf(ParserRuleContext* c, ColumnInfo* out) const {
    P::SimpleExprContext* s = Simple(c);
    auto* col = s ? As<P::ColumnExprContext>(s) : nullptr;
    if (!col) return false;
    const size_t n = IdentCount(col);
    out->column = Ident(IdentAt(col, n - 1));
    out->table = n >= 2 ? Ident(IdentAt(col, n - 2)) : "";
    out->schema = n == 3 ? Ident(IdentAt(col, 0)) : "";
    return true;
  }
  // A column reference's names without collecting them into a vector: its
  // children are identifier (DOT identifier (DOT identifier)?)?, so name i is
  // child 2 * i.
  static size_t IdentCount(P::ColumnExprContext* col) { return (col->children.size() + 1) / 2; }
  static P::IdentifierContext* IdentAt(P::ColumnExprContext* col, size_t i) {
    return static_cast<P::IdentifierContext*>(col->children[2 * i]);
  }

  // ------------------------------------------------------------ predicates
  // Top-level AND conjuncts of `e` (parentheses around AND groups are opened).
  std::vector<P::ExprContext*> Conjuncts(P::ExprContext* e) const {
    std::vector<P::ExprContext*> out, stack{e};
    while (!stack.empty()) {
      P::ExprContext* x = stack.back();
      stack.pop_back();
      if (auto* a = As<P::AndExprContext>(x)) {
        stack.push_back(a->expr(1));
        stack.push_back(a->expr(0));
        continue;
      }
      if (P::ExprContext* inner = ParenInner(x)) {
        stack.push_back(inner);
        continue;
      }
      out.push_back(x);
    }
    return out;
  }
  // (x) -> x when x is a single expression; else nullptr.
  P::ExprContext* ParenInner(P::ExprContext* x) const {
    P::BoolPriContext* b = BoolPriOf(x);
    auto* pp = b ? As<P::PredicatePriContext>(b) : nullptr;
    if (!pp || pp->predicateOp()) return nullptr;
    auto* sb = As<P::SimpleBitExprContext>(pp->bitExpr());
    auto* pe = sb ? As<P::ParenExprContext>(sb->simpleExpr()) : nullptr;
    if (!pe || pe->ROW() || pe->exprList()->expr().size() != 1) return nullptr;
    return pe->exprList()->expr(0);
  }

  static bool Routable(const Value& v) { return v.IsConstant() || v.kind == Value::Kind::kBool; }

  // col = const / const = col (also <=>): fills column and value.
  bool EqualityOf(P::ExprContext* x, ColumnInfo* col, Value* val, ColumnInfo* other,
                  bool* is_join) {
    P::ComparePriContext* cmp = EqualityCompare(x);
    if (!cmp) return false;
    return PairEquality(cmp->boolPri(), cmp->predicate(), col, val, other, is_join);
  }
  // x when it is `lhs = rhs` or `lhs <=> rhs`; else nullptr.
  P::ComparePriContext* EqualityCompare(P::ExprContext* x) const {
    P::BoolPriContext* b = BoolPriOf(x);
    auto* cmp = b ? As<P::ComparePriContext>(b) : nullptr;
    if (!cmp) return nullptr;
    size_t op = cmp->compOp()->getStart()->getType();
    return (op == MySQLLexer::EQ || op == MySQLLexer::NULL_SAFE_EQ) ? cmp : nullptr;
  }
  // (e1, e2, ...) or ROW(e1, e2, ...) with at least two elements; else nullptr.
  P::ExprListContext* RowOf(ParserRuleContext* c) const {
    P::SimpleExprContext* s = Simple(c);
    auto* pe = s ? As<P::ParenExprContext>(s) : nullptr;
    if (!pe) return nullptr;
    P::ExprListContext* list = Child<P::ExprListContext>(pe);
    return (list && list->expr().size() >= 2) ? list : nullptr;
  }
  // One `lhs = rhs` pair: column = constant (either side) or column = column.
  bool PairEquality(ParserRuleContext* lhs, ParserRuleContext* rhs, ColumnInfo* col, Value* val,
                    ColumnInfo* other, bool* is_join) {
    ColumnInfo lc, rc;
    bool lcol = ColumnOf(lhs, &lc), rcol = ColumnOf(rhs, &rc);
    *is_join = false;
    if (lcol && rcol) {
      *col = lc;
      *other = rc;
      *is_join = true;
      return true;
    }
    if (lcol) {
      Value v = ValueOf(rhs);
      if (!Routable(v)) return false;
      *col = lc;
      *val = std::move(v);
      return true;
    }
    if (rcol) {
      Value v = ValueOf(lhs);
      if (!Routable(v)) return false;
      *col = rc;
      *val = std::move(v);
      return true;
    }
    return false;
  }

  // (a, b) = (1, 'x'): one equality per position (rows nest: ((a, b), c) = ((1, 2), 3)).
  // Returns false when x is not a row comparison.
  bool AddRowEquality(int block, ParserRuleContext* lhs, ParserRuleContext* rhs, bool joins_only) {
    P::ExprListContext* l = RowOf(lhs);
    P::ExprListContext* r = RowOf(rhs);
    if (!l || !r) return false;
    std::vector<P::ExprContext*> le = l->expr(), re = r->expr();
    if (le.size() != re.size()) return true;  // MariaDB refuses it (1241); nothing to extract
    for (size_t i = 0; i < le.size(); ++i) {
      if (AddRowEquality(block, le[i], re[i], joins_only)) continue;
      ColumnInfo col, other;
      Value val;
      bool is_join = false;
      if (PairEquality(le[i], re[i], &col, &val, &other, &is_join)) {
        AddEquality(block, col, std::move(val), other, is_join, joins_only);
      }
    }
    return true;
  }

  void AddEquality(int block, const ColumnInfo& col, Value val, const ColumnInfo& other,
                   bool is_join, bool joins_only) {
    {
      if (is_join) {
        int a = Resolve(block, col), b = Resolve(block, other);
        if (a < 0 || b < 0 || a == b) return;
        Predicate p;
        p.op = Predicate::Op::kJoinEq;
        p.table_index = a;
        p.column = col.column;
        p.other_table_index = b;
        p.other_column = other.column;
        st_.predicates.push_back(std::move(p));
        return;
      }
      if (joins_only || (col.table.empty() == false && Resolve(block, col) < 0)) return;
      Predicate p;
      p.op = Predicate::Op::kEq;
      p.table_index = Resolve(block, col);
      p.column = col.column;
      p.values.push_back(std::move(val));
      st_.predicates.push_back(std::move(p));
    }
  }

  void AddConjunct(int block, P::ExprContext* x, bool joins_only) {
    ColumnInfo col, other;
    Value val;
    bool is_join = false;
    if (P::ComparePriContext* cmp = EqualityCompare(x)) {
      if (AddRowEquality(block, cmp->boolPri(), cmp->predicate(), joins_only)) return;
    }
    if (EqualityOf(x, &col, &val, &other, &is_join)) {
      AddEquality(block, col, std::move(val), other, is_join, joins_only);
      return;
    }
    if (joins_only) return;
    // IN / BETWEEN
    P::BoolPriContext* b = BoolPriOf(x);
    auto* pp = b ? As<P::PredicatePriContext>(b) : nullptr;
    if (pp && pp->predicateOp()) {
      P::PredicatePriContext* pr = pp;
      if (AddRowIn(block, pr)) return;
      if (!ColumnOf(pr->bitExpr(), &col)) return;
      if (!col.table.empty() && Resolve(block, col) < 0) return;
      if (auto* in = As<P::InOpContext>(pr->predicateOp())) {
        if (in->NOT() || in->subquery()) return;
        Predicate p;
        p.op = Predicate::Op::kIn;
        for (P::ExprContext* e : in->exprList()->expr()) {
          Value v = ValueOf(e);
          if (!Routable(v) && v.kind != Value::Kind::kNull) return;
          p.values.push_back(std::move(v));
        }
        if (!p.values.empty() && p.values[0].ref.slot >= 0 &&
            d_.slots[p.values[0].ref.slot].collapsed) {
          p.list_slot = p.values[0].ref.slot;
        }
        p.table_index = Resolve(block, col);
        p.column = col.column;
        st_.predicates.push_back(std::move(p));
      } else if (auto* bt = As<P::BetweenOpContext>(pr->predicateOp())) {
        if (bt->NOT()) return;
        Value lo = ValueOf(bt->bitExpr()), hi = ValueOf(bt->predicate());
        if (!Routable(lo) || !Routable(hi)) return;
        Predicate p;
        p.op = Predicate::Op::kBetween;
        p.table_index = Resolve(block, col);
        p.column = col.column;
        p.values.push_back(std::move(lo));
        p.values.push_back(std::move(hi));
        st_.predicates.push_back(std::move(p));
      }
      return;
    }
    // a = 1 OR a = 2 OR ... (same column)
    if (As<P::OrExprContext>(x)) {
      std::vector<P::ExprContext*> stack{x}, terms;
      while (!stack.empty()) {
        P::ExprContext* y = stack.back();
        stack.pop_back();
        if (auto* o = As<P::OrExprContext>(y)) {
          stack.push_back(o->expr(1));
          stack.push_back(o->expr(0));
        } else if (P::ExprContext* inner = ParenInner(y)) {
          stack.push_back(inner);
        } else {
          terms.push_back(y);
        }
      }
      Predicate p;
      p.op = Predicate::Op::kOrEq;
      ColumnInfo first;
      for (size_t i = 0; i < terms.size(); ++i) {
        ColumnInfo c, o;
        Value v;
        bool j = false;
        if (!EqualityOf(terms[i], &c, &v, &o, &j) || j) return;
        if (i == 0) {
          first = c;
        } else if (Lower(c.column) != Lower(first.column) || c.table != first.table ||
                   c.schema != first.schema) {
          return;
        }
        p.values.push_back(std::move(v));
      }
      if (!first.table.empty() && Resolve(block, first) < 0) return;
      p.table_index = Resolve(block, first);
      p.column = first.column;
      st_.predicates.push_back(std::move(p));
    }
  }

  // (a, b) IN ((1, 'x'), (2, 'y')): recorded conservatively as one IN per
  // column, a IN (1, 2) and b IN ('x', 'y') (every matching row satisfies
  // both; the router shards on one column). Columns whose values are not all
  // constants get nothing. Returns false when the left side is not a row.
  bool AddRowIn(int block, P::PredicatePriContext* pr) {
    auto* in = As<P::InOpContext>(pr->predicateOp());
    P::ExprListContext* row = RowOf(pr->bitExpr());
    if (!in || !row) return false;
    if (in->NOT() || in->subquery()) return true;
    std::vector<P::ExprContext*> cols = row->expr();
    std::vector<std::vector<P::ExprContext*>> tuples;
    for (P::ExprContext* e : in->exprList()->expr()) {
      P::ExprListContext* t = RowOf(e);
      if (!t || t->expr().size() != cols.size()) return true;
      tuples.push_back(t->expr());
    }
    for (size_t k = 0; k < cols.size(); ++k) {
      ColumnInfo col;
      if (!ColumnOf(cols[k], &col)) continue;
      if (!col.table.empty() && Resolve(block, col) < 0) continue;
      Predicate p;
      p.op = Predicate::Op::kIn;
      bool ok = true;
      for (const auto& t : tuples) {
        Value v = ValueOf(t[k]);
        if (!Routable(v) && v.kind != Value::Kind::kNull) {
          ok = false;
          break;
        }
        p.values.push_back(std::move(v));
      }
      if (!ok) continue;
      p.table_index = Resolve(block, col);
      p.column = col.column;
      st_.predicates.push_back(std::move(p));
    }
    return true;
  }

  void AddWhere(int block, P::WhereClauseContext* w) {
    if (w == nullptr) return;
    for (P::ExprContext* c : Conjuncts(w->expr())) AddConjunct(block, c, false);
  }

  // Predicates of every block: WHERE, and ON of joins. Only the ON of an
  // inner join (JOIN, CROSS JOIN .. ON, STRAIGHT_JOIN .. ON) that is not
  // inside the null-supplying operand of an outer join yields row constraints
  // (every result row satisfies them); the ON of an outer join, and of any
  // join nested under its null-supplying side, yields col = col join
  // predicates only: `o LEFT JOIN (i JOIN s ON s.user_id = 5) ON ..` returns
  // every o row, whatever s holds. The null-supplying side of `x LEFT JOIN y`
  // is y (a tableReference, so `o LEFT JOIN i JOIN s ON .. ON ..` nests i JOIN
  // s under it); of `x RIGHT JOIN y` it is everything left of it in its chain
  // (`i JOIN s ON .. RIGHT JOIN o ON ..` = `(i JOIN s ON ..) RIGHT JOIN o`),
  // and the same for NATURAL LEFT / RIGHT JOIN.
  void AddJoinConditions(int block, ParserRuleContext* from) {
    if (from == nullptr) return;
    std::vector<std::pair<ParseTree*, bool>> stack{{from, false}};  // node, under a null side
    while (!stack.empty()) {
      auto [n, nullable] = stack.back();
      stack.pop_back();
      if (As<P::SubqueryContext>(n)) continue;  // other blocks
      if (auto* ref = As<P::TableReferenceContext>(n)) {
        AddUsing(block, ref);
        // The last RIGHT join of the chain: its left operand is everything before it.
        std::vector<P::JoinPartContext*> parts = ref->joinPart();
        // Parts before `right_at` and the first operand are under a RIGHT join's left side.
        size_t right_at = 0;
        bool has_right = false;
        for (size_t i = 0; i < parts.size(); ++i) {
          auto* oj = As<P::OuterJoinContext>(parts[i]);
          auto* nj = As<P::NaturalJoinContext>(parts[i]);
          if ((oj && oj->RIGHT()) || (nj && nj->RIGHT())) {
            right_at = i;
            has_right = true;
          }
        }
        for (size_t i = parts.size(); i-- > 0;) {
          stack.push_back({parts[i], nullable || (has_right && i < right_at)});
        }
        stack.push_back({ref->tableFactor(), nullable || has_right});
        continue;
      }
      P::ExprContext* on = nullptr;
      bool joins_only = nullable;
      ParseTree* operand = nullptr;  // the join's right operand
      bool operand_nullable = nullable;
      if (auto* j = As<P::InnerJoinContext>(n)) {
        if (j->joinCondition()) on = j->joinCondition()->expr();
        operand = j->tableFactor();
      } else if (auto* sj = As<P::StraightJoinContext>(n)) {
        on = sj->expr();
        operand = sj->tableFactor();
      } else if (auto* oj = As<P::OuterJoinContext>(n)) {
        on = oj->joinCondition()->expr();
        joins_only = true;
        operand = oj->tableReference();
        if (oj->LEFT()) operand_nullable = true;
      } else if (auto* nj = As<P::NaturalJoinContext>(n)) {
        operand = nj->tableFactor();
        if (nj->LEFT()) operand_nullable = true;
      } else {
        for (size_t i = n->children.size(); i-- > 0;) {
          if (!IsTerminal(n->children[i]) && RuleOf(n->children[i]) != P::RuleExpr) {
            stack.push_back({n->children[i], nullable});
          }
        }
        continue;
      }
      if (on != nullptr) {
        for (P::ExprContext* c : Conjuncts(on)) AddConjunct(block, c, joins_only);
      }
      if (operand != nullptr) stack.push_back({operand, operand_nullable});
    }
  }

  // The statement-table index of a join operand that is one base table; -1
  // for derived tables, nested joins and CTE references.
  int SingleTableIndex(P::TableFactorContext* f) const {
    auto* single = f ? As<P::SingleTableContext>(f) : nullptr;
    if (!single) return -1;
    auto it = table_ctx_.find(single->tableName());
    return it == table_ctx_.end() ? -1 : it->second;
  }

  // JOIN ... USING (c, ...): a join_eq c = c between the left and the right
  // operand. The left operand must be one base table, or an earlier USING of
  // the same column in this join chain must have named its table
  // (a JOIN b USING (x) JOIN c USING (x) -> a.x = b.x, a.x = c.x); otherwise
  // the column's owner on the left is unknown and nothing is extracted.
  void AddUsing(int block, P::TableReferenceContext* ref) {
    std::vector<int> left;
    bool left_known = true;
    int t0 = SingleTableIndex(ref->tableFactor());
    if (t0 >= 0) {
      left.push_back(t0);
    } else {
      left_known = false;
    }
    std::unordered_map<std::string, int> carrier;  // lower-case column -> left table holding it
    for (P::JoinPartContext* jp : ref->joinPart()) {
      int right = -1;
      bool right_join = false;
      P::JoinConditionContext* cond = nullptr;
      if (auto* j = As<P::InnerJoinContext>(jp)) {
        right = SingleTableIndex(j->tableFactor());
        cond = j->joinCondition();
      } else if (auto* sj = As<P::StraightJoinContext>(jp)) {
        right = SingleTableIndex(sj->tableFactor());
      } else if (auto* oj = As<P::OuterJoinContext>(jp)) {
        P::TableReferenceContext* r = oj->tableReference();
        if (r->joinPart().empty()) right = SingleTableIndex(r->tableFactor());
        cond = oj->joinCondition();
        right_join = oj->RIGHT() != nullptr;
      } else if (auto* nj = As<P::NaturalJoinContext>(jp)) {
        right = SingleTableIndex(nj->tableFactor());
      }
      if (cond != nullptr && cond->USING() != nullptr && right >= 0) {
        for (P::IdentifierContext* id : cond->identifier()) {
          std::string column = Ident(id);
          std::string key = Lower(column);
          int l = -1;
          if (left_known && left.size() == 1) {
            l = left[0];
          } else if (auto it = carrier.find(key); it != carrier.end()) {
            l = it->second;
          }
          if (l < 0 || l == right) continue;
          Predicate p;
          p.op = Predicate::Op::kJoinEq;
          p.table_index = l;
          p.column = column;
          p.other_table_index = right;
          p.other_column = column;
          st_.predicates.push_back(std::move(p));
          carrier.emplace(key, l);
          if (block >= 0) blocks_[block].using_owner[key] = right_join ? right : l;
        }
      }
      if (right >= 0) {
        left.push_back(right);
      } else {
        left_known = false;
      }
    }
  }

  void AllBlockPredicates() {
    for (size_t b = 0; b < blocks_.size(); ++b) {
      ParserRuleContext* c = blocks_[b].ctx;
      int bi = static_cast<int>(b);
      if (auto* q = As<P::QuerySpecificationContext>(c)) {
        if (q->fromClause() && q->fromClause()->tableReferenceList()) {
          AddJoinConditions(bi, q->fromClause()->tableReferenceList());
        }
        AddWhere(bi, q->whereClause());
      } else if (auto* u = As<P::UpdateStmtContext>(c)) {
        AddJoinConditions(bi, u->tableReferenceList());
        AddWhere(bi, u->whereClause());
      } else if (auto* d1 = As<P::DeleteSingleContext>(c)) {
        AddWhere(bi, d1->whereClause());
      } else if (auto* d2 = As<P::DeleteMultiFromContext>(c)) {
        AddJoinConditions(bi, d2->tableReferenceList());
        AddWhere(bi, d2->whereClause());
      } else if (auto* d3 = As<P::DeleteMultiUsingContext>(c)) {
        AddJoinConditions(bi, d3->tableReferenceList());
        AddWhere(bi, d3->whereClause());
      }
    }
  }

  // ------------------------------------------------------------ SELECT
  OrderItem MakeOrderItem(P::OrderItemContext* o) {
    OrderItem item;
    item.expr = Norm(o->expr());
    item.desc = o->DESC() != nullptr;
    item.range = RangeOf(o);
    item.expr_range = RangeOf(o->expr());
    P::SimpleExprContext* s = Simple(o->expr());
    if (s && (As<P::LiteralExprContext>(s) || As<P::ParamExprContext>(s))) {
      Value v = ValueOf(o->expr());
      if (v.IsConstant()) item.value = v;
    } else if (s && As<P::UnaryExprContext>(s)) {
      Value v = ValueOf(o->expr());
      if (v.IsConstant()) item.value = v;
    } else if (ColumnInfo c; ColumnOf(o->expr(), &c)) {
      item.table = c.table;
      item.column = c.column;
    }
    SetPositional(&item);
    return item;
  }

  void AggregateOf(P::AggregateFunctionContext* a, SelectItem* item) {
    switch (a->getStart()->getType()) {
      case MySQLLexer::COUNT:
        item->aggregate = AggregateKind::kCount;
        break;
      case MySQLLexer::SUM:
        item->aggregate = AggregateKind::kSum;
        break;
      case MySQLLexer::MIN:
        item->aggregate = AggregateKind::kMin;
        break;
      case MySQLLexer::MAX:
        item->aggregate = AggregateKind::kMax;
        break;
      default:
        item->aggregate = AggregateKind::kAvg;
        break;
    }
    item->aggregate_star = a->STAR() != nullptr;
    item->aggregate_distinct = a->DISTINCT() != nullptr || a->DISTINCTROW() != nullptr;
    if (a->exprList()) item->aggregate_arg = Norm(a->exprList());
    if (a->expr()) item->aggregate_arg = Norm(a->expr());
    if (item->aggregate_star) item->aggregate_arg = "*";
  }

  // Aggregate functions the grammar parses as ordinary calls (an unqualified
  // name: db.std(x) is a stored function); kNone for any other function.
  AggregateKind GenericAggregate(P::GenericCallContext* g) const {
    std::vector<P::IdentifierContext*> ids = g->qualifiedIdentifier()->identifier();
    if (ids.size() != 1) return AggregateKind::kNone;
    std::string name = Upper(Ident(ids[0]));
    static const std::unordered_map<std::string, AggregateKind>* kNames =
        new std::unordered_map<std::string, AggregateKind>{
            {"STD", AggregateKind::kStddevPop},
            {"STDDEV", AggregateKind::kStddevPop},
            {"STDDEV_POP", AggregateKind::kStddevPop},
            {"STDDEV_SAMP", AggregateKind::kStddevSamp},
            {"VARIANCE", AggregateKind::kVarPop},
            {"VAR_POP", AggregateKind::kVarPop},
            {"VAR_SAMP", AggregateKind::kVarSamp},
            {"BIT_AND", AggregateKind::kBitAnd},
            {"BIT_OR", AggregateKind::kBitOr},
            {"BIT_XOR", AggregateKind::kBitXor},
            {"JSON_ARRAYAGG", AggregateKind::kJsonArrayAgg},
            {"JSON_OBJECTAGG", AggregateKind::kJsonObjectAgg},
        };
    auto it = kNames->find(name);
    return it == kNames->end() ? AggregateKind::kNone : it->second;
  }

  SelectItem MakeSelectItem(P::SelectItemContext* c) {
    SelectItem item;
    item.range = RangeOf(c);
    item.expr_range = item.range;
    if (As<P::SelectStarContext>(c)) {
      item.kind = SelectItem::Kind::kStar;
      item.expr = "*";
      return item;
    }
    if (auto* ts = As<P::SelectTableStarContext>(c)) {
      item.kind = SelectItem::Kind::kTableStar;
      item.table = Ident(ts->qualifiedIdentifier()->identifier().back());
      item.expr = Norm(ts);
      return item;
    }
    auto* se = As<P::SelectExprContext>(c);
    item.expr = Norm(se->expr());
    item.expr_range = RangeOf(se->expr());
    if (P::SelectAliasContext* a = se->selectAlias()) {
      if (a->identifier()) {
        item.alias = Ident(a->identifier());
      } else {
        item.alias = LiteralValue(a->TEXT_STRING()->getSymbol()->getStartIndex()).text;
        rebind_by_parse_ = true;
      }
    }
    // Aggregates / windows anywhere in the item (not inside subqueries).
    std::vector<ParseTree*> stack{se->expr()};
    while (!stack.empty()) {
      ParseTree* n = stack.back();
      stack.pop_back();
      if (As<P::SubqueryContext>(n)) continue;
      if (As<P::AggregateFunctionContext>(n) || As<P::GroupConcatCallContext>(n)) {
        item.contains_aggregate = true;
      } else if (auto* g = As<P::GenericCallContext>(n);
                 g && !g->overClause() && GenericAggregate(g) != AggregateKind::kNone) {
        item.contains_aggregate = true;
      }
      if (As<P::OverClauseContext>(n)) item.has_window = true;
      for (ParseTree* ch : n->children) {
        if (!IsTerminal(ch)) stack.push_back(ch);
      }
    }
    P::SimpleExprContext* s = Simple(se->expr());
    ColumnInfo col;
    if (ColumnOf(se->expr(), &col)) {
      item.kind = SelectItem::Kind::kColumn;
      item.table = col.table;
      item.column = col.column;
    } else if (auto* f = s ? As<P::FunctionExprContext>(s) : nullptr) {
      auto* agg = As<P::AggregateCallContext>(f->functionCall());
      if (agg && !agg->overClause()) {
        item.kind = SelectItem::Kind::kAggregate;
        AggregateOf(agg->aggregateFunction(), &item);
      } else if (auto* gc = As<P::GroupConcatCallContext>(f->functionCall())) {
        item.kind = SelectItem::Kind::kAggregate;
        item.aggregate = AggregateKind::kGroupConcat;
        item.aggregate_distinct = gc->DISTINCT() != nullptr;
        item.aggregate_arg = Norm(gc->exprList());
      } else if (auto* g = As<P::GenericCallContext>(f->functionCall());
                 g && !g->overClause() && GenericAggregate(g) != AggregateKind::kNone) {
        item.kind = SelectItem::Kind::kAggregate;
        item.aggregate = GenericAggregate(g);
        if (g->exprList()) item.aggregate_arg = Norm(g->exprList());
      }
    }
    return item;
  }

  // The query specification and the ORDER/LIMIT/locking of a query expression.
  void BuildQuery(P::QueryExpressionContext* q) {
    P::QueryBodyContext* body = q->queryBody();
    if (!body->setOp().empty()) st_.has_set_operation = true;
    P::QueryTermContext* term = body->queryTerm(0);
    if (!term->INTERSECT().empty()) st_.has_set_operation = true;
    P::QueryPrimaryContext* prim = term->queryPrimary(0);
    bool single = body->queryTerm().size() == 1 && term->queryPrimary().size() == 1;
    if (prim->queryExpression() != nullptr && single) {
      BuildQuery(prim->queryExpression());  // (SELECT ...) [ORDER BY ...] [LIMIT ...]
    } else {
      while (prim->queryExpression() != nullptr) {
        P::QueryExpressionContext* inner = prim->queryExpression();
        prim = inner->queryBody()->queryTerm(0)->queryPrimary(0);
      }
      if (P::QuerySpecificationContext* spec = prim->querySpecification()) BuildSpec(spec);
    }
    if (q->orderByClause()) {
      st_.order_by.clear();
      for (P::OrderItemContext* o : q->orderByClause()->orderItem()) {
        st_.order_by.push_back(MakeOrderItem(o));
      }
      st_.order_by_clause = RangeOf(q->orderByClause());
      order_by_clause_found_ = true;
    } else if (!order_by_clause_found_) {
      st_.order_by_clause = After(body);
    }
    if (q->limitClause()) {
      st_.limit_clause = RangeOf(q->limitClause());
      limit_clause_found_ = true;
    } else if (!limit_clause_found_) {
      st_.limit_clause = q->orderByClause() ? After(q->orderByClause()) : After(body);
    }
    if (P::LimitClauseContext* l = q->limitClause()) {
      std::vector<P::LimitValueContext*> v = l->limitValue();
      if (v.size() == 1) {
        st_.limit = LimitValue(v[0]);
        st_.offset.reset();
      } else if (l->OFFSET()) {
        st_.limit = LimitValue(v[0]);
        st_.offset = LimitValue(v[1]);
      } else {
        st_.offset = LimitValue(v[0]);
        st_.limit = LimitValue(v[1]);
      }
    }
    for (P::LockingClauseContext* lc : q->lockingClause()) {
      st_.lock = As<P::ForUpdateContext>(lc) ? LockMode::kForUpdate : LockMode::kShareMode;
      P::LockWaitContext* w = nullptr;
      if (auto* fu = As<P::ForUpdateContext>(lc)) w = fu->lockWait();
      if (auto* sh = As<P::LockInShareModeContext>(lc)) w = sh->lockWait();
      if (w) st_.lock_wait = w->NOWAIT() ? "NOWAIT" : w->SKIP_SYM() ? "SKIP LOCKED" : "WAIT";
    }
    if (q->intoClause()) st_.select_into = true;
  }

  void BuildSpec(P::QuerySpecificationContext* spec) {
    for (P::SelectOptionContext* o : spec->selectOption()) {
      if (o->DISTINCT() || o->DISTINCTROW()) st_.distinct = true;
      if (o->SQL_CALC_FOUND_ROWS()) st_.calc_found_rows = true;
    }
    st_.select_items.clear();
    for (P::SelectItemContext* it : spec->selectList()->selectItem()) {
      st_.select_items.push_back(MakeSelectItem(it));
    }
    st_.select_list = RangeOf(spec->selectList());
    if (spec->intoClause()) st_.select_into = true;
    if (P::GroupByClauseContext* g = spec->groupByClause()) {
      for (P::OrderItemContext* o : g->orderItem()) st_.group_by.push_back(MakeOrderItem(o));
      st_.with_rollup = g->ROLLUP() != nullptr;
      st_.group_by_clause = RangeOf(g);
    } else {
      ParserRuleContext* before = spec->selectList();
      for (ParserRuleContext* c : {static_cast<ParserRuleContext*>(spec->intoClause()),
                                   static_cast<ParserRuleContext*>(spec->fromClause()),
                                   static_cast<ParserRuleContext*>(spec->whereClause())}) {
        if (c != nullptr) before = c;
      }
      st_.group_by_clause = After(before);
    }
    st_.has_having = spec->havingClause() != nullptr;
    st_.having_clause = spec->havingClause()
                            ? RangeOf(spec->havingClause())
                            : SourceRange{st_.group_by_clause.end, st_.group_by_clause.end};
  }

  void SelectFlags() {
    bool writes = st_.lock != LockMode::kNone || st_.select_into || side_effect_expr_;
    st_.read_only = !writes;
    st_.has_side_effects = writes;
  }

  // ------------------------------------------------------------ assignments
  Assignment MakeAssignment(P::AssignmentContext* a, int block) {
    Assignment out;
    std::vector<P::IdentifierContext*> ids = a->columnRef()->identifier();
    out.column = Ident(ids.back());
    if (ids.size() >= 2) out.table = Ident(ids[ids.size() - 2]);
    std::string schema = ids.size() == 3 ? Ident(ids[0]) : "";
    out.table_index = Resolve(block, out.table, schema, out.column);
    out.value = ValueOfItem(a->valueItem());
    return out;
  }

  // ------------------------------------------------------------ statements
  void SessionStatement(StatementKind k) {
    st_.kind = k;
    st_.read_only = false;
    st_.has_side_effects = true;
  }
  void ReadOnlyStatement(StatementKind k) {
    st_.kind = k;
    st_.read_only = true;
    st_.has_side_effects = false;
  }
  void WriteStatement(StatementKind k) {
    st_.kind = k;
    st_.read_only = false;
    st_.has_side_effects = true;
  }

  void BuildStatement(P::StatementContext* s) {
    if (auto* sel = s->selectStmt()) {
      st_.kind = StatementKind::kSelect;
      BuildQuery(sel->queryExpression());
      SelectFlags();
    } else if (auto* ins = s->insertStmt()) {
      BuildInsert(ins);
    } else if (auto* up = s->updateStmt()) {
      WriteStatement(StatementKind::kUpdate);
      st_.ignore = up->IGNORE() != nullptr;
      int block = BlockOf(up);
      for (P::AssignmentContext* a : up->assignment())
        st_.assignments.push_back(MakeAssignment(a, block));
      BuildOrderLimit(up->orderByClause(), up->simpleLimit());
    } else if (auto* del = s->deleteStmt()) {
      WriteStatement(StatementKind::kDelete);
      for (P::DeleteOptionContext* o : DeleteOptions(del)) {
        if (o->IGNORE()) st_.ignore = true;
      }
      if (auto* d1 = As<P::DeleteSingleContext>(del)) {
        BuildOrderLimit(d1->orderByClause(), d1->simpleLimit());
        st_.has_returning = d1->returningClause() != nullptr;
      }
      DeleteTargets(del);
    } else if (auto* call = s->callStmt()) {
      WriteStatement(StatementKind::kCall);
      st_.name = Text(call->qualifiedIdentifier());
      if (call->exprList()) {
        for (P::ExprContext* e : call->exprList()->expr()) st_.args.push_back(ValueOf(e));
      }
    } else if (auto* load = s->loadDataStmt()) {
      WriteStatement(StatementKind::kLoadData);
      st_.args.push_back(LiteralValue(load->TEXT_STRING()->getSymbol()->getStartIndex()));
      st_.ignore = load->IGNORE().size() > (load->INT_NUM() ? 1u : 0u);
      st_.load_local = load->LOCAL() != nullptr;
      st_.load_replace = load->REPLACE() != nullptr;
      for (P::LoadTargetContext* t : load->loadTarget()) {
        if (t->USER_VAR()) {
          st_.insert_columns.push_back("@" + UnquoteVar(t->USER_VAR()->getText()));
        } else {
          st_.insert_columns.push_back(Ident(t->columnRef()->identifier().back()));
        }
      }
      for (P::AssignmentContext* a : load->assignment()) {
        Assignment as = MakeAssignment(a, -1);
        // The loaded table is the statement's only table (tables[0]).
        std::vector<P::IdentifierContext*> ids = a->columnRef()->identifier();
        std::string schema = ids.size() == 3 ? Ident(ids[0]) : "";
        if (!st_.tables.empty() &&
            (as.table.empty() || (as.table == st_.tables[0].name &&
                                  (schema.empty() || schema == st_.tables[0].schema))))
          as.table_index = 0;
        st_.assignments.push_back(std::move(as));
      }
    } else if (auto* ct = s->createTableStmt()) {
      BuildCreateTable(ct);
    } else if (auto* at = s->alterTableStmt()) {
      WriteStatement(StatementKind::kAlterTable);
      st_.if_exists = at->ifExists() != nullptr;
    } else if (auto* dt = s->dropTableStmt()) {
      WriteStatement(StatementKind::kDropTable);
      st_.if_exists = dt->ifExists() != nullptr;
      st_.temporary = dt->TEMPORARY() != nullptr;
    } else if (s->truncateStmt()) {
      WriteStatement(StatementKind::kTruncate);
    } else if (s->renameTableStmt()) {
      WriteStatement(StatementKind::kRenameTable);
    } else if (auto* ci = s->createIndexStmt()) {
      WriteStatement(StatementKind::kCreateIndex);
      st_.name = Ident(ci->identifier(0));
      st_.if_not_exists = ci->ifNotExists() != nullptr;
      st_.or_replace = ci->OR() != nullptr;
    } else if (auto* di = s->dropIndexStmt()) {
      WriteStatement(StatementKind::kDropIndex);
      st_.name = Ident(di->identifier());
      st_.if_exists = di->ifExists() != nullptr;
    } else if (auto* cd = s->createDatabaseStmt()) {
      WriteStatement(StatementKind::kCreateDatabase);
      st_.database = Ident(cd->identifier());
      st_.if_not_exists = cd->ifNotExists() != nullptr;
      st_.or_replace = cd->OR() != nullptr;
    } else if (auto* ad = s->alterDatabaseStmt()) {
      WriteStatement(StatementKind::kAlterDatabase);
      if (ad->identifier()) st_.database = Ident(ad->identifier());
    } else if (auto* dd = s->dropDatabaseStmt()) {
      WriteStatement(StatementKind::kDropDatabase);
      st_.database = Ident(dd->identifier());
      st_.if_exists = dd->ifExists() != nullptr;
    } else if (auto* tx = s->transactionStmt()) {
      BuildTransaction(tx);
    } else if (auto* xa = s->xaStmt()) {
      SessionStatement(StatementKind::kXa);
      st_.xa_action = Upper(xa->getStart()->getTokenIndex() + 1 < tokens_.size()
                                ? tokens_
                                      .get(NextDefault(xa->getStart()->getTokenIndex() + 1,
                                                       xa->getStop()->getTokenIndex()))
                                      ->getText()
                                : "");
      if (st_.xa_action == "BEGIN") st_.xa_action = "START";
      if (P::XidContext* x = xa->xid()) {
        for (P::XidPartContext* p : x->xidPart())
          st_.args.push_back(LiteralValue(p->getStart()->getStartIndex()));
        if (x->INT_NUM())
          st_.args.push_back(LiteralValue(x->INT_NUM()->getSymbol()->getStartIndex()));
      }
      if (xa->RECOVER()) st_.read_only = false;
    } else if (auto* sf = s->setStatementFor()) {
      BuildStatement(sf->statement());
      for (P::SetAssignmentContext* a : sf->setAssignment())
        st_.set_statement_vars.push_back(MakeSetVar(a));
      return;
    } else if (auto* set = s->setStmt()) {
      BuildSet(set);
    } else if (auto* use = s->useStmt()) {
      SessionStatement(StatementKind::kUse);
      st_.database = Ident(use->identifier());
    } else if (auto* show = s->showStmt()) {
      BuildShow(show);
    } else if (auto* ex = s->explainStmt()) {
      if (auto* dtb = As<P::DescribeTableContext>(ex)) {
        (void)dtb;
        ReadOnlyStatement(StatementKind::kDescribe);
      } else if (auto* es = As<P::ExplainShardingContext>(ex)) {
        BuildStatement(es->statement());
      } else if (auto* an = As<P::AnalyzeQueryContext>(ex)) {
        P::ExplainableContext* e = an->explainable();
        if (e->selectStmt()) {
          st_.kind = StatementKind::kSelect;
          BuildQuery(e->selectStmt()->queryExpression());
          SelectFlags();
        } else if (e->insertStmt()) {
          BuildInsert(e->insertStmt());
        } else if (e->updateStmt()) {
          WriteStatement(StatementKind::kUpdate);
          int block = BlockOf(e->updateStmt());
          for (P::AssignmentContext* a : e->updateStmt()->assignment())
            st_.assignments.push_back(MakeAssignment(a, block));
          BuildOrderLimit(e->updateStmt()->orderByClause(), e->updateStmt()->simpleLimit());
        } else {
          WriteStatement(StatementKind::kDelete);
          if (auto* d1 = As<P::DeleteSingleContext>(e->deleteStmt())) {
            BuildOrderLimit(d1->orderByClause(), d1->simpleLimit());
          }
          DeleteTargets(e->deleteStmt());
        }
      } else if (auto* eq = As<P::ExplainQueryContext>(ex)) {
        P::ExplainableContext* e = eq->explainable();
        if (e->selectStmt()) {
          st_.kind = StatementKind::kSelect;
          BuildQuery(e->selectStmt()->queryExpression());
        } else if (e->insertStmt()) {
          BuildInsert(e->insertStmt());
        } else if (e->updateStmt()) {
          st_.kind = StatementKind::kUpdate;
          int block = BlockOf(e->updateStmt());
          for (P::AssignmentContext* a : e->updateStmt()->assignment())
            st_.assignments.push_back(MakeAssignment(a, block));
          BuildOrderLimit(e->updateStmt()->orderByClause(), e->updateStmt()->simpleLimit());
        } else {
          st_.kind = StatementKind::kDelete;
          if (auto* d1 = As<P::DeleteSingleContext>(e->deleteStmt())) {
            BuildOrderLimit(d1->orderByClause(), d1->simpleLimit());
          }
          DeleteTargets(e->deleteStmt());
        }
      }
    } else if (auto* kill = s->killStmt()) {
      SessionStatement(StatementKind::kKill);
      st_.name = kill->QUERY() ? "QUERY" : "CONNECTION";
      P::KillTargetContext* kt = kill->killTarget();
      if (kt->expr()) {
        st_.args.push_back(ValueOf(kt->expr()));
      } else if (kt->INT_NUM() || kt->PARAM_MARKER()) {
        st_.args.push_back(LiteralValue(kt->getStart()->getStartIndex()));
      } else {
        Value v;
        v.kind = Value::Kind::kExpression;
        v.text = Norm(kt);
        st_.args.push_back(v);
      }
    } else if (s->lockTablesStmt()) {
      SessionStatement(StatementKind::kLockTables);
    } else if (s->unlockTablesStmt()) {
      SessionStatement(StatementKind::kUnlockTables);
    } else if (auto* pr = s->prepareStmt()) {
      SessionStatement(StatementKind::kPrepare);
      st_.name = Ident(pr->identifier());
      if (pr->textLiteral()) {
        Token* t = pr->textLiteral()->getStart();
        if (t->getType() == MySQLLexer::UNDERSCORE_CHARSET) {
          t = pr->textLiteral()->TEXT_STRING(0)->getSymbol();
        }
        st_.args.push_back(LiteralValue(t->getStartIndex()));
      } else {
        Value v;
        v.kind = Value::Kind::kExpression;
        v.text = pr->USER_VAR()->getText();
        st_.args.push_back(v);
      }
    } else if (auto* exe = s->executeStmt()) {
      SessionStatement(StatementKind::kExecute);
      if (exe->identifier()) {
        st_.name = Ident(exe->identifier());
      } else {
        st_.args.push_back(ValueOf(exe->expr()));
      }
      for (P::ExecuteArgContext* a : exe->executeArg()) st_.args.push_back(ValueOf(a->expr()));
    } else if (auto* dea = s->deallocateStmt()) {
      SessionStatement(StatementKind::kDeallocate);
      st_.name = Ident(dea->identifier());
    } else if (auto* doo = s->doStmt()) {
      SessionStatement(StatementKind::kDo);
      for (P::ExprContext* e : doo->exprList()->expr()) st_.args.push_back(ValueOf(e));
    } else if (auto* cv = s->createViewStmt()) {
      WriteStatement(StatementKind::kCreateView);
      st_.or_replace = cv->OR() != nullptr;
      st_.if_not_exists = cv->ifNotExists() != nullptr;
    } else if (s->alterViewStmt()) {
      WriteStatement(StatementKind::kAlterView);
    } else if (auto* dv = s->dropViewStmt()) {
      WriteStatement(StatementKind::kDropView);
      st_.if_exists = dv->ifExists() != nullptr;
    } else if (auto* cs = s->createSequenceStmt()) {
      WriteStatement(StatementKind::kCreateSequence);
      st_.or_replace = cs->OR() != nullptr;
      st_.temporary = cs->TEMPORARY() != nullptr;
      st_.if_not_exists = cs->ifNotExists() != nullptr;
    } else if (auto* as = s->alterSequenceStmt()) {
      WriteStatement(StatementKind::kAlterSequence);
      st_.if_exists = as->ifExists() != nullptr;
    } else if (auto* ds = s->dropSequenceStmt()) {
      WriteStatement(StatementKind::kDropSequence);
      st_.temporary = ds->TEMPORARY() != nullptr;
      st_.if_exists = ds->ifExists() != nullptr;
    } else if (auto* tm = s->tableMaintenanceStmt()) {
      // CHECK / CHECKSUM only read; ANALYZE, OPTIMIZE and REPAIR write.
      if (As<P::CheckTableContext>(tm) || As<P::ChecksumTableContext>(tm)) {
        ReadOnlyStatement(StatementKind::kTableMaintenance);
      } else {
        WriteStatement(StatementKind::kTableMaintenance);
      }
      st_.name = Upper(tm->getStart()->getText());
    } else if (auto* cr = s->createRoutineStmt()) {
      if (auto* cp = As<P::CreateProcedureContext>(cr)) {
        WriteStatement(StatementKind::kCreateProcedure);
        st_.or_replace = cp->OR() != nullptr;
        st_.if_not_exists = cp->ifNotExists() != nullptr;
        QualifiedName(cp->qualifiedIdentifier());
      } else if (auto* cf = As<P::CreateFunctionContext>(cr)) {
        WriteStatement(StatementKind::kCreateFunction);
        st_.or_replace = cf->OR() != nullptr;
        st_.if_not_exists = cf->ifNotExists() != nullptr;
        QualifiedName(cf->qualifiedIdentifier());
      }
    } else if (auto* tr = s->createTriggerStmt()) {
      WriteStatement(StatementKind::kCreateTrigger);
      st_.or_replace = tr->OR() != nullptr;
      st_.if_not_exists = tr->ifNotExists() != nullptr;
      QualifiedName(tr->qualifiedIdentifier());
    } else if (auto* ev = s->createEventStmt()) {
      WriteStatement(StatementKind::kCreateEvent);
      st_.or_replace = ev->OR() != nullptr;
      st_.if_not_exists = ev->ifNotExists() != nullptr;
      QualifiedName(ev->qualifiedIdentifier());
    } else if (auto* dr = s->dropRoutineStmt()) {
      StatementKind k = dr->PROCEDURE()  ? StatementKind::kDropProcedure
                        : dr->FUNCTION() ? StatementKind::kDropFunction
                        : dr->TRIGGER()  ? StatementKind::kDropTrigger
                                         : StatementKind::kDropEvent;
      WriteStatement(k);
      st_.if_exists = dr->ifExists() != nullptr;
      QualifiedName(dr->qualifiedIdentifier());
    } else if (auto* acc = s->accountStmt()) {
      WriteStatement(StatementKind::kAccountManagement);
      st_.name = AccountVerb(acc);
      if (auto* cu = As<P::CreateUserContext>(acc)) {
        st_.or_replace = cu->OR() != nullptr;
        st_.if_not_exists = cu->ifNotExists() != nullptr;
      } else if (auto* cro = As<P::CreateRoleContext>(acc)) {
        st_.or_replace = cro->OR() != nullptr;
        st_.if_not_exists = cro->ifNotExists() != nullptr;
      } else if (auto* au = As<P::AlterUserContext>(acc)) {
        st_.if_exists = au->ifExists() != nullptr;
      } else if (auto* du = As<P::DropUserContext>(acc)) {
        st_.if_exists = du->ifExists() != nullptr;
      } else if (auto* dro = As<P::DropRoleContext>(acc)) {
        st_.if_exists = dro->ifExists() != nullptr;
      }
    } else if (auto* fl = s->flushStmt()) {
      WriteStatement(StatementKind::kFlush);
      st_.name = FlushName(fl->flushOption(0));
    } else if (auto* h = s->handlerStmt()) {
      SessionStatement(StatementKind::kHandler);
      st_.name = As<P::HandlerOpenContext>(h)   ? "OPEN"
                 : As<P::HandlerReadContext>(h) ? "READ"
                                                : "CLOSE";
    } else if (auto* help = s->helpStmt()) {
      ReadOnlyStatement(StatementKind::kHelp);
      if (help->TEXT_STRING()) {
        st_.args.push_back(LiteralValue(help->TEXT_STRING()->getSymbol()->getStartIndex()));
      } else {
        Value v;
        v.kind = Value::Kind::kExpression;
        v.text = Ident(help->identifier());
        st_.args.push_back(v);
      }
    }
  }

  // name (and database, when qualified) of a routine, trigger or event.
  void QualifiedName(P::QualifiedIdentifierContext* q) {
    std::vector<P::IdentifierContext*> ids = q->identifier();
    st_.name = Ident(ids.back());
    if (ids.size() == 2) st_.database = Ident(ids[0]);
  }
  static std::string AccountVerb(P::AccountStmtContext* a) {
    if (As<P::GrantPrivilegesContext>(a) || As<P::GrantRoleContext>(a)) return "GRANT";
    if (As<P::RevokePrivilegesContext>(a) || As<P::RevokeAllContext>(a) ||
        As<P::RevokeRoleContext>(a))
      return "REVOKE";
    if (As<P::CreateUserContext>(a)) return "CREATE USER";
    if (As<P::AlterUserContext>(a)) return "ALTER USER";
    if (As<P::DropUserContext>(a)) return "DROP USER";
    if (As<P::RenameUserContext>(a)) return "RENAME USER";
    if (As<P::SetPasswordContext>(a)) return "SET PASSWORD";
    if (As<P::CreateRoleContext>(a)) return "CREATE ROLE";
    if (As<P::DropRoleContext>(a)) return "DROP ROLE";
    return "SET DEFAULT ROLE";
  }
  // "TABLES", "TABLES WITH READ LOCK", "TABLES FOR EXPORT", "PRIVILEGES", "BINARY LOGS", ...
  static std::string FlushName(P::FlushOptionContext* o) {
    std::string out;
    for (ParseTree* ch : o->children) {
      if (!IsTerminal(ch) && RuleOf(ch) != P::RuleFlushWord) continue;  // table names
      if (IsTerminal(ch) &&
          static_cast<TerminalNode*>(ch)->getSymbol()->getType() == MySQLLexer::COMMA)
        continue;
      if (!out.empty()) out.push_back(' ');
      out += Upper(IsTerminal(ch) ? static_cast<TerminalNode*>(ch)->getText()
                                  : static_cast<ParserRuleContext*>(ch)->getText());
    }
    return out;
  }

  // Statement::delete_targets: the single table, or each DELETE t1, t2 / FROM
  // t1, t2 USING target resolved in the statement's block like a qualifier.
  void DeleteTargets(P::DeleteStmtContext* d) {
    if (auto* d1 = As<P::DeleteSingleContext>(d)) {
      auto it = table_ctx_.find(d1->tableName());
      st_.delete_targets.push_back(it == table_ctx_.end() ? -1 : it->second);
      return;
    }
    std::vector<P::DeleteTargetContext*> targets;
    if (auto* b = As<P::DeleteMultiFromContext>(d)) targets = b->deleteTarget();
    if (auto* c = As<P::DeleteMultiUsingContext>(d)) targets = c->deleteTarget();
    int block = BlockOf(d);
    for (P::DeleteTargetContext* t : targets) {
      std::vector<P::IdentifierContext*> ids = t->qualifiedIdentifier()->identifier();
      std::string name = Ident(ids.back());
      std::string schema = ids.size() >= 2 ? Ident(ids[ids.size() - 2]) : "";
      st_.delete_targets.push_back(Resolve(block, name, schema, ""));
    }
  }

  std::vector<P::DeleteOptionContext*> DeleteOptions(P::DeleteStmtContext* d) {
    if (auto* a = As<P::DeleteSingleContext>(d)) return a->deleteOption();
    if (auto* b = As<P::DeleteMultiFromContext>(d)) return b->deleteOption();
    if (auto* c = As<P::DeleteMultiUsingContext>(d)) return c->deleteOption();
    return {};
  }

  void BuildOrderLimit(P::OrderByClauseContext* o, P::SimpleLimitContext* l) {
    if (o) {
      for (P::OrderItemContext* it : o->orderItem()) st_.order_by.push_back(MakeOrderItem(it));
      st_.order_by_clause = RangeOf(o);
    }
    if (l) {
      st_.limit = LimitValue(l->limitValue());
      st_.limit_clause = RangeOf(l);
    }
  }

  void BuildInsert(P::InsertStmtContext* ins) {
    WriteStatement(ins->REPLACE() ? StatementKind::kReplace : StatementKind::kInsert);
    st_.ignore = ins->IGNORE() != nullptr;
    P::InsertSourceContext* src = ins->insertSource();
    if (P::InsertColumnsContext* cols = src->insertColumns()) {
      for (P::ColumnRefContext* c : cols->columnRef())
        st_.insert_columns.push_back(Ident(c->identifier().back()));
      st_.insert_column_list = RangeOf(cols);
    } else if (ins->usePartition()) {
      st_.insert_column_list = After(ins->usePartition());
    } else {
      st_.insert_column_list = After(ins->tableName());
    }
    if (!src->rowValues().empty()) {
      for (P::RowValuesContext* r : src->rowValues()) {
        std::vector<Value> row;
        for (P::ValueItemContext* v : r->valueItem()) {
          row.push_back(ValueOfItem(v));
          row.back().range = RangeOf(v);
        }
        st_.rows.push_back(std::move(row));
        st_.row_ranges.push_back(RangeOf(r));
      }
      // The rows' slot: the digest slot of any literal inside the first row
      // (it may sit inside an expression such as DEFAULT(a) + 1).
      P::RowValuesContext* r0 = src->rowValues(0);
      for (const Literal& lit : d_.literals) {
        if (lit.offset >= r0->getStart()->getStartIndex() &&
            lit.offset <= r0->getStop()->getStopIndex()) {
          LiteralRef ref = FindLiteral(d_, lit.offset);
          if (ref.slot >= 0 && d_.slots[ref.slot].collapsed) {
            st_.rows_slot = ref.slot;
            st_.row_width = d_.slots[ref.slot].row_width;
          }
          break;
        }
      }
      // Rows that name tables (subqueries, NEXT VALUE FOR) or call sequence
      // functions (one SequenceCall per row) cannot be copied by Bind.
      if (st_.rows_slot >= 0) {
        for (auto& [t, depth] : table_names_) {
          if (t->getStart()->getStartIndex() > r0->getStart()->getStartIndex())
            rebind_by_parse_ = true;
        }
        for (const SequenceCall& c : st_.sequences) {
          if (c.range.begin > r0->getStart()->getStartIndex()) rebind_by_parse_ = true;
        }
      }
    } else if (src->queryExpression()) {
      st_.insert_select = true;
      BuildQuery(src->queryExpression());
      st_.lock = LockMode::kNone;
    } else {
      for (P::AssignmentContext* a : src->assignment()) {
        Assignment as = MakeAssignment(a, -1);
        if (as.table.empty()) as.table_index = 0;
        st_.assignments.push_back(std::move(as));
      }
    }
    if (P::OnDuplicateContext* od = ins->onDuplicate()) {
      for (P::AssignmentContext* a : od->assignment()) {
        Assignment as = MakeAssignment(a, -1);
        if (as.table.empty()) as.table_index = 0;
        st_.on_duplicate.push_back(std::move(as));
      }
    }
    st_.has_returning = ins->returningClause() != nullptr;
  }

  void BuildCreateTable(P::CreateTableStmtContext* ct) {
    WriteStatement(StatementKind::kCreateTable);
    st_.or_replace = ct->OR() != nullptr;
    st_.temporary = ct->TEMPORARY() != nullptr;
    st_.if_not_exists = ct->ifNotExists() != nullptr;
    if (P::ShardingClauseContext* sc = ct->shardingClause()) {
      if (auto* h = As<P::ShardByHashContext>(sc)) {
        st_.sharding.kind = Sharding::Kind::kHash;
        st_.sharding.column = Ident(h->identifier());
      } else {
        st_.sharding.kind = Sharding::Kind::kBroadcast;
      }
      st_.sharding.begin = static_cast<uint32_t>(sc->getStart()->getStartIndex());
      st_.sharding.end = static_cast<uint32_t>(sc->getStop()->getStopIndex() + 1);
    }
    if (ct->createSelect()) {
      st_.insert_select = true;
      BuildQuery(ct->createSelect()->queryExpression());
      st_.lock = LockMode::kNone;
    }
  }

  void BuildTransaction(P::TransactionStmtContext* tx) {
    if (auto* st = As<P::StartTransactionContext>(tx)) {
      SessionStatement(StatementKind::kBegin);
      for (P::TransactionCharacteristicContext* c : st->transactionCharacteristic()) {
        SetVar v;
        v.name = Upper(Norm(c));
        st_.set_vars.push_back(v);
      }
    } else if (As<P::BeginWorkContext>(tx)) {
      SessionStatement(StatementKind::kBegin);
    } else if (As<P::CommitWorkContext>(tx)) {
      SessionStatement(StatementKind::kCommit);
    } else if (As<P::RollbackWorkContext>(tx)) {
      SessionStatement(StatementKind::kRollback);
    } else if (auto* r = As<P::RollbackToSavepointContext>(tx)) {
      SessionStatement(StatementKind::kRollbackToSavepoint);
      st_.name = Ident(r->identifier());
    } else if (auto* sp = As<P::SavepointContext>(tx)) {
      SessionStatement(StatementKind::kSavepoint);
      st_.name = Ident(sp->identifier());
    } else if (auto* rs = As<P::ReleaseSavepointContext>(tx)) {
      SessionStatement(StatementKind::kReleaseSavepoint);
      st_.name = Ident(rs->identifier());
    }
  }

  SetVar MakeSetVar(P::SetAssignmentContext* a) {
    SetVar v;
    P::SetTargetContext* t = a->setTarget();
    if (t->USER_VAR()) {
      v.scope = SetVar::Scope::kUser;
      v.name = UnquoteVar(t->USER_VAR()->getText());
    } else if (t->SYSTEM_VAR()) {
      std::string name = t->SYSTEM_VAR()->getText().substr(2);
      std::string lower = Lower(name);
      v.scope = SetVar::Scope::kSession;
      if (lower.rfind("global.", 0) == 0) {
        v.scope = SetVar::Scope::kGlobal;
        name = name.substr(7);
      } else if (lower.rfind("session.", 0) == 0) {
        name = name.substr(8);
      } else if (lower.rfind("local.", 0) == 0) {
        name = name.substr(6);
      }
      v.name = UnquoteIdent(name);
      if (!t->identifier().empty()) v.name += "." + Ident(t->identifier(0));
    } else {
      v.scope = t->GLOBAL() ? SetVar::Scope::kGlobal : SetVar::Scope::kSession;
      std::vector<P::IdentifierContext*> ids = t->identifier();
      v.name = Ident(ids[0]);
      if (ids.size() == 2) v.name += "." + Ident(ids[1]);
    }
    P::SetValueContext* val = a->setValue();
    if (val->expr()) {
      v.value = ValueOf(val->expr());
      // SET character_set_client = utf8mb4: a bare name is a value, not a column.
      if (v.value.kind == Value::Kind::kColumn && v.value.table.empty()) {
        v.value.kind = Value::Kind::kExpression;
      }
    } else if (val->DEFAULT()) {
      v.value.kind = Value::Kind::kDefault;
      v.value.text = "DEFAULT";
    } else {
      v.value.kind = Value::Kind::kExpression;
      v.value.text = Upper(val->getText());
    }
    return v;
  }

  // A charset/collation name as written: identifiers verbatim, strings as literal values.
  Value NameValue(P::CharsetNameContext* c) {
    if (c->TEXT_STRING()) {
      rebind_by_parse_ = true;
      return LiteralValue(c->TEXT_STRING()->getSymbol()->getStartIndex());
    }
    Value v;
    v.kind = Value::Kind::kExpression;
    v.text = c->identifier() ? Ident(c->identifier()) : Upper(c->getText());
    return v;
  }

  void BuildSet(P::SetStmtContext* set) {
    if (auto* tr = As<P::SetTransactionContext>(set)) {
      SessionStatement(StatementKind::kSetTransaction);
      for (P::TransactionOptionContext* o : tr->transactionOption()) {
        SetVar v;
        v.scope = tr->GLOBAL() ? SetVar::Scope::kGlobal : SetVar::Scope::kSession;
        v.name = Upper(Norm(o));
        st_.set_vars.push_back(v);
      }
      return;
    }
    SessionStatement(StatementKind::kSet);
    auto* vars = As<P::SetVariablesContext>(set);
    for (P::SetItemContext* item : vars->setItem()) {
      if (auto* n = As<P::SetNamesContext>(item)) {
        SetVar v;
        v.scope = SetVar::Scope::kNames;
        if (n->charsetName()) {
          v.value = NameValue(n->charsetName());
        } else {
          v.value.kind = Value::Kind::kDefault;
          v.value.text = "DEFAULT";
        }
        if (n->collationName()) {
          P::CollationNameContext* cn = n->collationName();
          if (cn->TEXT_STRING()) {  // COLLATE 'x': the string's content
            rebind_by_parse_ = true;
            v.name = LiteralValue(cn->TEXT_STRING()->getSymbol()->getStartIndex()).text;
          } else {
            v.name = cn->identifier() ? Ident(cn->identifier()) : Upper(Text(cn));
          }
        }
        st_.set_vars.push_back(v);
      } else if (auto* c = As<P::SetCharsetContext>(item)) {
        SetVar v;
        v.scope = SetVar::Scope::kCharset;
        if (c->charsetName()) {
          v.value = NameValue(c->charsetName());
        } else {
          v.value.kind = Value::Kind::kDefault;
          v.value.text = "DEFAULT";
        }
        st_.set_vars.push_back(v);
      } else if (auto* sv = As<P::SetVarContext>(item)) {
        st_.set_vars.push_back(MakeSetVar(sv->setAssignment()));
      }
    }
  }

  void BuildShow(P::ShowStmtContext* show) {
    ReadOnlyStatement(StatementKind::kShow);
    // SHOW <words up to the first name/LIKE/WHERE/FROM>, upper-case.
    std::string what;
    size_t last = show->getStop()->getTokenIndex();
    for (size_t i = NextDefault(show->getStart()->getTokenIndex() + 1, last); i <= last;
         i = NextDefault(i + 1, last)) {
      Token* t = tokens_.get(i);
      size_t type = t->getType();
      if (type == MySQLLexer::FROM || type == MySQLLexer::IN || type == MySQLLexer::LIKE ||
          type == MySQLLexer::WHERE || type == MySQLLexer::LIMIT || type == MySQLLexer::FOR ||
          type == MySQLLexer::LPAREN || type == MySQLLexer::IF) {
        break;
      }
      if (!(type < Classes().keyword.size() && Classes().keyword[type])) break;
      if (As<P::ShowCreateTableContext>(show) || As<P::ShowCreateDatabaseContext>(show) ||
          As<P::ShowCreateOtherContext>(show)) {
        if (!what.empty() && what.find(' ') != std::string::npos) break;
      }
      if (!what.empty()) what.push_back(' ');
      what += Upper(t->getText());
    }
    if (auto* wc = As<P::ShowWarningCountContext>(show)) {
      what = wc->WARNINGS() ? "COUNT(*) WARNINGS" : "COUNT(*) ERRORS";
    }
    st_.show_what = what;
    if (auto* db = As<P::ShowCreateDatabaseContext>(show)) st_.database = Ident(db->identifier());
    if (auto* eng = As<P::ShowEngineContext>(show)) st_.name = Ident(eng->identifier(0));
    if (auto* other = As<P::ShowCreateOtherContext>(show)) {  // SHOW CREATE PROCEDURE db.p
      std::vector<P::IdentifierContext*> ids = other->qualifiedIdentifier()->identifier();
      st_.name = Ident(ids.back());
      if (ids.size() == 2) st_.database = Ident(ids[0]);
    }
    P::FromDatabaseContext* from = nullptr;
    if (auto* a = As<P::ShowTablesContext>(show)) from = a->fromDatabase();
    if (auto* b = As<P::ShowColumnsContext>(show)) from = b->fromDatabase();
    if (auto* c = As<P::ShowIndexContext>(show)) from = c->fromDatabase();
    if (auto* d = As<P::ShowTableStatusContext>(show)) from = d->fromDatabase();
    if (auto* e = As<P::ShowOpenTablesContext>(show)) from = e->fromDatabase();
    if (auto* f = As<P::ShowTriggersContext>(show)) from = f->fromDatabase();
    if (from) st_.database = Ident(from->identifier());
  }

  struct Block {
    ParserRuleContext* ctx;
    int depth;
    std::vector<int> tables;  // tables that scope column names in this block
    // Derived tables and CTE references in its FROM list: their column names
    // (lower case), nullopt when unknown (SELECT *). An unqualified column
    // that may be theirs has no known owner.
    std::vector<std::optional<std::unordered_set<std::string>>> other_sources;
    // Columns named in JOIN ... USING (lower case) -> the table whose value the
    // coalesced column has (the left operand; the right one for RIGHT JOIN).
    std::unordered_map<std::string, int> using_owner;
  };

  antlr4::CommonTokenStream& tokens_;
  std::string_view sql_;
  const Digest& d_;
  SqlMode mode_;
  Statement st_;
  std::vector<Block> blocks_;
  std::unordered_map<ParseTree*, int> block_index_;
  std::vector<std::pair<P::TableNameContext*, int>> table_names_;
  std::unordered_map<P::TableNameContext*, int> table_ctx_;
  std::unordered_map<std::string, P::CteContext*> cte_names_;
  std::unordered_set<size_t> ident_keyword_tokens_;  // token indexes of keywords used as names
  bool side_effect_expr_ = false;
  bool session_bound_expr_ = false;  // see SessionBoundFunction / SessionBoundVariable
  bool rebind_by_parse_ = false;
  // BuildQuery: an ORDER BY / LIMIT clause was recorded (an inner parenthesised
  // query's is kept when the outer has none).
  bool order_by_clause_found_ = false;
  bool limit_clause_found_ = false;

 public:
  static void SetPositional(OrderItem* item) {
    item->positional = false;
    item->position = 0;
    if (item->value && item->value->kind == Value::Kind::kLiteral &&
        item->value->literal_kind == LiteralKind::kInteger && !item->value->negative) {
      const std::string& t = item->value->text;
      if (!t.empty() && t.size() <= 9) {
        item->positional = true;
        item->position = static_cast<uint32_t>(std::stoul(t));
      }
    }
  }
};

}  // namespace

void RecomputePositional(OrderItem* item) { Builder::SetPositional(item); }

Statement BuildEmptyStatement(antlr4::CommonTokenStream& tokens, const Digest& digest,
                              SqlMode mode) {
  Statement st;
  st.kind = StatementKind::kEmpty;
  st.inner_kind = StatementKind::kEmpty;
  st.read_only = true;
  st.has_side_effects = false;
  st.literals = digest.literals;
  for (const Literal& l : digest.literals) {
    if (l.kind == LiteralKind::kPlaceholder) ++st.placeholder_count;
  }
  for (Token* t : tokens.getTokens()) {
    if (t->getType() == MySQLLexer::HINT) st.hints.push_back(t->getText());
  }
  st.mode = mode;
  return st;
}

Result<Statement> BuildStatement(void* root, antlr4::CommonTokenStream& tokens,
                                 std::string_view sql, const Digest& digest, SqlMode mode) {
  Builder b(tokens, sql, digest, mode);
  Result<Statement> r = b.Build(static_cast<P::RootContext*>(root));
  if (r.ok()) {
    r->mode = mode;
    r->rebind_by_parse = b.rebind_by_parse() || r->sharding.kind != Sharding::Kind::kNone;
  }
  return r;
}

}  // namespace shardproxy::parser
