#include "proxy/protocol/column_definition.h"

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/malformed.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

using internal::Malformed;

std::string ColumnDefinition41::Serialize(uint64_t caps) const {
  std::string out;
  out.reserve(32 + catalog.size() + schema.size() + table.size() + org_table.size() + name.size() +
              org_name.size());
  WireWriter w(out);
  w.WriteLenencString(catalog);
  w.WriteLenencString(schema);
  w.WriteLenencString(table);
  w.WriteLenencString(org_table);
  w.WriteLenencString(name);
  w.WriteLenencString(org_name);
  if (caps & kMariaDbClientExtendedMetadata) w.WriteLenencString(extended_metadata);
  w.WriteLenencInt(0x0C);
  w.WriteU16(charset);
  w.WriteU32(column_length);
  w.WriteU8(type);
  w.WriteU16(flags);
  w.WriteU8(decimals);
  w.WriteU16(0);
  if (default_values) w.WriteLenencString(*default_values);
  return out;
}

Result<ColumnDefinitionView> ColumnDefinitionView::Parse(std::string_view payload, uint64_t caps) {
  WireReader r(payload);
  ColumnDefinitionView c;
  c.catalog = r.ReadLenencString();
  c.schema = r.ReadLenencString();
  c.table = r.ReadLenencString();
  c.org_table = r.ReadLenencString();
  c.name = r.ReadLenencString();
  c.org_name = r.ReadLenencString();
  if (caps & kMariaDbClientExtendedMetadata) c.extended_metadata = r.ReadLenencString();
  uint64_t fixed_len = r.ReadLenencInt();
  if (!r.ok() || fixed_len < 10 || fixed_len > r.remaining()) {
    return Malformed("column definition");
  }
  WireReader f(r.ReadFixed(static_cast<size_t>(fixed_len)));
  c.charset = f.ReadU16();
  c.column_length = f.ReadU32();
  c.type = f.ReadU8();
  c.flags = f.ReadU16();
  c.decimals = f.ReadU8();
  if (!f.ok()) return Malformed("column definition fixed fields");
  if (r.remaining() > 0) {
    c.default_values = r.ReadLenencString();
    if (!r.ok()) return Malformed("column definition default value");
  }
  return c;
}

Result<ColumnDefinition41> ColumnDefinition41::Parse(std::string_view payload, uint64_t caps) {
  Result<ColumnDefinitionView> v = ColumnDefinitionView::Parse(payload, caps);
  if (!v.ok()) return v.status();
  ColumnDefinition41 c;
  c.catalog = std::string(v->catalog);
  c.schema = std::string(v->schema);
  c.table = std::string(v->table);
  c.org_table = std::string(v->org_table);
  c.name = std::string(v->name);
  c.org_name = std::string(v->org_name);
  c.extended_metadata = std::string(v->extended_metadata);
  c.charset = v->charset;
  c.column_length = v->column_length;
  c.type = v->type;
  c.flags = v->flags;
  c.decimals = v->decimals;
  if (v->default_values) c.default_values = std::string(*v->default_values);
  return c;
}

}  // namespace shardproxy::protocol
