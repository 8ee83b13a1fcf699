#include "proxy/protocol/response_tracker.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/packet.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {

// gtest prints kinds by name (found by ADL: must be in PacketKind's namespace).
void PrintTo(PacketKind k, std::ostream* os) { *os << PacketKindName(k); }

namespace {

using namespace testing;  // NOLINT: the builders
using Step = ResponseTracker::Step;

constexpr uint64_t kBase = kClientProtocol41 | kClientTransactions | kClientMultiResults |
                           kClientPsMultiResults | kClientSessionTrack;
constexpr uint64_t kDeprecate = kBase | kClientDeprecateEof;
constexpr uint16_t kAuto = kServerStatusAutocommit;
constexpr uint16_t kMore = kServerMoreResultsExists;

std::string Term(uint16_t status) {  // DEPRECATE_EOF terminator
  return OkPayload(0, 0, status, 0, "", std::nullopt, 0xFE);
}
std::string Col(std::string_view name) { return ColumnDefPayload("trade", "t", name, 3); }

// Feeds packets; expects kMore for all but the last, which must give `last`.
void Feed(ResponseTracker& t, const std::vector<std::string>& packets, Step last = Step::kDone) {
  for (size_t i = 0; i < packets.size(); ++i) {
    auto s = t.OnPacket(packets[i]);
    ASSERT_TRUE(s.ok()) << "packet " << i << ": " << s.status().ToString();
    EXPECT_EQ(*s, i + 1 == packets.size() ? last : Step::kMore) << "packet " << i;
  }
}

TEST(ResponseTrackerTest, NoResponseCommands) {
  ResponseTracker t;
  EXPECT_EQ(t.Begin(Command::kQuit, kBase), Step::kNone);
  EXPECT_EQ(t.Begin(Command::kStmtClose, kBase), Step::kNone);
  EXPECT_EQ(t.Begin(Command::kStmtSendLongData, kBase), Step::kNone);
  EXPECT_FALSE(t.OnPacket(OkPayload(0, 0, 2, 0)).ok());  // nothing pending
}

TEST(ResponseTrackerTest, QueryOkAndErr) {
  ResponseTracker t;
  ASSERT_EQ(t.Begin(Command::kQuery, kBase), Step::kMore);
  const std::string ok = OkPayload(1, 5, kAuto | kServerStatusInTrans, 0);
  Feed(t, {ok});
  EXPECT_FALSE(t.ended_with_error());
  EXPECT_EQ(t.final_status(), kAuto | kServerStatusInTrans);
  EXPECT_EQ(t.last_ok_payload(), ok);

  t.Begin(Command::kQuery, kBase);
  const std::string err = ErrPayload(1064, "42000", "syntax");
  Feed(t, {err});
  EXPECT_TRUE(t.ended_with_error());
  EXPECT_EQ(t.error_payload(), err);
  EXPECT_TRUE(t.last_ok_payload().empty());
}

TEST(ResponseTrackerTest, TextResultSetWithEof) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase);
  Feed(t, {ColumnCountPayload(2), Col("a"), Col("b"), EofPayload(0, kAuto),
           TextRowPayload({"1", std::nullopt}), TextRowPayload({"2", "x"}), EofPayload(0, kAuto)});
  EXPECT_EQ(t.final_status(), kAuto);
  EXPECT_EQ(t.result_sets(), 1u);
  EXPECT_FALSE(t.ended_with_error());
}

TEST(ResponseTrackerTest, TextResultSetDeprecateEof) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kDeprecate);
  Feed(t, {ColumnCountPayload(2), Col("a"), Col("b"), TextRowPayload({"1", "2"}), Term(kAuto)});
  EXPECT_EQ(t.last_ok_payload(), Term(kAuto));
  // Empty result set.
  t.Begin(Command::kQuery, kDeprecate);
  Feed(t, {ColumnCountPayload(1), Col("a"), Term(kAuto)});
}

TEST(ResponseTrackerTest, ErrInTheMiddleOfRows) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase);
  Feed(t, {ColumnCountPayload(1), Col("a"), EofPayload(0, kAuto), TextRowPayload({"1"}),
           ErrPayload(1317, "70100", "Query execution was interrupted")});
  EXPECT_TRUE(t.ended_with_error());
}

TEST(ResponseTrackerTest, HugeRowStartingWithFeIsNotATerminator) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kDeprecate);
  Feed(t, {ColumnCountPayload(1), Col("blob")}, Step::kMore);
  // First frame of a >16 MiB row: lenenc 0xFE prefix, full frame.
  std::string first_frame(kMaxFramePayload, 'x');
  first_frame[0] = '\xFE';
  auto s = t.OnPacket(first_frame, kMaxFramePayload);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, Step::kMore);
  // Caller passing only a prefix view of the frame plus the real frame length.
  s = t.OnPacket(std::string_view(first_frame).substr(0, 16), kMaxFramePayload);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, Step::kMore);
  Feed(t, {Term(kAuto)});
}

TEST(ResponseTrackerTest, MultiStatementAndStoredProcedure) {
  ResponseTracker t;
  // "INSERT ...; SELECT ...; BAD" : OK(more), result(more), ERR.
  t.Begin(Command::kQuery, kBase);
  Feed(t, {OkPayload(1, 0, kAuto | kMore, 0), ColumnCountPayload(1), Col("a"),
           EofPayload(0, kAuto | kMore), TextRowPayload({"1"}), EofPayload(0, kAuto | kMore),
           ErrPayload(1064, "42000", "bad")});
  EXPECT_TRUE(t.ended_with_error());
  EXPECT_EQ(t.result_sets(), 1u);
  // CALL p(): two result sets then the procedure's OK, DEPRECATE_EOF.
  t.Begin(Command::kQuery, kDeprecate);
  Feed(t, {ColumnCountPayload(1), Col("a"), TextRowPayload({"1"}), Term(kAuto | kMore),
           ColumnCountPayload(1), Col("b"), TextRowPayload({"2"}), Term(kAuto | kMore),
           OkPayload(0, 0, kAuto, 0)});
  EXPECT_EQ(t.result_sets(), 2u);
  EXPECT_EQ(t.final_status(), kAuto);
}

TEST(ResponseTrackerTest, LocalInfile) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase | kClientLocalFiles);
  Feed(t, {U8(0xFB) + "/tmp/data.csv"}, Step::kLocalInfile);
  EXPECT_FALSE(t.OnPacket(OkPayload(0, 0, 2, 0)).ok());  // client's turn
  t.Begin(Command::kQuery, kBase | kClientLocalFiles);
  Feed(t, {U8(0xFB) + "/tmp/data.csv"}, Step::kLocalInfile);
  t.LocalInfileSent();
  Feed(t, {OkPayload(3, 0, kAuto, 0, "Records: 3  Deleted: 0  Skipped: 0  Warnings: 0")});
}

TEST(ResponseTrackerTest, PrepareWithAndWithoutEof) {
  ResponseTracker t;
  t.Begin(Command::kStmtPrepare, kBase);
  Feed(t, {PrepareOkPayload(7, 2, 1, 0), Col("?"), EofPayload(0, kAuto), Col("a"), Col("b"),
           EofPayload(0, kAuto)});
  ASSERT_TRUE(t.prepare_ok().has_value());
  EXPECT_EQ(t.prepare_ok()->statement_id, 7u);
  EXPECT_EQ(t.prepare_ok()->num_params, 1);

  t.Begin(Command::kStmtPrepare, kDeprecate);
  Feed(t, {PrepareOkPayload(8, 1, 2, 0), Col("?"), Col("?"), Col("a")});
  t.Begin(Command::kStmtPrepare, kDeprecate);
  Feed(t, {PrepareOkPayload(9, 0, 0, 0)});  // e.g. "DO 1"
  t.Begin(Command::kStmtPrepare, kBase);
  Feed(t, {PrepareOkPayload(10, 0, 2, 0), Col("?"), Col("?"), EofPayload(0, kAuto)});
  t.Begin(Command::kStmtPrepare, kBase);
  Feed(t, {ErrPayload(1146, "42S02", "no table")});
  EXPECT_TRUE(t.ended_with_error());
  EXPECT_FALSE(t.prepare_ok().has_value());
}

TEST(ResponseTrackerTest, ExecuteBinaryResultAndCursor) {
  ResponseTracker t;
  t.Begin(Command::kStmtExecute, kBase, ExecutePayload(1, kCursorTypeNoCursor));
  Feed(t, {ColumnCountPayload(1), Col("id"), EofPayload(0, kAuto), BinaryRowPayload(1),
           BinaryRowPayload(2), EofPayload(0, kAuto)});
  EXPECT_FALSE(t.cursor_opened());

  // Cursor: the EOF after the defs carries CURSOR_EXISTS and ends the response.
  t.Begin(Command::kStmtExecute, kBase, ExecutePayload(1, kCursorTypeReadOnly));
  Feed(t, {ColumnCountPayload(1), Col("id"), EofPayload(0, kAuto | kServerStatusCursorExists)});
  EXPECT_TRUE(t.cursor_opened());
  EXPECT_TRUE(t.final_status() & kServerStatusCursorExists);

  // Same under DEPRECATE_EOF: OK(0xFE) with CURSOR_EXISTS after the defs.
  t.Begin(Command::kStmtExecute, kDeprecate, ExecutePayload(1, kCursorTypeReadOnly));
  Feed(t, {ColumnCountPayload(1), Col("id"), Term(kAuto | kServerStatusCursorExists)});
  EXPECT_TRUE(t.cursor_opened());

  // Then COM_STMT_FETCH: rows, then EOF (cursor still open) / LAST_ROW_SENT.
  t.Begin(Command::kStmtFetch, kBase);
  Feed(t, {BinaryRowPayload(1), BinaryRowPayload(2),
           EofPayload(0, kAuto | kServerStatusCursorExists)});
  t.Begin(Command::kStmtFetch, kDeprecate);
  Feed(t, {BinaryRowPayload(3), Term(kAuto | kServerStatusLastRowSent)});
  EXPECT_TRUE(t.final_status() & kServerStatusLastRowSent);
  t.Begin(Command::kStmtFetch, kBase);
  Feed(t, {ErrPayload(1243, "HY000", "Unknown prepared statement handler")});

  // DML through EXECUTE: plain OK.
  t.Begin(Command::kStmtExecute, kBase, ExecutePayload(1, 0));
  Feed(t, {OkPayload(1, 0, kAuto, 0)});
}

TEST(ResponseTrackerTest, CacheMetadataSkippedDefinitions) {
  const uint64_t caps = kBase | kMariaDbClientCacheMetadata;
  ResponseTracker t;
  // metadata follows = 0: no column defs, EOF then rows.
  t.Begin(Command::kStmtExecute, caps, ExecutePayload(1, 0));
  Feed(t,
       {ColumnCountPayload(2, 0), EofPayload(0, kAuto), BinaryRowPayload(1), EofPayload(0, kAuto)});
  // metadata follows = 1: as usual.
  t.Begin(Command::kStmtExecute, caps | kClientDeprecateEof, ExecutePayload(1, 0));
  Feed(t, {ColumnCountPayload(1, 1), Col("a"), BinaryRowPayload(1), Term(kAuto)});
  t.Begin(Command::kStmtExecute, caps | kClientDeprecateEof, ExecutePayload(1, 0));
  Feed(t, {ColumnCountPayload(1, 0), BinaryRowPayload(1), Term(kAuto)});
}

TEST(ResponseTrackerTest, FieldList) {
  ResponseTracker t;
  t.Begin(Command::kFieldList, kBase);
  Feed(t, {ColumnDefPayload("trade", "t", "a", 3, 63, 11, 0, 0, std::nullopt, std::string("0")),
           ColumnDefPayload("trade", "t", "b", 3), EofPayload(0, kAuto)});
  t.Begin(Command::kFieldList, kDeprecate);
  Feed(t, {Col("a"), Term(kAuto)});
  t.Begin(Command::kFieldList, kBase);
  Feed(t, {ErrPayload(1146, "42S02", "Table 'trade.nope' doesn't exist")});
  EXPECT_TRUE(t.ended_with_error());
}

TEST(ResponseTrackerTest, StatisticsSetOptionAndSimpleCommands) {
  ResponseTracker t;
  t.Begin(Command::kStatistics, kBase);
  Feed(t, {"Uptime: 10  Threads: 1  Questions: 5  Slow queries: 0  Opens: 17"});
  t.Begin(Command::kSetOption, kBase);
  Feed(t, {EofPayload(0, kAuto)});
  t.Begin(Command::kSetOption, kDeprecate);
  Feed(t, {Term(kAuto)});
  t.Begin(Command::kSetOption, kBase);
  Feed(t, {ErrPayload(1047, "08S01", "Unknown command")});
  for (Command c : {Command::kPing, Command::kInitDb, Command::kResetConnection,
                    Command::kProcessKill, Command::kStmtReset, Command::kRefresh}) {
    SCOPED_TRACE(CommandName(c));
    ASSERT_EQ(t.Begin(c, kBase), Step::kMore);
    Feed(t, {OkPayload(0, 0, kAuto, 0)});
    t.Begin(c, kBase);
    Feed(t, {ErrPayload(1094, "HY000", "Unknown thread id")});
  }
  // A result set where OK|ERR is expected: the backend broke the protocol.
  t.Begin(Command::kPing, kBase);
  auto s = t.OnPacket(ColumnCountPayload(1));
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(t.idle());
}

TEST(ResponseTrackerTest, ProgressReportsAreRelayed) {
  const uint64_t caps = kBase | kMariaDbClientProgress;
  ResponseTracker t;
  t.Begin(Command::kQuery, caps);
  Feed(t, {ProgressPayload(1, 2, 500), ProgressPayload(2, 2, 900), OkPayload(0, 0, kAuto, 0)});
  EXPECT_FALSE(t.ended_with_error());
  // Without the capability an 0xFFFF ERR is just an ERR.
  t.Begin(Command::kQuery, kBase);
  Feed(t, {ProgressPayload(1, 2, 500)});
  EXPECT_TRUE(t.ended_with_error());
}

TEST(ResponseTrackerTest, ProtocolViolations) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase);
  EXPECT_FALSE(t.OnPacket("").ok());
  t.Begin(Command::kQuery, kBase);
  EXPECT_FALSE(t.OnPacket(EofPayload(0, 2)).ok());  // EOF where a result starts
  t.Begin(Command::kQuery, kBase);
  Feed(t, {ColumnCountPayload(2), Col("a")}, Step::kMore);
  EXPECT_FALSE(t.OnPacket(EofPayload(0, 2)).ok());  // one column definition missing
  t.Begin(Command::kQuery, kBase);
  Feed(t, {ColumnCountPayload(1), Col("a")}, Step::kMore);
  EXPECT_FALSE(t.OnPacket(TextRowPayload({"1"})).ok());  // missing EOF after defs
  t.Begin(Command::kStmtPrepare, kBase);
  EXPECT_FALSE(t.OnPacket(ColumnCountPayload(1)).ok());
  t.Begin(Command::kQuery, kBase);
  EXPECT_FALSE(t.OnPacket("\xFC\x01").ok());  // truncated column count
}

TEST(ResponseTrackerTest, ChangeUserFirstPacketOnly) {
  ResponseTracker t;
  t.Begin(Command::kChangeUser, kBase);
  Feed(t, {U8(0xFE) + Nul("mysql_native_password") + std::string(20, 's') + std::string(1, '\0')});
  EXPECT_FALSE(t.ended_with_error());
}

// ------------------------------------------------------------ packet kinds
//
// last_kind() replaces session::OkFinder: every case its tests cover is here,
// with OkFinder's own bytes (a text row whose first column is '' and a binary
// row both start with 0x00 and are OK-sized).

// OkFinder's test packets, byte for byte.
std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}
std::string FinderOk(uint16_t status, uint8_t header = 0x00) {
  return Bytes({header, 0, 0, status & 0xFF, status >> 8, 0, 0});
}
std::string FinderEof(uint16_t status) { return Bytes({0xFE, 0, 0, status & 0xFF, status >> 8}); }
const std::string kFinderColDef = std::string(
                                      "\x03"
                                      "def",
                                      4) +
                                  std::string(20, 'x');
const std::string kEmptyFirstColumnRow = Bytes({0x00, 0x01, 'a', 0x00, 0x00, 0x00, 0x00});
const std::string kFinderBinaryRow = Bytes({0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00});

// Feeds packets and returns their kinds by name, space-separated; '*' marks
// last_is_terminator(), '!' a packet OnPacket rejected.
std::string Trace(ResponseTracker& t, const std::vector<std::string>& packets) {
  std::string out;
  for (const std::string& p : packets) {
    auto s = t.OnPacket(p);
    if (!out.empty()) out += ' ';
    out += PacketKindName(t.last_kind());
    if (t.last_is_terminator()) out += '*';
    if (!s.ok()) out += '!';
  }
  return out;
}

TEST(ResponseTrackerKindTest, Names) {
  const PacketKind all[] = {PacketKind::kOk,
                            PacketKind::kErr,
                            PacketKind::kEof,
                            PacketKind::kColumnCount,
                            PacketKind::kColumnDefinition,
                            PacketKind::kRow,
                            PacketKind::kLocalInfileRequest,
                            PacketKind::kPrepareOk,
                            PacketKind::kParamDefinition,
                            PacketKind::kProgress,
                            PacketKind::kOther};
  std::string names;
  for (PacketKind k : all) names += std::string(PacketKindName(k)) + ",";
  EXPECT_EQ(names,
            "OK,ERR,EOF,COLUMN_COUNT,COLUMN_DEFINITION,ROW,LOCAL_INFILE_REQUEST,PREPARE_OK,"
            "PARAM_DEFINITION,PROGRESS,OTHER,");
  ResponseTracker t;
  EXPECT_EQ(t.last_kind(), PacketKind::kOther);
  EXPECT_FALSE(t.last_is_terminator());
  EXPECT_EQ(t.column_count(), 0u);
}

// OkFinder.SimpleOk, and the other one-packet commands.
TEST(ResponseTrackerKindTest, SimpleCommands) {
  ResponseTracker t;
  t.Begin(Command::kPing, kBase);
  EXPECT_EQ(Trace(t, {FinderOk(2)}), "OK");
  t.Begin(Command::kInitDb, kBase);
  EXPECT_EQ(Trace(t, {Bytes({0xFF, 0x19, 0x04, '#', '4', '2', '0', '0', '0', 'x'})}), "ERR");
  EXPECT_TRUE(t.ended_with_error());
  t.Begin(Command::kResetConnection, kDeprecate);
  EXPECT_EQ(Trace(t, {OkPayload(0, 0, kAuto | kServerSessionStateChanged, 0, "",
                                std::string("\x01\x03\x02"
                                            "db",
                                            5))}),
            "OK");
  // COM_SET_OPTION answers with an EOF: an OK(0xFE) under DEPRECATE_EOF.
  t.Begin(Command::kSetOption, kBase);
  EXPECT_EQ(Trace(t, {EofPayload(0, kAuto)}), "EOF");
  t.Begin(Command::kSetOption, kDeprecate);
  EXPECT_EQ(Trace(t, {Term(kAuto)}), "OK");
  // Nothing after the end.
  EXPECT_EQ(Trace(t, {FinderOk(2)}), "OTHER!");
}

// OkFinder.TextResultWithEofRowsStartingWithZeroAreNotOk.
TEST(ResponseTrackerKindTest, TextRowsStartingWithZeroAreRows) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase);
  EXPECT_EQ(Trace(t, {Bytes({0x02}), kFinderColDef, kFinderColDef, FinderEof(2)}),
            "COLUMN_COUNT COLUMN_DEFINITION COLUMN_DEFINITION EOF");
  EXPECT_EQ(t.column_count(), 2u);
  EXPECT_EQ(Trace(t, {kEmptyFirstColumnRow, kEmptyFirstColumnRow,
                      TextRowPayload({std::nullopt, ""}), TextRowPayload({"", ""}), FinderEof(2)}),
            "ROW ROW ROW ROW EOF*");
  EXPECT_TRUE(t.idle());
  EXPECT_EQ(t.column_count(), 2u);  // kept after the terminator
  // The same rows under DEPRECATE_EOF: only the 0xFE terminator is an OK.
  t.Begin(Command::kQuery, kDeprecate);
  EXPECT_EQ(Trace(t, {Bytes({0x01}), kFinderColDef, kEmptyFirstColumnRow, FinderOk(2, 0xFE)}),
            "COLUMN_COUNT COLUMN_DEFINITION ROW OK*");
}

// OkFinder.MultiStatementOksAndDeprecateEofTerminator: every intermediate OK.
TEST(ResponseTrackerKindTest, MultiStatementIntermediateOks) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kDeprecate);
  // SET @a=1; SELECT ... ; (final OK)
  EXPECT_EQ(Trace(t, {FinderOk(2 | kMore)}), "OK");
  EXPECT_EQ(t.column_count(), 0u);
  EXPECT_EQ(Trace(t, {Bytes({0x01}), kFinderColDef, kEmptyFirstColumnRow}),
            "COLUMN_COUNT COLUMN_DEFINITION ROW");
  EXPECT_EQ(t.column_count(), 1u);
  EXPECT_EQ(Trace(t, {FinderOk(2 | kMore, 0xFE)}), "OK*");
  EXPECT_EQ(Trace(t, {FinderOk(2)}), "OK");
  EXPECT_EQ(t.column_count(), 0u);
  EXPECT_TRUE(t.idle());
  EXPECT_EQ(Trace(t, {FinderOk(2)}), "OTHER!");  // nothing after the end

  // Without DEPRECATE_EOF: OK(more), result set(more), ERR.
  t.Begin(Command::kQuery, kBase);
  EXPECT_EQ(Trace(t, {OkPayload(1, 0, kAuto | kMore, 0), ColumnCountPayload(1), Col("a"),
                      EofPayload(0, kAuto | kMore), TextRowPayload({""}),
                      EofPayload(0, kAuto | kMore), ErrPayload(1064, "42000", "bad")}),
            "OK COLUMN_COUNT COLUMN_DEFINITION EOF ROW EOF* ERR");
  EXPECT_EQ(t.column_count(), 0u);

  // CALL p(): result sets of 1 and 3 columns, then the procedure's OK.
  t.Begin(Command::kQuery, kDeprecate);
  EXPECT_EQ(Trace(t, {ColumnCountPayload(1), Col("a"), TextRowPayload({"1"})}),
            "COLUMN_COUNT COLUMN_DEFINITION ROW");
  EXPECT_EQ(t.column_count(), 1u);
  EXPECT_EQ(Trace(t, {Term(kAuto | kMore), ColumnCountPayload(3), Col("a"), Col("b"), Col("c")}),
            "OK* COLUMN_COUNT COLUMN_DEFINITION COLUMN_DEFINITION COLUMN_DEFINITION");
  EXPECT_EQ(t.column_count(), 3u);
  EXPECT_EQ(Trace(t, {Term(kAuto | kMore), OkPayload(0, 0, kAuto, 0)}), "OK* OK");
  EXPECT_EQ(t.result_sets(), 2u);
  EXPECT_TRUE(t.idle());
}

// OkFinder.BinaryRowsAreNotOk.
TEST(ResponseTrackerKindTest, BinaryRowsAreRows) {
  ResponseTracker t;
  t.Begin(Command::kStmtExecute, kDeprecate, ExecutePayload(1, 0));
  EXPECT_EQ(Trace(t, {Bytes({0x01}), kFinderColDef, kFinderBinaryRow, kFinderBinaryRow,
                      FinderOk(2, 0xFE)}),
            "COLUMN_COUNT COLUMN_DEFINITION ROW ROW OK*");
  t.Begin(Command::kStmtExecute, kBase, ExecutePayload(1, 0));
  EXPECT_EQ(Trace(t, {ColumnCountPayload(1), Col("id"), EofPayload(0, kAuto), BinaryRowPayload(0),
                      BinaryRowPayload(7), EofPayload(0, kAuto)}),
            "COLUMN_COUNT COLUMN_DEFINITION EOF ROW ROW EOF*");
  // DML through EXECUTE: a plain OK, not a terminator.
  t.Begin(Command::kStmtExecute, kDeprecate, ExecutePayload(1, 0));
  EXPECT_EQ(Trace(t, {OkPayload(1, 9, kAuto, 0)}), "OK");
}

// OkFinder.CursorEndsAfterDefinitions, and COM_STMT_FETCH.
TEST(ResponseTrackerKindTest, CursorAndFetch) {
  ResponseTracker t;
  t.Begin(Command::kStmtExecute, kBase, ExecutePayload(1, kCursorTypeReadOnly));
  EXPECT_EQ(Trace(t, {Bytes({0x01}), kFinderColDef, FinderEof(2 | kServerStatusCursorExists)}),
            "COLUMN_COUNT COLUMN_DEFINITION EOF*");
  EXPECT_TRUE(t.cursor_opened());
  EXPECT_EQ(Trace(t, {kFinderBinaryRow}), "OTHER!");  // (would belong to a later FETCH)
  // Under DEPRECATE_EOF the cursor's terminator is an OK(0xFE).
  t.Begin(Command::kStmtExecute, kDeprecate, ExecutePayload(1, kCursorTypeReadOnly));
  EXPECT_EQ(Trace(t, {ColumnCountPayload(1), Col("id"), Term(kAuto | kServerStatusCursorExists)}),
            "COLUMN_COUNT COLUMN_DEFINITION OK*");
  EXPECT_TRUE(t.cursor_opened());

  t.Begin(Command::kStmtFetch, kBase);
  EXPECT_EQ(Trace(t, {kFinderBinaryRow, kEmptyFirstColumnRow,
                      EofPayload(0, kAuto | kServerStatusCursorExists)}),
            "ROW ROW EOF*");
  EXPECT_EQ(t.column_count(), 0u);  // a fetch has no column count
  t.Begin(Command::kStmtFetch, kDeprecate);
  EXPECT_EQ(Trace(t, {kFinderBinaryRow, Term(kAuto | kServerStatusLastRowSent)}), "ROW OK*");
  t.Begin(Command::kStmtFetch, kDeprecate);
  EXPECT_EQ(Trace(t, {ErrPayload(1243, "HY000", "Unknown prepared statement handler")}), "ERR");
}

// OkFinder.PrepareOkIsNotAnOk.
TEST(ResponseTrackerKindTest, PrepareResponses) {
  ResponseTracker t;
  t.Begin(Command::kStmtPrepare, kDeprecate);
  // OkFinder's bytes: id 1, 1 column, 1 parameter.
  EXPECT_EQ(Trace(t, {Bytes({0x00, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0}), Col("?"), Col("a")}),
            "PREPARE_OK PARAM_DEFINITION COLUMN_DEFINITION");
  EXPECT_TRUE(t.idle());
  t.Begin(Command::kStmtPrepare, kBase);
  EXPECT_EQ(Trace(t, {PrepareOkPayload(7, 2, 1, 0), Col("?"), EofPayload(0, kAuto), Col("a"),
                      Col("b"), EofPayload(0, kAuto)}),
            "PREPARE_OK PARAM_DEFINITION EOF COLUMN_DEFINITION COLUMN_DEFINITION EOF");
  t.Begin(Command::kStmtPrepare, kDeprecate);
  EXPECT_EQ(Trace(t, {PrepareOkPayload(9, 0, 0, 0)}), "PREPARE_OK");
  t.Begin(Command::kStmtPrepare, kBase);
  EXPECT_EQ(Trace(t, {ErrPayload(1146, "42S02", "no table")}), "ERR");
}

// OkFinder.LocalInfileThenOk.
TEST(ResponseTrackerKindTest, LocalInfile) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase | kClientLocalFiles);
  EXPECT_EQ(Trace(t, {Bytes({0xFB, '/', 't'})}), "LOCAL_INFILE_REQUEST");
  EXPECT_EQ(t.column_count(), 0u);
  t.LocalInfileSent();
  EXPECT_EQ(Trace(t, {FinderOk(2)}), "OK");
  EXPECT_TRUE(t.idle());
  t.Begin(Command::kQuery, kBase | kClientLocalFiles);
  EXPECT_EQ(Trace(t, {U8(0xFB) + "/tmp/x"}), "LOCAL_INFILE_REQUEST");
  t.LocalInfileSent();
  EXPECT_EQ(Trace(t, {ErrPayload(1062, "23000", "Duplicate entry")}), "ERR");
}

TEST(ResponseTrackerKindTest, FieldListStatisticsChangeUser) {
  ResponseTracker t;
  t.Begin(Command::kFieldList, kBase);
  EXPECT_EQ(Trace(t, {Col("a"), Col("b"), EofPayload(0, kAuto)}),
            "COLUMN_DEFINITION COLUMN_DEFINITION EOF");
  t.Begin(Command::kFieldList, kDeprecate);
  EXPECT_EQ(Trace(t, {Col("a"), Term(kAuto)}), "COLUMN_DEFINITION OK");
  t.Begin(Command::kStatistics, kBase);
  EXPECT_EQ(Trace(t, {"Uptime: 10  Threads: 1"}), "OTHER");
  t.Begin(Command::kStatistics, kBase);
  EXPECT_EQ(Trace(t, {std::string(8, '\0')}), "OTHER");  // a string, whatever it starts with
  t.Begin(Command::kChangeUser, kBase);
  EXPECT_EQ(Trace(t, {OkPayload(0, 0, kAuto, 0)}), "OK");
  t.Begin(Command::kChangeUser, kBase);
  EXPECT_EQ(Trace(t, {U8(0xFE) + Nul("mysql_native_password") + std::string(20, 's') +
                      std::string(1, '\0')}),
            "OTHER");
  t.Begin(Command::kChangeUser, kBase);
  EXPECT_EQ(Trace(t, {ErrPayload(1045, "28000", "Access denied")}), "ERR");
}

TEST(ResponseTrackerKindTest, ProgressAndCacheMetadata) {
  ResponseTracker t;
  t.Begin(Command::kQuery, kBase | kMariaDbClientProgress);
  EXPECT_EQ(
      Trace(t, {ProgressPayload(1, 2, 500), ProgressPayload(2, 2, 900), OkPayload(0, 0, kAuto, 0)}),
      "PROGRESS PROGRESS OK");
  t.Begin(Command::kQuery, kBase);  // no capability: just an ERR
  EXPECT_EQ(Trace(t, {ProgressPayload(1, 2, 500)}), "ERR");

  const uint64_t caps = kBase | kMariaDbClientCacheMetadata;
  t.Begin(Command::kStmtExecute, caps, ExecutePayload(1, 0));  // metadata skipped
  EXPECT_EQ(Trace(t, {ColumnCountPayload(2, 0), EofPayload(0, kAuto), kFinderBinaryRow,
                      EofPayload(0, kAuto)}),
            "COLUMN_COUNT EOF ROW EOF*");
  EXPECT_EQ(t.column_count(), 2u);
  t.Begin(Command::kStmtExecute, caps | kClientDeprecateEof, ExecutePayload(1, 0));
  EXPECT_EQ(Trace(t, {ColumnCountPayload(2, 0), kFinderBinaryRow, Term(kAuto)}),
            "COLUMN_COUNT ROW OK*");
}

// The edges of "is an OK" (as OkFinder drew them).
TEST(ResponseTrackerKindTest, OkEdges) {
  ResponseTracker t;
  // A 5-byte EOF as terminator under DEPRECATE_EOF is not an OK.
  t.Begin(Command::kQuery, kDeprecate);
  EXPECT_EQ(Trace(t, {ColumnCountPayload(1), Col("a"), TextRowPayload({"1"}), FinderEof(2)}),
            "COLUMN_COUNT COLUMN_DEFINITION ROW EOF*");
  // Without DEPRECATE_EOF an OK-sized 0xFE terminator is still an EOF.
  t.Begin(Command::kQuery, kBase);
  EXPECT_EQ(Trace(t, {ColumnCountPayload(1), Col("a"), EofPayload(0, kAuto), TextRowPayload({"1"}),
                      FinderOk(2, 0xFE)}),
            "COLUMN_COUNT COLUMN_DEFINITION EOF ROW EOF*");
  // A 0x00 packet too short for the status flags ends the response but is no OK.
  t.Begin(Command::kQuery, kBase);
  EXPECT_EQ(Trace(t, {Bytes({0x00, 0x00, 0x00, 0x02, 0x00})}), "OTHER");
  EXPECT_TRUE(t.idle());
  t.Begin(Command::kPing, kBase);
  EXPECT_EQ(Trace(t, {Bytes({0x00, 0x00, 0x00})}), "OTHER");
  EXPECT_TRUE(t.idle());
  // A 0x00 packet filling a whole frame (a multi-frame packet) is not read as an OK.
  std::string big(kMaxFramePayload, '\0');
  t.Begin(Command::kQuery, kBase);
  ASSERT_TRUE(t.OnPacket(std::string_view(big).substr(0, 16), kMaxFramePayload).ok());
  EXPECT_EQ(t.last_kind(), PacketKind::kOther);
  // Rows starting with 0xFE (first frame of a >16 MiB row) or 0xFB (NULL) are rows.
  t.Begin(Command::kQuery, kDeprecate);
  Feed(t, {ColumnCountPayload(1), Col("blob")}, Step::kMore);
  big[0] = '\xFE';
  ASSERT_TRUE(t.OnPacket(big, kMaxFramePayload).ok());
  EXPECT_EQ(t.last_kind(), PacketKind::kRow);
  EXPECT_FALSE(t.last_is_terminator());
  EXPECT_EQ(Trace(t, {TextRowPayload({std::nullopt}), Term(kAuto)}), "ROW OK*");
}

TEST(ResponseTrackerKindTest, ProtocolErrorsAndBeginReset) {
  ResponseTracker t;
  t.Begin(Command::kPing, kBase);
  EXPECT_EQ(Trace(t, {ColumnCountPayload(1)}), "OTHER!");
  t.Begin(Command::kQuery, kBase);
  EXPECT_EQ(Trace(t, {EofPayload(0, 2)}), "OTHER!");
  t.Begin(Command::kQuery, kBase);
  EXPECT_EQ(Trace(t, {ColumnCountPayload(2), Col("a"), EofPayload(0, 2)}),
            "COLUMN_COUNT COLUMN_DEFINITION OTHER!");
  // Begin forgets the previous response's last packet.
  t.Begin(Command::kQuery, kDeprecate);
  EXPECT_EQ(Trace(t, {ColumnCountPayload(4), Col("a"), Col("b"), Col("c"), Col("d"), Term(kAuto)}),
            "COLUMN_COUNT COLUMN_DEFINITION COLUMN_DEFINITION COLUMN_DEFINITION COLUMN_DEFINITION "
            "OK*");
  t.Begin(Command::kQuery, kDeprecate);
  EXPECT_EQ(t.last_kind(), PacketKind::kOther);
  EXPECT_FALSE(t.last_is_terminator());
  EXPECT_EQ(t.column_count(), 0u);
}

}  // namespace
}  // namespace shardproxy::protocol
