// CanonicalKeyBytes and VpartOf. The rules implemented here are specified, with
// the MariaDB behaviour behind each, in docs/SHARDING.md ("Canonical bytes");
// keep the two in step.
#include "router/vpart/vpart.h"

#include <xxhash.h>

#include <optional>
#include <string>

#include "router/vpart/collation.h"

namespace shardproxy::router {
namespace {

using parser::LiteralKind;
using Verdict = KeyVerdict;

std::string ColumnLabel(const KeyColumn& col) {
  return col.name.empty() ? std::string("the shard key") : "'" + col.name + "'";
}

// A short, printable rendering of a value for messages.
std::string Shown(const KeyValue& v) {
  std::string s;
  if (v.negative) s += "-";
  bool quote = v.kind == LiteralKind::kString;
  if (quote) s += "'";
  for (size_t i = 0; i < v.text.size() && i < 64; ++i) {
    auto c = static_cast<unsigned char>(v.text[i]);
    s += (c >= 0x20 && c != 0x7F) ? static_cast<char>(c) : '?';
  }
  if (v.text.size() > 64) s += "...";
  if (quote) s += "'";
  return s;
}

// Builds the answers. For kCompare a "refusal" is a verdict; for kStore it is
// an error with the given code.
struct Answer {
  const KeyColumn& col;
  const KeyValue& v;
  KeyPurpose purpose;

  Result<CanonicalKey> Bytes(std::string bytes) const {
    CanonicalKey k;
    k.verdict = Verdict::kOneVpart;
    k.bytes = std::move(bytes);
    return k;
  }
  // kCompare: `verdict`; kStore: an error (code, sqlstate, message).
  Result<CanonicalKey> No(Verdict verdict, std::string_view why, uint16_t code,
                          std::string_view sqlstate, std::string message) const {
    if (purpose == KeyPurpose::kStore) return Status::Error(code, sqlstate, std::move(message));
    CanonicalKey k;
    k.verdict = verdict;
    k.reason = std::string(why);
    return k;
  }
  // A form the proxy does not route: all groups / 1235.
  Result<CanonicalKey> Unrouted(std::string_view why) const {
    return No(Verdict::kAllGroups, why, 1235, "42000",
              "This version of shardproxy doesn't yet support '" + Shown(v) +
                  " as the value of shard key " + ColumnLabel(col) + " (" + col.ToString() +
                  ")': " + std::string(why));
  }
  Result<CanonicalKey> OutOfRange(Verdict verdict, std::string_view why) const {
    return No(verdict, why, 1264, "22003",
              "Out of range value for column " + ColumnLabel(col) + ": " + Shown(v) + " (" +
                  col.ToString() + ", shard key)");
  }
  Result<CanonicalKey> Incorrect(Verdict verdict, std::string_view what,
                                 std::string_view why) const {
    return No(verdict, why, 1366, "HY000",
              "Incorrect " + std::string(what) + " value: " + Shown(v) + " for column " +
                  ColumnLabel(col) + " (shard key): " + std::string(why));
  }
};

// ---------------------------------------------------------------------------
// Exact decimal numbers.

struct Exact {
  bool negative = false;
  std::string int_digits;   // no leading zeros ("" for 0)
  std::string frac_digits;  // no trailing zeros

  bool IsZero() const { return int_digits.empty() && frac_digits.empty(); }
  bool IsInteger() const { return frac_digits.empty(); }
  // Minimal text: [-]int[.frac], "0" for zero (never "-0").
  std::string Text() const {
    std::string s;
    if (negative && !IsZero()) s += '-';
    s += int_digits.empty() ? "0" : int_digits;
    if (!frac_digits.empty()) s += "." + frac_digits;
    return s;
  }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr size_t kMaxDigits = 200;     // longer numbers are not routed
constexpr int64_t kMaxExponent = 200;  // nor are larger exponents

enum class NumParse { kOk, kBad, kTooBig };

// [digits][.digits][(e|E)[+|-]digits], at least one mantissa digit; no sign or
// blanks. Exponent only when allowed.
NumParse ParseUnsignedNumber(std::string_view s, bool allow_exponent, Exact* out) {
  std::string mant;
  size_t i = 0, int_len = 0;
  while (i < s.size() && IsDigit(s[i])) mant += s[i++];
  int_len = mant.size();
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) mant += s[i++];
  }
  if (mant.empty()) return NumParse::kBad;
  if (mant.size() > kMaxDigits) return NumParse::kTooBig;
  int64_t exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (!allow_exponent) return NumParse::kBad;
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i >= s.size() || !IsDigit(s[i])) return NumParse::kBad;
    while (i < s.size() && IsDigit(s[i])) {
      exp = exp * 10 + (s[i++] - '0');
      if (exp > kMaxExponent) return NumParse::kTooBig;
    }
    if (neg) exp = -exp;
  }
  if (i != s.size()) return NumParse::kBad;
  // value = mant[0:point] . mant[point:], point = int_len + exp
  int64_t point = static_cast<int64_t>(int_len) + exp;
  std::string ip, fp;
  if (point <= 0) {
    fp = std::string(static_cast<size_t>(-point), '0') + mant;
  } else if (static_cast<size_t>(point) >= mant.size()) {
    ip = mant + std::string(static_cast<size_t>(point) - mant.size(), '0');
  } else {
    ip = mant.substr(0, static_cast<size_t>(point));
    fp = mant.substr(static_cast<size_t>(point));
  }
  size_t lz = ip.find_first_not_of('0');
  ip = lz == std::string::npos ? "" : ip.substr(lz);
  size_t tz = fp.find_last_not_of('0');
  fp = tz == std::string::npos ? "" : fp.substr(0, tz + 1);
  out->negative = false;
  out->int_digits = std::move(ip);
  out->frac_digits = std::move(fp);
  return NumParse::kOk;
}

// The blanks MariaDB's string-to-number conversion skips (my_isspace).
bool IsBlank(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// A string compared with / stored into a number: [blanks][+|-]number[blanks].
NumParse ParseNumericString(std::string_view s, Exact* out) {
  size_t b = 0, e = s.size();
  while (b < e && IsBlank(s[b])) ++b;
  while (e > b && IsBlank(s[e - 1])) --e;
  bool neg = false;
  if (b < e && (s[b] == '+' || s[b] == '-')) neg = s[b++] == '-';
  NumParse r = ParseUnsignedNumber(s.substr(b, e - b), /*allow_exponent=*/true, out);
  out->negative = neg;
  return r;
}

// 0x2A / X'2A' / x'2a' -> the hex digits; `prefixed` for the 0x form.
bool HexDigitsOf(std::string_view t, std::string_view* digits, bool* prefixed) {
  if (t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    *digits = t.substr(2);
    *prefixed = true;
  } else if (t.size() >= 3 && (t[0] == 'x' || t[0] == 'X') && t[1] == '\'' && t.back() == '\'') {
    *digits = t.substr(2, t.size() - 3);
    *prefixed = false;
  } else {
    return false;
  }
  for (char c : *digits) {
    if (!IsDigit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) return false;
  }
  return true;
}

int HexVal(char c) { return IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

// The bytes of a hex literal (an odd digit count is left-padded with 0, as MariaDB does).
bool HexBytes(std::string_view text, std::string* out, bool* prefixed) {
  std::string_view d;
  if (!HexDigitsOf(text, &d, prefixed)) return false;
  out->clear();
  size_t i = 0;
  if (d.size() % 2) {
    out->push_back(static_cast<char>(HexVal(d[0])));
    i = 1;
  }
  for (; i < d.size(); i += 2) {  // an even number of digits remains
    out->push_back(static_cast<char>(HexVal(d[i]) * 16 + HexVal(d[i + 1])));
  }
  return true;
}

// b'101' / B'101' / 0b101 -> the binary digits.
bool BitDigitsOf(std::string_view t, std::string_view* digits) {
  if (t.size() >= 2 && t[0] == '0' && t[1] == 'b') {
    *digits = t.substr(2);
  } else if (t.size() >= 3 && (t[0] == 'b' || t[0] == 'B') && t[1] == '\'' && t.back() == '\'') {
    *digits = t.substr(2, t.size() - 3);
  } else {
    return false;
  }
  for (char c : *digits) {
    if (c != '0' && c != '1') return false;
  }
  return true;
}

// Unsigned value of a byte string (big-endian), if it fits in 64 bits.
bool BytesToU64(std::string_view bytes, uint64_t* out) {
  size_t b = 0;
  while (b < bytes.size() && bytes[b] == 0) ++b;
  if (bytes.size() - b > 8) return false;
  uint64_t v = 0;
  for (size_t i = b; i < bytes.size(); ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  *out = v;
  return true;
}

Exact FromU64(uint64_t v) {
  Exact x;
  if (v != 0) x.int_digits = std::to_string(v);
  return x;
}

// |x| < 2^53: every integer of that size is exact in a double.
bool BelowTwoPow53(const Exact& x) {
  static const std::string kTwoPow53 = "9007199254740992";
  const std::string& d = x.int_digits;
  if (d.size() != kTwoPow53.size()) return d.size() < kTwoPow53.size();
  return d < kTwoPow53;
}

bool IntegerInRange(const KeyColumn& col, const Exact& x) {
  if (!x.IsInteger()) return false;
  if (x.int_digits.size() > 20) return false;
  unsigned __int128 mag = 0;
  for (char c : x.int_digits) mag = mag * 10 + static_cast<unsigned>(c - '0');
  const unsigned bits = 8u * (col.int_bytes == 0 ? 8u : col.int_bytes);
  const unsigned __int128 one = 1;
  if (col.is_unsigned) return !x.negative || x.IsZero() ? mag <= (one << bits) - 1 : false;
  return x.negative ? mag <= (one << (bits - 1)) : mag <= (one << (bits - 1)) - 1;
}

// How a non-string literal or a string converts to a number for an INTEGER
// or DECIMAL key. `exact` is false where MariaDB compares as DOUBLE.
struct NumberOf {
  enum Outcome { kOk, kUnrouted, kNotNumber } outcome = kOk;
  Exact x;
  bool exact = true;
  std::string why;  // kUnrouted / kNotNumber
};

// Decimal literals longer than this are DOUBLE in MariaDB.
constexpr size_t kMaxDecimalLiteralDigits = 65;

NumberOf ToNumber(const KeyValue& v, bool hex_and_bits) {
  NumberOf n;
  auto unrouted = [&](std::string why) {
    n.outcome = NumberOf::kUnrouted;
    n.why = std::move(why);
    return n;
  };
  switch (v.kind) {
    case LiteralKind::kInteger:
    case LiteralKind::kDecimal:
    case LiteralKind::kFloat: {
      NumParse r = ParseUnsignedNumber(v.text, v.kind == LiteralKind::kFloat, &n.x);
      if (r == NumParse::kTooBig) return unrouted("a number with more than 200 digits");
      if (r != NumParse::kOk) return unrouted("[BUG] a numeric literal that does not parse");
      if (v.kind == LiteralKind::kFloat) n.exact = false;
      if (v.kind == LiteralKind::kDecimal &&
          n.x.int_digits.size() + n.x.frac_digits.size() > kMaxDecimalLiteralDigits) {
        n.exact = false;  // MariaDB reads it as a DOUBLE
      }
      break;
    }
    case LiteralKind::kHex: {
      std::string bytes;
      bool prefixed = false;
      if (!HexBytes(v.text, &bytes, &prefixed)) return unrouted("[BUG] a malformed hex literal");
      if (!prefixed) {
        return unrouted("X'..' is a string in a numeric comparison: write the number, or 0x..");
      }
      if (!v.charset.empty()) {
        return unrouted("_charset 0x.. is a string in a numeric comparison: write the number");
      }
      if (!hex_and_bits) return unrouted("hex literals are routed for integer keys only");
      uint64_t u;
      if (!BytesToU64(bytes, &u)) return unrouted("a hex literal longer than 8 bytes");
      n.x = FromU64(u);
      break;
    }
    case LiteralKind::kBit: {
      std::string_view d;
      if (!BitDigitsOf(v.text, &d)) return unrouted("[BUG] a malformed bit literal");
      if (!hex_and_bits) return unrouted("bit literals are routed for integer keys only");
      size_t b = d.find('1');
      if (b != std::string_view::npos && d.size() - b > 64) {
        return unrouted("a bit literal longer than 64 bits");
      }
      uint64_t u = 0;
      for (char c : d) u = (u << 1) | static_cast<uint64_t>(c == '1');
      n.x = FromU64(u);
      break;
    }
    case LiteralKind::kString: {
      if (!v.typed.empty())
        return unrouted(std::string(v.typed) + " literal compared with a number");
      if (v.negative) return unrouted("minus a string is a DOUBLE expression");
      NumParse r = ParseNumericString(v.text, &n.x);
      if (r == NumParse::kTooBig) return unrouted("a number with more than 200 digits");
      if (r != NumParse::kOk) {
        n.outcome = NumberOf::kNotNumber;
        n.why =
            "MariaDB converts this string to a number with a warning (e.g. '42abc' is 42, "
            "'abc' is 0)";
        return n;
      }
      return n;  // sign already applied
    }
    case LiteralKind::kPlaceholder:
      return unrouted("[BUG] an unbound placeholder");
  }
  if (v.negative && !n.x.IsZero()) n.x.negative = true;
  return n;
}

// ---------------------------------------------------------------------------
// INTEGER keys.

Result<CanonicalKey> IntegerKey(const Answer& a) {
  const KeyColumn& col = a.col;
  NumberOf n = ToNumber(a.v, /*hex_and_bits=*/true);
  if (n.outcome == NumberOf::kUnrouted) return a.Unrouted(n.why);
  if (n.outcome == NumberOf::kNotNumber) {
    return a.Incorrect(Verdict::kAllGroups, "integer", n.why);
  }
  if (!n.x.IsInteger()) {
    if (!n.exact) {
      return a.Incorrect(Verdict::kAllGroups, "integer",
                         "a FLOAT literal compares as DOUBLE: write the integer");
    }
    return a.Incorrect(Verdict::kNeverEqual, "integer",
                       "not an integer (MariaDB would round it on INSERT): write the integer");
  }
  if (!n.exact && !BelowTwoPow53(n.x)) {
    return a.Unrouted("a FLOAT literal of 2^53 or more compares as DOUBLE: write the integer");
  }
  if (!IntegerInRange(col, n.x)) {
    return a.OutOfRange(n.exact ? Verdict::kNeverEqual : Verdict::kAllGroups,
                        "outside the column's range");
  }
  return a.Bytes(n.x.Text());
}

// ---------------------------------------------------------------------------
// DECIMAL keys.

// Rounds x to `scale` fractional digits, half away from zero (MariaDB's
// decimal_round(HALF_UP) on INSERT).
Exact RoundToScale(const Exact& x, uint32_t scale) {
  if (x.frac_digits.size() <= scale) return x;
  Exact r = x;
  bool up = x.frac_digits[scale] >= '5';
  std::string digits = x.int_digits + x.frac_digits.substr(0, scale);
  if (up) {
    int i = static_cast<int>(digits.size()) - 1;
    while (i >= 0 && digits[static_cast<size_t>(i)] == '9') digits[static_cast<size_t>(i--)] = '0';
    if (i < 0) {
      digits.insert(digits.begin(), '1');
    } else {
      digits[static_cast<size_t>(i)]++;
    }
  }
  size_t int_len = digits.size() - scale;
  r.int_digits = digits.substr(0, int_len);
  r.frac_digits = digits.substr(int_len);
  size_t lz = r.int_digits.find_first_not_of('0');
  r.int_digits = lz == std::string::npos ? "" : r.int_digits.substr(lz);
  size_t tz = r.frac_digits.find_last_not_of('0');
  r.frac_digits = tz == std::string::npos ? "" : r.frac_digits.substr(0, tz + 1);
  return r;
}

Result<CanonicalKey> DecimalKey(const Answer& a) {
  const KeyColumn& col = a.col;
  NumberOf n = ToNumber(a.v, /*hex_and_bits=*/false);
  if (n.outcome == NumberOf::kUnrouted) return a.Unrouted(n.why);
  if (n.outcome == NumberOf::kNotNumber) {
    return a.Incorrect(Verdict::kAllGroups, "decimal", n.why);
  }
  // A FLOAT literal compares as DOUBLE. Distinct decimals of at most 15
  // significant digits are distinct doubles, so for DECIMAL(M<=15) the only
  // key value that can equal the literal is its exact value.
  if (!n.exact) {
    if (a.purpose == KeyPurpose::kStore) {
      return a.Unrouted("a FLOAT literal is converted through DOUBLE: write the decimal");
    }
    if (col.precision > 15) {
      return a.Unrouted("a FLOAT literal compares as DOUBLE, inexact for DECIMAL(M>15)");
    }
  }
  Exact x = n.x;
  const uint32_t max_int_digits = col.precision >= col.scale ? col.precision - col.scale : 0;
  if (a.purpose == KeyPurpose::kCompare) {
    Verdict none = n.exact ? Verdict::kNeverEqual : Verdict::kAllGroups;
    if (x.frac_digits.size() > col.scale) {
      return a.Incorrect(none, "decimal", "more fractional digits than the column's scale");
    }
    if (x.int_digits.size() > max_int_digits || (col.is_unsigned && x.negative && !x.IsZero())) {
      return a.OutOfRange(none, "outside the column's range");
    }
    return a.Bytes(x.Text());
  }
  if (col.is_unsigned && x.negative && !x.IsZero()) {
    return a.OutOfRange(Verdict::kNeverEqual, "negative value for an UNSIGNED column");
  }
  x = RoundToScale(x, col.scale);
  if (x.int_digits.size() > max_int_digits) {
    return a.OutOfRange(Verdict::kNeverEqual, "outside the column's range");
  }
  return a.Bytes(x.Text());
}

// ---------------------------------------------------------------------------
// DATE / DATETIME keys.

struct DateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string frac;  // up to 6 digits, trailing zeros removed
  bool HasTime() const { return hour || minute || second || !frac.empty(); }
};

// Reads 1..max_digits digits (exactly `min_digits` at least) at s[*i].
bool ReadInt(std::string_view s, size_t* i, size_t min_digits, size_t max_digits, int* out) {
  size_t start = *i;
  int v = 0;
  while (*i < s.size() && IsDigit(s[*i]) && *i - start < max_digits) v = v * 10 + (s[(*i)++] - '0');
  if (*i - start < min_digits) return false;
  *out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool Valid(const DateTime& d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1000 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  int dim = kDays[d.month - 1] + (d.month == 2 && IsLeap(d.year) ? 1 : 0);
  return d.day <= dim && d.hour <= 23 && d.minute <= 59 && d.second <= 59;
}

// Fractional digits ".f{1,6}" at s[*i] (after the '.'). More than 6: false (the
// caller does not route it; MariaDB truncates with a warning).
bool ReadFraction(std::string_view s, size_t* i, std::string* frac) {
  size_t start = *i;
  while (*i < s.size() && IsDigit(s[*i])) ++*i;
  size_t n = *i - start;
  if (n == 0 || n > 6) return false;
  std::string f(s.substr(start, n));
  size_t tz = f.find_last_not_of('0');
  *frac = tz == std::string::npos ? "" : f.substr(0, tz + 1);
  return true;
}

// The documented forms: 'YYYY-M[M]-D[D]', optionally followed by (' ' | 'T')
// 'h[h]:m[m]:s[s]' and '.f{1,6}'; 'YYYYMMDD'; 'YYYYMMDDhhmmss[.f{1,6}]'.
bool ParseDateTimeString(std::string_view s, DateTime* d) {
  size_t i = 0;
  if (s.size() >= 8 && s.find('-') == std::string_view::npos) {
    // Compact digits.
    if (!ReadInt(s, &i, 4, 4, &d->year) || !ReadInt(s, &i, 2, 2, &d->month) ||
        !ReadInt(s, &i, 2, 2, &d->day)) {
      return false;
    }
    if (i < s.size()) {
      if (!ReadInt(s, &i, 2, 2, &d->hour) || !ReadInt(s, &i, 2, 2, &d->minute) ||
          !ReadInt(s, &i, 2, 2, &d->second)) {
        return false;
      }
      if (i < s.size()) {
        if (s[i++] != '.' || !ReadFraction(s, &i, &d->frac)) return false;
      }
    }
    return i == s.size() && Valid(*d);
  }
  if (!ReadInt(s, &i, 4, 4, &d->year) || i >= s.size() || s[i++] != '-' ||
      !ReadInt(s, &i, 1, 2, &d->month) || i >= s.size() || s[i++] != '-' ||
      !ReadInt(s, &i, 1, 2, &d->day)) {
    return false;
  }
  if (i < s.size()) {
    if (s[i] != ' ' && s[i] != 'T') return false;
    ++i;
    if (!ReadInt(s, &i, 1, 2, &d->hour) || i >= s.size() || s[i++] != ':' ||
        !ReadInt(s, &i, 1, 2, &d->minute) || i >= s.size() || s[i++] != ':' ||
        !ReadInt(s, &i, 1, 2, &d->second)) {
      return false;
    }
    if (i < s.size()) {
      if (s[i++] != '.' || !ReadFraction(s, &i, &d->frac)) return false;
    }
  }
  return i == s.size() && Valid(*d);
}

std::string Pad(int v, int width) {
  std::string s = std::to_string(v);
  return std::string(static_cast<size_t>(width) > s.size() ? width - s.size() : 0, '0') + s;
}

std::string DateText(const DateTime& d) {
  return Pad(d.year, 4) + "-" + Pad(d.month, 2) + "-" + Pad(d.day, 2);
}

std::string DateTimeText(const DateTime& d) {
  std::string s =
      DateText(d) + " " + Pad(d.hour, 2) + ":" + Pad(d.minute, 2) + ":" + Pad(d.second, 2);
  if (!d.frac.empty()) s += "." + d.frac;
  return s;
}

Result<CanonicalKey> TemporalKey(const Answer& a) {
  const KeyColumn& col = a.col;
  const KeyValue& v = a.v;
  const bool is_date = col.type == KeyType::kDate;
  const std::string_view forms =
      "write 'YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss[.ffffff]' (or 'T' for the blank), 'YYYYMMDD', "
      "'YYYYMMDDhhmmss' or the integers YYYYMMDD / YYYYMMDDhhmmss, years 1000 to 9999";
  DateTime d;
  if (v.negative) return a.Unrouted("a negative date");
  switch (v.kind) {
    case LiteralKind::kString:
      if (v.typed == "TIME") return a.Unrouted("a TIME literal");
      if (!ParseDateTimeString(v.text, &d)) {
        return a.Unrouted("not one of the date forms the proxy routes: " + std::string(forms));
      }
      break;
    case LiteralKind::kInteger:
      if ((v.text.size() != 8 && v.text.size() != 14) || !ParseDateTimeString(v.text, &d)) {
        return a.Unrouted("not one of the date forms the proxy routes: " + std::string(forms));
      }
      break;
    default:
      return a.Unrouted(std::string(forms));
  }
  if (is_date) {
    // A DATE compares with a value that has a time as a DATETIME (midnight);
    // INSERT drops the time (Note 1265).
    if (d.HasTime() && a.purpose == KeyPurpose::kCompare) {
      CanonicalKey k;
      k.verdict = Verdict::kNeverEqual;
      k.reason = "a time other than 00:00:00 never equals a DATE";
      return k;
    }
    return a.Bytes(DateText(d));
  }
  if (d.frac.size() > col.precision) {
    if (a.purpose == KeyPurpose::kCompare) {
      CanonicalKey k;
      k.verdict = Verdict::kNeverEqual;
      k.reason = "more fractional seconds than the column keeps";
      return k;
    }
    return a.Unrouted(
        "more fractional seconds than the column keeps: MariaDB truncates or rounds them "
        "(sql_mode TIME_ROUND_FRACTIONAL); write the value at the column's precision");
  }
  return a.Bytes(DateTimeText(d));
}

// ---------------------------------------------------------------------------
// CHAR / VARCHAR keys.

Result<CanonicalKey> StringKey(const Answer& a) {
  const KeyColumn& col = a.col;
  const KeyValue& v = a.v;
  const vpart::Collation* c = vpart::FindCollation(col.collation);
  if (c == nullptr) {
    return Status::Bug("string shard key with unsupported collation '" + col.collation + "'");
  }
  std::string raw;  // the value's bytes
  vpart::Charset from = vpart::Charset::kUtf8mb4;
  switch (v.kind) {
    case LiteralKind::kString: {
      if (!v.typed.empty()) {
        return a.Unrouted(std::string(v.typed) + " literal compared with a string (as a date)");
      }
      if (v.negative) return a.Unrouted("minus a string is a number");
      std::optional<vpart::Charset> cs =
          vpart::CharsetByName(v.charset.empty() ? std::string_view("utf8mb4") : v.charset);
      if (!cs) {
        return a.Unrouted("strings in character set " + std::string(v.charset) +
                          " (the proxy reads utf8mb4, utf8mb3, latin1, ascii and binary)");
      }
      from = *cs;
      raw = std::string(v.text);
      break;
    }
    case LiteralKind::kHex: {
      bool prefixed;
      if (!HexBytes(v.text, &raw, &prefixed)) return a.Unrouted("[BUG] a malformed hex literal");
      from = vpart::Charset::kBinary;
      if (!v.charset.empty()) {  // _latin1 X'E9': a latin1 string
        std::optional<vpart::Charset> cs = vpart::CharsetByName(v.charset);
        if (!cs) {
          return a.Unrouted("strings in character set " + std::string(v.charset) +
                            " (the proxy reads utf8mb4, utf8mb3, latin1, ascii and binary)");
        }
        from = *cs;
      }
      break;
    }
    case LiteralKind::kInteger: {
      if (a.purpose == KeyPurpose::kCompare) {
        return a.Unrouted("a string compared with a number compares as a number ('042' = 42)");
      }
      Exact x;
      if (ParseUnsignedNumber(v.text, false, &x) != NumParse::kOk) {
        return a.Unrouted("[BUG] an integer literal that does not parse");
      }
      x.negative = v.negative;
      raw = x.Text();
      from = vpart::Charset::kAscii;
      break;
    }
    default:
      if (a.purpose == KeyPurpose::kCompare) {
        return a.Unrouted("a string compared with a number compares as a number");
      }
      return a.Unrouted("write a string key as a quoted string");
  }
  // Into the column's character set. Bytes of a binary string (hex literal,
  // _binary) are read as characters of the column's character set.
  std::u32string cps;
  vpart::Charset decode_as = from == vpart::Charset::kBinary ? c->charset : from;
  if (!vpart::DecodeToCodePoints(decode_as, raw, &cps)) {
    return a.Incorrect(Verdict::kAllGroups, "string", "not well-formed in its character set");
  }
  for (char32_t cp : cps) {
    if (!vpart::Representable(c->charset, cp)) {
      return a.Incorrect(Verdict::kAllGroups, "string",
                         "a character the column's character set does not have (MariaDB "
                         "reports an illegal mix of collations when comparing)");
    }
  }
  if (a.purpose == KeyPurpose::kStore && col.length > 0 && cps.size() > col.length) {
    // Trailing blanks past the length are cut with a note; anything else is 1406.
    for (size_t i = col.length; i < cps.size(); ++i) {
      if (cps[i] != U' ') {
        return Status::Error(1406, "22001",
                             "Data too long for column " + ColumnLabel(col) + " (" +
                                 col.ToString() + ", shard key)");
      }
    }
  }
  std::string w;
  vpart::AppendWeights(*c, cps, &w);
  vpart::StripTrailingSpaceWeights(*c, &w);
  return a.Bytes(std::move(w));
}

// ---------------------------------------------------------------------------
// BINARY / VARBINARY keys.

Result<CanonicalKey> BinaryKey(const Answer& a) {
  const KeyColumn& col = a.col;
  const KeyValue& v = a.v;
  std::string bytes;
  switch (v.kind) {
    case LiteralKind::kString:
      if (!v.typed.empty()) return a.Unrouted(std::string(v.typed) + " literal");
      if (v.negative) return a.Unrouted("minus a string is a number");
      bytes = std::string(v.text);  // any character set: to binary is a byte copy
      break;
    case LiteralKind::kHex: {
      bool prefixed;
      if (!HexBytes(v.text, &bytes, &prefixed)) return a.Unrouted("[BUG] a malformed hex literal");
      break;
    }
    case LiteralKind::kInteger: {
      if (a.purpose == KeyPurpose::kCompare) {
        return a.Unrouted("a binary string compared with a number compares as a number");
      }
      Exact x;
      if (ParseUnsignedNumber(v.text, false, &x) != NumParse::kOk) {
        return a.Unrouted("[BUG] an integer literal that does not parse");
      }
      x.negative = v.negative;
      bytes = x.Text();
      break;
    }
    default:
      return a.Unrouted("write a binary key as a quoted string or X'..'");
  }
  if (col.length > 0) {
    if (bytes.size() > col.length) {
      if (a.purpose == KeyPurpose::kStore) {
        return Status::Error(1406, "22001",
                             "Data too long for column " + ColumnLabel(col) + " (" +
                                 col.ToString() + ", shard key)");
      }
      CanonicalKey k;
      k.verdict = Verdict::kNeverEqual;
      k.reason = "longer than the column";
      return k;
    }
    if (col.fixed_length && bytes.size() < col.length) {
      if (a.purpose == KeyPurpose::kCompare) {
        CanonicalKey k;
        k.verdict = Verdict::kNeverEqual;
        k.reason = "BINARY(n) values are n bytes (padded with 0x00): a shorter value equals none";
        return k;
      }
      bytes.resize(col.length, '\0');
    }
  }
  return a.Bytes(std::move(bytes));
}

}  // namespace

const char* KeyVerdictName(KeyVerdict v) {
  switch (v) {
    case KeyVerdict::kOneVpart:
      return "one_vpart";
    case KeyVerdict::kNeverEqual:
      return "never_equal";
    case KeyVerdict::kAllGroups:
      return "all_groups";
  }
  return "?";
}

Result<CanonicalKey> CanonicalKeyBytes(const KeyColumn& col, const KeyValue& v,
                                       KeyPurpose purpose) {
  if (v.is_null) return CanonicalKey{};
  if (v.kind == LiteralKind::kPlaceholder) {
    if (purpose == KeyPurpose::kStore) return Status::Bug("unbound placeholder as a shard key");
    CanonicalKey k;
    k.verdict = KeyVerdict::kAllGroups;
    k.reason = "[BUG] an unbound placeholder";
    return k;
  }
  Answer a{col, v, purpose};
  switch (col.type) {
    case KeyType::kInteger:
      return IntegerKey(a);
    case KeyType::kDecimal:
      return DecimalKey(a);
    case KeyType::kDate:
    case KeyType::kDateTime:
      return TemporalKey(a);
    case KeyType::kString:
      return StringKey(a);
    case KeyType::kBinary:
      return BinaryKey(a);
  }
  return Status::Bug("unknown KeyType");
}

uint32_t VpartOf(std::string_view canonical_bytes, uint32_t vpart_count) {
  if (vpart_count == 0) return 0;
  return static_cast<uint32_t>(XXH3_64bits(canonical_bytes.data(), canonical_bytes.size()) %
                               vpart_count);
}

Result<std::string> WeightString(std::string_view collation, std::string_view utf8mb4) {
  const vpart::Collation* c = vpart::FindCollation(collation);
  if (c == nullptr) {
    return Status::Error(1235, "42000", "unsupported collation '" + std::string(collation) + "'");
  }
  std::u32string cps;
  if (!vpart::DecodeToCodePoints(vpart::Charset::kUtf8mb4, utf8mb4, &cps)) {
    return Status::Error(1366, "HY000", "not well-formed utf8mb4");
  }
  for (char32_t cp : cps) {
    if (!vpart::Representable(c->charset, cp)) {
      return Status::Error(1366, "HY000", "a character " + std::string(c->name) + " lacks");
    }
  }
  std::string w;
  vpart::AppendWeights(*c, cps, &w);
  return w;
}

}  // namespace shardproxy::router
