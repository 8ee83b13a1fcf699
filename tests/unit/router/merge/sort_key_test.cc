// Value comparison as MariaDB compares (router/merge/sort_key.h). Expected
// orders and equalities were checked on MariaDB 10.11 (the sandbox's ref
// instance), e.g. SELECT 'a' < 'a\t' COLLATE utf8mb4_general_ci -> 0.
#include "router/merge/sort_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shardproxy::router::merge {
namespace {

int Cmp(const ColumnType& t, std::string_view a, std::string_view b) {
  Result<int> r = CompareValues(t, Cell(a), Cell(b));
  EXPECT_TRUE(r.ok()) << r.status().ToString() << " for '" << a << "' vs '" << b << "'";
  return r.ok() ? *r : 99;
}

// Every value sorts strictly before the next one.
void ExpectAscending(const ColumnType& t, const std::vector<std::string>& values) {
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    EXPECT_EQ(Cmp(t, values[i], values[i + 1]), -1) << values[i] << " < " << values[i + 1];
    EXPECT_EQ(Cmp(t, values[i + 1], values[i]), 1) << values[i + 1] << " > " << values[i];
  }
}

TEST(CompareValues, SignedIntegers) {
  ExpectAscending(ColumnType::Int(), {"-9223372036854775808", "-10", "-9", "-1", "0", "1", "2", "9",
                                      "10", "100", "9223372036854775807"});
  EXPECT_EQ(Cmp(ColumnType::Int(), "0", "-0"), 0);
  EXPECT_EQ(Cmp(ColumnType::Int(), "007", "7"), 0);
}

TEST(CompareValues, UnsignedBeyondInt64) {
  ColumnType u = ColumnType::Int(true);
  ExpectAscending(u, {"0", "9223372036854775807", "9223372036854775808", "18446744073709551614",
                      "18446744073709551615"});
}

TEST(CompareValues, DecimalsOfAnyScaleAndLength) {
  ColumnType d = ColumnType::Decimal(2);
  EXPECT_EQ(Cmp(d, "-0.50", "-0.5"), 0);
  EXPECT_EQ(Cmp(d, "1.50", "1.5"), 0);
  EXPECT_EQ(Cmp(d, "-0.00", "0"), 0);  // negative zero
  EXPECT_EQ(Cmp(d, "0.000", "0.0"), 0);
  EXPECT_EQ(Cmp(d, "100", "100.000"), 0);
  ExpectAscending(d, {"-123456789012345678901234567890.5",
                      "-100",
                      "-99.99",
                      "-1.55",
                      "-1.5",
                      "-0.5",
                      "-0.05",
                      "-0.0001",
                      "0",
                      "0.0001",
                      "0.05",
                      "0.5",
                      "0.55",
                      "1",
                      "1.05",
                      "1.5",
                      "9.99",
                      "10",
                      "99.999999999999999999999999999",
                      "123456789012345678901234567890.5"});
}

TEST(CompareValues, Doubles) {
  ColumnType d = ColumnType::Double();
  EXPECT_EQ(Cmp(d, "-0", "0"), 0);
  EXPECT_EQ(Cmp(d, "1e15", "1000000000000000"), 0);
  ExpectAscending(d, {"-1.7976931348623157e308", "-1e10", "-1.5", "-2.2250738585072014e-308", "0",
                      "1e-300", "0.30000000000000004", "1", "1.5", "2", "10", "1e15",
                      "1.2345678901234568e17", "1.7976931348623157e308"});
  ExpectAscending(ColumnType::Of(mysql_type::kFloat),
                  {"-3.40282e38", "-1.1", "0", "1.1", "3.40282e38"});
}

TEST(CompareValues, GeneralCiIsCaseInsensitiveAndPadSpace) {
  ColumnType s = ColumnType::String("utf8mb4_general_ci");
  EXPECT_EQ(Cmp(s, "abc", "ABC"), 0);
  EXPECT_EQ(Cmp(s, "abc", "ABC  "), 0);        // PAD SPACE
  EXPECT_EQ(Cmp(s, "Straße", "STRASSE"), -1);  // general_ci: ß = s: "strase" < "strasse"
  EXPECT_EQ(Cmp(s, "ß", "s"), 0);
  EXPECT_EQ(Cmp(s, "é", "E"), 0);  // accent-insensitive
  EXPECT_EQ(Cmp(s, "", "   "), 0);
  ExpectAscending(s, {"", "a", "AB", "abc", "b", "Z", "zz"});
}

TEST(CompareValues, UnicodeCi) {
  ColumnType s = ColumnType::String("utf8mb4_unicode_ci");
  EXPECT_EQ(Cmp(s, "ß", "ss"), 0);  // unicode_ci expands ß
  EXPECT_EQ(Cmp(s, "Straße", "STRASSE "), 0);
  EXPECT_EQ(Cmp(s, "ÀÉÎ", "aei"), 0);
  ExpectAscending(s, {"a", "ä b", "b", "ss", "ß x"});
}

TEST(CompareValues, CharactersBelowSpaceSortBeforeTheShorterString) {
  // PAD SPACE compares as if the shorter string were padded with spaces:
  // MariaDB: 'a\t' < 'a' = 'a ' < 'a b', ORDER BY gives 09, '', 61 09, 61 09 62, 41, 61, 6120,
  // 612062.
  for (const char* coll : {"utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_bin"}) {
    ColumnType s = ColumnType::String(coll);
    SCOPED_TRACE(coll);
    ExpectAscending(s, {"\t", "", "a\t", "a\tb", "a", "a b"});
    EXPECT_EQ(Cmp(s, "a", "a "), 0);
  }
}

TEST(CompareValues, BinCollationsAreCaseSensitiveButPadSpace) {
  ColumnType s = ColumnType::String("utf8mb4_bin");
  EXPECT_EQ(Cmp(s, "A", "a"), -1);
  EXPECT_EQ(Cmp(s, "a", "a  "), 0);
  ColumnType l = ColumnType::String("latin1_bin");
  EXPECT_EQ(Cmp(l, "A", "a"), -1);
  ColumnType lci = ColumnType::String("latin1_swedish_ci");
  EXPECT_EQ(Cmp(lci, "A", "a"), 0);
}

TEST(CompareValues, BinaryStringsAreBytewiseWithoutPadding) {
  ColumnType b = ColumnType::String("binary");
  EXPECT_EQ(Cmp(b, "a", "a "), -1);
  EXPECT_EQ(Cmp(b, "A", "a"), -1);
  EXPECT_EQ(Cmp(b, std::string("a\0", 2), "a"), 1);
  EXPECT_EQ(Cmp(b, std::string("a\0", 2), "a\x01"), -1);
  ColumnType by_id = ColumnType::Of(mysql_type::kBlob);
  by_id.collation_id = 63;
  EXPECT_EQ(Cmp(by_id, "\xff", "\x01"), 1);
}

TEST(CompareValues, CollationById) {
  ColumnType s = ColumnType::Of(mysql_type::kVarString);
  s.collation_id = 224;  // utf8mb4_unicode_ci
  EXPECT_EQ(Cmp(s, "ß", "SS"), 0);
}

TEST(CompareValues, Latin1BytesUnderUtf8Collation) {
  ColumnType s = ColumnType::String("utf8mb4_general_ci");
  s.charset = "latin1";
  EXPECT_EQ(Cmp(s, "\xe9", "E"), 0);  // é in latin1
}

TEST(CompareValues, Temporal) {
  ColumnType date = ColumnType::Of(mysql_type::kDate);
  ExpectAscending(
      date, {"0000-00-00", "1000-01-01", "2024-01-02", "2024-01-10", "2024-12-01", "9999-12-31"});
  ColumnType dt = ColumnType::Of(mysql_type::kDateTime, 6);
  ExpectAscending(dt, {"2024-01-02 03:04:05", "2024-01-02 03:04:05.000001", "2024-01-02 03:04:05.5",
                       "2024-01-02 03:04:06", "2024-01-02 10:00:00"});
  EXPECT_EQ(Cmp(dt, "2024-01-02 03:04:05.500", "2024-01-02 03:04:05.5"), 0);
  EXPECT_EQ(Cmp(dt, "2024-01-02 00:00:00", "2024-01-02"), 0);
  ColumnType ts = ColumnType::Of(mysql_type::kTimestamp, 3);
  ExpectAscending(ts, {"1970-01-01 00:00:01.000", "2038-01-19 03:14:07.999"});
  ColumnType time = ColumnType::Of(mysql_type::kTime, 6);
  ExpectAscending(time, {"-838:59:59", "-25:00:00", "-01:00:00.5", "-01:00:00", "-00:00:00.1",
                         "00:00:00", "00:00:00.000001", "09:00:00", "23:59:59.999999", "24:00:00",
                         "100:00:00", "838:59:59"});
  EXPECT_EQ(Cmp(time, "-00:00:00", "00:00:00"), 0);
  ColumnType year = ColumnType::Of(mysql_type::kYear);
  ExpectAscending(year, {"0000", "1901", "2024", "2155"});
}

TEST(CompareValues, NullSortsFirst) {
  ColumnType t = ColumnType::Int();
  EXPECT_EQ(*CompareValues(t, Cell::Null(), Cell("-100")), -1);
  EXPECT_EQ(*CompareValues(t, Cell::Null(), Cell::Null()), 0);
  EXPECT_EQ(*CompareValues(ColumnType::String("utf8mb4_bin"), Cell(""), Cell::Null()), 1);
}

TEST(CompareValues, BadValuesAreErrors) {
  EXPECT_EQ(CompareValues(ColumnType::Int(), Cell("12abc"), Cell("1")).status().code(), 1105);
  EXPECT_FALSE(CompareValues(ColumnType::Decimal(2), Cell("1.2.3"), Cell("1")).ok());
  EXPECT_FALSE(
      CompareValues(ColumnType::Of(mysql_type::kDate), Cell("2024-13-01"), Cell("2024-01-01"))
          .ok());
  EXPECT_FALSE(
      CompareValues(ColumnType::String("utf8mb4_general_ci"), Cell("\xff"), Cell("a")).ok());
}

TEST(CompareValues, UnorderableColumnsAreRefused) {
  EXPECT_EQ(ValueEncoder::Make(ColumnType::Of(mysql_type::kEnum)).status().code(), 1235);
  ColumnType e = ColumnType::String("utf8mb4_general_ci");
  e.enum_or_set = true;
  EXPECT_EQ(ValueEncoder::Make(e).status().code(), 1235);
  Status st = ValueEncoder::Make(ColumnType::String("utf8mb4_uca1400_ai_ci")).status();
  EXPECT_EQ(st.code(), 1235);
  EXPECT_NE(st.message().find("utf8mb4_uca1400_ai_ci"), std::string::npos);
}

TEST(KeyEncoder, DescendingPutsNullsLastAndReversesOrder) {
  std::vector<ColumnType> cols = {ColumnType::Int(), ColumnType::String("utf8mb4_general_ci")};
  KeyEncoder asc = *KeyEncoder::Make({{0, false}, {1, false}}, cols);
  KeyEncoder desc = *KeyEncoder::Make({{0, true}, {1, false}}, cols);
  std::vector<std::vector<Cell>> rows = {{Cell::Null(), Cell("z")},
                                         {Cell("-1"), Cell("b")},
                                         {Cell("-1"), Cell("B ")},
                                         {Cell("-1"), Cell("c")},
                                         {Cell("10"), Cell("a")}};
  std::vector<std::string> ka, kd;
  for (const auto& r : rows) {
    std::string k;
    ASSERT_TRUE(asc.Encode(r, &k).ok());
    ka.push_back(k);
    ASSERT_TRUE(desc.Encode(r, &k).ok());
    kd.push_back(k);
  }
  EXPECT_LT(ka[0], ka[1]);  // NULL first in ASC
  EXPECT_EQ(ka[1], ka[2]);  // 'b' = 'B ' under general_ci
  EXPECT_LT(ka[2], ka[3]);
  EXPECT_LT(ka[3], ka[4]);
  EXPECT_GT(kd[0], kd[4]);  // NULL last in DESC
  EXPECT_LT(kd[4], kd[1]);  // 10 before -1 in DESC
  EXPECT_LT(kd[1], kd[3]);  // the second key stays ASC
}

}  // namespace
}  // namespace shardproxy::router::merge
