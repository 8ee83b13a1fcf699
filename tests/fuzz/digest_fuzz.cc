// libFuzzer target: the digest lexer (parser/digest) on arbitrary bytes, under
// every sql_mode combination. Checks the invariants callers rely on, not just
// "no crash": literals in order and inside the input, slots partitioning the
// literals, FindLiteral mapping every literal back to its slot, the hash being
// XXH3 of the text, determinism, and SplitStatements pieces lying inside the
// script.
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parser/digest/digest.h"

using namespace shardproxy;
using namespace shardproxy::parser;

#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) {       \
      __builtin_trap();  \
    }                    \
  } while (0)

static void CheckDigest(std::string_view sql, SqlMode mode) {
  Digest d;
  uint32_t err = 0;
  Status st = ComputeDigestInto(sql, mode, &d, &err);
  if (!st.ok()) {
    FUZZ_CHECK(st.code() == 1064);
    FUZZ_CHECK(err <= sql.size());
    FUZZ_CHECK(d.text.empty() && d.literals.empty() && d.slots.empty());
    return;
  }
  FUZZ_CHECK(d.hash == XXH3_64bits(d.text.data(), d.text.size()));
  uint32_t prev_end = 0;
  for (const Literal& l : d.literals) {
    FUZZ_CHECK(l.intro_offset <= l.offset);
    FUZZ_CHECK(l.intro_offset >= prev_end);
    FUZZ_CHECK(l.length > 0);
    FUZZ_CHECK(static_cast<size_t>(l.offset) + l.length <= sql.size());
    prev_end = l.offset + l.length;
    (void)LiteralText(sql, l, mode);
  }
  uint32_t next = 0;
  for (const Slot& s : d.slots) {
    FUZZ_CHECK(s.first_literal == next);
    FUZZ_CHECK(s.count > 0 || s.collapsed);
    FUZZ_CHECK(s.row_width >= 1);
    FUZZ_CHECK(s.count % s.row_width == 0);
    if (!s.collapsed) FUZZ_CHECK(s.count == 1);
    next += s.count;
  }
  FUZZ_CHECK(next == d.literals.size());
  for (size_t i = 0; i < d.literals.size(); ++i) {
    const Literal& l = d.literals[i];
    for (uint32_t off : {l.intro_offset, l.offset, l.offset + l.length - 1}) {
      LiteralRef r = FindLiteral(d, off);
      FUZZ_CHECK(r.slot >= 0 && static_cast<size_t>(r.slot) < d.slots.size());
      FUZZ_CHECK(d.slots[r.slot].first_literal + r.index == i);
    }
  }
  // Deterministic, and the text of a digest never exceeds a small multiple of the input.
  Result<Digest> again = ComputeDigest(sql, mode);
  FUZZ_CHECK(again.ok() && again->text == d.text && again->literals == d.literals &&
             again->slots == d.slots);
  FUZZ_CHECK(d.text.size() <= 3 * sql.size() + 16);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  for (uint8_t bits = 0; bits < 16; ++bits) {
    SqlMode mode = SqlMode::FromBits(bits);
    CheckDigest(sql, mode);
    for (std::string_view piece : SplitStatements(sql, mode)) {
      FUZZ_CHECK(piece.data() >= sql.data() &&
                 piece.data() + piece.size() <= sql.data() + sql.size());
      FUZZ_CHECK(!piece.empty());
    }
  }
  return 0;
}
