// libFuzzer target: the cached parser facade (digest -> template cache -> Bind,
// or ANTLR on a miss) on arbitrary bytes under every sql_mode combination.
// Each input is parsed twice per mode: the first parse is a cache miss (ANTLR),
// the second a hit (Bind of the template into the same statement), and the two
// models must be equal -- the property the proxy relies on.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parser/cache/template_cache.h"
#include "parser/statement.h"

using namespace shardproxy;
using namespace shardproxy::parser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Long inputs only slow ANTLR down; the lexer fuzzer covers them.
  if (size > 4096) return 0;
  static CachedParser* parser = new CachedParser(64);
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  for (uint8_t bits = 0; bits < 16; ++bits) {
    SqlMode mode = SqlMode::FromBits(bits);
    parser->cache().Clear();
    Result<Statement> cold = parser->Parse(sql, mode);
    if (!cold.ok()) {
      uint16_t code = cold.status().code();
      if (code != 1064 && code != 1436) __builtin_trap();  // only syntax / depth errors
      continue;
    }
    uint64_t hits = parser->cache().stats().hits;
    Result<Statement> hit = parser->Parse(sql, mode);
    if (!hit.ok()) __builtin_trap();
    if (parser->cache().stats().hits != hits + 1) __builtin_trap();
    if (!(*hit == *cold)) __builtin_trap();
    (void)cold->ToJson();
  }
  return 0;
}
