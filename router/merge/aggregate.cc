#include "router/merge/aggregate.h"

#include <algorithm>
#include <charconv>

namespace shardproxy::router::merge {

namespace {

constexpr uint32_t kDecimalMaxScale = 38;  // MariaDB's DECIMAL_MAX_SCALE
constexpr uint32_t kDigitsPerWord = 9;     // decimal_div works in 9-digit words

Status NotANumber(size_t column, std::string_view v) {
  return MergeError(kMergeBadValue, "merge: column " + std::to_string(column) + ": '" +
                                        std::string(v.substr(0, 64)) + "' is not a number");
}

// A positive row count that fits uint64 (more rows than that: not reached).
bool CountOf(const Decimal& d, uint64_t* out) {
  if (d.is_zero() || d.negative()) return false;
  std::string s = d.ToString();
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

void OwnedRow::CellsOf(std::vector<Cell>* out) const {
  out->clear();
  for (size_t i = 0; i < texts.size(); ++i) {
    out->push_back(nulls[i] ? Cell::Null() : Cell(texts[i]));
  }
}

size_t GroupState::bytes() const {
  size_t n = sizeof(GroupState) + columns_.size() * sizeof(Column);
  for (const Column& c : columns_) n += c.text.capacity() + c.key.capacity();
  return n;
}

Result<Aggregator> Aggregator::Make(std::vector<AggregateSpec> specs,
                                    const std::vector<ColumnType>& columns,
                                    uint32_t div_precision_increment) {
  Aggregator a;
  for (const AggregateSpec& s : specs) {
    ValueEncoder e;
    if (s.kind == AggregateKind::kMin || s.kind == AggregateKind::kMax) {
      Result<ValueEncoder> made = ValueEncoder::Make(columns.at(s.column));
      if (!made.ok()) return made.status();
      e = std::move(*made);
    }
    a.encoders_.push_back(std::move(e));
  }
  a.specs_ = std::move(specs);
  a.div_precision_increment_ = div_precision_increment;
  return a;
}

Status Aggregator::Start(GroupState* g, Row row) const {
  g->columns_.assign(specs_.size(), GroupState::Column());
  for (size_t i = 0; i < specs_.size(); ++i) {
    GroupState::Column& c = g->columns_[i];
    if (specs_[i].kind == AggregateKind::kNone) {
      Cell v = row[specs_[i].column];
      c.has_value = !v.is_null();
      c.text.assign(v.value());
      continue;
    }
    SP_RETURN_IF_ERROR(AddColumn(i, row, &c));
  }
  return Status::Ok();
}

Status Aggregator::Add(GroupState* g, Row row) const {
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].kind != AggregateKind::kNone) {
      SP_RETURN_IF_ERROR(AddColumn(i, row, &g->columns_[i]));
    }
  }
  return Status::Ok();
}

Status Aggregator::AddColumn(size_t i, Row row, GroupState::Column* c) const {
  const AggregateSpec& s = specs_[i];
  Cell v = row[s.column];
  auto add_decimal = [&](Cell x, Decimal* to) -> Status {
    if (x.is_null()) return Status::Ok();
    Decimal d;
    if (!Decimal::Parse(x.value(), &d)) return NotANumber(s.column, x.value());
    to->Add(d);
    return Status::Ok();
  };
  auto add_real = [&](Cell x) -> Status {
    if (x.is_null()) return Status::Ok();
    double d;
    if (!ParseDouble(x.value(), &d)) return NotANumber(s.column, x.value());
    c->real += d;
    return Status::Ok();
  };
  switch (s.kind) {
    case AggregateKind::kNone:
      return Status::Ok();
    case AggregateKind::kCount:
      return add_decimal(v, &c->sum);
    case AggregateKind::kSum:
    case AggregateKind::kAvg:
      if (s.kind == AggregateKind::kAvg)
        SP_RETURN_IF_ERROR(add_decimal(row[s.count_column], &c->count));
      c->has_value |= !v.is_null();
      return add_decimal(v, &c->sum);
    case AggregateKind::kSumDouble:
    case AggregateKind::kAvgDouble:
      if (s.kind == AggregateKind::kAvgDouble) {
        SP_RETURN_IF_ERROR(add_decimal(row[s.count_column], &c->count));
      }
      c->has_value |= !v.is_null();
      return add_real(v);
    case AggregateKind::kMin:
    case AggregateKind::kMax: {
      if (v.is_null()) return Status::Ok();
      std::string key;
      SP_RETURN_IF_ERROR(encoders_[i].Append(v, false, &key));
      int cmp = c->has_value ? key.compare(c->key) : 0;
      if (!c->has_value || (s.kind == AggregateKind::kMin ? cmp < 0 : cmp > 0)) {
        c->has_value = true;
        c->key = std::move(key);
        c->text.assign(v.value());
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

void Aggregator::Finish(const GroupState& g, OwnedRow* out) const {
  out->texts.assign(specs_.size(), std::string());
  out->nulls.assign(specs_.size(), false);
  for (size_t i = 0; i < specs_.size(); ++i) {
    const AggregateSpec& s = specs_[i];
    const GroupState::Column& c = g.columns_[i];
    std::string& text = out->texts[i];
    bool null = !c.has_value;
    uint64_t count = 0;  // kAvg, kAvgDouble
    bool average = s.kind == AggregateKind::kAvg || s.kind == AggregateKind::kAvgDouble;
    if (average && !CountOf(c.count, &count)) null = true;
    switch (s.kind) {
      case AggregateKind::kNone:
      case AggregateKind::kMin:
      case AggregateKind::kMax:
        text = c.text;
        break;
      case AggregateKind::kCount:
        text = c.sum.ToString();
        null = false;
        break;
      case AggregateKind::kSum:
        text = c.sum.ToString();
        break;
      case AggregateKind::kSumDouble:
        text = FormatDouble(c.real);
        break;
      case AggregateKind::kAvg: {
        if (null) break;
        uint32_t frac = s.arg_scale >= 0 ? static_cast<uint32_t>(s.arg_scale) : c.sum.scale();
        uint32_t wanted = frac + div_precision_increment_;
        uint32_t truncate = (wanted + kDigitsPerWord - 1) / kDigitsPerWord * kDigitsPerWord;
        text = c.sum.Divide(count, std::min(wanted, kDecimalMaxScale), truncate).ToString();
        break;
      }
      case AggregateKind::kAvgDouble:
        if (!null) text = FormatDouble(c.real / static_cast<double>(count));
        break;
    }
    out->nulls[i] = null;
    if (null) text.clear();
  }
}

void Aggregator::Empty(OwnedRow* out) const {
  out->texts.assign(specs_.size(), std::string());
  out->nulls.assign(specs_.size(), true);
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].kind == AggregateKind::kCount) {
      out->texts[i] = "0";
      out->nulls[i] = false;
    }
  }
}

}  // namespace shardproxy::router::merge
