#include "proxy/protocol/command.h"

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/malformed.h"
#include "proxy/protocol/wire.h"

namespace shardproxy::protocol {

using internal::BadHandshake;
using internal::Malformed;

const char* CommandName(Command cmd) {
  switch (cmd) {
    case Command::kSleep:
      return "COM_SLEEP";
    case Command::kQuit:
      return "COM_QUIT";
    case Command::kInitDb:
      return "COM_INIT_DB";
    case Command::kQuery:
      return "COM_QUERY";
    case Command::kFieldList:
      return "COM_FIELD_LIST";
    case Command::kCreateDb:
      return "COM_CREATE_DB";
    case Command::kDropDb:
      return "COM_DROP_DB";
    case Command::kRefresh:
      return "COM_REFRESH";
    case Command::kShutdown:
      return "COM_SHUTDOWN";
    case Command::kStatistics:
      return "COM_STATISTICS";
    case Command::kProcessInfo:
      return "COM_PROCESS_INFO";
    case Command::kConnect:
      return "COM_CONNECT";
    case Command::kProcessKill:
      return "COM_PROCESS_KILL";
    case Command::kDebug:
      return "COM_DEBUG";
    case Command::kPing:
      return "COM_PING";
    case Command::kTime:
      return "COM_TIME";
    case Command::kDelayedInsert:
      return "COM_DELAYED_INSERT";
    case Command::kChangeUser:
      return "COM_CHANGE_USER";
    case Command::kBinlogDump:
      return "COM_BINLOG_DUMP";
    case Command::kTableDump:
      return "COM_TABLE_DUMP";
    case Command::kConnectOut:
      return "COM_CONNECT_OUT";
    case Command::kRegisterSlave:
      return "COM_REGISTER_SLAVE";
    case Command::kStmtPrepare:
      return "COM_STMT_PREPARE";
    case Command::kStmtExecute:
      return "COM_STMT_EXECUTE";
    case Command::kStmtSendLongData:
      return "COM_STMT_SEND_LONG_DATA";
    case Command::kStmtClose:
      return "COM_STMT_CLOSE";
    case Command::kStmtReset:
      return "COM_STMT_RESET";
    case Command::kSetOption:
      return "COM_SET_OPTION";
    case Command::kStmtFetch:
      return "COM_STMT_FETCH";
    case Command::kDaemon:
      return "COM_DAEMON";
    case Command::kBinlogDumpGtid:
      return "COM_BINLOG_DUMP_GTID";
    case Command::kResetConnection:
      return "COM_RESET_CONNECTION";
    case Command::kStmtBulkExecute:
      return "COM_STMT_BULK_EXECUTE";
  }
  return "COM_UNKNOWN";
}

namespace {

// int<lenenc> total length, then lenenc key/value pairs.
bool ReadAttributes(WireReader& r, std::vector<std::pair<std::string, std::string>>* out) {
  std::string_view all = r.ReadLenencString();
  if (!r.ok()) return false;
  WireReader a(all);
  while (a.ok() && a.remaining() > 0) {
    std::string_view k = a.ReadLenencString();
    std::string_view v = a.ReadLenencString();
    if (!a.ok()) return false;
    out->emplace_back(std::string(k), std::string(v));
  }
  return true;
}

void WriteAttributes(WireWriter& w, const std::vector<std::pair<std::string, std::string>>& attrs) {
  std::string all;
  WireWriter a(all);
  for (const auto& [k, v] : attrs) {
    a.WriteLenencString(k);
    a.WriteLenencString(v);
  }
  w.WriteLenencString(all);
}

}  // namespace

std::string ChangeUserRequest::Serialize(uint64_t caps) const {
  std::string out;
  WireWriter w(out);
  w.WriteU8(static_cast<uint8_t>(Command::kChangeUser));
  w.WriteNulString(username);
  if (caps & kClientSecureConnection) {
    w.WriteU8(static_cast<uint8_t>(auth_response.size()));
    w.WriteBytes(std::string_view(auth_response).substr(0, 255));
  } else {
    w.WriteNulString(auth_response);
  }
  w.WriteNulString(database);
  w.WriteU16(charset);
  if (caps & kClientPluginAuth) w.WriteNulString(auth_plugin_name);
  if (caps & kClientConnectAttrs) WriteAttributes(w, attributes);
  return out;
}

Result<ChangeUserRequest> ChangeUserRequest::Parse(std::string_view payload, uint64_t caps) {
  WireReader r(payload);
  if (r.ReadU8() != static_cast<uint8_t>(Command::kChangeUser)) {
    return BadHandshake("not a COM_CHANGE_USER");
  }
  ChangeUserRequest c;
  c.username = std::string(r.ReadNulString());
  if (caps & kClientSecureConnection) {
    uint8_t n = r.ReadU8();
    c.auth_response = std::string(r.ReadFixed(n));
  } else {
    c.auth_response = std::string(r.ReadNulString());
  }
  c.database = std::string(r.ReadNulStringOrRest());
  if (!r.ok()) return BadHandshake("COM_CHANGE_USER truncated");
  if (r.remaining() >= 2) c.charset = r.ReadU16();
  if ((caps & kClientPluginAuth) && r.remaining() > 0) {
    c.auth_plugin_name = std::string(r.ReadNulStringOrRest());
  }
  if ((caps & kClientConnectAttrs) && r.remaining() > 0) {
    if (!ReadAttributes(r, &c.attributes)) return BadHandshake("COM_CHANGE_USER attributes");
  }
  return c;
}

std::string StmtPrepareOk::Serialize() const {
  std::string out;
  WireWriter w(out);
  w.WriteU8(0x00);
  w.WriteU32(statement_id);
  w.WriteU16(num_columns);
  w.WriteU16(num_params);
  w.WriteU8(0x00);
  w.WriteU16(warnings);
  return out;
}

Result<StmtPrepareOk> StmtPrepareOk::Parse(std::string_view payload) {
  WireReader r(payload);
  if (r.ReadU8() != 0x00) return Malformed("COM_STMT_PREPARE OK header");
  StmtPrepareOk p;
  p.statement_id = r.ReadU32();
  p.num_columns = r.ReadU16();
  p.num_params = r.ReadU16();
  if (!r.ok()) return Malformed("COM_STMT_PREPARE OK truncated");
  if (r.remaining() >= 3) {
    r.Skip(1);
    p.warnings = r.ReadU16();
  }
  return p;
}

uint32_t StmtIdOf(std::string_view payload) {
  WireReader r(payload);
  r.Skip(1);
  uint32_t id = r.ReadU32();
  return r.ok() ? id : 0;
}

bool SetStmtId(std::span<char> payload, uint32_t stmt_id) {
  if (payload.size() < 5) return false;
  for (int i = 0; i < 4; ++i) payload[1 + i] = static_cast<char>((stmt_id >> (8 * i)) & 0xFF);
  return true;
}

bool SetStmtId(std::string* payload, uint32_t stmt_id) {
  return SetStmtId(std::span<char>(payload->data(), payload->size()), stmt_id);
}

std::string CommandPayload(Command cmd, std::string_view arg) {
  std::string out;
  out.reserve(arg.size() + 1);
  out.push_back(static_cast<char>(cmd));
  out.append(arg);
  return out;
}

}  // namespace shardproxy::protocol
