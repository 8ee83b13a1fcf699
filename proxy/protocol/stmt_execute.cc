#include "proxy/protocol/stmt_execute.h"

#include <bit>
#include <charconv>
#include <system_error>

#include "common/errors.h"
#include "proxy/protocol/column_definition.h"
#include "proxy/protocol/command.h"
#include "proxy/protocol/row_codec.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

namespace {

// ERR 1210 (HY000) ER_WRONG_ARGUMENTS, with the text MariaDB answers to an
// execute whose parameters do not parse (for a new_params_bound_flag other
// than 0/1 MariaDB says ER_MALFORMED_PACKET 1835 instead; one code is enough
// here). Local until common/errors.h has a kWrongArguments.
Status WrongArguments() {
  return Status::Error(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute");
}

// 1 + 4 + 1 + 4: command, statement id, flags, iteration count.
constexpr size_t kHeaderSize = 10;

// Value layouts and reading: the row codec's (parameters use the same).
bool ValidParamType(ParamType t) {
  return BinaryLayoutOf(t.first) != BinaryLayout::kInvalid && (t.second & ~kParamFlagUnsigned) == 0;
}

void AppendUnsigned(std::string* out, uint64_t v, int min_digits = 1) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  for (int n = static_cast<int>(res.ptr - buf); n < min_digits; ++n) out->push_back('0');
  out->append(buf, res.ptr);
}

void AppendSigned(std::string* out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, res.ptr);
}

template <typename F>
void AppendFloat(std::string* out, F v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);  // shortest round-trip form
  out->append(buf, res.ptr);
}

// "YYYY-MM-DD" from int<2> year, int<1> month, int<1> day.
void AppendDate(std::string* out, WireReader& r) {
  AppendUnsigned(out, r.ReadU16(), 4);
  out->push_back('-');
  AppendUnsigned(out, r.ReadU8(), 2);
  out->push_back('-');
  AppendUnsigned(out, r.ReadU8(), 2);
}

// "hh:mm:ss" + ".ffffff" when micro != 0; false if micro is out of range.
bool AppendClock(std::string* out, uint64_t hours, uint8_t minute, uint8_t second, uint32_t micro) {
  if (micro > 999999) return false;
  AppendUnsigned(out, hours, 2);
  out->push_back(':');
  AppendUnsigned(out, minute, 2);
  out->push_back(':');
  AppendUnsigned(out, second, 2);
  if (micro != 0) {
    out->push_back('.');
    AppendUnsigned(out, micro, 6);
  }
  return true;
}

}  // namespace

Result<StmtExecute> StmtExecute::Parse(std::string_view payload, uint16_t num_params,
                                       std::span<const ParamType> remembered_types,
                                       std::span<const bool> long_data_sent) {
  WireReader r(payload);
  StmtExecute e;
  if (r.ReadU8() != static_cast<uint8_t>(Command::kStmtExecute)) return WrongArguments();
  e.statement_id = r.ReadU32();
  e.flags = r.ReadU8();
  e.iteration_count = r.ReadU32();
  if (!r.ok()) return WrongArguments();
  if (num_params == 0) {
    // MariaDB ignores whatever follows (a common client mistake).
    e.values_offset = e.values_end = r.position();
    return e;
  }

  const std::string_view null_bitmap = r.ReadFixed((static_cast<size_t>(num_params) + 7) / 8);
  const uint8_t bound = r.ReadU8();
  if (!r.ok() || bound > 1) return WrongArguments();
  e.new_params_bound = bound == 1;
  if (!e.new_params_bound && remembered_types.size() != num_params) return WrongArguments();
  // Nothing is allocated from a claimed count: num_params is the prepare's, and
  // with types the packet must hold 2 bytes per parameter.
  if (e.new_params_bound && r.remaining() < 2 * static_cast<size_t>(num_params)) {
    return WrongArguments();
  }

  e.params.resize(num_params);
  for (size_t i = 0; i < num_params; ++i) {
    ParamType t;
    if (e.new_params_bound) {
      t.first = r.ReadU8();
      t.second = r.ReadU8();
    } else {
      t = remembered_types[i];
    }
    if (!ValidParamType(t)) return WrongArguments();
    BoundParam& p = e.params[i];
    p.type = t.first;
    p.is_unsigned = (t.second & kParamFlagUnsigned) != 0;
    p.is_null = (static_cast<uint8_t>(null_bitmap[i / 8]) >> (i % 8)) & 1;
    p.long_data = i < long_data_sent.size() && long_data_sent[i];
  }
  if (!r.ok()) return WrongArguments();

  e.values_offset = r.position();
  for (BoundParam& p : e.params) {
    if (p.long_data || p.is_null) continue;            // long data first, as MariaDB does
    if (p.type == kTypeNull) return WrongArguments();  // a NULL type without its NULL bit
    if (!ReadBinaryValue(r, payload, p.type, &p.value)) return WrongArguments();
  }
  e.values_end = r.position();
  return e;
}

std::vector<ParamType> StmtExecute::ParamTypes() const {
  std::vector<ParamType> types;
  types.reserve(params.size());
  for (const BoundParam& p : params) {
    types.emplace_back(p.type, p.is_unsigned ? kParamFlagUnsigned : uint8_t{0});
  }
  return types;
}

std::string StmtExecute::Serialize() const { return SerializeImpl(statement_id, new_params_bound); }

std::string StmtExecute::SerializeWithTypes(uint32_t id) const { return SerializeImpl(id, true); }

std::string StmtExecute::SerializeImpl(uint32_t id, bool with_types) const {
  const size_t n = params.size();
  size_t values_size = 0;
  for (const BoundParam& p : params) values_size += p.value.size();
  std::string out;
  out.reserve(kHeaderSize + (n + 7) / 8 + 1 + (with_types ? 2 * n : 0) + values_size);
  WireWriter w(out);
  w.WriteU8(static_cast<uint8_t>(Command::kStmtExecute));
  w.WriteU32(id);
  w.WriteU8(flags);
  w.WriteU32(iteration_count);
  if (n == 0) return out;

  const size_t bitmap_at = out.size();
  w.WriteZeros((n + 7) / 8);
  for (size_t i = 0; i < n; ++i) {
    if (params[i].is_null) out[bitmap_at + i / 8] |= static_cast<char>(1 << (i % 8));
  }
  w.WriteU8(with_types ? 1 : 0);
  if (with_types) {
    for (const BoundParam& p : params) {
      w.WriteU8(p.type);
      w.WriteU8(p.is_unsigned ? kParamFlagUnsigned : 0);
    }
  }
  for (const BoundParam& p : params) {
    if (!p.long_data && !p.is_null) w.WriteBytes(p.value);
  }
  return out;
}

Result<ParamText> ParamAsText(const BoundParam& p) {
  if (p.long_data) {
    return Status::Error(errors::kNotSupportedYet.code, errors::kNotSupportedYet.sqlstate,
                         "This version of shardproxy doesn't yet support 'a shard key value "
                         "sent with COM_STMT_SEND_LONG_DATA'");
  }
  ParamText t;
  if (p.is_null || p.type == kTypeNull) return t;  // kNull

  WireReader r(p.value);
  std::string& s = t.text;
  switch (BinaryLayoutOf(p.type)) {
    case BinaryLayout::kFixed1: {
      t.kind = ParamText::kInteger;
      const uint8_t v = r.ReadU8();
      if (p.is_unsigned) {
        AppendUnsigned(&s, v);
      } else {
        AppendSigned(&s, static_cast<int8_t>(v));
      }
      break;
    }
    case BinaryLayout::kFixed2: {
      t.kind = ParamText::kInteger;
      const uint16_t v = r.ReadU16();
      if (p.is_unsigned) {
        AppendUnsigned(&s, v);
      } else {
        AppendSigned(&s, static_cast<int16_t>(v));
      }
      break;
    }
    case BinaryLayout::kFixed4: {
      const uint32_t v = r.ReadU32();
      if (p.type == kTypeFloat) {
        t.kind = ParamText::kFloat;
        AppendFloat(&s, std::bit_cast<float>(v));
      } else {
        t.kind = ParamText::kInteger;
        if (p.is_unsigned) {
          AppendUnsigned(&s, v);
        } else {
          AppendSigned(&s, static_cast<int32_t>(v));
        }
      }
      break;
    }
    case BinaryLayout::kFixed8: {
      const uint64_t v = r.ReadU64();
      if (p.type == kTypeDouble) {
        t.kind = ParamText::kFloat;
        AppendFloat(&s, std::bit_cast<double>(v));
      } else {
        t.kind = ParamText::kInteger;
        if (p.is_unsigned) {
          AppendUnsigned(&s, v);
        } else {
          AppendSigned(&s, static_cast<int64_t>(v));
        }
      }
      break;
    }
    case BinaryLayout::kDate: {
      t.kind = ParamText::kString;
      const uint8_t len = r.ReadU8();
      if (!r.ok() || (len != 0 && len != 4 && len != 7 && len != 11)) return WrongArguments();
      const bool date_only = p.type == kTypeDate || p.type == kTypeNewDate;
      if (len == 0) {
        s = date_only ? "0000-00-00" : "0000-00-00 00:00:00";
        break;
      }
      AppendDate(&s, r);
      uint8_t hour = 0, minute = 0, second = 0;
      uint32_t micro = 0;
      if (len >= 7) {
        hour = r.ReadU8();
        minute = r.ReadU8();
        second = r.ReadU8();
      }
      if (len == 11) micro = r.ReadU32();
      if (!date_only) {
        s.push_back(' ');
        if (!AppendClock(&s, hour, minute, second, micro)) return WrongArguments();
      }
      break;
    }
    case BinaryLayout::kTime: {
      t.kind = ParamText::kString;
      const uint8_t len = r.ReadU8();
      if (!r.ok() || (len != 0 && len != 8 && len != 12)) return WrongArguments();
      if (len == 0) {
        s = "00:00:00";
        break;
      }
      const bool negative = r.ReadU8() != 0;
      const uint32_t days = r.ReadU32();
      const uint8_t hour = r.ReadU8();
      const uint8_t minute = r.ReadU8();
      const uint8_t second = r.ReadU8();
      const uint32_t micro = len == 12 ? r.ReadU32() : 0;
      const uint64_t hours = uint64_t{days} * 24 + hour;
      if (negative && (hours | minute | second | micro) != 0) s.push_back('-');
      if (!AppendClock(&s, hours, minute, second, micro)) return WrongArguments();
      break;
    }
    case BinaryLayout::kLenenc: {
      t.kind = (p.type == kTypeDecimal || p.type == kTypeNewDecimal) ? ParamText::kDecimal
                                                                     : ParamText::kString;
      s = std::string(r.ReadLenencString());
      break;
    }
    case BinaryLayout::kNone:
    case BinaryLayout::kInvalid:
      return WrongArguments();
  }
  // The value must be exactly its bytes (BoundParam may be built by hand).
  if (!r.ok() || !r.empty()) return WrongArguments();
  return t;
}

}  // namespace shardproxy::protocol
