// Character sets and collation weights for string shard keys (internal to
// router/vpart). The weights are MariaDB's (WEIGHT_STRING), from the generated
// collation_tables.inc (tools/gen_collation_tables.py) and three rules stated in
// collation.cc (identity for general_ci outside its table, UCA implicit weights
// for unicode_ci, U+FFFD's weight for code points above U+FFFF).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardproxy::router::vpart {

enum class Charset : uint8_t {
  kUtf8mb4,  // UTF-8, 1-4 bytes
  kUtf8mb3,  // UTF-8, 1-3 bytes (the BMP only); "utf8" in MariaDB 10.11
  kLatin1,   // MariaDB's latin1: cp1252, the five bytes cp1252 leaves undefined pass through
  kAscii,    // 7-bit
  kBinary,   // bytes (a hex literal, _binary'..'): reinterpreted in the column's charset
};
// "utf8mb4", "utf8mb3", "utf8", "latin1", "ascii", "binary" (case-insensitive), "N"
// (N'..': utf8mb3). nullopt for any other character set.
std::optional<Charset> CharsetByName(std::string_view name);

// Decodes bytes in cs into code points; false when ill-formed (a byte
// sequence that is not a character of cs; UTF-8 surrogates and overlong forms
// included). kBinary is not decodable by itself (false).
bool DecodeToCodePoints(Charset cs, std::string_view bytes, std::u32string* out);

enum class CollationKind : uint8_t {
  kUtf8mb4Bin,       // 3-byte big-endian code point
  kUtf8mb3Bin,       // 2-byte big-endian code point
  kGeneralCi,        // 2-byte weight: table, identity, U+FFFD above U+FFFF
  kUnicodeCi,        // UCA 4.0.0 primary weights, 0..n 2-byte weights per code point
  kLatin1SwedishCi,  // 1-byte weight per latin1 byte
  kLatin1Bin,        // the latin1 byte
};

struct Collation {
  std::string_view name;  // "utf8mb4_general_ci"
  Charset charset;        // the column's character set
  CollationKind kind;
};
// The supported collations by name (case-insensitive; "utf8_..." = "utf8mb3_...").
const Collation* FindCollation(std::string_view name);
// Comma-separated names of all of them.
std::string_view SupportedCollationNames();

// Whether every code point can be stored in charset cs (utf8mb3: <= U+FFFF;
// latin1: has a byte; ascii: < 0x80).
bool Representable(Charset cs, char32_t cp);

// Appends the weights of code points cps under c (WEIGHT_STRING's bytes, all
// characters, trailing spaces included). Every code point must be
// Representable in c.charset.
void AppendWeights(const Collation& c, std::u32string_view cps, std::string* out);

// Removes trailing weights equal to the weight of U+0020 (PAD SPACE).
void StripTrailingSpaceWeights(const Collation& c, std::string* weights);

}  // namespace shardproxy::router::vpart
