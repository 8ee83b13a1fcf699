#include "proxy/protocol/resultset_writer.h"

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/packet.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

namespace {
constexpr uint16_t kUtf8mb4GeneralCi = 45;
}

ColumnDefinition41 TextColumn(std::string_view name, uint32_t max_chars) {
  ColumnDefinition41 c;
  c.name = std::string(name);
  c.charset = kUtf8mb4GeneralCi;
  c.column_length = max_chars * 4;
  c.type = kTypeVarString;
  c.flags = 0;
  c.decimals = 0x27;  // 39: "not a fixed number of decimals", as MariaDB sends for strings
  return c;
}

ColumnDefinition41 UnsignedIntColumn(std::string_view name) {
  ColumnDefinition41 c;
  c.name = std::string(name);
  c.charset = 63;  // binary
  c.column_length = 10;
  c.type = kTypeLong;
  c.flags = kFlagNotNull | kFlagUnsigned | kFlagBinary;
  c.decimals = 0;
  return c;
}

ColumnDefinition41 BigIntColumn(std::string_view name, bool is_unsigned) {
  ColumnDefinition41 c = UnsignedIntColumn(name);
  c.column_length = 21;
  c.type = kTypeLongLong;
  if (!is_unsigned) c.flags &= ~kFlagUnsigned;
  return c;
}

std::string ColumnCountPayload(uint64_t count) {
  std::string out;
  WireWriter w(out);
  w.WriteLenencInt(count);
  return out;
}

static void AppendTextRow(std::string* out,
                          std::span<const std::optional<std::string_view>> values) {
  WireWriter w(*out);
  for (const auto& v : values) {
    if (v.has_value()) {
      w.WriteLenencString(*v);
    } else {
      w.WriteU8(0xFB);
    }
  }
}

std::string TextRowPayload(std::span<const std::optional<std::string_view>> values) {
  std::string out;
  AppendTextRow(&out, values);
  return out;
}

std::string ResultSetEndPayload(uint64_t client_caps, uint16_t status_flags, uint16_t warnings) {
  if (client_caps & kClientDeprecateEof) {
    OkPacket ok;
    ok.header = 0xFE;
    ok.status_flags = status_flags;
    ok.warnings = warnings;
    return ok.Serialize(client_caps);
  }
  EofPacket eof;
  eof.warnings = warnings;
  eof.status_flags = status_flags;
  return eof.Serialize();
}

ResultSetWriter::ResultSetWriter(std::string* out, uint64_t client_caps, uint8_t first_seq)
    : out_(out), caps_(client_caps), seq_(first_seq) {}

void ResultSetWriter::Begin(std::span<const ColumnDefinition41> columns, uint16_t status_flags) {
  AppendPacket(out_, &seq_, ColumnCountPayload(columns.size()));
  for (const auto& c : columns) AppendPacket(out_, &seq_, c.Serialize(caps_));
  if (!(caps_ & kClientDeprecateEof)) {
    EofPacket eof;
    eof.status_flags = status_flags;
    AppendPacket(out_, &seq_, eof.Serialize());
  }
}

void ResultSetWriter::Row(std::span<const std::optional<std::string_view>> values) {
  scratch_.clear();
  AppendTextRow(&scratch_, values);
  AppendPacket(out_, &seq_, scratch_);
}

void ResultSetWriter::End(uint16_t status_flags, uint16_t warnings) {
  AppendPacket(out_, &seq_, ResultSetEndPayload(caps_, status_flags, warnings));
}

}  // namespace shardproxy::protocol
