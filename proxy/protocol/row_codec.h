// Row codec: decode and encode the rows of a result set, text protocol
// (COM_QUERY) and binary protocol (COM_STMT_EXECUTE / COM_STMT_FETCH), and
// turn a binary cell into its text-protocol form. For the merge engine: rows
// are read as views (no allocation per row), re-emitted by appending payloads
// to a caller's buffer; framing and sequence ids are the caller's
// (AppendPacket in packet.h, as ResultSetWriter does).
//
// Text row (ProtocolText::ResultsetRow), one per column:
//   0xFB              NULL
//   string<lenenc>    the value as text
//
// Binary row (ProtocolBinary::ResultsetRow):
//   int<1>    0x00 header
//   byte<(column_count + 7 + 2) / 8>  NULL bitmap, offset 2: column i is NULL
//             when bit ((i + 2) % 8) of byte ((i + 2) / 8) is set (bits 0 and 1
//             are reserved; ignored, as libmariadb does)
//   for each non-NULL column, by its column-definition type:
//     TINY                        int<1>
//     SHORT, YEAR                 int<2>
//     LONG, INT24                 int<4>
//     LONGLONG                    int<8>
//     FLOAT                       4-byte IEEE 754, little-endian
//     DOUBLE                      8-byte IEEE 754, little-endian
//     DATE, NEWDATE, DATETIME,    int<1> length (0, 4, 7 or 11), then
//     TIMESTAMP                     if length >= 4:  int<2> year, int<1> month, int<1> day
//                                   if length >= 7:  int<1> hour, int<1> min, int<1> sec
//                                   if length == 11: int<4> microsecond
//     TIME                        int<1> length (0, 8 or 12), then
//                                   if length >= 8:  int<1> is_negative, int<4> days,
//                                                    int<1> hour, int<1> min, int<1> sec
//                                   if length == 12: int<4> microsecond
//     DECIMAL, NEWDECIMAL, VARCHAR, BIT, JSON, ENUM, SET, TINY/MEDIUM/LONG_BLOB,
//     BLOB, VAR_STRING, STRING, GEOMETRY   string<lenenc>
//     NULL                        never (its bit is always set)
//   nothing after the last value.
// MariaDB sends the shortest length of a temporal that holds its value (a
// DATETIME(3) at midnight with 0 microseconds has length 4), whatever the
// column's decimals.
//
// Malformed input (wrong cell count, bytes left over, a lenenc length past the
// end, a bitmap too short, a temporal length not in the list, a type code the
// binary protocol does not have) -> ERR 1158 (08S01) "Malformed packet: ...".
// Nothing ever reads out of bounds or allocates from a claimed length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "proxy/protocol/column_definition.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

// What the row codec needs to know of a column (from its column definition).
struct ColumnType {
  uint8_t type = kTypeVarString;  // MYSQL_TYPE_* (FieldType)
  uint16_t flags = 0;             // kFlagUnsigned, kFlagZerofill matter here
  uint8_t decimals = 0;           // fraction digits; >= kNotFixedDecimals: not fixed
  uint32_t column_length = 0;     // display width (ZEROFILL pads to it)

  ColumnType() = default;
  ColumnType(uint8_t t, uint16_t f = 0, uint8_t d = 0, uint32_t len = 0)
      : type(t), flags(f), decimals(d), column_length(len) {}
  explicit ColumnType(const ColumnDefinition41& c)
      : ColumnType(c.type, c.flags, c.decimals, c.column_length) {}
  explicit ColumnType(const ColumnDefinitionView& c)
      : ColumnType(c.type, c.flags, c.decimals, c.column_length) {}

  bool is_unsigned() const { return (flags & kFlagUnsigned) != 0; }
};

// MariaDB's NOT_FIXED_DEC: a FLOAT/DOUBLE with decimals >= 31 is printed in
// its shortest form (see AppendCellText), below that with that many decimals.
inline constexpr uint8_t kNotFixedDecimals = 31;

// Longest text form AppendCellText makes of a non-string cell (a DOUBLE(255,30)
// of 1e308 in fixed notation, or a ZEROFILL integer padded to 255).
inline constexpr size_t kMaxCellText = 400;

// ---------------------------------------------------------------------------
// Text rows.

// One text cell: nullopt is SQL NULL. The same type ResultSetWriter::Row takes.
using TextCell = std::optional<std::string_view>;

// A validated text row; the caller keeps the payload alive while it uses the
// view and its cells. Iterate with range-for (forward, one lenenc read per
// step); for random access decode into a span with DecodeTextRow.
class TextRowView {
 public:
  class Iterator {
   public:
    TextCell operator*() const { return cell_; }
    Iterator& operator++();
    bool operator==(const Iterator& o) const { return left_ == o.left_; }

   private:
    friend class TextRowView;
    Iterator(std::string_view rest, size_t left) : rest_(rest), left_(left) { Load(); }
    void Load();
    std::string_view rest_;  // the payload from this cell on
    size_t left_;            // cells left, this one included
    TextCell cell_;          // this cell
    size_t cell_size_ = 0;   // its bytes on the wire
  };

  // Exactly num_columns cells and nothing after them, else ERR 1158.
  static Result<TextRowView> Parse(std::string_view payload, size_t num_columns);

  size_t size() const { return num_columns_; }
  std::string_view payload() const { return payload_; }
  Iterator begin() const { return Iterator(payload_, num_columns_); }
  Iterator end() const { return Iterator({}, 0); }

 private:
  TextRowView(std::string_view payload, size_t n) : payload_(payload), num_columns_(n) {}
  std::string_view payload_;
  size_t num_columns_;
};

// One pass over a text row into cells (cells.size() = the column count), with
// TextRowView::Parse's checks. The views point into payload.
Status DecodeTextRow(std::string_view payload, std::span<TextCell> cells);

// Appends the text row payload of cells to *out (nothing else: frame it with
// AppendPacket). Reserves once; no allocation when *out has the capacity.
void AppendTextRow(std::span<const TextCell> cells, std::string* out);

// ---------------------------------------------------------------------------
// Binary rows.

// A decoded DATE / DATETIME / TIMESTAMP / TIME. For TIME the hours are
// days * 24 + hour (hour < 24 as MariaDB sends it); year/month/day are 0.
struct Temporal {
  uint16_t year = 0;
  uint8_t month = 0;
  uint8_t day = 0;
  uint8_t hour = 0;
  uint8_t minute = 0;
  uint8_t second = 0;
  uint32_t microsecond = 0;  // 0..999999
  bool negative = false;     // TIME only
  uint32_t days = 0;         // TIME only

  bool operator==(const Temporal&) const = default;
};

// One cell of a binary row. raw: the value's bytes as on the wire, the
// temporal length byte and the lenenc prefix included (empty for NULL);
// a view into the row payload. The typed accessors check the column type
// (a mismatch is a caller bug: ERR 1105 "[BUG] ...").
struct BinaryCell {
  ColumnType column;
  bool is_null = true;
  std::string_view raw;

  // TINY, SHORT, YEAR, INT24, LONG, LONGLONG, sign-extended unless UNSIGNED.
  // An UNSIGNED BIGINT above INT64_MAX -> ERR 1690 (22003) out of range.
  Result<int64_t> AsInt64() const;
  // The same types; a negative value of a signed column -> ERR 1690.
  Result<uint64_t> AsUint64() const;
  // FLOAT (widened exactly) and DOUBLE.
  Result<double> AsDouble() const;
  // DATE, NEWDATE, DATETIME, TIMESTAMP, TIME; microsecond > 999999 -> ERR 1158.
  Result<Temporal> AsTemporal() const;
  // The lenenc types (DECIMAL text, strings, blobs, BIT bytes, ...): the value
  // without its prefix.
  Result<std::string_view> AsString() const;
};

// A validated binary row; the caller keeps the payload and the columns alive
// while it uses the view. Range-for yields BinaryCell; DecodeBinaryRow for
// random access.
class BinaryRowView {
 public:
  class Iterator {
   public:
    const BinaryCell& operator*() const { return cell_; }
    const BinaryCell* operator->() const { return &cell_; }
    Iterator& operator++();
    bool operator==(const Iterator& o) const { return index_ == o.index_; }

   private:
    friend class BinaryRowView;
    Iterator(const BinaryRowView* row, size_t index, size_t offset);
    void Load();
    const BinaryRowView* row_;
    size_t index_;   // this cell's column
    size_t offset_;  // where the next non-NULL value starts in the payload
    BinaryCell cell_;
  };

  // Header, bitmap, every non-NULL value per its column's type, no bytes
  // after the last; else ERR 1158.
  static Result<BinaryRowView> Parse(std::string_view payload, std::span<const ColumnType> columns);

  size_t size() const { return columns_.size(); }
  std::string_view payload() const { return payload_; }
  bool IsNull(size_t i) const;  // i < size()
  Iterator begin() const;
  Iterator end() const { return Iterator(this, columns_.size(), payload_.size()); }

 private:
  BinaryRowView(std::string_view payload, std::span<const ColumnType> columns)
      : payload_(payload), columns_(columns) {}
  std::string_view payload_;
  std::span<const ColumnType> columns_;
};

// Bytes of the binary row's NULL bitmap for num_columns columns.
constexpr size_t BinaryNullBitmapSize(size_t num_columns) { return (num_columns + 7 + 2) / 8; }

// One pass over a binary row into cells (cells.size() = columns.size()), with
// BinaryRowView::Parse's checks.
Status DecodeBinaryRow(std::string_view payload, std::span<const ColumnType> columns,
                       std::span<BinaryCell> cells);

// How a type's binary-protocol value is laid out (the table above).
enum class BinaryLayout : uint8_t {
  kInvalid,  // not a type of the binary protocol
  kNone,     // MYSQL_TYPE_NULL: no bytes
  kFixed1,   // int<1>
  kFixed2,   // int<2>
  kFixed4,   // int<4> or a float (kFixed1..kFixed8 in this order: 1 << (layout - kFixed1) bytes)
  kFixed8,   // int<8> or a double
  kDate,     // int<1> length in {0, 4, 7, 11} + fields
  kTime,     // int<1> length in {0, 8, 12} + fields
  kLenenc,   // string<lenenc>
};
BinaryLayout BinaryLayoutOf(uint8_t type);

// Reads one non-NULL binary value of `type` at r's position into *raw (its
// wire bytes, prefix included). False, with r's error set or not, when the
// bytes do not hold one (the caller reports it). For anything that parses
// binary-protocol values (rows here; COM_STMT_EXECUTE parameters read the
// same layouts).
bool ReadBinaryValue(WireReader& r, std::string_view payload, uint8_t type, std::string_view* raw);

// A typed value to encode: NULL, an integer (either alternative for any
// integer type, range-checked against the column), a double (FLOAT columns
// narrow it), a temporal, or the bytes of a lenenc type.
using BinaryValue =
    std::variant<std::monostate, int64_t, uint64_t, double, Temporal, std::string_view>;

// Appends the binary row payload of values (values.size() = columns.size())
// to *out. Temporals get MariaDB's shortest length. A value that does not fit
// its column (kind or range) -> ERR 1105 "[BUG] ..." and *out unchanged.
Status AppendBinaryRow(std::span<const ColumnType> columns, std::span<const BinaryValue> values,
                       std::string* out);
// Re-emits decoded cells (their raw bytes): a row merged from several
// backends, as the client's binary protocol wants it.
void AppendBinaryRow(std::span<const BinaryCell> cells, std::string* out);

// ---------------------------------------------------------------------------
// Binary -> text, as MariaDB 10.11 prints the same value in a text result set
// (checked against the server: tests/unit/protocol/row_codec_test.cc, vectors
// from testdata/capture_rows.py):
//   integers      decimal; ZEROFILL columns left-padded with '0' to column_length
//                 (YEAR is UNSIGNED ZEROFILL, length 4: "0000", "2024")
//   FLOAT/DOUBLE  decimals < 31: fixed, that many decimals, correctly rounded
//                 ("%.*f"; a FLOAT widened to double first).
//                 decimals >= 31: MariaDB's my_gcvt in a wide field: the digits
//                 are the shortest that round-trip (DOUBLE) or the value rounded
//                 to 6 significant digits (FLOAT, FLT_DIG), trailing zeros
//                 dropped; with P = the decimal exponent + 1 ("0.0123": P = -1)
//                 and N digits, fixed notation when -14 <= P && (P <= 15 || N > P),
//                 else d[.ddd]e[-]x ("1e15", "1.2345678901234568e17",
//                 "1.5e-300"; no '+', no padding of the exponent). NaN/inf
//                 (which MariaDB never stores) print "0", as my_gcvt does.
//   DATE          YYYY-MM-DD
//   DATETIME,     YYYY-MM-DD hh:mm:ss, then '.' and the first `decimals` digits of
//   TIMESTAMP     the 6-digit microseconds when 1 <= decimals <= 6 (whatever the
//                 wire length); decimals > 6 (not fixed): 6 digits if not 0
//   TIME          [-]hh:mm:ss[.f...], hours = days * 24 + hour (2 digits at
//                 least), fraction as for DATETIME
//   zero length   the zero value of the type ('0000-00-00', '00:00:00', ...)
//   lenenc types  the bytes themselves (DECIMAL is text in both protocols)
// Appends cell's text (no lenenc prefix) to *out. A NULL cell -> "[BUG]" error.
Status AppendCellText(const BinaryCell& cell, std::string* out);
// Appends the text-protocol row payload of a binary row's cells (0xFB for
// NULL).
Status AppendTextRowFromBinary(std::span<const BinaryCell> cells, std::string* out);

}  // namespace shardproxy::protocol
