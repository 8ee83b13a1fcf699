// libFuzzer target: the cached parser facade (digest -> template cache -> Bind,
// or ANTLR on a miss) on arbitrary bytes under every sql_mode combination.
// Each input is parsed twice per mode: the first parse is a cache miss (ANTLR),
// the second a hit (Bind of the template into the same statement), and the two
// models must be equal -- the property the proxy relies on. A miss answered
// from the statement with its lists cut to one item must equal a full parse.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "parser/cache/template_cache.h"
#include "parser/statement.h"

using namespace shardproxy;
using namespace shardproxy::parser;

// No leak suppression: the grammar's lexer has no semantic predicates (they
// made the ANTLR 4.9 runtime leak in LexerATNSimulator::computeTargetState;
// see parser/grammar/MySQLLexer.g4), so every leak fails the run.

[[noreturn]] static void Fail(const char* what, std::string_view sql, SqlMode mode,
                              const Result<Statement>* r) {
  std::fprintf(stderr, "parser_fuzz: %s (sql_mode bits %u): %s\n  SQL: %.*s\n", what,
               static_cast<unsigned>(mode.Bits()),
               r != nullptr ? r->status().ToString().c_str() : "", static_cast<int>(sql.size()),
               sql.data());
  __builtin_trap();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Long inputs only slow ANTLR down; the lexer fuzzer covers them.
  if (size > 4096) return 0;
  static CachedParser* parser = new CachedParser(64);
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  for (uint8_t bits = 0; bits < 16; ++bits) {
    SqlMode mode = SqlMode::FromBits(bits);
    parser->cache().Clear();
    uint64_t reduced = parser->reduced_parses();
    Result<Statement> cold = parser->Parse(sql, mode);
    if (!cold.ok()) {
      // Only: syntax error, nesting too deep, empty query.
      uint16_t code = cold.status().code();
      if (code != 1064 && code != 1436 && code != 1065) Fail("unexpected error", sql, mode, &cold);
      continue;
    }
    if (parser->reduced_parses() != reduced) {
      // The miss parsed the statement with its collapsed lists cut to one
      // item and bound that: it must equal a parse of the full statement.
      ParseOptions opts;
      opts.mode = mode;
      Result<Statement> full = ParseStatement(sql, opts);
      if (!full.ok()) Fail("the full statement does not parse", sql, mode, &full);
      if (!(*full == *cold)) Fail("cut-list model != full parse model", sql, mode, nullptr);
    }
    uint64_t hits = parser->cache().stats().hits;
    Result<Statement> hit = parser->Parse(sql, mode);
    if (!hit.ok()) Fail("the cache hit failed", sql, mode, &hit);
    if (parser->cache().stats().hits != hits + 1) Fail("no cache hit", sql, mode, nullptr);
    if (!(*hit == *cold)) Fail("cache-hit model != cold model", sql, mode, nullptr);
    (void)cold->ToJson();
  }
  return 0;
}
