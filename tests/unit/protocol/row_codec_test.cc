#include "proxy/protocol/row_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "proxy/protocol/column_definition.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using namespace testing;  // NOLINT: the builders

// --- Real MariaDB 10.11 bytes: tests/unit/protocol/testdata/capture_rows.py
// against the sandbox `ref` instance. One column definition per column of its
// table, then the same rows as text (COM_QUERY) and binary (COM_STMT_EXECUTE)
// row payloads, hex.
// Columns: ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT,
// iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, z INT(6) ZEROFILL, f FLOAT,
// d DOUBLE, d3 DOUBLE(10,3), f2 FLOAT(7,2), de DECIMAL(10,2), y YEAR, da DATE,
// dt DATETIME, dt3 DATETIME(3), ts TIMESTAMP(6), tm TIME, tm2 TIME(2),
// c CHAR(10), vc VARCHAR(20), bl BLOB, e ENUM, st SET, bt BIT(10), js JSON.

constexpr const char* kCapturedColumns[] = {
    "0364656604746573740272630272630274690274690c3f0004000000010000000000",
    "03646566047465737402726302726303746975037469750c3f0003000000012000000000",
    "0364656604746573740272630272630273690273690c3f0006000000020000000000",
    "036465660474657374027263027263026d69026d690c3f0009000000090000000000",
    "036465660474657374027263027263016901690c3f000b000000030000000000",
    "0364656604746573740272630272630269750269750c3f000a000000032000000000",
    "0364656604746573740272630272630262690262690c3f0014000000080000000000",
    "03646566047465737402726302726303626975036269750c3f0014000000082000000000",
    "036465660474657374027263027263017a017a0c3f0006000000036000000000",
    "036465660474657374027263027263016601660c3f000c0000000400001f0000",
    "036465660474657374027263027263016401640c3f00160000000500001f0000",
    "0364656604746573740272630272630264330264330c3f000a000000050000030000",
    "0364656604746573740272630272630266320266320c3f0007000000040000020000",
    "0364656604746573740272630272630264650264650c3f000c000000f60000020000",
    "036465660474657374027263027263017901790c3f00040000000d6000000000",
    "0364656604746573740272630272630264610264610c3f000a0000000a8000000000",
    "0364656604746573740272630272630264740264740c3f00130000000c8000000000",
    "03646566047465737402726302726303647433036474330c3f00170000000c8000030000",
    "0364656604746573740272630272630274730274730c3f001a00000007a000060000",
    "03646566047465737402726302726302746d02746d0c3f000a0000000b8000000000",
    "03646566047465737402726302726303746d3203746d320c3f000d0000000b8000020000",
    "036465660474657374027263027263016301630c2d0028000000fe0000000000",
    "0364656604746573740272630272630276630276630c2d0050000000fd0000000000",
    "03646566047465737402726302726302626c02626c0c3f00ffff0000fc9000000000",
    "036465660474657374027263027263016501650c2d0008000000fe0001000000",
    "0364656604746573740272630272630273740273740c2d000c000000fe0008000000",
    "0364656604746573740272630272630262740262740c3f000a000000102000000000",
    "036465660474657374027263027263026a73026a730c2d00fffffffffc9000000000",
};
constexpr const char* kCapturedTextRows[] = {
    "013103323535062d3332373638082d383338383630380b2d323134373438333634380a34323934393637323935142d"
    "3932323333373230333638353437373538303814313834343637343430373337303935353136313506303030303432"
    "03302e3103302e3105312e35303004332e31340b31323334353637382e393104323032340a323032342d30322d3239"
    "13323032342d30322d32392031333a31343a313517323032342d30322d32392031333a31343a31352e3132301a3230"
    "32342d30322d32392031333a31343a31352e3030303030310a2d3833383a35393a35390b31323a33343a35362e3738"
    "036162630568656c6c6f0200ff02626203782c790202aa087b2261223a20317d",
    "022d3101300130073833383836303701300130013001300630303030303006332e3465333805316531303005302e30"
    "3030052d312e3030052d302e303104313930310a313030302d30312d303113393939392d31322d33312032333a3539"
    "3a353917323030302d30312d30312030303a30303a30302e3030301a313937302d30312d30322030303a30303a3030"
    "2e3030303030300830303a30303a30300c2d30303a30303a30312e3530000000016100020000025b5d",
    "fbfbfbfbfbfbfbfbfb0b312e3137353439652d333817302e3030303031323334353637383930313233343536380a31"
    "32333435362e3738390839393939392e393904302e303004303030300a303030302d30302d303013303030302d3030"
    "2d30302030303a30303a3030fbfb093130303a30303a30300c3833383a35393a35392e3030fbfbfbfbfbfbfb",
    "013001310131013101310131013101310630303030303108313637373732303015312e323334353637383930313233"
    "3435363865313705302e30303004302e303004302e30300432313535fbfbfbfbfbfbfbfbfbfbfbfbfb",
    "01320132013201320132013201320132063030303030320431653135043165313505302e30303004302e303004302e"
    "3030fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
    "01330133013301330133013301330133063030303030330431653136043165313605302e30303004302e303004302e"
    "3030fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
    "013401340134013401340134013401340630303030303406302e3030303106302e3030303105302e30303004302e30"
    "3004302e3030fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
    "013501350135013501350135013501350630303030303507302e303030303107302e303030303105302e3030300430"
    "2e303004302e3030fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
    "013601360136013601360136013601360630303030303607312e323334353713302e33303030303030303030303030"
    "3030303405302e30303004302e303004302e3030fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
    "0137013701370137013701370137013706303030303037082d3132332e343536092d312e35652d33303005302e3030"
    "3004302e303004302e3030fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
    "013801380138013801380138013801380630303030303803313030043165323105302e30303004302e303004302e30"
    "30fbfbfbfbfbfbfbfbfbfbfbfbfbfb",
};
constexpr const char* kCapturedBinaryRows[] = {
    "000000000001ff0080000080ff00000080ffffffff0000000000000080ffffffffffffffff2a000000cdcccc3d9a99"
    "99999999b93f000000000000f83fc3f548400b31323334353637382e3931e80704e807021d07e807021d0d0e0f0be8"
    "07021d0d0e0fc0d401000be807021d0d0e0f01000000080122000000163b3b0c00000000000c2238e0e60b00036162"
    "630568656c6c6f0200ff02626203782c790202aa087b2261223a20317d",
    "0000000000ff000000ffff7f00000000000000000000000000000000000000000000000000000000009ec97f7f7dc3"
    "9425ad49b2540000000000000000000080bf052d302e30316d0704e8030101070f270c1f173b3b04d007010104b207"
    "0102000c010000000000000120a10700000000016100020000025b5d",
    "00fc07983fe1ff7f00ba78263009e4e93ec976be9f0c24fe40ff4fc34704302e303000000000080004000000040000"
    "080022000000163b3b",
    "000000fe3f0001010001000000010000000100000001000000000000000100000000000000010000000000804b350f"
    "63bab4697b4300000000000000000000000004302e30306b08",
    "000000ff3f020202000200000002000000020000000200000000000000020000000000000002000000a95f63580000"
    "3426f56b0c4300000000000000000000000004302e3030",
    "000000ff3f030303000300000003000000030000000300000000000000030000000000000003000000ca1b0e5a0080"
    "e03779c3414300000000000000000000000004302e3030",
    "000000ff3f04040400040000000400000004000000040000000000000004000000000000000400000017b7d1382d43"
    "1cebe2361a3f00000000000000000000000004302e3030",
    "000000ff3f050505000500000005000000050000000500000000000000050000000000000005000000acc52737f168"
    "e388b5f8e43e00000000000000000000000004302e3030",
    "000000ff3f06060600060000000600000006000000060000000000000006000000000000000600000051069e3f3433"
    "33333333d33f00000000000000000000000004302e3030",
    "000000ff3f07070700070000000700000007000000070000000000000007000000000000000700000079e9f6c283b6"
    "3ad29712b08100000000000000000000000004302e3030",
    "000000ff3f0808080008000000080000000800000008000000000000000800000000000000080000000000c84250ef"
    "e2d6e41a4b4400000000000000000000000004302e3030",
};

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::vector<ColumnType> CapturedColumns() {
  std::vector<ColumnType> cols;
  for (const char* hex : kCapturedColumns) {
    const std::string bytes = Unhex(hex);
    Result<ColumnDefinitionView> c = ColumnDefinitionView::Parse(bytes);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (c.ok()) cols.emplace_back(*c);
  }
  return cols;
}

std::string DoubleBytes(double d) { return U64(std::bit_cast<uint64_t>(d)); }
std::string FloatBytes(float f) { return U32(std::bit_cast<uint32_t>(f)); }

// A cell over bytes kept for the whole test binary (a deque: stable addresses).
BinaryCell Cell(ColumnType col, std::string raw) {
  static std::deque<std::string> kept;
  BinaryCell c;
  c.column = col;
  c.is_null = false;
  c.raw = kept.emplace_back(std::move(raw));
  return c;
}

std::string Text(const BinaryCell& c) {
  std::string s;
  Status st = AppendCellText(c, &s);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return s;
}

// --- Column definitions.

TEST(ColumnDefinitionViewTest, ParsesRealColumns) {
  const std::string tiu = Unhex(kCapturedColumns[1]);
  Result<ColumnDefinitionView> v = ColumnDefinitionView::Parse(tiu);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // A few fields by hand; the owning parse (built on the view) serializing
  // back to the server's bytes covers every field of every column.
  EXPECT_EQ(v->name, "tiu");
  EXPECT_EQ(v->org_table, "rc");
  EXPECT_EQ(v->type, kTypeTiny);
  EXPECT_EQ(v->flags, kFlagUnsigned);
  EXPECT_FALSE(v->default_values.has_value());
  for (const char* hex : kCapturedColumns) {
    const std::string bytes = Unhex(hex);
    Result<ColumnDefinitionView> view = ColumnDefinitionView::Parse(bytes);
    Result<ColumnDefinition41> owned = ColumnDefinition41::Parse(bytes);
    ASSERT_TRUE(view.ok() && owned.ok());
    EXPECT_EQ(owned->org_name, view->org_name);
    EXPECT_EQ(owned->Serialize(), bytes);
  }
  const std::vector<ColumnType> cols = CapturedColumns();
  ASSERT_EQ(cols.size(), 28u);
  EXPECT_EQ(cols[8].flags & kFlagZerofill, kFlagZerofill);  // INT(6) ZEROFILL
  EXPECT_EQ(cols[8].column_length, 6u);
  EXPECT_EQ(cols[9].decimals, kNotFixedDecimals);            // FLOAT
  EXPECT_EQ(cols[11].decimals, 3);                           // DOUBLE(10,3)
  EXPECT_EQ(cols[14].flags, kFlagUnsigned | kFlagZerofill);  // YEAR
  EXPECT_EQ(cols[18].type, kTypeTimestamp);
  EXPECT_EQ(cols[18].decimals, 6);
}

TEST(ColumnDefinitionViewTest, WithExtendedMetadataAndDefault) {
  const std::string p = ColumnDefPayload("db", "t", "j", kTypeBlob, 45, 100, 0, 0,
                                         LenStr(std::string(1, '\0') + "json"), "dflt");
  Result<ColumnDefinitionView> v = ColumnDefinitionView::Parse(p, uint64_t{1} << 35);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->extended_metadata, LenStr(std::string(1, '\0') + "json"));
  EXPECT_EQ(v->default_values, std::optional<std::string_view>("dflt"));
  for (size_t n = 0; n + 5 < p.size(); ++n) {  // cut inside the fields
    EXPECT_FALSE(ColumnDefinitionView::Parse(p.substr(0, n), uint64_t{1} << 35).ok()) << n;
  }
}

// --- The real server's rows: binary decoded and printed as text equals the
// server's own text rows, byte for byte.

TEST(RowCodecRealServerTest, BinaryToTextMatchesServerText) {
  const std::vector<ColumnType> cols = CapturedColumns();
  ASSERT_EQ(std::size(kCapturedTextRows), std::size(kCapturedBinaryRows));
  for (size_t r = 0; r < std::size(kCapturedTextRows); ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    const std::string text = Unhex(kCapturedTextRows[r]);
    const std::string binary = Unhex(kCapturedBinaryRows[r]);
    std::vector<TextCell> tcells(cols.size());
    std::vector<BinaryCell> bcells(cols.size());
    ASSERT_TRUE(DecodeTextRow(text, tcells).ok());
    Status st = DecodeBinaryRow(binary, cols, bcells);
    ASSERT_TRUE(st.ok()) << st.ToString();
    for (size_t i = 0; i < cols.size(); ++i) {
      SCOPED_TRACE("column " + std::to_string(i));
      ASSERT_EQ(bcells[i].is_null, !tcells[i].has_value());
      if (!bcells[i].is_null) {
        EXPECT_EQ(Text(bcells[i]), *tcells[i]);
      }
    }
    std::string converted;
    ASSERT_TRUE(AppendTextRowFromBinary(bcells, &converted).ok());
    EXPECT_EQ(converted, text);
    // Re-emitting the cells gives the server's bytes back.
    std::string reemitted;
    AppendBinaryRow(bcells, &reemitted);
    EXPECT_EQ(reemitted, binary);
    std::string retext;
    AppendTextRow(tcells, &retext);
    EXPECT_EQ(retext, text);
  }
}

// Typed values read from the server's binary rows, encoded again, give the
// same bytes: the encoder picks MariaDB's temporal lengths.
TEST(RowCodecRealServerTest, TypedValuesReencodeToServerBytes) {
  const std::vector<ColumnType> cols = CapturedColumns();
  for (const char* hex : kCapturedBinaryRows) {
    const std::string binary = Unhex(hex);
    std::vector<BinaryCell> cells(cols.size());
    ASSERT_TRUE(DecodeBinaryRow(binary, cols, cells).ok());
    std::vector<BinaryValue> values;
    for (const BinaryCell& c : cells) {
      if (c.is_null) {
        values.emplace_back(std::monostate{});
      } else if (c.column.type == kTypeFloat || c.column.type == kTypeDouble) {
        values.emplace_back(*c.AsDouble());
      } else if (c.AsTemporal().ok()) {
        values.emplace_back(*c.AsTemporal());
      } else if (c.AsString().ok()) {
        values.emplace_back(*c.AsString());
      } else if (c.column.is_unsigned()) {
        values.emplace_back(*c.AsUint64());
      } else {
        values.emplace_back(*c.AsInt64());
      }
    }
    std::string out;
    Status st = AppendBinaryRow(cols, values, &out);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(out, binary);
  }
}

TEST(RowCodecRealServerTest, TypedAccessorsOnServerRow) {
  const std::vector<ColumnType> cols = CapturedColumns();
  const std::string binary = Unhex(kCapturedBinaryRows[0]);
  std::vector<BinaryCell> c(cols.size());
  ASSERT_TRUE(DecodeBinaryRow(binary, cols, c).ok());
  EXPECT_EQ(*c[0].AsInt64(), 1);
  EXPECT_EQ(*c[1].AsInt64(), 255);  // TINYINT UNSIGNED, not -1
  EXPECT_EQ(*c[2].AsInt64(), -32768);
  EXPECT_EQ(*c[3].AsInt64(), -8388608);  // MEDIUMINT: 4 bytes on the wire
  EXPECT_EQ(*c[4].AsInt64(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(*c[5].AsUint64(), 4294967295u);
  EXPECT_EQ(*c[6].AsInt64(), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(c[6].AsUint64().ok());
  EXPECT_EQ(c[6].AsUint64().status().code(), 1690);
  EXPECT_EQ(*c[7].AsUint64(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(c[7].AsInt64().status().code(), 1690);
  EXPECT_EQ(*c[9].AsDouble(), static_cast<double>(0.1f));
  EXPECT_EQ(*c[10].AsDouble(), 0.1);
  EXPECT_EQ(*c[13].AsString(), "12345678.91");
  EXPECT_EQ(*c[14].AsInt64(), 2024);  // YEAR
  Temporal dt3{.year = 2024,
               .month = 2,
               .day = 29,
               .hour = 13,
               .minute = 14,
               .second = 15,
               .microsecond = 120000};
  EXPECT_EQ(*c[17].AsTemporal(), dt3);
  Temporal tm{.hour = 22, .minute = 59, .second = 59, .negative = true, .days = 34};  // -838:59:59
  EXPECT_EQ(*c[19].AsTemporal(), tm);
  EXPECT_EQ(*c[26].AsString(), std::string("\x02\xaa", 2));  // BIT(10)
  // Accessors check the column type.
  EXPECT_EQ(c[0].AsString().status().code(), 1105);
  EXPECT_EQ(c[13].AsInt64().status().code(), 1105);
  EXPECT_EQ(c[0].AsDouble().status().code(), 1105);
  EXPECT_EQ(c[9].AsTemporal().status().code(), 1105);
}

// --- Text rows.

TEST(TextRowTest, RoundTripsNullsEmptiesAndEveryLenencWidth) {
  const std::string s250(250, 'a'), s251(251, 'b'), s64k(65536, 'c');
  const std::vector<TextCell> cells = {std::nullopt, "", "x", s250, s251, s64k, std::nullopt};
  std::string p;
  AppendTextRow(cells, &p);
  std::vector<std::optional<std::string>> owned;
  for (const TextCell& c : cells)
    owned.push_back(c ? std::optional<std::string>(*c) : std::nullopt);
  EXPECT_EQ(p, TextRowPayload(owned));  // the hand-built layout
  std::vector<TextCell> back(cells.size());
  ASSERT_TRUE(DecodeTextRow(p, back).ok());
  EXPECT_EQ(back, cells);
  Result<TextRowView> view = TextRowView::Parse(p, cells.size());
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->size(), cells.size());
  size_t i = 0;
  for (TextCell c : *view) EXPECT_EQ(c, cells[i++]);
  EXPECT_EQ(i, cells.size());
  // Appends after what is there.
  std::string q = "prefix";
  AppendTextRow(cells, &q);
  EXPECT_EQ(q, "prefix" + p);
}

TEST(TextRowTest, ZeroColumns) {
  EXPECT_TRUE(TextRowView::Parse("", 0).ok());
  EXPECT_FALSE(TextRowView::Parse("\xFB", 0).ok());
}

TEST(TextRowTest, MalformedRowsAreErrors) {
  const std::string p = TextRowPayload({"abc", std::nullopt, std::string(300, 'z'), ""});
  for (size_t n = 0; n < p.size(); ++n) {
    Result<TextRowView> v = TextRowView::Parse(std::string_view(p).substr(0, n), 4);
    ASSERT_FALSE(v.ok()) << "truncated at " << n;
    EXPECT_EQ(v.status().code(), 1158);
  }
  ASSERT_TRUE(TextRowView::Parse(p, 4).ok());
  EXPECT_FALSE(TextRowView::Parse(p + std::string(1, '\0'), 4).ok());  // trailing bytes
  EXPECT_FALSE(TextRowView::Parse(p + "\xFB", 4).ok());                // one cell too many
  EXPECT_FALSE(TextRowView::Parse(p, 5).ok());                         // one cell too few
  EXPECT_FALSE(TextRowView::Parse(p, 3).ok());
  EXPECT_FALSE(TextRowView::Parse("\xFC\xFF\xFF"
                                  "a",
                                  1)
                   .ok());  // length past the end
  EXPECT_FALSE(TextRowView::Parse("\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 1).ok());
  EXPECT_FALSE(TextRowView::Parse("\xFF", 1).ok());  // 0xFF is no lenenc prefix
  std::vector<TextCell> cells(2);
  EXPECT_FALSE(DecodeTextRow("\x01"
                             "a",
                             cells)
                   .ok());
}

// --- Binary rows.

std::vector<ColumnType> AllTypes() {
  return {
      ColumnType(kTypeTiny),
      ColumnType(kTypeTiny, kFlagUnsigned),
      ColumnType(kTypeShort),
      ColumnType(kTypeYear, kFlagUnsigned | kFlagZerofill, 0, 4),
      ColumnType(kTypeInt24),
      ColumnType(kTypeInt24, kFlagUnsigned),
      ColumnType(kTypeLong),
      ColumnType(kTypeLongLong),
      ColumnType(kTypeLongLong, kFlagUnsigned),
      ColumnType(kTypeFloat, 0, kNotFixedDecimals),
      ColumnType(kTypeDouble, 0, kNotFixedDecimals),
      ColumnType(kTypeDate),
      ColumnType(kTypeDateTime, 0, 6),
      ColumnType(kTypeTimestamp),
      ColumnType(kTypeTime, 0, 3),
      ColumnType(kTypeNewDecimal, 0, 2),
      ColumnType(kTypeVarString),
      ColumnType(kTypeBlob, kFlagBinary),
      ColumnType(kTypeNull),
  };
}

TEST(BinaryRowTest, RoundTripsEveryType) {
  const std::vector<ColumnType> cols = AllTypes();
  const std::string big(70000, 'q');
  const Temporal date{.year = 2024, .month = 12, .day = 31};
  const Temporal dtus{
      .year = 1999, .month = 1, .day = 2, .hour = 3, .minute = 4, .second = 5, .microsecond = 6};
  const Temporal dt{.year = 1999, .month = 1, .day = 2, .hour = 3, .minute = 4, .second = 5};
  const Temporal time{
      .hour = 1, .minute = 2, .second = 3, .microsecond = 999999, .negative = true, .days = 5};
  const std::vector<BinaryValue> values = {int64_t{-128},
                                           uint64_t{255},
                                           int64_t{32767},
                                           int64_t{1999},
                                           int64_t{-8388608},
                                           uint64_t{16777215},
                                           int64_t{-2147483648LL},
                                           int64_t{std::numeric_limits<int64_t>::min()},
                                           uint64_t{std::numeric_limits<uint64_t>::max()},
                                           1.5,
                                           -2.25e-300,
                                           date,
                                           dtus,
                                           dt,
                                           time,
                                           std::string_view("-12.50"),
                                           std::string_view(""),
                                           std::string_view(big),
                                           std::monostate{}};
  std::string p;
  Status st = AppendBinaryRow(cols, values, &p);
  ASSERT_TRUE(st.ok()) << st.ToString();
  // Hand-built: header, bitmap (19 columns + 2 -> 3 bytes; column 18 NULL: bit 20),
  // then the values.
  std::string expect = U8(0) + U8(0) + U8(0) + U8(1 << 4);
  expect += U8(0x80) + U8(0xFF) + U16(32767) + U16(1999) + U32(0xFF800000) + U32(0xFFFFFF) +
            U32(0x80000000) + U64(0x8000000000000000ULL) + U64(~0ULL) + FloatBytes(1.5f) +
            DoubleBytes(-2.25e-300);
  expect += U8(4) + U16(2024) + U8(12) + U8(31);
  expect += U8(11) + U16(1999) + U8(1) + U8(2) + U8(3) + U8(4) + U8(5) + U32(6);
  expect += U8(7) + U16(1999) + U8(1) + U8(2) + U8(3) + U8(4) + U8(5);
  expect += U8(12) + U8(1) + U32(5) + U8(1) + U8(2) + U8(3) + U32(999999);
  expect += LenStr("-12.50") + LenStr("") + LenStr(big);
  EXPECT_EQ(p, expect);

  std::vector<BinaryCell> cells(cols.size());
  st = DecodeBinaryRow(p, cols, cells);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(*cells[0].AsInt64(), -128);
  EXPECT_EQ(*cells[1].AsUint64(), 255u);
  EXPECT_EQ(*cells[3].AsInt64(), 1999);
  EXPECT_EQ(*cells[4].AsInt64(), -8388608);
  EXPECT_EQ(*cells[5].AsInt64(), 16777215);
  EXPECT_EQ(*cells[7].AsInt64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*cells[8].AsUint64(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(*cells[9].AsDouble(), 1.5);
  EXPECT_EQ(*cells[10].AsDouble(), -2.25e-300);
  EXPECT_EQ(*cells[11].AsTemporal(), date);
  EXPECT_EQ(*cells[12].AsTemporal(), dtus);
  EXPECT_EQ(*cells[13].AsTemporal(), dt);
  EXPECT_EQ(*cells[14].AsTemporal(), time);
  EXPECT_EQ(*cells[15].AsString(), "-12.50");
  EXPECT_EQ(*cells[16].AsString(), "");
  EXPECT_EQ(*cells[17].AsString(), big);
  EXPECT_TRUE(cells[18].is_null);

  Result<BinaryRowView> view = BinaryRowView::Parse(p, cols);
  ASSERT_TRUE(view.ok());
  size_t i = 0;
  for (const BinaryCell& c : *view) {
    EXPECT_EQ(c.is_null, cells[i].is_null) << i;
    EXPECT_EQ(c.raw, cells[i].raw) << i;
    EXPECT_EQ(view->IsNull(i), cells[i].is_null);
    ++i;
  }
  EXPECT_EQ(i, cols.size());

  // As text.
  std::string text;
  ASSERT_TRUE(AppendTextRowFromBinary(cells, &text).ok());
  EXPECT_EQ(text,
            TextRowPayload({"-128", "255", "32767", "1999", "-8388608", "16777215", "-2147483648",
                            "-9223372036854775808", "18446744073709551615", "1.5", "-2.25e-300",
                            "2024-12-31", "1999-01-02 03:04:05.000006", "1999-01-02 03:04:05",
                            "-121:02:03.999", "-12.50", "", big, std::nullopt}));
}

TEST(BinaryRowTest, NullsOnlyAndZeroColumns) {
  std::vector<ColumnType> cols(9, ColumnType(kTypeLong));  // 9 + 2 bits: 2 bitmap bytes
  std::vector<BinaryValue> values(9, std::monostate{});
  std::string p;
  ASSERT_TRUE(AppendBinaryRow(cols, values, &p).ok());
  EXPECT_EQ(p, std::string("\x00\xFC\x07", 3));
  EXPECT_TRUE(BinaryRowView::Parse(p, cols).ok());
  std::string empty;
  ASSERT_TRUE(AppendBinaryRow({}, std::span<const BinaryValue>(), &empty).ok());
  EXPECT_EQ(empty, std::string("\x00\x00", 2));
  EXPECT_TRUE(BinaryRowView::Parse(empty, {}).ok());
}

TEST(BinaryRowTest, MalformedRowsAreErrors) {
  const std::vector<ColumnType> cols = AllTypes();
  const std::string x300(300, 'x');
  const std::vector<BinaryValue> values = {
      int64_t{1},
      uint64_t{2},
      int64_t{3},
      int64_t{4},
      int64_t{5},
      uint64_t{6},
      int64_t{7},
      int64_t{8},
      uint64_t{9},
      1.0,
      2.0,
      Temporal{.year = 1, .month = 2, .day = 3},
      Temporal{
          .year = 1, .month = 2, .day = 3, .hour = 4, .minute = 5, .second = 6, .microsecond = 7},
      Temporal{.year = 1, .month = 2, .day = 3, .hour = 4},
      Temporal{.hour = 1, .days = 2},
      std::string_view("1.00"),
      std::string_view("abc"),
      std::string_view(x300),
      std::monostate{}};
  std::string p;
  ASSERT_TRUE(AppendBinaryRow(cols, values, &p).ok());
  ASSERT_TRUE(BinaryRowView::Parse(p, cols).ok());
  std::vector<BinaryCell> cells(cols.size());
  for (size_t n = 0; n < p.size(); ++n) {
    Result<BinaryRowView> v = BinaryRowView::Parse(std::string_view(p).substr(0, n), cols);
    ASSERT_FALSE(v.ok()) << "truncated at " << n;
    EXPECT_EQ(v.status().code(), 1158);
    EXPECT_FALSE(DecodeBinaryRow(std::string_view(p).substr(0, n), cols, cells).ok());
  }
  EXPECT_FALSE(BinaryRowView::Parse(p + std::string(1, '\0'), cols).ok());  // trailing byte
  std::string bad_header = p;
  bad_header[0] = '\x01';
  EXPECT_FALSE(BinaryRowView::Parse(bad_header, cols).ok());

  const std::vector<ColumnType> one_long = {ColumnType(kTypeLong)};
  EXPECT_FALSE(BinaryRowView::Parse(std::string("\x00", 1), one_long).ok());  // no bitmap
  // 7 columns need 2 bitmap bytes: one is too short.
  const std::vector<ColumnType> seven(7, ColumnType(kTypeTiny));
  EXPECT_FALSE(BinaryRowView::Parse(std::string("\x00\xFC", 2), seven).ok());
  EXPECT_TRUE(BinaryRowView::Parse(std::string("\x00\xFC\x01", 3), seven).ok());
  // Temporal lengths not in the list.
  const std::vector<ColumnType> date = {ColumnType(kTypeDate)};
  const std::vector<ColumnType> time = {ColumnType(kTypeTime)};
  EXPECT_FALSE(BinaryRowView::Parse(U8(0) + U8(0) + U8(5) + "12345", date).ok());
  EXPECT_FALSE(BinaryRowView::Parse(U8(0) + U8(0) + U8(7) + "1234567", time).ok());
  EXPECT_TRUE(BinaryRowView::Parse(U8(0) + U8(0) + U8(0), time).ok());
  // A lenenc length past the end.
  const std::vector<ColumnType> str = {ColumnType(kTypeVarString)};
  EXPECT_FALSE(BinaryRowView::Parse(U8(0) + U8(0) +
                                        "\xFC\x10\x00"
                                        "abc",
                                    str)
                   .ok());
  EXPECT_FALSE(BinaryRowView::Parse(U8(0) + U8(0) + "\xFB", str).ok());  // NULL marker
  // Type codes without a binary layout, and a NULL-type column without its bit.
  const std::vector<ColumnType> datetime2 = {ColumnType(18)};
  const std::vector<ColumnType> null_type = {ColumnType(kTypeNull)};
  EXPECT_FALSE(BinaryRowView::Parse(U8(0) + U8(0) + U8(1), datetime2).ok());
  EXPECT_FALSE(BinaryRowView::Parse(U8(0) + U8(0), null_type).ok());
  EXPECT_TRUE(BinaryRowView::Parse(U8(0) + U8(4), null_type).ok());
  // Microseconds above 999999 parse (layout) but do not decode.
  std::vector<BinaryCell> one(1);
  const std::string big_us =
      U8(0) + U8(0) + U8(12) + U8(0) + U32(0) + U8(0) + U8(0) + U8(0) + U32(1000000);
  ASSERT_TRUE(DecodeBinaryRow(big_us, time, one).ok());
  EXPECT_EQ(one[0].AsTemporal().status().code(), 1158);
  EXPECT_FALSE(AppendCellText(one[0], &p).ok());
}

TEST(BinaryRowTest, EncoderRejectsValuesThatDoNotFit) {
  auto fails = [](ColumnType col, BinaryValue v) {
    std::string out = "keep";
    Status st = AppendBinaryRow(std::vector<ColumnType>{col}, std::vector<BinaryValue>{v}, &out);
    EXPECT_EQ(out, "keep");
    return !st.ok() && st.code() == 1105;
  };
  EXPECT_TRUE(fails(ColumnType(kTypeTiny), int64_t{128}));
  EXPECT_TRUE(fails(ColumnType(kTypeTiny), int64_t{-129}));
  EXPECT_TRUE(fails(ColumnType(kTypeTiny, kFlagUnsigned), int64_t{-1}));
  EXPECT_TRUE(fails(ColumnType(kTypeTiny, kFlagUnsigned), uint64_t{256}));
  EXPECT_TRUE(fails(ColumnType(kTypeInt24), int64_t{8388608}));
  EXPECT_TRUE(fails(ColumnType(kTypeLongLong), uint64_t{1} << 63));
  EXPECT_TRUE(fails(ColumnType(kTypeLong), 1.0));
  EXPECT_TRUE(fails(ColumnType(kTypeDouble), int64_t{1}));
  EXPECT_TRUE(fails(ColumnType(kTypeDate), std::string_view("2024-01-01")));
  EXPECT_TRUE(fails(ColumnType(kTypeTime), Temporal{.microsecond = 1000000}));
  EXPECT_TRUE(fails(ColumnType(kTypeVarString), int64_t{1}));
  EXPECT_TRUE(fails(ColumnType(kTypeNull), int64_t{1}));
  EXPECT_TRUE(fails(ColumnType(17), int64_t{1}));
  std::string out;
  EXPECT_FALSE(AppendBinaryRow(std::vector<ColumnType>{ColumnType(kTypeLong)},
                               std::vector<BinaryValue>{}, &out)
                   .ok());
}

// --- Text forms (AppendCellText).

// Every expected string was printed by MariaDB 10.11 (`ref`, mariadb client)
// for a DOUBLE / FLOAT column holding the value.
TEST(CellTextTest, DoubleAsMariaDbPrintsIt) {
  const ColumnType col(kTypeDouble, 0, kNotFixedDecimals);
  const std::pair<double, const char*> cases[] = {
      {0.1, "0.1"},
      {1e100, "1e100"},
      {1.2345678901234567e-5, "0.000012345678901234568"},
      {123456789012345678.0, "1.2345678901234568e17"},
      {1e15, "1e15"},
      {1e16, "1e16"},
      {1e14, "100000000000000"},
      {0.0001, "0.0001"},
      {0.00001, "0.00001"},
      {0.30000000000000004, "0.30000000000000004"},
      {-1.5e-300, "-1.5e-300"},
      {1e21, "1e21"},
      {1.2345678901234567e-14, "0.000000000000012345678901234567"},
      {1.2345678901234567e-15, "0.0000000000000012345678901234568"},
      {-1.2345678901234567e-15, "-0.0000000000000012345678901234568"},
      {2.5e-15, "0.0000000000000025"},
      {123456789012345.6, "123456789012345.6"},
      {999999999999999.9, "999999999999999.9"},
      {1234567890123456.7, "1234567890123456.8"},
      {-1e15, "-1e15"},
      {1.7976931348623157e308, "1.7976931348623157e308"},
      {5e-324, "5e-324"},
      {0.0, "0"},
      {1234565, "1234565"},
  };
  for (const auto& [v, text] : cases) EXPECT_EQ(Text(Cell(col, DoubleBytes(v))), text) << v;
  // Not stored by MariaDB; what my_gcvt gives.
  EXPECT_EQ(Text(Cell(col, DoubleBytes(std::nan("")))), "0");
  EXPECT_EQ(Text(Cell(col, DoubleBytes(-0.0))), "-0");
}

TEST(CellTextTest, FloatAsMariaDbPrintsIt) {
  const ColumnType col(kTypeFloat, 0, kNotFixedDecimals);
  const std::pair<float, const char*> cases[] = {
      {0.1f, "0.1"},
      {3.4e38f, "3.4e38"},
      {1.17549e-38f, "1.17549e-38"},
      {16777217.0f, "16777200"},
      {1e15f, "1e15"},
      {1e16f, "1e16"},
      {0.0001f, "0.0001"},
      {0.00001f, "0.00001"},
      {1.2345678f, "1.23457"},
      {-123.456f, "-123.456"},
      {100.0f, "100"},
      {1.2345678e-14f, "0.0000000000000123457"},
      {1.5e-5f, "0.000015"},
      {-0.0001234f, "-0.0001234"},
      {123456.7f, "123457"},
      {1e6f, "1000000"},
      {9999995.0f, "10000000"},
      {1e-40f, "9.99995e-41"},
      {0.5f, "0.5"},
      {1234567.0f, "1234570"},
      {1234565.0f, "1234560"},  // a tie: to even, as MariaDB's dtoa
      {1234575.0f, "1234580"},
      {8388609.0f, "8388610"},
      {-1234565.0f, "-1234560"},
  };
  for (const auto& [v, text] : cases) EXPECT_EQ(Text(Cell(col, FloatBytes(v))), text) << v;
}

TEST(CellTextTest, FixedDecimalsAndZerofill) {
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDouble, 0, 3), DoubleBytes(1.5))), "1.500");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDouble, 0, 3), DoubleBytes(123456.7891))), "123456.789");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDouble, 0, 0), DoubleBytes(2.5))), "2");  // to even
  EXPECT_EQ(Text(Cell(ColumnType(kTypeFloat, 0, 2), FloatBytes(3.14f))), "3.14");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeFloat, 0, 2), FloatBytes(-1.0f))), "-1.00");
  const std::string huge =
      Text(Cell(ColumnType(kTypeDouble, 0, 30), DoubleBytes(-1.7976931348623157e308)));
  EXPECT_EQ(huge.size(), 1 + 309 + 1 + 30u);
  const ColumnType z(kTypeLong, kFlagUnsigned | kFlagZerofill, 0, 6);
  EXPECT_EQ(Text(Cell(z, U32(42))), "000042");
  EXPECT_EQ(Text(Cell(z, U32(1234567))), "1234567");  // wider than the width: as is
  EXPECT_EQ(Text(Cell(ColumnType(kTypeYear, kFlagUnsigned | kFlagZerofill, 0, 4), U16(0))), "0000");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTiny), U8(0xFF))), "-1");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTiny, kFlagUnsigned), U8(0xFF))), "255");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeShort, kFlagUnsigned), U16(65535))), "65535");
}

TEST(CellTextTest, TemporalsFollowTheColumnDecimals) {
  const std::string dt_midnight = U8(4) + U16(2000) + U8(1) + U8(1);
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime, 0, 3), dt_midnight)), "2000-01-01 00:00:00.000");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime, 0, 0), dt_midnight)), "2000-01-01 00:00:00");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDate), dt_midnight)), "2000-01-01");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDate), U8(0))), "0000-00-00");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime), U8(0))), "0000-00-00 00:00:00");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTimestamp, 0, 2), U8(0))), "0000-00-00 00:00:00.00");
  const std::string us =
      U8(11) + U16(999) + U8(12) + U8(31) + U8(23) + U8(59) + U8(58) + U32(123456);
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime, 0, 6), us)), "0999-12-31 23:59:58.123456");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime, 0, 2), us)),
            "0999-12-31 23:59:58.12");  // truncated
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime, 0, 39), us)), "0999-12-31 23:59:58.123456");
  const std::string no_us = U8(7) + U16(2024) + U8(2) + U8(29) + U8(1) + U8(2) + U8(3);
  EXPECT_EQ(Text(Cell(ColumnType(kTypeDateTime, 0, 39), no_us)), "2024-02-29 01:02:03");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTime), U8(0))), "00:00:00");
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTime, 0, 1), U8(0))), "00:00:00.0");
  const std::string t100 = U8(8) + U8(0) + U32(4) + U8(4) + U8(0) + U8(0);
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTime), t100)), "100:00:00");
  const std::string neg = U8(12) + U8(1) + U32(0) + U8(0) + U8(0) + U8(1) + U32(500000);
  EXPECT_EQ(Text(Cell(ColumnType(kTypeTime, 0, 2), neg)), "-00:00:01.50");
}

TEST(CellTextTest, StringsAreTheirBytesAndNullIsABug) {
  EXPECT_EQ(Text(Cell(ColumnType(kTypeBit), LenStr(std::string("\x00\x01", 2)))),
            std::string("\x00\x01", 2));
  EXPECT_EQ(Text(Cell(ColumnType(kTypeNewDecimal, 0, 2), LenStr("-0.01"))), "-0.01");
  BinaryCell null_cell;
  std::string out;
  EXPECT_EQ(AppendCellText(null_cell, &out).code(), 1105);
  BinaryCell cells[2] = {Cell(ColumnType(kTypeLong), U32(7)), null_cell};
  ASSERT_TRUE(AppendTextRowFromBinary(cells, &out).ok());
  EXPECT_EQ(out, TextRowPayload({"7", std::nullopt}));
}

}  // namespace
}  // namespace shardproxy::protocol
