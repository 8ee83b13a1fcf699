#include "router/merge/sort_key.h"

#include <bit>
#include <cstring>
#include <nlohmann/json.hpp>

#include "router/merge/decimal.h"
#include "router/vpart/collation.h"

namespace shardproxy::router::merge {

namespace {

// The collations a result column may name by number (the server's ids).
std::string_view CollationNameById(uint16_t id) {
  switch (id) {
    case 8:
      return "latin1_swedish_ci";
    case 33:
      return "utf8mb3_general_ci";
    case 45:
      return "utf8mb4_general_ci";
    case 46:
      return "utf8mb4_bin";
    case 47:
      return "latin1_bin";
    case 63:
      return "binary";
    case 83:
      return "utf8mb3_bin";
    case 192:
      return "utf8mb3_unicode_ci";
    case 224:
      return "utf8mb4_unicode_ci";
    default:
      return "";
  }
}

bool IsBinaryCollation(std::string_view name) {
  return name.size() == 6 && (name == "binary" || name == "BINARY");
}

void PutBe32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
void PutBe64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

Status BadValue(ValueClass c, std::string_view v) {
  std::string shown(v.substr(0, 64));
  return MergeError(kMergeBadValue,
                    std::string("merge: '") + shown + "' is not a " + ValueClassName(c) + " value");
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An exact number ("-0012.500", "42", "+7", ".5"): see the header.
bool AppendExactNumber(std::string_view v, std::string* out) {
  size_t i = 0;
  bool negative = false;
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) negative = v[i++] == '-';
  size_t int_begin = i;
  while (i < v.size() && IsDigit(v[i])) ++i;
  size_t int_end = i;
  size_t frac_begin = i, frac_end = i;
  if (i < v.size() && v[i] == '.') {
    frac_begin = ++i;
    while (i < v.size() && IsDigit(v[i])) ++i;
    frac_end = i;
  }
  if (i != v.size() || (int_end == int_begin && frac_end == frac_begin)) return false;
  // Significant digits: from the first non-zero to the last non-zero.
  size_t first = int_begin;
  while (first < int_end && v[first] == '0') ++first;
  int32_t exponent;
  std::string_view int_digits = v.substr(first, int_end - first);
  std::string_view frac_digits = v.substr(frac_begin, frac_end - frac_begin);
  if (!int_digits.empty()) {
    exponent = static_cast<int32_t>(int_digits.size());
  } else {
    size_t z = 0;
    while (z < frac_digits.size() && frac_digits[z] == '0') ++z;
    if (z == frac_digits.size()) {  // zero, also "-0.00"
      out->push_back(1);
      return true;
    }
    exponent = -static_cast<int32_t>(z);
    frac_digits.remove_prefix(z);
  }
  while (!frac_digits.empty() && frac_digits.back() == '0') frac_digits.remove_suffix(1);
  if (frac_digits.empty()) {
    while (!int_digits.empty() && int_digits.back() == '0') int_digits.remove_suffix(1);
  }
  size_t start = out->size();
  out->push_back(2);
  PutBe32(static_cast<uint32_t>(exponent) ^ 0x80000000u, out);
  for (char d : int_digits) out->push_back(static_cast<char>(d - '0' + 1));
  for (char d : frac_digits) out->push_back(static_cast<char>(d - '0' + 1));
  out->push_back(0);
  if (negative) {
    (*out)[start] = 0;
    for (size_t k = start + 1; k < out->size(); ++k) (*out)[k] = static_cast<char>(~(*out)[k]);
  }
  return true;
}

bool AppendReal(std::string_view v, std::string* out) {
  double d = 0;
  if (!ParseDouble(v, &d)) return false;
  if (d == 0) d = 0;  // -0 = 0
  uint64_t bits = std::bit_cast<uint64_t>(d);
  bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits ^ (uint64_t{1} << 63);
  PutBe64(bits, out);
  return true;
}

// Reads exactly n digits at v[*i].
bool ReadDigits(std::string_view v, size_t* i, size_t n, uint64_t* value) {
  if (*i + n > v.size()) return false;
  uint64_t x = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = v[*i + k];
    if (!IsDigit(c)) return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
  }
  *i += n;
  *value = x;
  return true;
}

bool Expect(std::string_view v, size_t* i, char c) {
  if (*i >= v.size() || v[*i] != c) return false;
  ++*i;
  return true;
}

// ".ffffff" (1..6 digits, or none) at v[*i] as microseconds; the end of v must follow.
bool ReadFraction(std::string_view v, size_t* i, uint64_t* micros) {
  *micros = 0;
  if (*i == v.size()) return true;
  if (!Expect(v, i, '.')) return false;
  size_t n = v.size() - *i;
  if (n == 0 || n > 6) return false;
  uint64_t f = 0;
  if (!ReadDigits(v, i, n, &f)) return false;
  for (size_t k = n; k < 6; ++k) f *= 10;
  *micros = f;
  return true;
}

// "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss[.ffffff]" (zero dates included).
bool AppendDateTime(std::string_view v, std::string* out) {
  size_t i = 0;
  uint64_t y, mo, d, h = 0, mi = 0, s = 0, us = 0;
  if (!ReadDigits(v, &i, 4, &y) || !Expect(v, &i, '-') || !ReadDigits(v, &i, 2, &mo) ||
      !Expect(v, &i, '-') || !ReadDigits(v, &i, 2, &d)) {
    return false;
  }
  if (i < v.size()) {
    if (!Expect(v, &i, ' ') || !ReadDigits(v, &i, 2, &h) || !Expect(v, &i, ':') ||
        !ReadDigits(v, &i, 2, &mi) || !Expect(v, &i, ':') || !ReadDigits(v, &i, 2, &s) ||
        !ReadFraction(v, &i, &us)) {
      return false;
    }
  }
  if (mo > 12 || d > 31 || h > 23 || mi > 59 || s > 59) return false;
  PutBe64((((((y * 13 + mo) * 32 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000000 + us, out);
  return true;
}

// "[-]h..h:mm:ss[.ffffff]".
bool AppendTime(std::string_view v, std::string* out) {
  size_t i = 0;
  bool negative = Expect(v, &i, '-');
  size_t h_begin = i;
  while (i < v.size() && IsDigit(v[i])) ++i;
  size_t h_digits = i - h_begin;
  if (h_digits == 0 || h_digits > 7) return false;
  i = h_begin;
  uint64_t h, mi, s, us;
  if (!ReadDigits(v, &i, h_digits, &h) || !Expect(v, &i, ':') || !ReadDigits(v, &i, 2, &mi) ||
      !Expect(v, &i, ':') || !ReadDigits(v, &i, 2, &s) || !ReadFraction(v, &i, &us) || mi > 59 ||
      s > 59) {
    return false;
  }
  int64_t micros = static_cast<int64_t>(((h * 60 + mi) * 60 + s) * 1000000 + us);
  if (negative) micros = -micros;
  PutBe64(static_cast<uint64_t>(micros) ^ (uint64_t{1} << 63), out);
  return true;
}

void AppendEscapedBytes(std::string_view v, std::string* out) {
  for (char c : v) {
    out->push_back(c);
    if (c == 0) out->push_back(static_cast<char>(0xFF));
  }
  out->push_back(0);
  out->push_back(0);
}

// The segment header of a non-space weight after k spaces (see the header).
void AppendSegmentHeader(bool below_space, uint32_t k, std::string* out) {
  if (below_space) {
    if (k < 0x3F) {
      out->push_back(static_cast<char>(k));
    } else {
      out->push_back(0x3F);
      PutBe32(k, out);
    }
  } else if (k < 0x3F) {
    out->push_back(static_cast<char>(0xFF - k));
  } else {
    out->push_back(static_cast<char>(0xC0));
    PutBe32(~k, out);
  }
}

void AppendPadSpaceWeights(std::string_view weights, std::string_view space, std::string* out) {
  size_t unit = space.size();
  uint32_t spaces = 0;
  for (size_t p = 0; p + unit <= weights.size(); p += unit) {
    std::string_view w = weights.substr(p, unit);
    int c = w.compare(space);
    if (c == 0) {
      ++spaces;
      continue;
    }
    AppendSegmentHeader(c < 0, spaces, out);
    out->append(w);
    spaces = 0;
  }
  out->push_back(static_cast<char>(0x80));
}

}  // namespace

const char* ValueClassName(ValueClass c) {
  switch (c) {
    case ValueClass::kExactNumber:
      return "number";
    case ValueClass::kReal:
      return "floating-point";
    case ValueClass::kCollated:
      return "string";
    case ValueClass::kBytes:
      return "binary";
    case ValueClass::kDateTime:
      return "date/datetime";
    case ValueClass::kTime:
      return "time";
    case ValueClass::kNull:
      return "NULL";
  }
  return "?";
}

nlohmann::json SortKey::ToJson() const {
  return {{"column", column}, {"order", descending ? "desc" : "asc"}};
}

Result<ValueEncoder> ValueEncoder::Make(const ColumnType& type) {
  namespace t = mysql_type;
  ValueEncoder e;
  switch (type.mysql_type) {
    case t::kTiny:
    case t::kShort:
    case t::kLong:
    case t::kInt24:
    case t::kLongLong:
    case t::kYear:
    case t::kDecimal:
    case t::kNewDecimal:
      e.class_ = ValueClass::kExactNumber;
      return e;
    case t::kFloat:
    case t::kDouble:
      e.class_ = ValueClass::kReal;
      return e;
    case t::kNull:
      e.class_ = ValueClass::kNull;
      return e;
    case t::kTimestamp:
    case t::kDate:
    case t::kNewDate:
    case t::kDateTime:
      e.class_ = ValueClass::kDateTime;
      return e;
    case t::kTime:
      e.class_ = ValueClass::kTime;
      return e;
    case t::kBit:
      e.class_ = ValueClass::kBytes;
      return e;
    case t::kEnum:
    case t::kSet:
    case t::kGeometry:
      return MergeError(
          kMergeUnsupported,
          "merge: cannot order or compare ENUM, SET or GEOMETRY columns across groups "
          "(type " +
              std::to_string(type.mysql_type) + ")");
    default:
      break;
  }
  if (type.enum_or_set) {
    return MergeError(kMergeUnsupported,
                      "merge: cannot order or compare ENUM or SET columns across groups (MariaDB "
                      "orders them by index); CAST the column to CHAR to order by its text");
  }
  std::string_view name = type.collation;
  if (name.empty()) name = CollationNameById(type.collation_id);
  if (IsBinaryCollation(name)) {
    e.class_ = ValueClass::kBytes;
    return e;
  }
  e.collation_ = vpart::FindCollation(name);
  if (e.collation_ == nullptr) {
    return MergeError(
        kMergeUnsupported,
        "merge: cannot order strings of collation '" +
            (name.empty() ? "#" + std::to_string(type.collation_id) : std::string(name)) +
            "' across groups; supported: " + std::string(vpart::SupportedCollationNames()) +
            ", binary");
  }
  vpart::Charset cs = e.collation_->charset;
  if (!type.charset.empty()) {
    std::optional<vpart::Charset> named = vpart::CharsetByName(type.charset);
    if (!named || *named == vpart::Charset::kBinary) {
      return MergeError(kMergeUnsupported, "merge: cannot read result strings in character set '" +
                                               type.charset + "'");
    }
    cs = *named;
  }
  e.class_ = ValueClass::kCollated;
  e.bytes_charset_ = static_cast<uint8_t>(cs);
  vpart::AppendWeights(*e.collation_, U" ", &e.space_weight_);
  return e;
}

Status ValueEncoder::Append(Cell c, bool descending, std::string* out) const {
  size_t start = out->size();
  if (c.is_null()) {
    out->push_back(0);
  } else {
    out->push_back(1);
    std::string_view v = c.value();
    bool ok = true;
    switch (class_) {
      case ValueClass::kExactNumber:
        ok = AppendExactNumber(v, out);
        break;
      case ValueClass::kReal:
        ok = AppendReal(v, out);
        break;
      case ValueClass::kDateTime:
        ok = AppendDateTime(v, out);
        break;
      case ValueClass::kTime:
        ok = AppendTime(v, out);
        break;
      case ValueClass::kBytes:
        AppendEscapedBytes(v, out);
        break;
      case ValueClass::kNull:
        ok = false;
        break;
      case ValueClass::kCollated: {
        auto cs = static_cast<vpart::Charset>(bytes_charset_);
        ok = vpart::DecodeToCodePoints(cs, v, &scratch_cps_);
        for (size_t k = 0; ok && k < scratch_cps_.size(); ++k) {
          ok = vpart::Representable(collation_->charset, scratch_cps_[k]);
        }
        if (!ok) break;
        scratch_weights_.clear();
        vpart::AppendWeights(*collation_, scratch_cps_, &scratch_weights_);
        AppendPadSpaceWeights(scratch_weights_, space_weight_, out);
        break;
      }
    }
    if (!ok) {
      out->resize(start);
      return BadValue(class_, v);
    }
  }
  if (descending) {
    for (size_t k = start; k < out->size(); ++k) (*out)[k] = static_cast<char>(~(*out)[k]);
  }
  return Status::Ok();
}

Result<KeyEncoder> KeyEncoder::Make(std::vector<SortKey> keys,
                                    const std::vector<ColumnType>& columns) {
  KeyEncoder k;
  for (const SortKey& key : keys) {
    if (key.column >= columns.size()) {
      return Status::Bug("merge: sort key column " + std::to_string(key.column) + " of " +
                         std::to_string(columns.size()));
    }
    Result<ValueEncoder> e = ValueEncoder::Make(columns[key.column]);
    if (!e.ok()) return e.status();
    k.encoders_.push_back(std::move(*e));
  }
  k.keys_ = std::move(keys);
  return k;
}

Status KeyEncoder::Encode(Row row, std::string* out) const {
  out->clear();
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].column >= row.size()) {
      return Status::Bug("merge: a row of " + std::to_string(row.size()) + " columns");
    }
    SP_RETURN_IF_ERROR(encoders_[i].Append(row[keys_[i].column], keys_[i].descending, out));
  }
  return Status::Ok();
}

Result<int> CompareValues(const ColumnType& type, Cell a, Cell b) {
  Result<ValueEncoder> e = ValueEncoder::Make(type);
  if (!e.ok()) return e.status();
  std::string ka, kb;
  SP_RETURN_IF_ERROR(e->Append(a, false, &ka));
  SP_RETURN_IF_ERROR(e->Append(b, false, &kb));
  int c = ka.compare(kb);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace shardproxy::router::merge
