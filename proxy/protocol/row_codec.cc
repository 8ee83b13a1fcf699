#include "proxy/protocol/row_codec.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "proxy/protocol/malformed.h"

namespace shardproxy::protocol {

using internal::Malformed;

namespace {

constexpr uint8_t kTextNull = 0xFB;

// ERR 1690 (22003) ER_DATA_OUT_OF_RANGE, as MariaDB says it for a value that
// does not fit the requested type.
Status OutOfRange(std::string_view what) {
  return Status::Error(1690, "22003", std::string(what) + " value is out of range");
}

Status WrongKind(const char* accessor, uint8_t type) {
  return Status::Bug(std::string(accessor) + " on a column of type " + std::to_string(type));
}

// ---- Text cells.

// Reads the cell at r's position; false (r's error set) if it does not parse.
bool ReadTextCell(WireReader& r, TextCell* cell) {
  if (r.PeekU8() == kTextNull && r.remaining() > 0) {
    r.Skip(1);
    *cell = std::nullopt;
    return true;
  }
  *cell = r.ReadLenencString();
  return r.ok();
}

// The one validating pass, shared by TextRowView::Parse and DecodeTextRow:
// sink(i, cell) per cell.
template <typename Sink>
Status WalkTextRow(std::string_view payload, size_t num_columns, Sink&& sink) {
  WireReader r(payload);
  for (size_t i = 0; i < num_columns; ++i) {
    TextCell cell;
    if (!ReadTextCell(r, &cell)) return Malformed("text row: cell past the end");
    sink(i, cell);
  }
  if (!r.empty()) return Malformed("text row: bytes after the last cell");
  return Status::Ok();
}

// ---- Binary cells.

uint64_t LoadLe(std::string_view raw) {
  uint64_t v = 0;
  for (size_t i = 0; i < raw.size(); ++i) v |= uint64_t{static_cast<uint8_t>(raw[i])} << (8 * i);
  return v;
}

bool IsIntegerType(uint8_t type) {
  switch (BinaryLayoutOf(type)) {
    case BinaryLayout::kFixed1:
    case BinaryLayout::kFixed2:
    case BinaryLayout::kFixed4:
    case BinaryLayout::kFixed8:
      return type != kTypeFloat && type != kTypeDouble;
    default:
      return false;
  }
}

bool IsNullBit(std::string_view payload, size_t i) {
  return (static_cast<uint8_t>(payload[1 + (i + 2) / 8]) >> ((i + 2) % 8)) & 1;
}

// Header and bitmap, then sink(i, cell) per cell.
template <typename Sink>
Status WalkBinaryRow(std::string_view payload, std::span<const ColumnType> columns, Sink&& sink) {
  const size_t values_at = 1 + BinaryNullBitmapSize(columns.size());
  if (payload.size() < values_at) return Malformed("binary row: NULL bitmap past the end");
  if (payload[0] != 0) return Malformed("binary row: header is not 0x00");
  WireReader r(payload);
  r.Skip(values_at);
  for (size_t i = 0; i < columns.size(); ++i) {
    BinaryCell cell;
    cell.column = columns[i];
    cell.is_null = IsNullBit(payload, i);
    if (!cell.is_null && !ReadBinaryValue(r, payload, columns[i].type, &cell.raw)) {
      return Malformed("binary row: value of column " + std::to_string(i) + " (type " +
                       std::to_string(columns[i].type) + ")");
    }
    sink(i, cell);
  }
  if (!r.empty()) return Malformed("binary row: bytes after the last value");
  return Status::Ok();
}

// ---- Text forms.

char* PutUnsigned(char* p, uint64_t v, int min_digits = 1) {
  char tmp[24];
  const char* end = std::to_chars(tmp, tmp + sizeof(tmp), v).ptr;
  for (int n = static_cast<int>(end - tmp); n < min_digits; ++n) *p++ = '0';
  std::memcpy(p, tmp, end - tmp);
  return p + (end - tmp);
}

// MariaDB's my_gcvt(x, type, width >= 34): see row_codec.h.
char* PutShortestFloating(char* p, double v, bool is_float) {
  if (!std::isfinite(v)) {
    *p++ = '0';
    return p;
  }
  char sci[40];
  const char* end = is_float ? std::to_chars(sci, sci + sizeof(sci), v,
                                             std::chars_format::scientific, 5)  // FLT_DIG digits
                                   .ptr
                             : std::to_chars(sci, sci + sizeof(sci), v,
                                             std::chars_format::scientific)  // shortest
                                   .ptr;
  const char* s = sci;
  if (*s == '-') *p++ = *s++;
  char digits[24];
  int n = 0;
  for (; s < end && *s != 'e'; ++s) {
    if (*s != '.') digits[n++] = *s;
  }
  while (n > 1 && digits[n - 1] == '0') --n;
  ++s;  // 'e'
  const bool exp_negative = *s++ == '-';
  int exp = 0;
  std::from_chars(s, end, exp);
  if (exp_negative) exp = -exp;
  const int decpt = exp + 1;  // digits[0] sits just left of the point at decpt 1

  if (decpt >= -14 && (decpt <= 15 || n > decpt)) {  // fixed notation
    if (decpt <= 0) {
      *p++ = '0';
      *p++ = '.';
      std::memset(p, '0', -decpt);
      p += -decpt;
      std::memcpy(p, digits, n);
      return p + n;
    }
    if (decpt < n) {
      std::memcpy(p, digits, decpt);
      p += decpt;
      *p++ = '.';
      std::memcpy(p, digits + decpt, n - decpt);
      return p + (n - decpt);
    }
    std::memcpy(p, digits, n);
    p += n;
    std::memset(p, '0', decpt - n);
    return p + (decpt - n);
  }
  *p++ = digits[0];
  if (n > 1) {
    *p++ = '.';
    std::memcpy(p, digits + 1, n - 1);
    p += n - 1;
  }
  *p++ = 'e';
  if (exp < 0) *p++ = '-';
  return PutUnsigned(p, static_cast<uint64_t>(exp < 0 ? -exp : exp));
}

char* PutFloating(char* p, char* limit, double v, bool is_float, uint8_t decimals) {
  if (decimals >= kNotFixedDecimals) return PutShortestFloating(p, v, is_float);
  if (!std::isfinite(v)) v = 0;
  return std::to_chars(p, limit, v, std::chars_format::fixed, decimals).ptr;
}

// ".fff" with the first `decimals` of the 6 microsecond digits; decimals > 6
// (not fixed): all 6 when micro != 0.
char* PutFraction(char* p, uint32_t micro, uint8_t decimals) {
  int digits = decimals;
  if (decimals > 6) digits = micro != 0 ? 6 : 0;
  if (digits == 0) return p;
  char six[8];
  PutUnsigned(six, micro, 6);
  *p++ = '.';
  std::memcpy(p, six, digits);
  return p + digits;
}

char* PutClock(char* p, uint64_t hours, const Temporal& t, uint8_t decimals) {
  p = PutUnsigned(p, hours, 2);
  *p++ = ':';
  p = PutUnsigned(p, t.minute, 2);
  *p++ = ':';
  p = PutUnsigned(p, t.second, 2);
  return PutFraction(p, t.microsecond, decimals);
}

// ZEROFILL: left-pad [begin, p) with '0' to width (the buffer holds kMaxCellText).
char* ZeroFill(char* begin, char* p, uint32_t width) {
  const size_t len = p - begin;
  if (width <= len || width > kMaxCellText) return p;
  std::memmove(begin + (width - len), begin, len);
  std::memset(begin, '0', width - len);
  return begin + width;
}

// The text of a non-NULL cell: a view into buf (numbers, temporals) or into
// the row payload (lenenc types).
Result<std::string_view> CellText(const BinaryCell& c, char (&buf)[kMaxCellText]) {
  const ColumnType& col = c.column;
  char* p = buf;
  switch (BinaryLayoutOf(col.type)) {
    case BinaryLayout::kLenenc:
      return c.AsString();
    case BinaryLayout::kDate: {
      Result<Temporal> t = c.AsTemporal();
      if (!t.ok()) return t.status();
      p = PutUnsigned(p, t->year, 4);
      *p++ = '-';
      p = PutUnsigned(p, t->month, 2);
      *p++ = '-';
      p = PutUnsigned(p, t->day, 2);
      if (col.type == kTypeDateTime || col.type == kTypeTimestamp) {
        *p++ = ' ';
        p = PutClock(p, t->hour, *t, col.decimals);
      }
      break;
    }
    case BinaryLayout::kTime: {
      Result<Temporal> t = c.AsTemporal();
      if (!t.ok()) return t.status();
      if (t->negative) *p++ = '-';
      p = PutClock(p, uint64_t{t->days} * 24 + t->hour, *t, col.decimals);
      break;
    }
    case BinaryLayout::kNone:
    case BinaryLayout::kInvalid:
      return WrongKind("AppendCellText", col.type);
    default:  // fixed-width numbers
      if (col.type == kTypeFloat || col.type == kTypeDouble) {
        p = PutFloating(p, buf + sizeof(buf), *c.AsDouble(), col.type == kTypeFloat, col.decimals);
      } else if (col.is_unsigned()) {
        p = PutUnsigned(p, LoadLe(c.raw));
      } else {
        p = std::to_chars(p, buf + sizeof(buf), *c.AsInt64()).ptr;
      }
      if (col.flags & kFlagZerofill) p = ZeroFill(buf, p, col.column_length);
      break;
  }
  return std::string_view(buf, p - buf);
}

// ---- Binary encoding.

bool FitsInteger(const BinaryValue& v, const ColumnType& col, size_t bytes, uint64_t* bits) {
  const unsigned shift = 8 * static_cast<unsigned>(bytes) - 1;
  const uint64_t umax = bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (shift + 1)) - 1;
  const int64_t smax = static_cast<int64_t>((uint64_t{1} << shift) - 1);
  const int64_t smin = -smax - 1;
  if (const int64_t* i = std::get_if<int64_t>(&v)) {
    *bits = static_cast<uint64_t>(*i);
    return col.is_unsigned() ? *i >= 0 && static_cast<uint64_t>(*i) <= umax
                             : *i >= smin && *i <= smax;
  }
  if (const uint64_t* u = std::get_if<uint64_t>(&v)) {
    *bits = *u;
    return *u <= (col.is_unsigned() ? umax : static_cast<uint64_t>(smax));
  }
  return false;
}

// Writes t with the shortest length that holds it, as MariaDB does.
void WriteTemporal(WireWriter& w, const Temporal& t, bool is_time) {
  if (is_time) {
    const uint8_t len = t.microsecond != 0                                     ? 12
                        : (t.days | t.hour | t.minute | t.second | t.negative) ? 8
                                                                               : 0;
    w.WriteU8(len);
    if (len == 0) return;
    w.WriteU8(t.negative ? 1 : 0);
    w.WriteU32(t.days);
  } else {
    const uint8_t len = t.microsecond != 0                    ? 11
                        : (t.hour | t.minute | t.second) != 0 ? 7
                        : (t.year | t.month | t.day) != 0     ? 4
                                                              : 0;
    w.WriteU8(len);
    if (len == 0) return;
    w.WriteU16(t.year);
    w.WriteU8(t.month);
    w.WriteU8(t.day);
    if (len == 4) return;
  }
  w.WriteU8(t.hour);
  w.WriteU8(t.minute);
  w.WriteU8(t.second);
  if (t.microsecond != 0) w.WriteU32(t.microsecond);
}

// Appends one non-NULL value; false if it does not fit the column.
bool WriteBinaryValue(WireWriter& w, const ColumnType& col, const BinaryValue& v) {
  const BinaryLayout layout = BinaryLayoutOf(col.type);
  if (col.type == kTypeFloat || col.type == kTypeDouble) {
    const double* d = std::get_if<double>(&v);
    if (d == nullptr) return false;
    if (col.type == kTypeFloat) {
      w.WriteU32(std::bit_cast<uint32_t>(static_cast<float>(*d)));
    } else {
      w.WriteU64(std::bit_cast<uint64_t>(*d));
    }
    return true;
  }
  switch (layout) {
    case BinaryLayout::kFixed1:
    case BinaryLayout::kFixed2:
    case BinaryLayout::kFixed4:
    case BinaryLayout::kFixed8: {
      const size_t bytes = size_t{1}
                           << (static_cast<int>(layout) - static_cast<int>(BinaryLayout::kFixed1));
      uint64_t bits = 0;
      if (!FitsInteger(v, col, col.type == kTypeInt24 ? 3 : bytes, &bits)) return false;
      for (size_t i = 0; i < bytes; ++i) w.WriteU8(static_cast<uint8_t>(bits >> (8 * i)));
      return true;
    }
    case BinaryLayout::kDate:
    case BinaryLayout::kTime: {
      const Temporal* t = std::get_if<Temporal>(&v);
      if (t == nullptr || t->microsecond > 999999) return false;
      WriteTemporal(w, *t, layout == BinaryLayout::kTime);
      return true;
    }
    case BinaryLayout::kLenenc: {
      const std::string_view* s = std::get_if<std::string_view>(&v);
      if (s == nullptr) return false;
      w.WriteLenencString(*s);
      return true;
    }
    case BinaryLayout::kNone:
    case BinaryLayout::kInvalid:
      return false;
  }
  return false;
}

// Header and a zeroed bitmap; returns where the bitmap starts.
size_t WriteBinaryRowHeader(std::string* out, size_t num_columns) {
  out->push_back('\0');
  const size_t bitmap_at = out->size();
  out->append(BinaryNullBitmapSize(num_columns), '\0');
  return bitmap_at;
}

void SetNullBit(std::string* out, size_t bitmap_at, size_t i) {
  (*out)[bitmap_at + (i + 2) / 8] |= static_cast<char>(1 << ((i + 2) % 8));
}

}  // namespace

// ---------------------------------------------------------------------------

BinaryLayout BinaryLayoutOf(uint8_t type) {
  switch (type) {
    case kTypeNull:
      return BinaryLayout::kNone;
    case kTypeTiny:
      return BinaryLayout::kFixed1;
    case kTypeShort:
    case kTypeYear:
      return BinaryLayout::kFixed2;
    case kTypeLong:
    case kTypeInt24:
    case kTypeFloat:
      return BinaryLayout::kFixed4;
    case kTypeLongLong:
    case kTypeDouble:
      return BinaryLayout::kFixed8;
    case kTypeDate:
    case kTypeNewDate:
    case kTypeDateTime:
    case kTypeTimestamp:
      return BinaryLayout::kDate;
    case kTypeTime:
      return BinaryLayout::kTime;
    case kTypeDecimal:
    case kTypeNewDecimal:
    case kTypeVarchar:
    case kTypeBit:
    case kTypeJson:
    case kTypeEnum:
    case kTypeSet:
    case kTypeTinyBlob:
    case kTypeMediumBlob:
    case kTypeLongBlob:
    case kTypeBlob:
    case kTypeVarString:
    case kTypeString:
    case kTypeGeometry:
      return BinaryLayout::kLenenc;
    default:  // TIMESTAMP2 / DATETIME2 / TIME2 (17..19) never reach the wire
      return BinaryLayout::kInvalid;
  }
}

bool ReadBinaryValue(WireReader& r, std::string_view payload, uint8_t type, std::string_view* raw) {
  const size_t start = r.position();
  const BinaryLayout layout = BinaryLayoutOf(type);
  switch (layout) {
    case BinaryLayout::kFixed1:
    case BinaryLayout::kFixed2:
    case BinaryLayout::kFixed4:
    case BinaryLayout::kFixed8:
      r.Skip(size_t{1} << (static_cast<int>(layout) - static_cast<int>(BinaryLayout::kFixed1)));
      break;
    case BinaryLayout::kDate:
    case BinaryLayout::kTime: {
      const uint8_t len = r.ReadU8();
      const bool ok = layout == BinaryLayout::kDate
                          ? (len == 0 || len == 4 || len == 7 || len == 11)
                          : (len == 0 || len == 8 || len == 12);
      if (!ok) return false;
      r.Skip(len);
      break;
    }
    case BinaryLayout::kLenenc:
      r.ReadLenencString();
      break;
    case BinaryLayout::kNone:
    case BinaryLayout::kInvalid:
      return false;
  }
  if (!r.ok()) return false;
  *raw = payload.substr(start, r.position() - start);
  return true;
}

// ---- TextRowView.

void TextRowView::Iterator::Load() {
  if (left_ == 0) return;
  WireReader r(rest_);
  ReadTextCell(r, &cell_);  // validated by Parse
  cell_size_ = r.position();
}

TextRowView::Iterator& TextRowView::Iterator::operator++() {
  rest_.remove_prefix(cell_size_);
  --left_;
  Load();
  return *this;
}

Result<TextRowView> TextRowView::Parse(std::string_view payload, size_t num_columns) {
  SP_RETURN_IF_ERROR(WalkTextRow(payload, num_columns, [](size_t, const TextCell&) {}));
  return TextRowView(payload, num_columns);
}

Status DecodeTextRow(std::string_view payload, std::span<TextCell> cells) {
  return WalkTextRow(payload, cells.size(),
                     [cells](size_t i, const TextCell& cell) { cells[i] = cell; });
}

void AppendTextRow(std::span<const TextCell> cells, std::string* out) {
  size_t size = 0;
  for (const TextCell& c : cells) size += c ? LenencIntSize(c->size()) + c->size() : 1;
  out->reserve(out->size() + size);
  WireWriter w(*out);
  for (const TextCell& c : cells) {
    if (c) {
      w.WriteLenencString(*c);
    } else {
      w.WriteU8(kTextNull);
    }
  }
}

// ---- BinaryCell accessors.

Result<int64_t> BinaryCell::AsInt64() const {
  if (is_null || !IsIntegerType(column.type)) return WrongKind("AsInt64", column.type);
  const uint64_t bits = LoadLe(raw);
  if (column.is_unsigned()) {
    if (bits > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return OutOfRange("BIGINT");
    }
    return static_cast<int64_t>(bits);
  }
  const unsigned unused = 64 - 8 * static_cast<unsigned>(raw.size());
  return static_cast<int64_t>(bits << unused) >> unused;  // sign-extend
}

Result<uint64_t> BinaryCell::AsUint64() const {
  if (column.is_unsigned()) {
    if (is_null || !IsIntegerType(column.type)) return WrongKind("AsUint64", column.type);
    return LoadLe(raw);
  }
  Result<int64_t> v = AsInt64();
  if (!v.ok()) return v.status();
  if (*v < 0) return OutOfRange("BIGINT UNSIGNED");
  return static_cast<uint64_t>(*v);
}

Result<double> BinaryCell::AsDouble() const {
  if (is_null) return WrongKind("AsDouble", column.type);
  if (column.type == kTypeFloat)
    return double{std::bit_cast<float>(static_cast<uint32_t>(LoadLe(raw)))};
  if (column.type == kTypeDouble) return std::bit_cast<double>(LoadLe(raw));
  return WrongKind("AsDouble", column.type);
}

Result<Temporal> BinaryCell::AsTemporal() const {
  const BinaryLayout layout = BinaryLayoutOf(column.type);
  if (is_null || (layout != BinaryLayout::kDate && layout != BinaryLayout::kTime)) {
    return WrongKind("AsTemporal", column.type);
  }
  WireReader r(raw);
  const uint8_t len = r.ReadU8();
  Temporal t;
  if (layout == BinaryLayout::kTime) {
    if (len >= 8) {
      t.negative = r.ReadU8() != 0;
      t.days = r.ReadU32();
    }
  } else if (len >= 4) {
    t.year = r.ReadU16();
    t.month = r.ReadU8();
    t.day = r.ReadU8();
  }
  if (len >= 7) {
    t.hour = r.ReadU8();
    t.minute = r.ReadU8();
    t.second = r.ReadU8();
  }
  if (len >= 11) t.microsecond = r.ReadU32();
  if (!r.ok() || !r.empty()) return Malformed("temporal value");  // a hand-built cell
  if (t.microsecond > 999999) return Malformed("temporal microseconds > 999999");
  return t;
}

Result<std::string_view> BinaryCell::AsString() const {
  if (is_null || BinaryLayoutOf(column.type) != BinaryLayout::kLenenc) {
    return WrongKind("AsString", column.type);
  }
  WireReader r(raw);
  std::string_view s = r.ReadLenencString();
  if (!r.ok() || !r.empty()) return Malformed("lenenc value");
  return s;
}

// ---- BinaryRowView.

BinaryRowView::Iterator::Iterator(const BinaryRowView* row, size_t index, size_t offset)
    : row_(row), index_(index), offset_(offset) {
  Load();
}

void BinaryRowView::Iterator::Load() {
  if (index_ >= row_->columns_.size()) return;
  cell_.column = row_->columns_[index_];
  cell_.is_null = IsNullBit(row_->payload_, index_);
  cell_.raw = {};
  if (cell_.is_null) return;
  WireReader r(row_->payload_);
  r.Skip(offset_);
  ReadBinaryValue(r, row_->payload_, cell_.column.type, &cell_.raw);  // validated by Parse
}

BinaryRowView::Iterator& BinaryRowView::Iterator::operator++() {
  offset_ += cell_.raw.size();
  ++index_;
  Load();
  return *this;
}

Result<BinaryRowView> BinaryRowView::Parse(std::string_view payload,
                                           std::span<const ColumnType> columns) {
  SP_RETURN_IF_ERROR(WalkBinaryRow(payload, columns, [](size_t, const BinaryCell&) {}));
  return BinaryRowView(payload, columns);
}

bool BinaryRowView::IsNull(size_t i) const { return IsNullBit(payload_, i); }

BinaryRowView::Iterator BinaryRowView::begin() const {
  return Iterator(this, 0, 1 + BinaryNullBitmapSize(columns_.size()));
}

Status DecodeBinaryRow(std::string_view payload, std::span<const ColumnType> columns,
                       std::span<BinaryCell> cells) {
  if (cells.size() != columns.size()) return Status::Bug("DecodeBinaryRow: cells != columns");
  return WalkBinaryRow(payload, columns,
                       [cells](size_t i, const BinaryCell& cell) { cells[i] = cell; });
}

// ---- Encoders.

Status AppendBinaryRow(std::span<const ColumnType> columns, std::span<const BinaryValue> values,
                       std::string* out) {
  if (values.size() != columns.size()) return Status::Bug("AppendBinaryRow: values != columns");
  const size_t start = out->size();
  const size_t bitmap_at = WriteBinaryRowHeader(out, columns.size());
  WireWriter w(*out);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (std::holds_alternative<std::monostate>(values[i])) {
      SetNullBit(out, bitmap_at, i);
    } else if (!WriteBinaryValue(w, columns[i], values[i])) {
      out->resize(start);
      return Status::Bug("AppendBinaryRow: column " + std::to_string(i) + " (type " +
                         std::to_string(columns[i].type) + ") cannot hold its value");
    }
  }
  return Status::Ok();
}

void AppendBinaryRow(std::span<const BinaryCell> cells, std::string* out) {
  const size_t bitmap_at = WriteBinaryRowHeader(out, cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].is_null) {
      SetNullBit(out, bitmap_at, i);
    } else {
      out->append(cells[i].raw);
    }
  }
}

Status AppendCellText(const BinaryCell& cell, std::string* out) {
  if (cell.is_null) return Status::Bug("AppendCellText of a NULL cell");
  char buf[kMaxCellText];
  Result<std::string_view> text = CellText(cell, buf);
  if (!text.ok()) return text.status();
  out->append(*text);
  return Status::Ok();
}

Status AppendTextRowFromBinary(std::span<const BinaryCell> cells, std::string* out) {
  const size_t start = out->size();
  WireWriter w(*out);
  for (const BinaryCell& cell : cells) {
    if (cell.is_null) {
      w.WriteU8(kTextNull);
      continue;
    }
    char buf[kMaxCellText];
    Result<std::string_view> text = CellText(cell, buf);
    if (!text.ok()) {
      out->resize(start);
      return text.status();
    }
    w.WriteLenencString(*text);
  }
  return Status::Ok();
}

}  // namespace shardproxy::protocol
