// Session-state tracking from synthetic OK packets, built byte by byte here
// (independently of the codec's serializers) as MariaDB 10.11 sends them with
// session_track_system_variables='*', session_track_schema=ON,
// session_track_state_change=ON, session_track_transaction_info=CHARACTERISTICS.
#include "proxy/session/session_state.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "proxy/protocol/capabilities.h"

namespace shardproxy::session {
namespace {

constexpr uint64_t kCaps = protocol::kClientProtocol41 | protocol::kClientTransactions |
                           protocol::kClientSessionTrack | protocol::kClientDeprecateEof;

std::string Lenenc(std::string_view s) {
  std::string out;
  if (s.size() < 251) {
    out.push_back(static_cast<char>(s.size()));
  } else {
    out.push_back(static_cast<char>(0xFC));
    out.push_back(static_cast<char>(s.size() & 0xFF));
    out.push_back(static_cast<char>(s.size() >> 8));
  }
  out.append(s);
  return out;
}

struct Entry {
  uint8_t type;
  std::string data;  // already encoded entry data
};

Entry SysVar(std::string_view name, std::string_view value) {
  return {0, Lenenc(name) + Lenenc(value)};
}
Entry Schema(std::string_view db) { return {1, Lenenc(db)}; }
Entry StateChange() { return {2, Lenenc("1")}; }
Entry TrxCharacteristics(std::string_view s) { return {4, Lenenc(s)}; }

// OK: 0x00, affected=0, insert_id=0, status, warnings=0, info "", [state info].
std::string Ok(uint16_t status, const std::vector<Entry>& entries) {
  std::string p;
  p.push_back('\0');
  p.push_back('\0');
  p.push_back('\0');
  if (!entries.empty()) status |= protocol::kServerSessionStateChanged;
  p.push_back(static_cast<char>(status & 0xFF));
  p.push_back(static_cast<char>(status >> 8));
  p.push_back('\0');
  p.push_back('\0');
  if (!entries.empty()) {
    p += Lenenc("");  // info
    std::string info;
    for (const auto& e : entries) {
      info.push_back(static_cast<char>(e.type));
      info += Lenenc(e.data);
    }
    p += Lenenc(info);
  }
  return p;
}

constexpr uint16_t kAc = protocol::kServerStatusAutocommit;
constexpr StatementEffect kReplayable = StatementEffect::kReplayableOnly;

TEST(SessionState, PlainOkUpdatesStatusOnly) {
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(kAc, {}), kCaps).ok());
  EXPECT_TRUE(s.autocommit);
  EXPECT_FALSE(s.in_transaction);
  EXPECT_FALSE(s.pinned);
  EXPECT_TRUE(s.variables.empty());
}

TEST(SessionState, UseDatabaseTracksSchema) {
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(
      ApplyOkPacket(&s, Ok(kAc, {Schema("trade"), StateChange()}), kCaps, kReplayable).ok());
  EXPECT_EQ(s.schema, "trade");
  EXPECT_FALSE(s.pinned);  // USE: only replayable effects
}

TEST(SessionState, SetNamesTracksCharsetVariables) {
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(
      ApplyOkPacket(&s,
                    Ok(kAc, {SysVar("character_set_client", "utf8mb4"),
                             SysVar("character_set_connection", "utf8mb4"),
                             SysVar("character_set_results", "utf8mb4"),
                             SysVar("collation_connection", "utf8mb4_general_ci"), StateChange()}),
                    kCaps, kReplayable)
          .ok());
  EXPECT_EQ(s.variables.at("character_set_client"), "utf8mb4");
  EXPECT_EQ(s.variables.at("character_set_results"), "utf8mb4");
  EXPECT_EQ(s.variables.at("collation_connection"), "utf8mb4_general_ci");
  EXPECT_FALSE(s.pinned);
}

TEST(SessionState, AutocommitOffAndTransactionFlags) {
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(
      ApplyOkPacket(&s, Ok(0, {SysVar("autocommit", "OFF"), StateChange()}), kCaps, kReplayable)
          .ok());
  EXPECT_FALSE(s.autocommit);
  EXPECT_EQ(s.variables.at("autocommit"), "OFF");
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(protocol::kServerStatusInTrans, {}), kCaps).ok());
  EXPECT_TRUE(s.in_transaction);
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(0, {}), kCaps).ok());
  EXPECT_FALSE(s.in_transaction);
}

TEST(SessionState, TransactionCharacteristics) {
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(
      ApplyOkPacket(
          &s, Ok(kAc, {TrxCharacteristics("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;")}), kCaps)
          .ok());
  EXPECT_EQ(s.transaction_characteristics, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;");
}

TEST(SessionState, LastGtidSqlModeTimeZoneAsVariables) {
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(kAc, {SysVar("last_gtid", "0-1-42")}), kCaps).ok());
  ASSERT_TRUE(ApplyOkPacket(&s,
                            Ok(kAc, {SysVar("sql_mode", "STRICT_TRANS_TABLES"),
                                     SysVar("time_zone", "+00:00"), StateChange()}),
                            kCaps, kReplayable)
                  .ok());
  EXPECT_EQ(s.variables.at("last_gtid"), "0-1-42");
  EXPECT_EQ(s.variables.at("sql_mode"), "STRICT_TRANS_TABLES");
  EXPECT_EQ(s.variables.at("time_zone"), "+00:00");
  EXPECT_FALSE(s.pinned);
}

TEST(SessionState, UserVariableOrTempTablePins) {
  SessionState s;
  s.ResetForNewConnection();
  // SET @x = 1 / CREATE TEMPORARY TABLE: only STATE_CHANGE.
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(kAc, {StateChange()}), kCaps).ok());
  EXPECT_TRUE(s.pinned);
  EXPECT_FALSE(s.pinned_reason.empty());
  // Sticky: a later replayable change does not unpin.
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(kAc, {Schema("x"), StateChange()}), kCaps, kReplayable).ok());
  EXPECT_TRUE(s.pinned);
  s.ResetForNewConnection();
  EXPECT_FALSE(s.pinned);
  EXPECT_EQ(s.schema, "x");  // reset keeps the schema: the caller sets it
}

TEST(SessionState, UserVariableBesideASystemVariablePins) {
  // SET @u = 1, sql_mode = '': a variable is reported, but the statement is
  // not known to make only replayable changes.
  SessionState s;
  s.ResetForNewConnection();
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(kAc, {SysVar("sql_mode", ""), StateChange()}), kCaps).ok());
  EXPECT_TRUE(s.pinned);
  EXPECT_FALSE(s.UnreplayableReason().empty());
}

TEST(SessionState, UnreplayableReasons) {
  SessionState s;
  s.ResetForNewConnection();
  EXPECT_EQ(s.UnreplayableReason(), "");
  s.in_transaction = true;
  EXPECT_EQ(s.UnreplayableReason(), "an open transaction");
  s.in_transaction = false;
  s.autocommit = false;
  EXPECT_EQ(s.UnreplayableReason(), "autocommit=0");
  s.autocommit = true;
  s.prepared_statements[1] = {7, 1};
  EXPECT_EQ(s.UnreplayableReason(), "1 open prepared statement(s)");
  s.prepared_statements.clear();
  s.variables["timestamp"] = "1796347076.163788";
  EXPECT_EQ(s.UnreplayableReason(), "@@timestamp was set");
  s.variables.erase("timestamp");
  s.transaction_characteristics = "START TRANSACTION READ ONLY;";
  EXPECT_EQ(s.UnreplayableReason(), "an open transaction");
}

TEST(SessionState, ReplayStatements) {
  SessionState s;
  s.ResetForNewConnection();
  EXPECT_TRUE(s.ReplayStatements().empty());
  ASSERT_TRUE(ApplyOkPacket(&s,
                            Ok(kAc, {SysVar("character_set_client", "latin1"),
                                     SysVar("character_set_connection", "latin1"),
                                     SysVar("character_set_results", ""),
                                     SysVar("collation_connection", "latin1_swedish_ci"),
                                     SysVar("sql_mode", "ANSI_QUOTES,STRICT_ALL_TABLES"),
                                     SysVar("time_zone", "+03:00"), SysVar("wait_timeout", "2"),
                                     SysVar("last_gtid", "0-1-42"), SysVar("autocommit", "ON"),
                                     SysVar("init_connect", "it's \\ x"), StateChange()}),
                            kCaps, kReplayable)
                  .ok());
  s.last_insert_id = 42;
  s.transaction_characteristics = "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;";
  EXPECT_EQ(s.UnreplayableReason(), "");
  std::vector<std::string> want = {
      "SET SESSION character_set_client = 'latin1', character_set_connection = 'latin1', "
      "character_set_results = NULL, collation_connection = 'latin1_swedish_ci', "
      "init_connect = 0x69742773205C2078, sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES', "
      "time_zone = '+03:00', wait_timeout = 2, last_insert_id = 42",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"};
  EXPECT_EQ(s.ReplayStatements(), want);
  // A quote is doubled, never backslash-escaped (the new connection's
  // sql_mode may be NO_BACKSLASH_ESCAPES).
  s.variables.clear();
  s.last_insert_id = 0;
  s.transaction_characteristics.clear();
  s.variables["time_zone"] = "it's";
  EXPECT_EQ(s.ReplayStatements(), std::vector<std::string>{"SET SESSION time_zone = 'it''s'"});
}

TEST(SessionState, LastInsertIdFromOk) {
  SessionState s;
  s.ResetForNewConnection();
  std::string ok = Ok(kAc, {});
  ok[2] = 7;  // last_insert_id = 7
  ASSERT_TRUE(ApplyOkPacket(&s, ok, kCaps).ok());
  EXPECT_EQ(s.last_insert_id, 7u);
  ASSERT_TRUE(ApplyOkPacket(&s, Ok(kAc, {}), kCaps).ok());  // 0: unchanged
  EXPECT_EQ(s.last_insert_id, 7u);
}

TEST(SessionState, MalformedTrackInfoPinsAndFails) {
  SessionState s;
  s.ResetForNewConnection();
  std::string bad = Ok(kAc, {SysVar("a", "b")});
  bad.resize(bad.size() - 1);  // cut the value short
  // Either the OK itself or its state info fails to parse; never accepted silently.
  Status st = ApplyOkPacket(&s, bad, kCaps);
  EXPECT_FALSE(st.ok());
}

TEST(SessionState, PreparedStatementsAndToString) {
  SessionState s;
  s.user = "app";
  s.ResetForNewConnection();
  s.schema = "trade";
  s.prepared_statements[3] = {9, 1};
  s.prepared_statements[1] = {8, 1};
  s.variables["autocommit"] = "ON";
  EXPECT_EQ(s.ToString(),
            "user=app schema=trade charset=0 autocommit=1 in_trans=0 pinned=0 vars{autocommit=ON} "
            "stmts{1 3}");
}

}  // namespace
}  // namespace shardproxy::session
