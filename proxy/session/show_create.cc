// SHOW CREATE TABLE with the sharding clause: a plain SHOW CREATE TABLE of a
// sharded or broadcast table is relayed from the schema's first group as
// usual (column definitions, terminator and status untouched), but its one
// row is re-encoded with ` DBPARTITION BY HASH(col)` or ` BROADCAST` after
// MariaDB's `Create Table` text, so that a dump taken through the proxy
// restores the same placement through the proxy. The config key
// show_create_table_sharding and the session's own variable
// (SET SESSION shardproxy_show_sharding = OFF, answered here without a
// backend) hide it for dumps meant for a plain MariaDB. See docs/SHARDING.md,
// "Dumps".
//
// Not rewritten (MariaDB's text, raw relay): SHOW CREATE TABLE inside a
// multi-statement, and through COM_STMT_PREPARE / COM_STMT_EXECUTE (binary
// rows).
#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "proxy/protocol/packet.h"
#include "proxy/protocol/resultset_writer.h"
#include "proxy/protocol/wire.h"
#include "proxy/session/session.h"

namespace shardproxy::session {

namespace asio = boost::asio;

namespace {

// The shard column as `create_table` (MariaDB's SHOW CREATE TABLE text)
// spells it on its column-definition line: `col`, "col" (ANSI_QUOTES) or col
// (SQL_QUOTE_SHOW_CREATE=0), with the column's own letter case (column names
// are case-insensitive). Backticks when no line names it.
std::string SpelledColumn(std::string_view create_table, std::string_view column) {
  size_t at = 0;
  while ((at = create_table.find("\n  ", at)) != std::string_view::npos) {
    at += 3;
    std::string_view line = create_table.substr(at);
    std::string name, spelled;
    if (!line.empty() && (line[0] == '`' || line[0] == '"')) {
      const char q = line[0];
      size_t i = 1;
      for (; i < line.size(); ++i) {
        if (line[i] != q) {
          name += line[i];
        } else if (i + 1 < line.size() && line[i + 1] == q) {
          name += q;  // a doubled quote inside the name
          ++i;
        } else {
          break;
        }
      }
      if (i == line.size()) break;
      spelled = std::string(line.substr(0, i + 1));
    } else {
      size_t end = line.find_first_of(" \n");
      name = spelled = std::string(line.substr(0, end));
    }
    if (IEquals(name, column)) return spelled;
  }
  std::string out = "`";
  for (char c : column) {
    if (c == '`') out += c;
    out += c;
  }
  return out + "`";
}

}  // namespace

ShowCreateAppend Session::ShowCreateFor(protocol::Command cmd, const ParseOutcome* parsed) const {
  ShowCreateAppend none;
  if (cmd != protocol::Command::kQuery || parsed == nullptr || ctx_.rules == nullptr ||
      parsed->action != ParseOutcome::Action::kPassThrough || parsed->pieces.size() != 1 ||
      !parsed->pieces[0].model)
    return none;
  const parser::Statement& m = *parsed->pieces[0].model;
  if (m.kind != parser::StatementKind::kShow || m.show_what != "CREATE TABLE" ||
      m.tables.size() != 1 || !state_.show_sharding.value_or(cfg_.show_create_table_sharding))
    return none;
  const std::string& schema = m.tables[0].schema.empty() ? state_.schema : m.tables[0].schema;
  const router::TableRule* rule = ctx_.rules->Get()->FindTable(schema, m.tables[0].name);
  if (rule == nullptr || rule->kind == router::TableKind::kSingle) return none;
  ShowCreateAppend a;
  a.active = true;
  a.sharded = rule->kind == router::TableKind::kSharded;
  a.shard_column = rule->shard_column;
  return a;
}

bool Session::AppendShowCreateRow(const protocol::Frame& fr) {
  // Table, Create Table: two strings (a NULL or anything else is relayed as is).
  if (tracker_.last_kind() != protocol::PacketKind::kRow || !fr.first || !fr.last) return false;
  protocol::WireReader r(fr.payload);
  const std::string_view table = r.ReadLenencString();
  const std::string_view create = r.ReadLenencString();
  if (!r.ok() || !r.empty()) return false;
  std::string text(create);
  if (show_create_.sharded) {
    text += " DBPARTITION BY HASH(" + SpelledColumn(create, show_create_.shard_column) + ")";
  } else {
    text += " BROADCAST";
  }
  const std::optional<std::string_view> cells[] = {table, std::string_view(text)};
  const std::string payload = protocol::TextRowPayload(cells);
  if (payload.size() >= protocol::kMaxFramePayload) return false;  // would need a second frame
  uint8_t seq = fr.seq;
  protocol::AppendPacket(&out_, &seq, payload);
  return true;
}

asio::awaitable<bool> Session::AnswerSetShowSharding(const ParseOutcome& o, uint8_t seq) {
  state_.show_sharding = o.show_sharding;
  spdlog::debug("session {}: {} = {}", id_, kShowShardingVariable,
                !o.show_sharding   ? "DEFAULT"
                : *o.show_sharding ? "ON"
                                   : "OFF");
  AppendOk(seq, LocalStatusFlags());
  co_return (co_await Flush()).ok();
}

}  // namespace shardproxy::session
