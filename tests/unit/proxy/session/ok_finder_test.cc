// OkFinder: which packets of a response are OK packets (to track state and
// strip session tracking), including rows that start with 0x00.
#include "proxy/session/ok_finder.h"

#include <gtest/gtest.h>

#include <string>

#include "proxy/protocol/capabilities.h"

namespace shardproxy::session {
namespace {

using protocol::Command;
constexpr uint64_t kEof = protocol::kClientProtocol41;
constexpr uint64_t kDepEof = protocol::kClientProtocol41 | protocol::kClientDeprecateEof;

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}
// OK with status flags (affected 0, insert id 0, warnings 0).
std::string Ok(uint16_t status, uint8_t header = 0x00) {
  return Bytes({header, 0, 0, status & 0xFF, status >> 8, 0, 0});
}
std::string Eof(uint16_t status) { return Bytes({0xFE, 0, 0, status & 0xFF, status >> 8}); }
const std::string kColDef = std::string(
                                "\x03"
                                "def",
                                4) +
                            std::string(20, 'x');
// A text row whose first column is '' (lenenc 0) and a binary row (header 0x00): both start with
// 0x00.
const std::string kEmptyFirstColumnRow = Bytes({0x00, 0x01, 'a', 0x00, 0x00, 0x00, 0x00});
const std::string kBinaryRow = Bytes({0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00});

bool IsOk(OkFinder& f, const std::string& p) { return f.IsOk(p, p.size()); }

TEST(OkFinder, SimpleOk) {
  OkFinder f;
  f.Begin(Command::kPing, kEof);
  EXPECT_TRUE(IsOk(f, Ok(2)));
  f.Begin(Command::kInitDb, kEof);
  EXPECT_FALSE(IsOk(f, Bytes({0xFF, 0x19, 0x04, '#', '4', '2', '0', '0', '0', 'x'})));
}

TEST(OkFinder, TextResultWithEofRowsStartingWithZeroAreNotOk) {
  OkFinder f;
  f.Begin(Command::kQuery, kEof);
  EXPECT_FALSE(IsOk(f, Bytes({0x02})));  // 2 columns
  EXPECT_FALSE(IsOk(f, kColDef));
  EXPECT_FALSE(IsOk(f, kColDef));
  EXPECT_FALSE(IsOk(f, Eof(2)));
  EXPECT_FALSE(IsOk(f, kEmptyFirstColumnRow));
  EXPECT_FALSE(IsOk(f, kEmptyFirstColumnRow));
  EXPECT_FALSE(IsOk(f, Eof(2)));
}

TEST(OkFinder, MultiStatementOksAndDeprecateEofTerminator) {
  OkFinder f;
  f.Begin(Command::kQuery, kDepEof);
  constexpr uint16_t kMore = protocol::kServerMoreResultsExists;
  EXPECT_TRUE(IsOk(f, Ok(2 | kMore)));   // SET @a=1;
  EXPECT_FALSE(IsOk(f, Bytes({0x01})));  // SELECT ...: 1 column
  EXPECT_FALSE(IsOk(f, kColDef));
  EXPECT_FALSE(IsOk(f, kEmptyFirstColumnRow));
  EXPECT_TRUE(IsOk(f, Ok(2 | kMore, 0xFE)));  // terminator, more results
  EXPECT_TRUE(IsOk(f, Ok(2)));                // final OK
  EXPECT_FALSE(IsOk(f, Ok(2)));               // nothing after the end
}

TEST(OkFinder, BinaryRowsAreNotOk) {
  OkFinder f;
  f.Begin(Command::kStmtExecute, kDepEof);
  EXPECT_FALSE(IsOk(f, Bytes({0x01})));
  EXPECT_FALSE(IsOk(f, kColDef));
  EXPECT_FALSE(IsOk(f, kBinaryRow));
  EXPECT_FALSE(IsOk(f, kBinaryRow));
  EXPECT_TRUE(IsOk(f, Ok(2, 0xFE)));
}

TEST(OkFinder, CursorEndsAfterDefinitions) {
  OkFinder f;
  f.Begin(Command::kStmtExecute, kEof);
  EXPECT_FALSE(IsOk(f, Bytes({0x01})));
  EXPECT_FALSE(IsOk(f, kColDef));
  EXPECT_FALSE(IsOk(f, Eof(2 | protocol::kServerStatusCursorExists)));
  EXPECT_FALSE(IsOk(f, kBinaryRow));  // (would belong to a later FETCH)
}

TEST(OkFinder, PrepareOkIsNotAnOk) {
  OkFinder f;
  f.Begin(Command::kStmtPrepare, kDepEof);
  EXPECT_FALSE(IsOk(f, Bytes({0x00, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0})));
}

TEST(OkFinder, LocalInfileThenOk) {
  OkFinder f;
  f.Begin(Command::kQuery, kEof);
  EXPECT_FALSE(IsOk(f, Bytes({0xFB, '/', 't'})));
  f.LocalInfileSent();
  EXPECT_TRUE(IsOk(f, Ok(2)));
}

}  // namespace
}  // namespace shardproxy::session
