#include "router/vpart/collation.h"

#include <array>
#include <cstring>
#include <vector>

namespace shardproxy::router::vpart {
namespace {

struct WeightRun {
  uint16_t first;   // first code point
  uint16_t count;   // code points first .. first+count-1
  uint16_t weight;  // weight of `first`
  uint16_t step;    // 0 or 1: code point first+i weighs weight + i*step
};

#include "router/vpart/collation_tables.inc"

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// utf8mb4_general_ci: every BMP code point's weight. Outside kGeneralCiRuns a
// code point weighs its own value (checked for every one by the generator).
const std::array<uint16_t, 0x10000>& GeneralCiTable() {
  static const std::array<uint16_t, 0x10000>* table = [] {
    auto* t = new std::array<uint16_t, 0x10000>;
    for (uint32_t cp = 0; cp < 0x10000; ++cp) (*t)[cp] = static_cast<uint16_t>(cp);
    for (const WeightRun& r : kGeneralCiRuns) {
      for (uint32_t i = 0; i < r.count; ++i) {
        (*t)[r.first + i] = static_cast<uint16_t>(r.weight + i * r.step);
      }
    }
    return t;
  }();
  return *table;
}

// utf8mb4_unicode_ci: index[cp] = (offset << 4) | count into pool, or
// kImplicit for code points with UCA's implicit weights.
constexpr uint32_t kImplicit = 0xFFFFFFFFu;
struct UcaTable {
  std::vector<uint32_t> index;
  std::vector<uint16_t> pool;
};

const UcaTable& UnicodeCiTable() {
  static const UcaTable* table = [] {
    auto* t = new UcaTable;
    t->index.assign(0x10000, kImplicit);
    for (const WeightRun& r : kUnicodeCiRuns) {
      for (uint32_t i = 0; i < r.count; ++i) {
        t->index[r.first + i] = static_cast<uint32_t>(t->pool.size() << 4) | 1u;
        t->pool.push_back(static_cast<uint16_t>(r.weight + i * r.step));
      }
    }
    constexpr size_t n = sizeof(kUnicodeCiMulti) / sizeof(kUnicodeCiMulti[0]);
    for (size_t i = 0; i < n;) {
      uint32_t cp = kUnicodeCiMulti[i];
      uint32_t count = kUnicodeCiMulti[i + 1];
      t->index[cp] = static_cast<uint32_t>(t->pool.size() << 4) | count;
      for (uint32_t k = 0; k < count; ++k) t->pool.push_back(kUnicodeCiMulti[i + 2 + k]);
      i += 2 + count;
    }
    return t;
  }();
  return *table;
}

// Unicode code point -> MariaDB latin1 byte, -1 when latin1 has none.
const std::vector<int16_t>& UnicodeToLatin1() {
  static const std::vector<int16_t>* table = [] {
    auto* t = new std::vector<int16_t>(0x10000, -1);
    for (int b = 0; b < 256; ++b) (*t)[kLatin1ToUnicode[b]] = static_cast<int16_t>(b);
    return t;
  }();
  return *table;
}

void PutBe16(uint16_t w, std::string* out) {
  out->push_back(static_cast<char>(w >> 8));
  out->push_back(static_cast<char>(w & 0xFF));
}

// UCA implicit weights as MariaDB's ctype-uca.c computes them for code points
// its UCA 4.0.0 table has no entry for: CJK ideographs and unassigned ones.
void AppendImplicit(char32_t cp, std::string* out) {
  uint16_t base;
  if (cp >= 0x3400 && cp <= 0x4DB5) {
    base = 0xFB80;
  } else if ((cp >= 0x4E00 && cp <= 0x9FA5) || (cp >= 0xF900 && cp <= 0xFA2D)) {
    base = 0xFB40;
  } else {
    base = 0xFBC0;
  }
  PutBe16(static_cast<uint16_t>(base + (cp >> 15)), out);
  PutBe16(static_cast<uint16_t>((cp & 0x7FFF) | 0x8000), out);
}

constexpr Collation kCollations[] = {
    {"utf8mb4_bin", Charset::kUtf8mb4, CollationKind::kUtf8mb4Bin},
    {"utf8mb4_general_ci", Charset::kUtf8mb4, CollationKind::kGeneralCi},
    {"utf8mb4_unicode_ci", Charset::kUtf8mb4, CollationKind::kUnicodeCi},
    {"utf8mb3_bin", Charset::kUtf8mb3, CollationKind::kUtf8mb3Bin},
    {"utf8mb3_general_ci", Charset::kUtf8mb3, CollationKind::kGeneralCi},
    {"utf8mb3_unicode_ci", Charset::kUtf8mb3, CollationKind::kUnicodeCi},
    {"latin1_swedish_ci", Charset::kLatin1, CollationKind::kLatin1SwedishCi},
    {"latin1_bin", Charset::kLatin1, CollationKind::kLatin1Bin},
};

size_t WeightUnit(CollationKind k) {
  switch (k) {
    case CollationKind::kUtf8mb4Bin:
      return 3;
    case CollationKind::kUtf8mb3Bin:
    case CollationKind::kGeneralCi:
    case CollationKind::kUnicodeCi:
      return 2;
    case CollationKind::kLatin1SwedishCi:
    case CollationKind::kLatin1Bin:
      return 1;
  }
  return 1;
}

}  // namespace

std::optional<Charset> CharsetByName(std::string_view name) {
  if (name == "N" || name == "n") return Charset::kUtf8mb3;
  if (EqualsIgnoreCase(name, "utf8mb4")) return Charset::kUtf8mb4;
  if (EqualsIgnoreCase(name, "utf8mb3") || EqualsIgnoreCase(name, "utf8")) {
    return Charset::kUtf8mb3;
  }
  if (EqualsIgnoreCase(name, "latin1")) return Charset::kLatin1;
  if (EqualsIgnoreCase(name, "ascii")) return Charset::kAscii;
  if (EqualsIgnoreCase(name, "binary")) return Charset::kBinary;
  return std::nullopt;
}

bool DecodeToCodePoints(Charset cs, std::string_view bytes, std::u32string* out) {
  out->clear();
  switch (cs) {
    case Charset::kBinary:
      return false;
    case Charset::kLatin1:
      for (unsigned char b : bytes) out->push_back(kLatin1ToUnicode[b]);
      return true;
    case Charset::kAscii:
      for (unsigned char b : bytes) {
        if (b >= 0x80) return false;
        out->push_back(b);
      }
      return true;
    case Charset::kUtf8mb4:
    case Charset::kUtf8mb3:
      break;
  }
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    auto cont = [&](size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
    if (c < 0x80) {
      out->push_back(c);
      i += 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(1)) return false;
      out->push_back(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(1) || !cont(2)) return false;
      char32_t cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;  // overlong, surrogate
      out->push_back(cp);
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4 && cs == Charset::kUtf8mb4) {
      if (!cont(1) || !cont(2) || !cont(3)) return false;
      char32_t cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
                    (s[i + 3] & 0x3F);
      if (cp < 0x10000 || cp > 0x10FFFF) return false;
      out->push_back(cp);
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

const Collation* FindCollation(std::string_view name) {
  std::string norm(name);
  if (norm.size() > 5 && EqualsIgnoreCase(std::string_view(norm).substr(0, 5), "utf8_")) {
    norm = "utf8mb3_" + norm.substr(5);
  }
  for (const Collation& c : kCollations) {
    if (EqualsIgnoreCase(c.name, norm)) return &c;
  }
  return nullptr;
}

std::string_view SupportedCollationNames() {
  static const std::string* names = [] {
    auto* s = new std::string;
    for (const Collation& c : kCollations) {
      if (!s->empty()) *s += ", ";
      *s += c.name;
    }
    return s;
  }();
  return *names;
}

bool Representable(Charset cs, char32_t cp) {
  switch (cs) {
    case Charset::kUtf8mb4:
      return cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    case Charset::kUtf8mb3:
      return cp <= 0xFFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    case Charset::kLatin1:
      return cp <= 0xFFFF && UnicodeToLatin1()[cp] >= 0;
    case Charset::kAscii:
      return cp < 0x80;
    case Charset::kBinary:
      return false;
  }
  return false;
}

void AppendWeights(const Collation& c, std::u32string_view cps, std::string* out) {
  switch (c.kind) {
    case CollationKind::kUtf8mb4Bin:
      for (char32_t cp : cps) {
        out->push_back(static_cast<char>((cp >> 16) & 0xFF));
        out->push_back(static_cast<char>((cp >> 8) & 0xFF));
        out->push_back(static_cast<char>(cp & 0xFF));
      }
      return;
    case CollationKind::kUtf8mb3Bin:
      for (char32_t cp : cps) PutBe16(static_cast<uint16_t>(cp), out);
      return;
    case CollationKind::kGeneralCi: {
      const auto& t = GeneralCiTable();
      // Above the BMP every code point weighs 0xFFFD (utf8mb4_general_ci).
      for (char32_t cp : cps) PutBe16(cp > 0xFFFF ? 0xFFFD : t[cp], out);
      return;
    }
    case CollationKind::kUnicodeCi: {
      const UcaTable& t = UnicodeCiTable();
      for (char32_t cp : cps) {
        if (cp > 0xFFFF) {  // MariaDB's UCA 4.0.0 covers the BMP; the rest weighs 0xFFFD
          PutBe16(0xFFFD, out);
          continue;
        }
        uint32_t e = t.index[cp];
        if (e == kImplicit) {
          AppendImplicit(cp, out);
          continue;
        }
        for (uint32_t k = 0; k < (e & 0xF); ++k) PutBe16(t.pool[(e >> 4) + k], out);
      }
      return;
    }
    case CollationKind::kLatin1SwedishCi:
    case CollationKind::kLatin1Bin: {
      const auto& rev = UnicodeToLatin1();
      for (char32_t cp : cps) {
        auto b = static_cast<uint8_t>(rev[cp]);
        out->push_back(static_cast<char>(
            c.kind == CollationKind::kLatin1Bin ? b : kLatin1SwedishCiWeights[b]));
      }
      return;
    }
  }
}

void StripTrailingSpaceWeights(const Collation& c, std::string* weights) {
  std::string space;
  AppendWeights(c, U" ", &space);
  size_t unit = WeightUnit(c.kind);
  if (space.size() != unit) return;  // not reached: a space has one weight everywhere
  while (weights->size() >= unit &&
         std::memcmp(weights->data() + weights->size() - unit, space.data(), unit) == 0) {
    weights->resize(weights->size() - unit);
  }
}

}  // namespace shardproxy::router::vpart
