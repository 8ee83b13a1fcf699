#include "proxy/protocol/stmt_execute.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/errors.h"
#include "proxy/protocol/column_definition.h"
#include "proxy/protocol/command.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using namespace testing;  // NOLINT: the builders

// --- Local builders: binary-protocol values, written field by field. ---

std::string FloatBytes(float f) { return U32(std::bit_cast<uint32_t>(f)); }
std::string DoubleBytes(double d) { return U64(std::bit_cast<uint64_t>(d)); }
std::string DateBytes(uint16_t y, uint8_t m, uint8_t d) { return U8(4) + U16(y) + U8(m) + U8(d); }
std::string DateTimeBytes(uint16_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s) {
  return U8(7) + U16(y) + U8(mo) + U8(d) + U8(h) + U8(mi) + U8(s);
}
std::string DateTimeUsBytes(uint16_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s,
                            uint32_t us) {
  return U8(11) + U16(y) + U8(mo) + U8(d) + U8(h) + U8(mi) + U8(s) + U32(us);
}
std::string TimeBytes(bool neg, uint32_t days, uint8_t h, uint8_t mi, uint8_t s) {
  return U8(8) + U8(neg ? 1 : 0) + U32(days) + U8(h) + U8(mi) + U8(s);
}
std::string TimeUsBytes(bool neg, uint32_t days, uint8_t h, uint8_t mi, uint8_t s, uint32_t us) {
  return U8(12) + U8(neg ? 1 : 0) + U32(days) + U8(h) + U8(mi) + U8(s) + U32(us);
}

// One parameter of a hand-built execute: value nullopt = NULL bit set.
struct TestParam {
  uint8_t type = kTypeLongLong;
  uint8_t flags = 0;
  std::optional<std::string> value;
  bool long_data = false;  // no value bytes written
};

// COM_STMT_EXECUTE, field by field from the documented layout.
std::string ExecBytes(uint32_t id, uint8_t flags, const std::vector<TestParam>& ps,
                      bool with_types = true) {
  std::string p = U8(0x17) + U32(id) + U8(flags) + U32(1);
  if (ps.empty()) return p;
  std::string bitmap((ps.size() + 7) / 8, '\0');
  for (size_t i = 0; i < ps.size(); ++i) {
    if (!ps[i].value) bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
  }
  p += bitmap;
  p += U8(with_types ? 1 : 0);
  if (with_types) {
    for (const auto& t : ps) p += U8(t.type) + U8(t.flags);
  }
  for (const auto& t : ps) {
    if (t.value && !t.long_data) p += *t.value;
  }
  return p;
}

std::vector<bool> LongDataOf(const std::vector<TestParam>& ps) {
  std::vector<bool> v;
  for (const auto& t : ps) v.push_back(t.long_data);
  return v;
}

// Parse helper: std::vector<bool> has no contiguous bools; copy into an array.
Result<StmtExecute> ParseExec(std::string_view payload, const std::vector<TestParam>& ps,
                              std::span<const ParamType> remembered = {}) {
  std::vector<bool> ld = LongDataOf(ps);
  std::unique_ptr<bool[]> arr(new bool[ld.size() + 1]);
  for (size_t i = 0; i < ld.size(); ++i) arr[i] = ld[i];
  return StmtExecute::Parse(payload, static_cast<uint16_t>(ps.size()), remembered,
                            std::span<const bool>(arr.get(), ld.size()));
}

void ExpectWrongArguments(const Status& s) {
  EXPECT_EQ(s.code(), 1210);
  EXPECT_EQ(s.sqlstate(), "HY000");
  EXPECT_EQ(s.message(), "Incorrect arguments to mysqld_stmt_execute");
}

// Parses bytes built from `ps`, checks every field, the byte-exact round trip
// and the re-encoding for another id.
void CheckRoundTrip(const std::vector<TestParam>& ps) {
  const std::string bytes = ExecBytes(7, kCursorTypeNoCursor, ps);
  auto e = ParseExec(bytes, ps);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->statement_id, 7u);
  EXPECT_EQ(e->flags, 0);
  EXPECT_EQ(e->iteration_count, 1u);
  EXPECT_EQ(e->new_params_bound, !ps.empty());
  ASSERT_EQ(e->params.size(), ps.size());
  for (size_t i = 0; i < ps.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(e->params[i].type, ps[i].type);
    EXPECT_EQ(e->params[i].is_unsigned, ps[i].flags == 0x80);
    EXPECT_EQ(e->params[i].is_null, !ps[i].value);
    EXPECT_EQ(e->params[i].long_data, ps[i].long_data);
    const std::string want = ps[i].value && !ps[i].long_data ? *ps[i].value : "";
    EXPECT_EQ(e->params[i].value, want);
  }
  EXPECT_EQ(e->values_end, bytes.size());
  EXPECT_EQ(e->Serialize(), bytes);
  EXPECT_EQ(e->SerializeWithTypes(0xA1B2C3D4), ExecBytes(0xA1B2C3D4, 0, ps));
}

// --- Header ---

TEST(StmtExecuteTest, NoParams) {
  const std::string bytes = ExecutePayload(42, kCursorTypeReadOnly);
  auto e = StmtExecute::Parse(bytes, 0, {});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->statement_id, 42u);
  EXPECT_EQ(e->flags, kCursorTypeReadOnly);
  EXPECT_EQ(e->iteration_count, 1u);
  EXPECT_FALSE(e->new_params_bound);
  EXPECT_TRUE(e->params.empty());
  EXPECT_EQ(e->values_offset, 10u);
  EXPECT_EQ(e->values_end, 10u);
  EXPECT_EQ(e->Serialize(), bytes);
  EXPECT_EQ(e->SerializeWithTypes(9), ExecutePayload(9, kCursorTypeReadOnly));
  // MariaDB ignores bytes after the header of a statement without parameters.
  auto extra = StmtExecute::Parse(bytes + U8(0) + U8(1), 0, {});
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(extra->Serialize(), bytes);
}

TEST(StmtExecuteTest, MariaDbLastStatementIdAndFlagsPassThrough) {
  const std::vector<TestParam> ps = {{kTypeLong, 0, U32(5)}};
  const std::string bytes = ExecBytes(0xFFFFFFFF, kCursorTypeReadOnly | 0x80, ps);
  auto e = ParseExec(bytes, ps);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->statement_id, 0xFFFFFFFFu);
  EXPECT_EQ(e->flags, kCursorTypeReadOnly | 0x80);
  EXPECT_EQ(e->Serialize(), bytes);
  EXPECT_EQ(e->SerializeWithTypes(3), ExecBytes(3, kCursorTypeReadOnly | 0x80, ps));
}

// The example in the MySQL protocol documentation: one VARCHAR 'foo', stmt 1.
TEST(StmtExecuteTest, DocumentedExample) {
  const std::string bytes(
      "\x17\x01\x00\x00\x00\x00\x01\x00\x00\x00\x00\x01\x0f\x00\x03\x66\x6f\x6f", 18);
  auto e = StmtExecute::Parse(bytes, 1, {});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->statement_id, 1u);
  ASSERT_EQ(e->params.size(), 1u);
  EXPECT_EQ(e->params[0].type, kTypeVarchar);
  EXPECT_EQ(e->values_offset, 14u);
  auto t = ParamAsText(e->params[0]);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->kind, ParamText::kString);
  EXPECT_EQ(t->text, "foo");
  EXPECT_EQ(e->Serialize(), bytes);
}

// --- Every type: byte-exact round trip and its text ---

struct TypeCase {
  const char* name;
  uint8_t type;
  uint8_t flags;
  std::string value;
  ParamText::Kind kind;
  std::string text;
};

std::vector<TypeCase> TypeCases() {
  return {
      {"tiny", kTypeTiny, 0, U8(0x7F), ParamText::kInteger, "127"},
      {"tiny_negative", kTypeTiny, 0, U8(0xFF), ParamText::kInteger, "-1"},
      {"tiny_min", kTypeTiny, 0, U8(0x80), ParamText::kInteger, "-128"},
      {"tiny_unsigned", kTypeTiny, 0x80, U8(0xFF), ParamText::kInteger, "255"},
      {"short_negative", kTypeShort, 0, U16(0x8000), ParamText::kInteger, "-32768"},
      {"short_unsigned", kTypeShort, 0x80, U16(0xFFFF), ParamText::kInteger, "65535"},
      {"year", kTypeYear, 0x80, U16(2024), ParamText::kInteger, "2024"},
      {"long_negative", kTypeLong, 0, U32(0x80000000u), ParamText::kInteger, "-2147483648"},
      {"long_unsigned", kTypeLong, 0x80, U32(0xFFFFFFFFu), ParamText::kInteger, "4294967295"},
      {"int24_negative", kTypeInt24, 0, U32(static_cast<uint32_t>(-8388608)), ParamText::kInteger,
       "-8388608"},
      {"longlong", kTypeLongLong, 0, U64(1234567890123ull), ParamText::kInteger, "1234567890123"},
      {"longlong_negative", kTypeLongLong, 0, U64(static_cast<uint64_t>(-42)), ParamText::kInteger,
       "-42"},
      {"longlong_min", kTypeLongLong, 0, U64(0x8000000000000000ull), ParamText::kInteger,
       "-9223372036854775808"},
      {"ubigint_max", kTypeLongLong, 0x80, U64(0xFFFFFFFFFFFFFFFFull), ParamText::kInteger,
       "18446744073709551615"},
      {"bigint_all_ones_signed", kTypeLongLong, 0, U64(0xFFFFFFFFFFFFFFFFull), ParamText::kInteger,
       "-1"},
      {"float", kTypeFloat, 0, FloatBytes(0.1f), ParamText::kFloat, "0.1"},
      {"float_negative", kTypeFloat, 0, FloatBytes(-1.5f), ParamText::kFloat, "-1.5"},
      {"double", kTypeDouble, 0, DoubleBytes(0.1), ParamText::kFloat, "0.1"},
      {"double_big", kTypeDouble, 0, DoubleBytes(1e100), ParamText::kFloat, "1e+100"},
      {"double_negative_zero", kTypeDouble, 0, DoubleBytes(-0.0), ParamText::kFloat, "-0"},
      {"decimal", kTypeDecimal, 0, LenStr("-12.50"), ParamText::kDecimal, "-12.50"},
      {"newdecimal", kTypeNewDecimal, 0, LenStr("99999999999999999999.000001"), ParamText::kDecimal,
       "99999999999999999999.000001"},
      {"varchar", kTypeVarchar, 0, LenStr("abc"), ParamText::kString, "abc"},
      {"var_string_empty", kTypeVarString, 0, LenStr(""), ParamText::kString, ""},
      {"string_binary", kTypeString, 0, LenStr(std::string("a\0\xFF", 3)), ParamText::kString,
       std::string("a\0\xFF", 3)},
      {"blob_lenenc_fc", kTypeBlob, 0, LenStr(std::string(300, 'x')), ParamText::kString,
       std::string(300, 'x')},
      {"tiny_blob", kTypeTinyBlob, 0, LenStr("t"), ParamText::kString, "t"},
      {"medium_blob", kTypeMediumBlob, 0, LenStr("m"), ParamText::kString, "m"},
      {"long_blob_lenenc_fd", kTypeLongBlob, 0, LenStr(std::string(70000, 'y')), ParamText::kString,
       std::string(70000, 'y')},
      {"json", kTypeJson, 0, LenStr("{\"a\":1}"), ParamText::kString, "{\"a\":1}"},
      {"enum", kTypeEnum, 0, LenStr("red"), ParamText::kString, "red"},
      {"set", kTypeSet, 0, LenStr("a,b"), ParamText::kString, "a,b"},
      {"bit", kTypeBit, 0, LenStr("\x05"), ParamText::kString, "\x05"},
      {"geometry", kTypeGeometry, 0, LenStr("wkb"), ParamText::kString, "wkb"},
      {"date", kTypeDate, 0, DateBytes(2024, 2, 29), ParamText::kString, "2024-02-29"},
      {"date_zero_length", kTypeDate, 0, U8(0), ParamText::kString, "0000-00-00"},
      {"date_with_time_fields", kTypeDate, 0, DateTimeBytes(2024, 1, 2, 3, 4, 5),
       ParamText::kString, "2024-01-02"},
      {"newdate", kTypeNewDate, 0, DateBytes(1999, 12, 31), ParamText::kString, "1999-12-31"},
      {"datetime", kTypeDateTime, 0, DateTimeBytes(2024, 1, 2, 3, 4, 5), ParamText::kString,
       "2024-01-02 03:04:05"},
      {"datetime_micro", kTypeDateTime, 0, DateTimeUsBytes(2024, 1, 2, 3, 4, 5, 6),
       ParamText::kString, "2024-01-02 03:04:05.000006"},
      {"datetime_micro_max", kTypeDateTime, 0, DateTimeUsBytes(9999, 12, 31, 23, 59, 59, 999999),
       ParamText::kString, "9999-12-31 23:59:59.999999"},
      {"datetime_micro_zero", kTypeDateTime, 0, DateTimeUsBytes(2024, 1, 2, 3, 4, 5, 0),
       ParamText::kString, "2024-01-02 03:04:05"},
      {"datetime_date_only", kTypeDateTime, 0, DateBytes(2024, 1, 2), ParamText::kString,
       "2024-01-02 00:00:00"},
      {"datetime_zero_length", kTypeDateTime, 0, U8(0), ParamText::kString, "0000-00-00 00:00:00"},
      {"timestamp", kTypeTimestamp, 0, DateTimeUsBytes(1970, 1, 1, 0, 0, 1, 500000),
       ParamText::kString, "1970-01-01 00:00:01.500000"},
      {"timestamp_zero_length", kTypeTimestamp, 0, U8(0), ParamText::kString,
       "0000-00-00 00:00:00"},
      {"time", kTypeTime, 0, TimeBytes(false, 0, 12, 34, 56), ParamText::kString, "12:34:56"},
      {"time_negative_days", kTypeTime, 0, TimeBytes(true, 2, 1, 2, 3), ParamText::kString,
       "-49:02:03"},
      {"time_micro", kTypeTime, 0, TimeUsBytes(false, 34, 22, 59, 59, 123), ParamText::kString,
       "838:59:59.000123"},
      {"time_zero_length", kTypeTime, 0, U8(0), ParamText::kString, "00:00:00"},
      {"time_negative_zero", kTypeTime, 0, TimeBytes(true, 0, 0, 0, 0), ParamText::kString,
       "00:00:00"},
  };
}

TEST(StmtExecuteTest, EveryTypeRoundTripsAndHasItsText) {
  for (const TypeCase& c : TypeCases()) {
    SCOPED_TRACE(c.name);
    const std::vector<TestParam> ps = {{c.type, c.flags, c.value}};
    CheckRoundTrip(ps);
    const std::string bytes = ExecBytes(7, 0, ps);  // outlives the views in e
    auto e = ParseExec(bytes, ps);
    ASSERT_TRUE(e.ok());
    auto t = ParamAsText(e->params[0]);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->kind, c.kind);
    EXPECT_EQ(t->text, c.text);
  }
}

TEST(StmtExecuteTest, AllTypesInOnePacket) {
  std::vector<TestParam> ps;
  std::vector<TypeCase> cases = TypeCases();
  for (const TypeCase& c : cases) ps.push_back({c.type, c.flags, c.value});
  ps.push_back({kTypeNull, 0, std::nullopt});
  CheckRoundTrip(ps);
  const std::string bytes = ExecBytes(7, 0, ps);  // outlives the views in e
  auto e = ParseExec(bytes, ps);
  ASSERT_TRUE(e.ok());
  for (size_t i = 0; i < cases.size(); ++i) {
    auto t = ParamAsText(e->params[i]);
    ASSERT_TRUE(t.ok()) << cases[i].name;
    EXPECT_EQ(t->text, cases[i].text) << cases[i].name;
  }
  auto n = ParamAsText(e->params.back());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->kind, ParamText::kNull);
}

TEST(StmtExecuteTest, ParamTypesAreWhatToRemember) {
  const std::vector<TestParam> ps = {{kTypeLongLong, 0x80, U64(1)},
                                     {kTypeVarString, 0, LenStr("x")},
                                     {kTypeNull, 0, std::nullopt}};
  const std::string bytes = ExecBytes(1, 0, ps);  // outlives the views in e
  auto e = ParseExec(bytes, ps);
  ASSERT_TRUE(e.ok());
  const std::vector<ParamType> want = {{kTypeLongLong, 0x80}, {kTypeVarString, 0}, {kTypeNull, 0}};
  EXPECT_EQ(e->ParamTypes(), want);
}

// --- NULL bitmap ---

TEST(StmtExecuteTest, NullBitmapEdges) {
  for (size_t n : {1u, 7u, 8u, 9u, 15u, 16u, 17u}) {
    SCOPED_TRACE(n);
    // NULL: every third param and the last one; the others are distinct ints.
    std::vector<TestParam> ps;
    for (size_t i = 0; i < n; ++i) {
      const bool null = i % 3 == 1 || i == n - 1;
      ps.push_back(
          {kTypeLong, 0,
           null ? std::nullopt : std::optional<std::string>(U32(static_cast<uint32_t>(100 + i)))});
    }
    const std::string bytes = ExecBytes(3, 0, ps);
    EXPECT_EQ(bytes.size(), 10 + (n + 7) / 8 + 1 + 2 * n +
                                4 * static_cast<size_t>(std::count_if(
                                        ps.begin(), ps.end(),
                                        [](const TestParam& p) { return p.value.has_value(); })));
    CheckRoundTrip(ps);
    auto e = ParseExec(bytes, ps);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->values_offset, 10 + (n + 7) / 8 + 1 + 2 * n);
    for (size_t i = 0; i < n; ++i) {
      auto t = ParamAsText(e->params[i]);
      ASSERT_TRUE(t.ok());
      if (ps[i].value) {
        EXPECT_EQ(t->text, std::to_string(100 + i));
      } else {
        EXPECT_EQ(t->kind, ParamText::kNull);
      }
    }
  }
}

TEST(StmtExecuteTest, AllNullNine) {
  std::vector<TestParam> ps(9, TestParam{kTypeVarString, 0, std::nullopt});
  const std::string bytes = ExecBytes(3, 0, ps);
  EXPECT_EQ(bytes.substr(10, 2), std::string("\xFF\x01", 2));
  CheckRoundTrip(ps);
}

TEST(StmtExecuteTest, NullTypeNeedsItsNullBit) {
  // MYSQL_TYPE_NULL carries no bytes; without its NULL bit it is malformed
  // (MariaDB would read a string for it).
  const std::string bytes =
      U8(0x17) + U32(1) + U8(0) + U32(1) + U8(0x00) + U8(1) + U8(kTypeNull) + U8(0) + LenStr("x");
  auto e = StmtExecute::Parse(bytes, 1, {});
  ASSERT_FALSE(e.ok());
  ExpectWrongArguments(e.status());
}

// --- new_params_bound_flag = 0 ---

TEST(StmtExecuteTest, RememberedTypes) {
  const std::vector<TestParam> ps = {{kTypeLongLong, 0x80, U64(0xFFFFFFFFFFFFFFFFull)},
                                     {kTypeVarString, 0, std::nullopt},
                                     {kTypeDateTime, 0, DateTimeBytes(2024, 5, 6, 7, 8, 9)}};
  const std::vector<ParamType> remembered = {
      {kTypeLongLong, 0x80}, {kTypeVarString, 0}, {kTypeDateTime, 0}};
  const std::string bytes = ExecBytes(11, 0, ps, /*with_types=*/false);
  auto e = ParseExec(bytes, ps, remembered);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_FALSE(e->new_params_bound);
  EXPECT_EQ(e->values_offset, 10u + 1 + 1);
  EXPECT_EQ(e->params[0].type, kTypeLongLong);
  EXPECT_TRUE(e->params[0].is_unsigned);
  EXPECT_TRUE(e->params[1].is_null);
  EXPECT_EQ(e->ParamTypes(), remembered);
  EXPECT_EQ(e->Serialize(), bytes);
  // Re-encoded for a backend connection: the types are included.
  EXPECT_EQ(e->SerializeWithTypes(99), ExecBytes(99, 0, ps, /*with_types=*/true));
  EXPECT_EQ(ParamAsText(e->params[0])->text, "18446744073709551615");
  EXPECT_EQ(ParamAsText(e->params[2])->text, "2024-05-06 07:08:09");

  // The re-encoded packet parses on its own, without remembered types.
  const std::string again = e->SerializeWithTypes(99);
  auto e2 = ParseExec(again, ps);
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(e2->Serialize(), again);
}

TEST(StmtExecuteTest, RememberedTypesMissingOrWrongCount) {
  const std::vector<TestParam> ps = {{kTypeLong, 0, U32(1)}, {kTypeLong, 0, U32(2)}};
  const std::string bytes = ExecBytes(1, 0, ps, /*with_types=*/false);
  auto none = ParseExec(bytes, ps, {});
  ASSERT_FALSE(none.ok());
  ExpectWrongArguments(none.status());
  const std::vector<ParamType> one = {{kTypeLong, 0}};
  EXPECT_FALSE(ParseExec(bytes, ps, one).ok());
  const std::vector<ParamType> three = {{kTypeLong, 0}, {kTypeLong, 0}, {kTypeLong, 0}};
  EXPECT_FALSE(ParseExec(bytes, ps, three).ok());
  const std::vector<ParamType> bad = {{kTypeLong, 0}, {19 /*TIME2*/, 0}};
  EXPECT_FALSE(ParseExec(bytes, ps, bad).ok());
  // Remembered types are not needed when the packet has its own.
  const std::string typed = ExecBytes(1, 0, ps);
  EXPECT_TRUE(ParseExec(typed, ps, one).ok());
}

// --- COM_STMT_SEND_LONG_DATA ---

TEST(StmtExecuteTest, LongDataParamsHaveNoValue) {
  std::vector<TestParam> ps = {{kTypeLong, 0, U32(7)},
                               {kTypeBlob, 0, std::string("ignored"), /*long_data=*/true},
                               {kTypeVarString, 0, LenStr("k")},
                               {kTypeBlob, 0, std::nullopt, /*long_data=*/true}};
  CheckRoundTrip(ps);
  const std::string bytes = ExecBytes(5, 0, ps);
  // Only params 0 and 2 have bytes.
  EXPECT_EQ(bytes.substr(bytes.size() - 6), U32(7) + LenStr("k"));
  auto e = ParseExec(bytes, ps);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->params[1].long_data);
  EXPECT_TRUE(e->params[1].value.empty());
  EXPECT_TRUE(e->params[3].long_data);
  EXPECT_TRUE(e->params[3].is_null);  // the bitmap bit is kept as sent
  auto t = ParamAsText(e->params[1]);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), errors::kNotSupportedYet.code);
  EXPECT_FALSE(ParamAsText(e->params[3]).ok());
  EXPECT_EQ(ParamAsText(e->params[2])->text, "k");

  // Without the long-data information the same bytes are short: param 1
  // would need a value.
  EXPECT_FALSE(StmtExecute::Parse(bytes, 4, {}).ok());
}

TEST(StmtExecuteTest, LongDataSpanShorterThanParams) {
  const std::vector<TestParam> ps = {{kTypeBlob, 0, std::string(), true}, {kTypeLong, 0, U32(1)}};
  const std::string bytes = ExecBytes(5, 0, ps);
  const bool first_only[] = {true};
  auto e = StmtExecute::Parse(bytes, 2, {}, first_only);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->params[0].long_data);
  EXPECT_FALSE(e->params[1].long_data);
  EXPECT_EQ(e->Serialize(), bytes);
}

// --- Truncation and malformed packets ---

// Every strict prefix of a valid packet fails cleanly. Each prefix lives in a
// heap block of exactly its size, so ASan sees any read past it.
void ExpectEveryPrefixFails(const std::string& bytes, const std::vector<TestParam>& ps,
                            std::span<const ParamType> remembered = {}) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::unique_ptr<char[]> buf(new char[n == 0 ? 1 : n]);
    std::memcpy(buf.get(), bytes.data(), n);
    auto e = ParseExec(std::string_view(buf.get(), n), ps, remembered);
    ASSERT_FALSE(e.ok()) << "prefix of " << n << " bytes parsed";
    EXPECT_EQ(e.status().code(), 1210);
  }
}

TEST(StmtExecuteTest, TruncatedAtEveryOffset) {
  std::vector<TestParam> ps;
  for (const TypeCase& c : TypeCases()) {
    if (c.value.size() < 100) ps.push_back({c.type, c.flags, c.value});
  }
  ps.push_back({kTypeNull, 0, std::nullopt});
  ps.push_back({kTypeBlob, 0, std::string(), /*long_data=*/true});
  ps.push_back({kTypeLongLong, 0, U64(5)});
  const std::string bytes = ExecBytes(2, 0, ps);
  ASSERT_TRUE(ParseExec(bytes, ps).ok());
  ExpectEveryPrefixFails(bytes, ps);

  std::vector<ParamType> remembered;
  for (const auto& p : ps) remembered.emplace_back(p.type, p.flags);
  const std::string untyped = ExecBytes(2, 0, ps, /*with_types=*/false);
  ASSERT_TRUE(ParseExec(untyped, ps, remembered).ok());
  ExpectEveryPrefixFails(untyped, ps, remembered);
}

TEST(StmtExecuteTest, TruncatedValuesFailInParamAsText) {
  // A BoundParam built by hand with a cut (or overlong) value must not be read past.
  for (const TypeCase& c : TypeCases()) {
    SCOPED_TRACE(c.name);
    for (size_t n = 0; n < c.value.size(); ++n) {
      if (c.value.size() > 400 && n == 16) n = c.value.size() - 16;  // prefix and tail of big ones
      std::unique_ptr<char[]> buf(new char[n == 0 ? 1 : n]);
      std::memcpy(buf.get(), c.value.data(), n);
      BoundParam p;
      p.type = c.type;
      p.is_unsigned = c.flags == 0x80;
      p.value = std::string_view(buf.get(), n);
      auto t = ParamAsText(p);
      ASSERT_FALSE(t.ok()) << n;
      EXPECT_EQ(t.status().code(), 1210);
    }
    const std::string longer = c.value + "!";
    BoundParam p;
    p.type = c.type;
    p.value = longer;
    EXPECT_FALSE(ParamAsText(p).ok());
  }
}

TEST(StmtExecuteTest, MalformedPackets) {
  const std::string head = U8(0x17) + U32(1) + U8(0) + U32(1);
  auto parse1 = [](const std::string& b) { return StmtExecute::Parse(b, 1, {}); };
  // Not a COM_STMT_EXECUTE.
  ExpectWrongArguments(StmtExecute::Parse(U8(0x16) + U32(1) + U8(0) + U32(1), 0, {}).status());
  // new_params_bound_flag other than 0/1.
  ExpectWrongArguments(parse1(head + U8(0) + U8(2) + U8(kTypeLong) + U8(0) + U32(1)).status());
  // Types MariaDB refuses: TIMESTAMP2, DATETIME2, TIME2, an unassigned code.
  for (uint8_t type : {17, 18, 19, 20, 200, 244}) {
    SCOPED_TRACE(static_cast<int>(type));
    ExpectWrongArguments(parse1(head + U8(0) + U8(1) + U8(type) + U8(0) + LenStr("x")).status());
  }
  // A flag bit other than unsigned (0x40 was the old bulk "indicator" bit).
  ExpectWrongArguments(parse1(head + U8(0) + U8(1) + U8(kTypeLong) + U8(0x40) + U32(1)).status());
  // Temporal lengths outside the documented sets.
  for (uint8_t len : {1, 3, 5, 6, 8, 10, 12, 0xFC}) {
    SCOPED_TRACE(static_cast<int>(len));
    const std::string v = U8(len) + std::string(len == 0xFC ? 2 : len, '\x01');
    EXPECT_FALSE(parse1(head + U8(0) + U8(1) + U8(kTypeDateTime) + U8(0) + v).ok());
  }
  for (uint8_t len : {1, 4, 7, 11, 13}) {
    SCOPED_TRACE(static_cast<int>(len));
    const std::string v = U8(len) + std::string(len, '\x00');
    EXPECT_FALSE(parse1(head + U8(0) + U8(1) + U8(kTypeTime) + U8(0) + v).ok());
  }
  // A lenenc string with the NULL marker or the invalid 0xFF prefix.
  EXPECT_FALSE(parse1(head + U8(0) + U8(1) + U8(kTypeVarString) + U8(0) + U8(0xFB)).ok());
  EXPECT_FALSE(parse1(head + U8(0) + U8(1) + U8(kTypeVarString) + U8(0) + U8(0xFF)).ok());
  // A lenenc length far beyond the packet.
  EXPECT_FALSE(
      parse1(head + U8(0) + U8(1) + U8(kTypeBlob) + U8(0) + U8(0xFE) + U64(~0ull) + "ab").ok());
  // num_params = 65535 with types claimed but absent: fails without allocating from it.
  EXPECT_FALSE(StmtExecute::Parse(head + std::string(8192, '\0') + U8(1), 65535, {}).ok());
}

TEST(StmtExecuteTest, TrailingBytesAreIgnored) {
  const std::vector<TestParam> ps = {{kTypeLong, 0, U32(1)}};
  const std::string bytes = ExecBytes(1, 0, ps);
  const std::string with_junk = bytes + "junk";  // outlives the views in e
  auto e = ParseExec(with_junk, ps);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->values_end, bytes.size());
  EXPECT_EQ(e->Serialize(), bytes);
}

TEST(StmtExecuteTest, MicrosecondsOutOfRange) {
  BoundParam dt;
  dt.type = kTypeDateTime;
  const std::string v = DateTimeUsBytes(2024, 1, 2, 3, 4, 5, 1000000);
  dt.value = v;
  ExpectWrongArguments(ParamAsText(dt).status());
  BoundParam tm;
  tm.type = kTypeTime;
  const std::string tv = TimeUsBytes(false, 0, 1, 2, 3, 1000000);
  tm.value = tv;
  ExpectWrongArguments(ParamAsText(tm).status());
}

TEST(StmtExecuteTest, HandBuiltExecuteSerializes) {
  // The proxy can build an execute itself (values as raw binary bytes).
  StmtExecute e;
  e.statement_id = 4;
  const std::string v = U64(77);
  BoundParam p;
  p.type = kTypeLongLong;
  p.value = v;
  BoundParam n;
  n.type = kTypeNull;
  n.is_null = true;
  e.params = {p, n};
  EXPECT_EQ(e.SerializeWithTypes(4),
            ExecBytes(4, 0, {{kTypeLongLong, 0, U64(77)}, {kTypeNull, 0, std::nullopt}}));
}

}  // namespace
}  // namespace shardproxy::protocol
