// Exact decimal arithmetic for combining aggregates (SUM, COUNT, AVG) across
// groups: any number of digits, never int64 or double overflow. And MariaDB's
// text form of a DOUBLE, for SUM/AVG of floating-point columns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shardproxy::router::merge {

// value = (negative ? -1 : 1) * digits * 10^-scale. digits: decimal digit
// characters, most significant first, no leading zeros ("" is zero).
class Decimal {
 public:
  Decimal() = default;  // 0 (scale 0)

  // "-12.50", "42", "+7", "0.000", ".5", "5." (a DECIMAL or integer column's
  // text); false for anything else.
  static bool Parse(std::string_view text, Decimal* out);

  uint32_t scale() const { return scale_; }
  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }

  // *this += other; the result has the larger of the two scales.
  void Add(const Decimal& other);
  // this / divisor (divisor > 0): the quotient truncated to `truncate_scale`
  // fraction digits, then rounded half away from zero to `scale` digits
  // (scale <= truncate_scale). That is MariaDB's AVG: decimal_div computes
  // whole 9-digit words of fraction, the result column rounds.
  Decimal Divide(uint64_t divisor, uint32_t scale, uint32_t truncate_scale) const;

  // "-12.50": exactly scale() fraction digits; zero never has a sign.
  std::string ToString() const;

 private:
  void SetScale(uint32_t scale);  // scale >= scale_: appends zeros
  void Trim();                    // drops leading zeros

  bool negative_ = false;
  std::string digits_;
  uint32_t scale_ = 0;
};

// MariaDB's text for a DOUBLE (Protocol_text, 10.11): the shortest digits that
// read back as the same double, in fixed notation unless the number is >= 1e15
// with no fraction digit (1e15, 1.2345678901234568e17) or below 1e-15
// (1.5e-16); "0" for zero (never "-0"). Not finite: "inf"/"nan" (MariaDB never sends them).
std::string FormatDouble(double d);

// Reads a FLOAT/DOUBLE (or integer/decimal) column's text as a double.
bool ParseDouble(std::string_view text, double* out);

}  // namespace shardproxy::router::merge
