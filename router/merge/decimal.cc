#include "router/merge/decimal.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace shardproxy::router::merge {

bool Decimal::Parse(std::string_view text, Decimal* out) {
  Decimal d;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative_ = text[i++] == '-';
  size_t digits = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      d.digits_.push_back(c);
      ++digits;
      if (point) ++d.scale_;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  d.Trim();
  *out = std::move(d);
  return true;
}

void Decimal::Trim() {
  size_t z = 0;
  while (z < digits_.size() && digits_[z] == '0') ++z;
  digits_.erase(0, z);
  if (digits_.empty()) negative_ = false;
}

void Decimal::SetScale(uint32_t scale) {
  if (!digits_.empty()) digits_.append(scale - scale_, '0');
  scale_ = scale;
}

namespace {

// a and b: digit strings without leading zeros. <0, 0, >0.
int CompareMagnitude(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b);
}

// a += b (magnitudes).
void AddMagnitude(std::string* a, const std::string& b) {
  if (a->size() < b.size()) a->insert(0, b.size() - a->size(), '0');
  int carry = 0;
  size_t ia = a->size(), ib = b.size();
  while (ia > 0) {
    --ia;
    int s = ((*a)[ia] - '0') + carry + (ib > 0 ? b[--ib] - '0' : 0);
    (*a)[ia] = static_cast<char>('0' + s % 10);
    carry = s / 10;
    if (ib == 0 && carry == 0) break;
  }
  if (carry) a->insert(a->begin(), '1');
}

// *a = big - small (magnitudes, big >= small); leading zeros left for Trim.
void SubtractMagnitude(const std::string& big, const std::string& small, std::string* a) {
  std::string r = big;
  int borrow = 0;
  size_t ib = small.size();
  for (size_t i = r.size(); i > 0;) {
    --i;
    int d = (r[i] - '0') - borrow - (ib > 0 ? small[--ib] - '0' : 0);
    borrow = d < 0;
    r[i] = static_cast<char>('0' + (d + 10) % 10);
    if (ib == 0 && borrow == 0) break;
  }
  *a = std::move(r);
}

}  // namespace

void Decimal::Add(const Decimal& other) {
  Decimal b = other;
  if (b.scale_ > scale_) SetScale(b.scale_);
  if (scale_ > b.scale_) b.SetScale(scale_);
  if (b.digits_.empty()) return;
  if (digits_.empty()) {
    digits_ = std::move(b.digits_);
    negative_ = b.negative_;
    return;
  }
  if (negative_ == b.negative_) {
    AddMagnitude(&digits_, b.digits_);
    return;
  }
  if (CompareMagnitude(digits_, b.digits_) >= 0) {
    SubtractMagnitude(digits_, b.digits_, &digits_);
  } else {
    SubtractMagnitude(b.digits_, digits_, &digits_);
    negative_ = b.negative_;
  }
  Trim();
}

Decimal Decimal::Divide(uint64_t divisor, uint32_t scale, uint32_t truncate_scale) const {
  Decimal q;
  q.negative_ = negative_;
  // digits * 10^(truncate_scale - scale_) / divisor, truncated: long division.
  std::string dividend = digits_;
  if (truncate_scale >= scale_) {
    if (!dividend.empty()) dividend.append(truncate_scale - scale_, '0');
  } else {
    dividend.resize(dividend.size() > scale_ - truncate_scale
                        ? dividend.size() - (scale_ - truncate_scale)
                        : 0);
  }
  unsigned __int128 rem = 0;
  for (char c : dividend) {
    rem = rem * 10 + static_cast<unsigned>(c - '0');
    q.digits_.push_back(static_cast<char>('0' + static_cast<int>(rem / divisor)));
    rem %= divisor;
  }
  q.scale_ = truncate_scale;
  q.Trim();
  // Round half away from zero to `scale` digits.
  uint32_t drop = truncate_scale - scale;
  if (drop > 0) {
    bool up = false;
    if (q.digits_.size() >= drop) {
      up = q.digits_[q.digits_.size() - drop] >= '5';
      q.digits_.resize(q.digits_.size() - drop);
    } else {
      q.digits_.clear();
    }
    q.scale_ = scale;
    if (up) AddMagnitude(&q.digits_, "1");
    q.Trim();
  }
  return q;
}

std::string Decimal::ToString() const {
  std::string s;
  if (negative_ && !digits_.empty()) s.push_back('-');
  if (digits_.size() <= scale_) {
    s.push_back('0');
    if (scale_ > 0) {
      s.push_back('.');
      s.append(scale_ - digits_.size(), '0');
      s.append(digits_);
    }
    return s;
  }
  size_t int_len = digits_.size() - scale_;
  s.append(digits_, 0, int_len);
  if (scale_ > 0) {
    s.push_back('.');
    s.append(digits_, int_len, std::string::npos);
  }
  return s;
}

std::string FormatDouble(double d) {
  if (d == 0) return "0";
  if (!std::isfinite(d)) return std::isnan(d) ? "nan" : (d < 0 ? "-inf" : "inf");
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);  // "-1.2345e-05"
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
  int decpt = exp10 + 1;  // value = 0.digits * 10^decpt
  int len = static_cast<int>(digits.size());
  std::string out = negative ? "-" : "";
  bool exponent_form = (decpt > 15 && len <= decpt) || decpt < -14;
  if (exponent_form) {
    out.push_back(digits[0]);
    if (len > 1) {
      out.push_back('.');
      out.append(digits, 1, std::string::npos);
    }
    out += "e" + std::to_string(exp10);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out += digits;
  } else if (decpt >= len) {
    out += digits;
    out.append(static_cast<size_t>(decpt - len), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(decpt));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(decpt), std::string::npos);
  }
  return out;
}

bool ParseDouble(std::string_view text, double* out) {
  const char* b = text.data();
  const char* end = text.data() + text.size();
  if (b != end && *b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, end, *out);
  return ec == std::errc() && ptr == end && b != end;
}

}  // namespace shardproxy::router::merge
