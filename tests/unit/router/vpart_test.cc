// router/vpart: canonical bytes of shard-key values and their vpart.
// Expected weights are MariaDB 10.11's HEX(WEIGHT_STRING(...)); the exhaustive
// comparison with the server is tests/integration/test_vpart_weights.py.
#include "router/vpart/vpart.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <string>

namespace shardproxy::router {
namespace {

using parser::LiteralKind;

std::string Hex(std::string_view s) {
  static const char* d = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

KeyColumn Col(std::string_view column_type, std::string_view collation = "") {
  std::string_view data_type = column_type.substr(0, column_type.find_first_of(" ("));
  auto c = KeyColumn::FromColumnInfo(data_type, column_type, -1, collation, "k");
  EXPECT_TRUE(c.ok()) << column_type << ": " << c.status().ToString();
  return c.ok() ? *c : KeyColumn{};
}

KeyValue V(LiteralKind kind, std::string_view text, bool negative = false) {
  KeyValue v;
  v.kind = kind;
  v.text = text;
  v.negative = negative;
  return v;
}
KeyValue Str(std::string_view text, std::string_view charset = "") {
  KeyValue v = V(LiteralKind::kString, text);
  v.charset = charset;
  return v;
}
KeyValue Int(std::string_view text, bool negative = false) {
  return V(LiteralKind::kInteger, text, negative);
}
KeyValue Dec(std::string_view text, bool negative = false) {
  return V(LiteralKind::kDecimal, text, negative);
}
KeyValue Flt(std::string_view text) { return V(LiteralKind::kFloat, text); }

// "B:<hex>" for one vpart, "never_equal", "all_groups", or "E<errno>".
std::string Key(const KeyColumn& col, const KeyValue& v,
                KeyPurpose purpose = KeyPurpose::kCompare) {
  auto k = CanonicalKeyBytes(col, v, purpose);
  if (!k.ok()) return "E" + std::to_string(k.status().code());
  if (k->verdict == KeyVerdict::kOneVpart) return "B:" + Hex(k->bytes);
  EXPECT_EQ(purpose, KeyPurpose::kCompare) << "kStore gave a verdict other than kOneVpart";
  EXPECT_FALSE(k->reason.empty());
  return KeyVerdictName(k->verdict);
}
std::string Store(const KeyColumn& col, const KeyValue& v) {
  return Key(col, v, KeyPurpose::kStore);
}

// ---------------------------------------------------------------------------

TEST(VpartOf, IsXxh3Modulo) {
  for (std::string_view s : {"", "42", "2024-01-05", "\x00\x41"}) {
    EXPECT_EQ(VpartOf(s), XXH3_64bits(s.data(), s.size()) % 1024);
    EXPECT_EQ(VpartOf(s, 7), XXH3_64bits(s.data(), s.size()) % 7);
  }
  EXPECT_EQ(VpartOf("42", 0), 0u);
  EXPECT_EQ(kDefaultVpartCount, 1024u);
}

// The canonical bytes are a stored-data format: rows already placed by them
// would be lost if they changed. These golden values freeze the definition in
// docs/SHARDING.md.
TEST(VpartOf, GoldenValues) {
  EXPECT_EQ(VpartOf("42"), 401u);          // integer 42
  EXPECT_EQ(VpartOf("1.5"), 238u);         // DECIMAL 1.50
  EXPECT_EQ(VpartOf("2024-01-05"), 476u);  // DATE
  EXPECT_EQ(VpartOf(""), 194u);            // NULL, '' (strings), empty binary
  EXPECT_EQ(VpartOf(std::string("\x00\x41\x00\x42\x00\x43", 6)), 363u);  // 'abc' general_ci
}

// ---------------------------------------------------------------------------
// KeyColumn::FromColumnInfo

TEST(KeyColumn, ReadsInformationSchemaTypes) {
  KeyColumn c = Col("int(10) unsigned");
  EXPECT_EQ(c.type, KeyType::kInteger);
  EXPECT_TRUE(c.is_unsigned);
  EXPECT_EQ(c.int_bytes, 4);
  EXPECT_EQ(Col("bigint(20)").int_bytes, 8);
  EXPECT_FALSE(Col("bigint(20)").is_unsigned);
  EXPECT_EQ(Col("tinyint(1)").int_bytes, 1);
  EXPECT_EQ(Col("smallint(5) unsigned zerofill").int_bytes, 2);
  EXPECT_EQ(Col("mediumint(8)").int_bytes, 3);

  auto d = KeyColumn::FromColumnInfo("decimal", "decimal(12,3) unsigned", 3, "", "amount");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->type, KeyType::kDecimal);
  EXPECT_EQ(d->precision, 12u);
  EXPECT_EQ(d->scale, 3u);
  EXPECT_TRUE(d->is_unsigned);
  EXPECT_EQ(d->ToString(), "decimal(12,3) unsigned");

  EXPECT_EQ(Col("date").type, KeyType::kDate);
  EXPECT_EQ(Col("datetime").precision, 0u);
  EXPECT_EQ(Col("datetime(3)").precision, 3u);
  EXPECT_EQ(Col("datetime(3)").type, KeyType::kDateTime);

  KeyColumn s = Col("varchar(64)", "utf8mb4_general_ci");
  EXPECT_EQ(s.type, KeyType::kString);
  EXPECT_EQ(s.length, 64u);
  EXPECT_FALSE(s.fixed_length);
  EXPECT_EQ(s.collation, "utf8mb4_general_ci");
  EXPECT_EQ(Col("char(4)", "latin1_swedish_ci").fixed_length, true);
  EXPECT_EQ(Col("varchar(4)", "utf8_general_ci").collation, "utf8mb3_general_ci");
  EXPECT_EQ(Col("varchar(4)", "UTF8MB4_BIN").collation, "utf8mb4_bin");

  KeyColumn b = Col("binary(16)");
  EXPECT_EQ(b.type, KeyType::kBinary);
  EXPECT_TRUE(b.fixed_length);
  EXPECT_EQ(b.length, 16u);
  EXPECT_EQ(b.collation, "");
  EXPECT_EQ(Col("varbinary(255)").ToString(), "varbinary(255)");
}

TEST(KeyColumn, RefusesTypesThatCannotBeKeys) {
  struct Case {
    const char* data_type;
    const char* column_type;
    const char* collation;
    const char* advice;  // part of the message
  } cases[] = {
      {"float", "float", "", "DECIMAL"},
      {"double", "double", "", "DECIMAL"},
      {"text", "text", "utf8mb4_general_ci", "VARCHAR"},
      {"longtext", "longtext", "utf8mb4_bin", "VARCHAR"},  // MariaDB's JSON
      {"blob", "blob", "", "VARBINARY"},
      {"json", "json", "", "JSON"},
      {"timestamp", "timestamp", "", "DATETIME"},
      {"year", "year(4)", "", "integers"},
      {"enum", "enum('a','b')", "utf8mb4_general_ci", "VARCHAR"},
      {"uuid", "uuid", "", "BINARY(16)"},
      {"varchar", "varchar(10)", "utf8mb4_danish_ci", "utf8mb4_general_ci"},
      {"varchar", "varchar(10)", "utf8mb4_general_nopad_ci", "utf8mb4_general_ci"},
  };
  for (const Case& c : cases) {
    auto r = KeyColumn::FromColumnInfo(c.data_type, c.column_type, -1, c.collation, "price");
    ASSERT_FALSE(r.ok()) << c.column_type;
    EXPECT_EQ(r.status().code(), 1235);
    EXPECT_EQ(r.status().sqlstate(), "42000");
    const std::string m = r.status().message();
    EXPECT_NE(m.find("`price`"), std::string::npos) << m;
    EXPECT_NE(m.find(c.column_type), std::string::npos) << m;
    EXPECT_NE(m.find(c.advice), std::string::npos) << m;
  }
}

// ---------------------------------------------------------------------------
// Integers

TEST(IntegerKey, ValueWhateverTheLiteralForm) {
  const std::string b42 = "B:" + Hex("42");
  for (const KeyColumn& c :
       {Col("int"), Col("int unsigned"), Col("bigint"), Col("bigint unsigned"), Col("tinyint")}) {
    EXPECT_EQ(Key(c, Int("42")), b42);
    EXPECT_EQ(Key(c, Int("0042")), b42);
    EXPECT_EQ(Key(c, Str("42")), b42);
    EXPECT_EQ(Key(c, Str(" 042 ")), b42);
    EXPECT_EQ(Key(c, Str("\t+42")), b42);
    EXPECT_EQ(Key(c, Str("4.2e1")), b42);
    EXPECT_EQ(Key(c, Str("42.000")), b42);
    EXPECT_EQ(Key(c, Dec("42.0")), b42);
    EXPECT_EQ(Key(c, Flt("4.2e1")), b42);
    EXPECT_EQ(Key(c, Flt("420e-1")), b42);
    EXPECT_EQ(Key(c, V(LiteralKind::kHex, "0x2A")), b42);
    EXPECT_EQ(Key(c, V(LiteralKind::kHex, "0x02a")), b42);
    EXPECT_EQ(Key(c, V(LiteralKind::kBit, "b'101010'")), b42);
    EXPECT_EQ(Key(c, V(LiteralKind::kBit, "0b00101010")), b42);
    EXPECT_EQ(Store(c, Int("42")), b42);
    EXPECT_EQ(Store(c, Str("42")), b42);
    EXPECT_EQ(Store(c, V(LiteralKind::kHex, "0x2A")), b42);
  }
}

TEST(IntegerKey, SignedAndUnsignedAlikeNegativeZero) {
  EXPECT_EQ(Key(Col("bigint"), Int("7")), Key(Col("int unsigned"), Int("7")));
  EXPECT_EQ(Key(Col("int"), Int("0", true)), "B:" + Hex("0"));
  EXPECT_EQ(Key(Col("int"), Str("-0")), "B:" + Hex("0"));
  EXPECT_EQ(Key(Col("int"), Dec("0.00", true)), "B:" + Hex("0"));
  EXPECT_EQ(Key(Col("int"), Int("5", true)), "B:" + Hex("-5"));
  EXPECT_EQ(Key(Col("int"), Str("-5")), "B:" + Hex("-5"));
  EXPECT_EQ(Key(Col("bigint unsigned"), Int("18446744073709551615")),
            "B:" + Hex("18446744073709551615"));
  EXPECT_EQ(Key(Col("bigint unsigned"), V(LiteralKind::kHex, "0xFFFFFFFFFFFFFFFF")),
            "B:" + Hex("18446744073709551615"));
  EXPECT_EQ(Key(Col("bigint"), Int("9223372036854775808", true)),
            "B:" + Hex("-9223372036854775808"));
}

TEST(IntegerKey, OutOfRangeAndNonIntegersNeverEqual) {
  EXPECT_EQ(Key(Col("int unsigned"), Int("1", true)), "never_equal");
  EXPECT_EQ(Key(Col("int unsigned"), Str("-1")), "never_equal");
  EXPECT_EQ(Key(Col("tinyint"), Int("128")), "never_equal");
  EXPECT_EQ(Key(Col("tinyint"), Int("129", true)), "never_equal");
  EXPECT_EQ(Key(Col("tinyint"), Int("128", true)), "B:" + Hex("-128"));
  EXPECT_EQ(Key(Col("tinyint unsigned"), Int("255")), "B:" + Hex("255"));
  EXPECT_EQ(Key(Col("tinyint unsigned"), Int("256")), "never_equal");
  EXPECT_EQ(Key(Col("mediumint"), Int("8388607")), "B:" + Hex("8388607"));
  EXPECT_EQ(Key(Col("mediumint"), Int("8388608")), "never_equal");
  EXPECT_EQ(Key(Col("bigint"), Int("9223372036854775808")), "never_equal");
  EXPECT_EQ(Key(Col("bigint unsigned"), Int("18446744073709551616")), "never_equal");
  EXPECT_EQ(Key(Col("int"), Int("99999999999999999999999999999")), "never_equal");
  EXPECT_EQ(Key(Col("int"), Dec("4.5")), "never_equal");
  EXPECT_EQ(Key(Col("int"), Str("4.5")), "never_equal");
  EXPECT_EQ(Store(Col("tinyint"), Int("300")), "E1264");
  EXPECT_EQ(Store(Col("int unsigned"), Int("1", true)), "E1264");
  EXPECT_EQ(Store(Col("int"), Dec("4.5")), "E1366");
}

TEST(IntegerKey, ValuesMariaDbConvertsLooselyGoToAllGroups) {
  // '42abc' is 42 and 'abc' is 0 with a warning: not pinned.
  EXPECT_EQ(Key(Col("int"), Str("42abc")), "all_groups");
  EXPECT_EQ(Key(Col("int"), Str("abc")), "all_groups");
  EXPECT_EQ(Key(Col("int"), Str("")), "all_groups");
  EXPECT_EQ(Key(Col("int"), Str("0x2A")), "all_groups");
  EXPECT_EQ(Key(Col("int"), V(LiteralKind::kHex, "X'3432'")), "all_groups");  // a string
  EXPECT_EQ(Key(Col("int"), Flt("4.5e0")), "all_groups");                     // DOUBLE comparison
  EXPECT_EQ(Key(Col("bigint"), Flt("9007199254740992e0")), "all_groups");     // >= 2^53
  EXPECT_EQ(Key(Col("bigint"), Flt("9007199254740991e0")), "B:" + Hex("9007199254740991"));
  EXPECT_EQ(Key(Col("int"), V(LiteralKind::kPlaceholder, "?")), "all_groups");
  KeyValue minus_string = Str("42");
  minus_string.negative = true;
  EXPECT_EQ(Key(Col("int"), minus_string), "all_groups");
  KeyValue date = Str("2024-01-05");
  date.typed = "DATE";
  EXPECT_EQ(Key(Col("int"), date), "all_groups");
  EXPECT_EQ(Store(Col("int"), Str("42abc")), "E1366");
  EXPECT_EQ(Store(Col("int"), V(LiteralKind::kPlaceholder, "?")), "E1105");
}

// ---------------------------------------------------------------------------
// DECIMAL

TEST(DecimalKey, NormalisedExactValue) {
  KeyColumn c = Col("decimal(10,2)");
  const std::string b15 = "B:" + Hex("1.5");
  EXPECT_EQ(Key(c, Dec("1.5")), b15);
  EXPECT_EQ(Key(c, Dec("1.50")), b15);
  EXPECT_EQ(Key(c, Dec("01.500000")), b15);
  EXPECT_EQ(Key(c, Str(" 1.50 ")), b15);
  EXPECT_EQ(Key(c, Str("15e-1")), b15);
  EXPECT_EQ(Key(c, Flt("1.5e0")), b15);  // DOUBLE, exact for DECIMAL(M<=15)
  EXPECT_EQ(Key(c, Dec(".5")), "B:" + Hex("0.5"));
  EXPECT_EQ(Key(c, Int("3")), "B:" + Hex("3"));
  EXPECT_EQ(Key(c, Dec("3.00")), "B:" + Hex("3"));
  EXPECT_EQ(Key(c, Dec("0.00", true)), "B:" + Hex("0"));
  EXPECT_EQ(Key(c, Dec("1.5", true)), "B:" + Hex("-1.5"));
  EXPECT_EQ(Key(c, Dec("99999999.99")), "B:" + Hex("99999999.99"));
}

TEST(DecimalKey, CompareIsExactStoreRounds) {
  KeyColumn c = Col("decimal(10,2)");
  EXPECT_EQ(Key(c, Dec("1.505")), "never_equal");
  EXPECT_EQ(Store(c, Dec("1.505")), "B:" + Hex("1.51"));
  EXPECT_EQ(Store(c, Dec("1.504")), "B:" + Hex("1.5"));
  EXPECT_EQ(Store(c, Dec("1.505", true)), "B:" + Hex("-1.51"));
  EXPECT_EQ(Store(c, Dec("0.001", true)), "B:" + Hex("0"));
  EXPECT_EQ(Store(c, Dec("9.995")), "B:" + Hex("10"));
  EXPECT_EQ(Key(c, Dec("123456789")), "never_equal");
  EXPECT_EQ(Store(c, Dec("123456789")), "E1264");
  EXPECT_EQ(Store(Col("decimal(5,2)"), Dec("999.995")), "E1264");
  EXPECT_EQ(Store(Col("decimal(5,2)"), Dec("999.994")), "B:" + Hex("999.99"));
  EXPECT_EQ(Key(Col("decimal(5,2) unsigned"), Dec("1", true)), "never_equal");
  EXPECT_EQ(Store(Col("decimal(5,2) unsigned"), Dec("1", true)), "E1264");
  EXPECT_EQ(Key(Col("decimal(30,2)"), Flt("1.5e0")), "all_groups");  // M > 15
  EXPECT_EQ(Store(c, Flt("1.5e0")), "E1235");
  EXPECT_EQ(Key(c, V(LiteralKind::kHex, "0x03")), "all_groups");
  EXPECT_EQ(Key(c, Str("1.5x")), "all_groups");
}

// ---------------------------------------------------------------------------
// DATE / DATETIME

TEST(DateKey, DocumentedForms) {
  KeyColumn c = Col("date");
  const std::string b = "B:" + Hex("2024-01-05");
  for (std::string_view s :
       {"2024-01-05", "2024-1-5", "2024-01-5", "20240105", "2024-01-05 00:00:00",
        "2024-01-05T00:00:00", "2024-01-05 00:00:00.000000", "2024-01-05 0:0:0"}) {
    EXPECT_EQ(Key(c, Str(s)), b) << s;
  }
  EXPECT_EQ(Key(c, Int("20240105")), b);
  EXPECT_EQ(Key(c, Int("20240105000000")), b);
  KeyValue typed = Str("2024-01-05");
  typed.typed = "DATE";
  EXPECT_EQ(Key(c, typed), b);
  EXPECT_EQ(Key(c, Str("2024-01-05 00:00:01")), "never_equal");
  EXPECT_EQ(Store(c, Str("2024-01-05 23:59:59")), b);  // INSERT drops the time (Note 1265)
  EXPECT_EQ(Key(c, Str("2024-02-29")), "B:" + Hex("2024-02-29"));
}

TEST(DateKey, EverythingElseIsNotRouted) {
  KeyColumn c = Col("date");
  for (std::string_view s :
       {"2024/01/05", "24-01-05", "240105", "2024-01-05 ", " 2024-01-05", "2024-02-30",
        "2023-02-29", "0000-00-00", "2024-00-05", "0999-01-01", "2024-01-05 10:20",
        "2024-01-05 24:00:00", "2024-01-05 10:20:30.1234567", "", "x"}) {
    EXPECT_EQ(Key(c, Str(s)), "all_groups") << s;
    EXPECT_EQ(Store(c, Str(s)), "E1235") << s;
  }
  EXPECT_EQ(Key(c, Int("240105")), "all_groups");
  EXPECT_EQ(Key(c, Dec("20240105.0")), "all_groups");
  EXPECT_EQ(Key(c, Int("20240105", true)), "all_groups");
  KeyValue time = Str("10:00:00");
  time.typed = "TIME";
  EXPECT_EQ(Key(c, time), "all_groups");
}

TEST(DateTimeKey, FractionsAndPrecision) {
  KeyColumn c0 = Col("datetime");
  KeyColumn c6 = Col("datetime(6)");
  const std::string b = "B:" + Hex("2024-01-05 10:20:30");
  for (std::string_view s : {"2024-01-05 10:20:30", "2024-01-05 10:20:30.000",
                             "2024-01-05T10:20:30", "2024-1-5 10:20:30", "20240105102030"}) {
    EXPECT_EQ(Key(c0, Str(s)), b) << s;
    EXPECT_EQ(Key(c6, Str(s)), b) << s;
  }
  EXPECT_EQ(Key(c0, Int("20240105102030")), b);
  EXPECT_EQ(Key(c0, Str("2024-01-05")), "B:" + Hex("2024-01-05 00:00:00"));
  EXPECT_EQ(Key(c6, Str("2024-01-05 10:20:30.50")), "B:" + Hex("2024-01-05 10:20:30.5"));
  EXPECT_EQ(Key(c6, Str("2024-01-05 01:02:03.000001")), "B:" + Hex("2024-01-05 01:02:03.000001"));
  EXPECT_EQ(Key(c0, Str("2024-01-05 10:20:30.5")), "never_equal");
  EXPECT_EQ(Store(c0, Str("2024-01-05 10:20:30.5")), "E1235");  // truncated or rounded: sql_mode
  EXPECT_EQ(Store(Col("datetime(1)"), Str("2024-01-05 10:20:30.50")),
            "B:" + Hex("2024-01-05 10:20:30.5"));
  KeyValue ts = Str("2024-01-05 10:20:30");
  ts.typed = "TIMESTAMP";
  EXPECT_EQ(Key(c0, ts), b);
}

// ---------------------------------------------------------------------------
// Strings

TEST(WeightString, EqualsMariaDbs) {
  // SELECT HEX(WEIGHT_STRING('aé😀ß ' COLLATE ...)) on MariaDB 10.11.
  EXPECT_EQ(Hex(*WeightString("utf8mb4_general_ci", "a\xC3\xA9\xF0\x9F\x98\x80")), "00410045FFFD");
  EXPECT_EQ(Hex(*WeightString("utf8mb4_unicode_ci", "a\xC3\xA9\xF0\x9F\x98\x80\xC3\x9F ")),
            "0E330E8BFFFD0FEA0FEA0209");
  EXPECT_EQ(Hex(*WeightString("utf8mb4_bin", "a\xC3\xA9\xF0\x9F\x98\x80 ")),
            "0000610000E901F600000020");
  EXPECT_EQ(Hex(*WeightString("utf8mb3_bin", "a\xC3\xA9 ")), "006100E90020");
  EXPECT_EQ(Hex(*WeightString("latin1_swedish_ci", "a\xC3\xA9 ")), "414520");
  EXPECT_EQ(Hex(*WeightString("latin1_bin", "a\xC3\xA9 ")), "61E920");
  EXPECT_EQ(Hex(*WeightString("utf8mb4_unicode_ci", "\xE4\xB8\xAD")), "FB40CE2D");  // 中: implicit
  EXPECT_EQ(Hex(*WeightString("utf8mb4_unicode_ci", std::string("a\0b", 3))), "0E330E4A");
  EXPECT_EQ(WeightString("utf8mb3_general_ci", "\xF0\x9F\x98\x80").status().code(), 1366);
  EXPECT_EQ(WeightString("utf8mb4_danish_ci", "a").status().code(), 1235);
}

TEST(StringKey, CaseAccentsAndPadSpace) {
  KeyColumn gen = Col("varchar(20)", "utf8mb4_general_ci");
  EXPECT_EQ(Key(gen, Str("Abc")), Key(gen, Str("aBC  ")));
  EXPECT_EQ(Key(gen, Str("abc")), "B:004100420043");
  EXPECT_EQ(Key(gen, Str("e")), Key(gen, Str("\xC3\xA9")));  // é
  EXPECT_EQ(Key(gen, Str("s")), Key(gen, Str("\xC3\x9F")));  // ß = s in general_ci
  EXPECT_NE(Key(gen, Str("ss")), Key(gen, Str("\xC3\x9F")));
  EXPECT_EQ(Key(gen, Str("\xF0\x9F\x98\x80")), Key(gen, Str("\xF0\x9F\x98\x81")));  // emoji
  EXPECT_EQ(Key(gen, Str("I")), Key(gen, Str("\xC4\xB1")));                         // ı
  EXPECT_NE(Key(gen, Str("a")), Key(gen, Str("a\t")));
  EXPECT_EQ(Key(gen, Str("")), "B:");
  EXPECT_EQ(Key(gen, Str("   ")), "B:");

  KeyColumn uca = Col("varchar(20)", "utf8mb4_unicode_ci");
  EXPECT_EQ(Key(uca, Str("ss")), Key(uca, Str("\xC3\x9F")));                        // ß = ss
  EXPECT_EQ(Key(uca, Str("a")), Key(uca, Str("a\xC2\xA0")));                        // trailing NBSP
  EXPECT_EQ(Key(uca, Str("ab")), Key(uca, Str(std::string("a\0b", 3))));            // ignorable
  EXPECT_EQ(Key(uca, Str("\xF0\x9F\x98\x80")), Key(uca, Str("\xF0\x9F\x98\x81")));  // emoji
  EXPECT_EQ(Key(uca, Str("\xF0\x9F\x98\x80")), "B:FFFD");  // (not U+FFFD's weight, 0DC6)

  KeyColumn bin = Col("varchar(20)", "utf8mb4_bin");
  EXPECT_NE(Key(bin, Str("a")), Key(bin, Str("A")));
  EXPECT_EQ(Key(bin, Str("a")), Key(bin, Str("a ")));
  EXPECT_NE(Key(bin, Str("\xF0\x9F\x98\x80")), Key(bin, Str("\xF0\x9F\x98\x81")));
}

TEST(StringKey, ConnectionCharsetNeverChangesTheResult) {
  for (const char* coll : {"utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_bin",
                           "latin1_swedish_ci", "utf8mb3_general_ci"}) {
    KeyColumn c = Col("varchar(20)", coll);
    EXPECT_EQ(Key(c, Str("Stra\xDF"
                         "e \x80",
                         "latin1")),
              Key(c, Str("Stra\xC3\x9F"
                         "e \xE2\x82\xAC",
                         "utf8mb4")))
        << coll;
    EXPECT_EQ(Key(c, Str("abc", "ascii")), Key(c, Str("abc", "utf8mb3"))) << coll;
    EXPECT_EQ(Key(c, Str("\xC3\xA9", "N")), Key(c, Str("\xC3\xA9"))) << coll;
    // A hex literal / _binary string is read in the column's character set.
    std::string col_bytes = std::string(coll).rfind("latin1", 0) == 0 ? "\xE9" : "\xC3\xA9";
    EXPECT_EQ(Key(c, Str(col_bytes, "binary")), Key(c, Str("\xC3\xA9"))) << coll;
  }
  KeyColumn c = Col("varchar(20)", "utf8mb4_general_ci");
  EXPECT_EQ(Key(c, V(LiteralKind::kHex, "X'414243'")), Key(c, Str("abc")));
  EXPECT_EQ(Key(c, V(LiteralKind::kHex, "0x616263")), Key(c, Str("abc")));
  EXPECT_EQ(Key(c, Str("abc", "sjis")), "all_groups");
  // With an introducer a hex literal is a string of that character set.
  KeyValue hex_utf8 = V(LiteralKind::kHex, "0xC3A9");
  hex_utf8.charset = "utf8mb4";
  KeyColumn l1 = Col("varchar(5)", "latin1_swedish_ci");
  EXPECT_EQ(Key(l1, hex_utf8), Key(l1, Str("\xC3\xA9")));
  EXPECT_EQ(Key(l1, hex_utf8), Key(l1, Str("\xE9", "latin1")));
  KeyValue hex_latin1 = V(LiteralKind::kHex, "X'E9'");
  hex_latin1.charset = "latin1";
  EXPECT_EQ(Key(c, hex_latin1), Key(c, Str("\xC3\xA9")));
  KeyValue hex_42 = V(LiteralKind::kHex, "0x3432");
  hex_42.charset = "utf8mb4";
  EXPECT_EQ(Key(Col("int"), hex_42), "all_groups");  // the string '42', not 0x3432
}

TEST(StringKey, ValuesTheColumnCannotHold) {
  KeyColumn mb3 = Col("varchar(5)", "utf8mb3_general_ci");
  EXPECT_EQ(Key(mb3, Str("a\xF0\x9F\x98\x80")), "all_groups");  // illegal mix of collations
  EXPECT_EQ(Store(mb3, Str("a\xF0\x9F\x98\x80")), "E1366");
  KeyColumn l1 = Col("varchar(5)", "latin1_swedish_ci");
  EXPECT_EQ(Key(l1, Str("\xC4\x81")), "all_groups");  // ā
  EXPECT_EQ(Store(l1, Str("\xC4\x81")), "E1366");
  KeyColumn u = Col("varchar(3)", "utf8mb4_general_ci");
  EXPECT_EQ(Key(u, Str("a\xFF")), "all_groups");         // not UTF-8
  EXPECT_EQ(Key(u, Str("\xED\xA0\x80")), "all_groups");  // a surrogate
  EXPECT_EQ(Key(u, Str("\xC0\x80")), "all_groups");      // overlong
  EXPECT_EQ(Store(u, Str("abcd")), "E1406");
  EXPECT_EQ(Store(u, Str("abc   ")), Key(u, Str("abc")));  // trailing blanks are cut
  EXPECT_EQ(Key(u, Str("abcd")), "B:0041004200430044");    // compare: no length check
}

TEST(StringKey, NumbersAndDatesAgainstStrings) {
  KeyColumn c = Col("varchar(10)", "utf8mb4_general_ci");
  EXPECT_EQ(Key(c, Int("42")), "all_groups");  // compares as a number: '042' = 42
  EXPECT_EQ(Store(c, Int("42")), Key(c, Str("42")));
  EXPECT_EQ(Store(c, Int("042", true)), Key(c, Str("-42")));
  EXPECT_EQ(Key(c, Dec("1.5")), "all_groups");
  EXPECT_EQ(Store(c, Dec("1.5")), "E1235");
  KeyValue date = Str("2024-01-05");
  date.typed = "DATE";
  EXPECT_EQ(Key(c, date), "all_groups");
}

// ---------------------------------------------------------------------------
// Binary strings, NULL

TEST(BinaryKey, BytesPaddingAndLength) {
  KeyColumn vb = Col("varbinary(4)");
  EXPECT_EQ(Key(vb, Str("abc")), "B:" + Hex("abc"));
  EXPECT_EQ(Key(vb, Str("\xC3\xA9", "utf8mb4")), "B:C3A9");
  EXPECT_EQ(Key(vb, Str("\xE9", "latin1")), "B:E9");  // the bytes as sent
  EXPECT_EQ(Key(vb, V(LiteralKind::kHex, "X'616263'")), "B:" + Hex("abc"));
  EXPECT_NE(Key(vb, Str("abc")), Key(vb, Str("abc ")));
  EXPECT_NE(Key(vb, Str("abc")), Key(vb, Str("ABC")));
  EXPECT_EQ(Key(vb, Str("abcde")), "never_equal");
  EXPECT_EQ(Store(vb, Str("abcde")), "E1406");
  EXPECT_EQ(Key(vb, Int("42")), "all_groups");
  EXPECT_EQ(Store(vb, Int("42")), "B:" + Hex("42"));

  KeyColumn b = Col("binary(5)");
  EXPECT_EQ(Store(b, Str("abc")), "B:6162630000");
  EXPECT_EQ(Key(b, Str("abc")), "never_equal");  // stored values are 5 bytes
  EXPECT_EQ(Key(b, Str(std::string("abc\0\0", 5))), "B:6162630000");
  EXPECT_EQ(Key(b, V(LiteralKind::kHex, "X'6162630000'")), "B:6162630000");
}

TEST(NullKey, EmptyBytes) {
  KeyValue null;
  null.is_null = true;
  for (const KeyColumn& c : {Col("int"), Col("decimal(5,2)"), Col("date"),
                             Col("varchar(3)", "utf8mb4_bin"), Col("binary(2)")}) {
    EXPECT_EQ(Key(c, null), "B:");
    EXPECT_EQ(Store(c, null), "B:");
  }
}

}  // namespace
}  // namespace shardproxy::router
