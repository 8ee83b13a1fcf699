// Exact decimal arithmetic and MariaDB's DOUBLE text (router/merge/decimal.h).
// Expected texts are MariaDB 10.11's (checked on the sandbox's ref instance).
#include "router/merge/decimal.h"

#include <gtest/gtest.h>

#include <string>

namespace shardproxy::router::merge {
namespace {

Decimal D(std::string_view s) {
  Decimal d;
  EXPECT_TRUE(Decimal::Parse(s, &d)) << s;
  return d;
}

std::string Sum(std::initializer_list<std::string_view> values) {
  Decimal acc;
  for (std::string_view v : values) acc.Add(D(v));
  return acc.ToString();
}

TEST(Decimal, ParseAndPrint) {
  EXPECT_EQ(D("-12.50").ToString(), "-12.50");
  EXPECT_EQ(D("0007").ToString(), "7");
  EXPECT_EQ(D("-0.00").ToString(), "0.00");
  EXPECT_EQ(D("+3.1").ToString(), "3.1");
  EXPECT_EQ(D(".5").ToString(), "0.5");
  EXPECT_EQ(D("-0.05").ToString(), "-0.05");
  Decimal d;
  EXPECT_FALSE(Decimal::Parse("", &d));
  EXPECT_FALSE(Decimal::Parse("-", &d));
  EXPECT_FALSE(Decimal::Parse("1.2.3", &d));
  EXPECT_FALSE(Decimal::Parse("1e5", &d));
  EXPECT_FALSE(Decimal::Parse(" 1", &d));
}

TEST(Decimal, AddAlignsScalesAndSigns) {
  EXPECT_EQ(Sum({"1.5", "2.25"}), "3.75");
  EXPECT_EQ(Sum({"1.50", "-1.5"}), "0.00");
  EXPECT_EQ(Sum({"-0.01", "0.01"}), "0.00");  // MariaDB: SUM over -0.01, 0.01 = 0.00
  EXPECT_EQ(Sum({"-5", "3"}), "-2");
  EXPECT_EQ(Sum({"3", "-5"}), "-2");
  EXPECT_EQ(Sum({"-3", "-5"}), "-8");
  EXPECT_EQ(Sum({"999.99", "0.01"}), "1000.00");
  EXPECT_EQ(Sum({"1000.00", "-0.01"}), "999.99");
  EXPECT_EQ(Sum({"0", "0.000"}), "0.000");
}

TEST(Decimal, SumsBeyondInt64AndDoubleStayExact) {
  // 18446744073709551615 (BIGINT UNSIGNED max) twice, and huge DECIMAL(65,30) values.
  EXPECT_EQ(Sum({"18446744073709551615", "18446744073709551615"}), "36893488147419103230");
  EXPECT_EQ(Sum({"9223372036854775807", "1"}), "9223372036854775808");
  EXPECT_EQ(Sum({"99999999999999999999999999999999999.999999999999999999999999999999",
                 "99999999999999999999999999999999999.999999999999999999999999999999",
                 "0.000000000000000000000000000002"}),
            "200000000000000000000000000000000000.000000000000000000000000000000");
  Decimal acc;
  for (int i = 0; i < 1000; ++i) acc.Add(D("12345678901234567890.123456789"));
  EXPECT_EQ(acc.ToString(), "12345678901234567890123.456789000");
}

// Divide(count, scale, truncate_scale): MariaDB's AVG of DECIMAL/integers.
TEST(Decimal, DivideTruncatesToWordsThenRoundsHalfUp) {
  // SELECT AVG(x) over DECIMAL(10,2) 1.00, 2.00, 2.00 -> 1.666667 (scale 2+4, 9 digits then
  // rounded)
  EXPECT_EQ(D("5.00").Divide(3, 6, 9).ToString(), "1.666667");
  // over -0.05, -0.06, -0.06 -> -0.056667 (half away from zero)
  EXPECT_EQ(D("-0.17").Divide(3, 6, 9).ToString(), "-0.056667");
  // integers 5, 6, 6 -> 5.6667
  EXPECT_EQ(D("17").Divide(3, 4, 9).ToString(), "5.6667");
  // DECIMAL(10,5) 0.00005, 0.00006, 0.00006 -> 0.000056666 (scale 9 = the word: truncated)
  EXPECT_EQ(D("0.00017").Divide(3, 9, 9).ToString(), "0.000056666");
  // -0.01 and 29 zeros -> -0.000333
  EXPECT_EQ(D("-0.01").Divide(30, 6, 9).ToString(), "-0.000333");
  EXPECT_EQ(D("1.00").Divide(2, 6, 9).ToString(), "0.500000");
  EXPECT_EQ(D("0").Divide(7, 4, 9).ToString(), "0.0000");
  EXPECT_EQ(D("2.5").Divide(1, 5, 9).ToString(), "2.50000");
  EXPECT_EQ(D("0.0000005").Divide(1, 6, 9).ToString(), "0.000001");
  EXPECT_EQ(D("-0.0000004").Divide(1, 6, 9).ToString(), "0.000000");
  EXPECT_EQ(D("0.00000000049").Divide(1, 9, 18).ToString(), "0.000000000");
  EXPECT_EQ(D("99999.99").Divide(1, 6, 9).ToString(), "99999.990000");
  EXPECT_EQ(D("36893488147419103230").Divide(2, 4, 9).ToString(), "18446744073709551615.0000");
  EXPECT_EQ(D("1").Divide(18446744073709551615u, 4, 9).ToString(), "0.0000");
  // DECIMAL(30,28) 1, 2, 2 -> scale 32, four words: 1.66666666666666666666666666666667
  EXPECT_EQ(D("5.0000000000000000000000000000").Divide(3, 32, 36).ToString(),
            "1.66666666666666666666666666666667");
  // DECIMAL(40,36) 1, 2, 2 -> scale capped at 38
  EXPECT_EQ(D("5.000000000000000000000000000000000000").Divide(3, 38, 45).ToString(),
            "1.66666666666666666666666666666666666667");
}

TEST(FormatDouble, MatchesMariaDbText) {
  // SELECT 1/3e0, 1e300*10, 0.1e0+0.2e0, 1e15e0, 1e16*1e0, 123456789012345678e0, ...
  EXPECT_EQ(FormatDouble(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(FormatDouble(1e301), "1e301");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatDouble(1e14), "100000000000000");
  EXPECT_EQ(FormatDouble(999999999999999.0), "999999999999999");
  EXPECT_EQ(FormatDouble(1e15), "1e15");
  EXPECT_EQ(FormatDouble(1e16), "1e16");
  EXPECT_EQ(FormatDouble(1234567890123456.0), "1.234567890123456e15");
  EXPECT_EQ(FormatDouble(123456789012345678.0), "1.2345678901234568e17");
  EXPECT_EQ(FormatDouble(1e15 + 0.5), "1000000000000000.5");
  EXPECT_EQ(FormatDouble(1e-5), "0.00001");
  EXPECT_EQ(FormatDouble(2.5e-7), "0.00000025");
  EXPECT_EQ(FormatDouble(1e-10), "0.0000000001");
  EXPECT_EQ(FormatDouble(1e-15), "0.000000000000001");
  EXPECT_EQ(FormatDouble(1e-16), "1e-16");
  EXPECT_EQ(FormatDouble(1.5e-15), "0.0000000000000015");
  EXPECT_EQ(FormatDouble(1.5e-16), "1.5e-16");
  EXPECT_EQ(FormatDouble(1.2345e-14), "0.000000000000012345");
  EXPECT_EQ(FormatDouble(-1.5e-20), "-1.5e-20");
  EXPECT_EQ(FormatDouble(1e308), "1e308");
  EXPECT_EQ(FormatDouble(2.2250738585072014e-308), "2.2250738585072014e-308");
  EXPECT_EQ(FormatDouble(1.6666666666666667), "1.6666666666666667");
  EXPECT_EQ(FormatDouble(100), "100");
  EXPECT_EQ(FormatDouble(5), "5");
  EXPECT_EQ(FormatDouble(-0.0), "0");
}

TEST(ParseDouble, Forms) {
  double d = 0;
  EXPECT_TRUE(ParseDouble("1e15", &d));
  EXPECT_EQ(d, 1e15);
  EXPECT_TRUE(ParseDouble("-1.5e-16", &d));
  EXPECT_TRUE(ParseDouble("+2", &d));
  EXPECT_EQ(d, 2);
  EXPECT_FALSE(ParseDouble("", &d));
  EXPECT_FALSE(ParseDouble("1x", &d));
}

}  // namespace
}  // namespace shardproxy::router::merge
