// Child accessors for the generated parse-tree contexts, without dynamic_cast.
//
// ANTLR's generated accessors (ctx->fromClause(), ctx->FROM(), ...) call
// ParserRuleContext::getRuleContext<T> / getToken, which dynamic_cast every
// child; each failing cast walks the class hierarchy comparing type names with
// strcmp, which was ~40% of building the statement model. The build rewrites
// the generated MySQLParser.cpp (grammar/fast_accessors.cmake) to call these
// instead. Same results: a rule context matches T exactly when its rule index
// is T's (labelled alternatives derive from their rule's context and keep its
// index), and a terminal is a TerminalNodeImpl or ErrorNodeImpl.
#pragma once

#include <antlr4-runtime.h>

#include <typeinfo>
#include <vector>

namespace sp_fast {

// Runs `f` when the scope ends (also during unwinding), like antlrcpp::finally
// but without a std::function: the generated rule functions' exit guards.
template <typename F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(f) {}
  ~ScopeExit() { f_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  F f_;
};
template <typename F>
ScopeExit<F> Finally(F f) {
  return ScopeExit<F>(f);
}

// type_info addresses, not operator== (which strcmp's the names when the
// addresses differ): the runtime is linked statically and both classes have
// key functions in it, so each has exactly one type_info in the program.
inline bool IsTerminal(antlr4::tree::ParseTree* t) {
  const std::type_info* ti = &typeid(*t);
  return ti == &typeid(antlr4::tree::TerminalNodeImpl) ||
         ti == &typeid(antlr4::tree::ErrorNodeImpl);
}

template <typename T>
T* RuleChild(antlr4::ParserRuleContext* c, size_t rule, size_t i) {
  for (antlr4::tree::ParseTree* ch : c->children) {
    if (IsTerminal(ch)) continue;
    if (static_cast<antlr4::ParserRuleContext*>(ch)->getRuleIndex() == rule && i-- == 0) {
      return static_cast<T*>(ch);
    }
  }
  return nullptr;
}

template <typename T>
std::vector<T*> RuleChildren(antlr4::ParserRuleContext* c, size_t rule) {
  std::vector<T*> out;
  for (antlr4::tree::ParseTree* ch : c->children) {
    if (IsTerminal(ch)) continue;
    if (static_cast<antlr4::ParserRuleContext*>(ch)->getRuleIndex() == rule) {
      out.push_back(static_cast<T*>(ch));
    }
  }
  return out;
}

inline antlr4::tree::TerminalNode* TokenChild(antlr4::ParserRuleContext* c, size_t type, size_t i) {
  for (antlr4::tree::ParseTree* ch : c->children) {
    if (!IsTerminal(ch)) continue;
    auto* t = static_cast<antlr4::tree::TerminalNode*>(ch);
    if (t->getSymbol()->getType() == type && i-- == 0) return t;
  }
  return nullptr;
}

inline std::vector<antlr4::tree::TerminalNode*> TokenChildren(antlr4::ParserRuleContext* c,
                                                              size_t type) {
  std::vector<antlr4::tree::TerminalNode*> out;
  for (antlr4::tree::ParseTree* ch : c->children) {
    if (!IsTerminal(ch)) continue;
    auto* t = static_cast<antlr4::tree::TerminalNode*>(ch);
    if (t->getSymbol()->getType() == type) out.push_back(t);
  }
  return out;
}

}  // namespace sp_fast
