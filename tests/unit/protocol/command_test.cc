#include "proxy/protocol/command.h"

#include <gtest/gtest.h>

#include <cstring>

#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/column_definition.h"
#include "tests/unit/protocol/packet_builders.h"

namespace shardproxy::protocol {
namespace {

using namespace testing;  // NOLINT: the builders

TEST(CommandTest, Names) {
  EXPECT_STREQ(CommandName(Command::kQuery), "COM_QUERY");
  EXPECT_STREQ(CommandName(Command::kStmtBulkExecute), "COM_STMT_BULK_EXECUTE");
  EXPECT_STREQ(CommandName(static_cast<Command>(0x77)), "COM_UNKNOWN");
}

TEST(CommandTest, StmtIds) {
  std::string exec = ExecutePayload(0x01020304, 0);
  EXPECT_EQ(StmtIdOf(exec), 0x01020304u);
  EXPECT_TRUE(SetStmtId(&exec, 77));
  EXPECT_EQ(exec, ExecutePayload(77, 0));
  EXPECT_EQ(StmtIdOf("\x19\x01"), 0u);
  std::string shortp = "\x19";
  EXPECT_FALSE(SetStmtId(&shortp, 1));
}

TEST(StmtPrepareOkTest, RoundTrip) {
  const std::string bytes = PrepareOkPayload(9, 2, 3, 1);
  EXPECT_EQ(bytes.size(), 12u);
  auto p = StmtPrepareOk::Parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->statement_id, 9u);
  EXPECT_EQ(p->num_columns, 2);
  EXPECT_EQ(p->num_params, 3);
  EXPECT_EQ(p->warnings, 1);
  EXPECT_EQ(p->Serialize(), bytes);
  EXPECT_FALSE(StmtPrepareOk::Parse(bytes.substr(0, 6)).ok());
  EXPECT_FALSE(StmtPrepareOk::Parse(ErrPayload(1064, "42000", "x")).ok());
}

TEST(ChangeUserTest, RoundTrip) {
  const uint64_t caps =
      kClientProtocol41 | kClientSecureConnection | kClientPluginAuth | kClientConnectAttrs;
  const std::string bytes = U8(0x11) + Nul("app") + U8(20) + std::string(20, 's') + Nul("trade") +
                            U16(224) + Nul("mysql_native_password") +
                            LenStr(LenStr("_client_name") + LenStr("libmariadb"));
  auto c = ChangeUserRequest::Parse(bytes, caps);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->username, "app");
  EXPECT_EQ(c->auth_response, std::string(20, 's'));
  EXPECT_EQ(c->database, "trade");
  EXPECT_EQ(c->charset, 224);
  EXPECT_EQ(c->auth_plugin_name, "mysql_native_password");
  ASSERT_EQ(c->attributes.size(), 1u);
  EXPECT_EQ(c->Serialize(caps), bytes);
  // Old minimal form: user, auth, db only.
  auto m = ChangeUserRequest::Parse(U8(0x11) + Nul("u") + U8(0) + Nul(""), caps);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->username, "u");
  EXPECT_FALSE(ChangeUserRequest::Parse(U8(0x11) + "u", caps).ok());
  EXPECT_FALSE(ChangeUserRequest::Parse(U8(0x03) + "x", caps).ok());
}

TEST(ColumnDefinitionTest, RoundTrip) {
  const std::string bytes =
      ColumnDefPayload("trade", "orders", "id", kTypeLongLong, 63, 20, kFlagNotNull | kFlagPriKey);
  auto c = ColumnDefinition41::Parse(bytes);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->catalog, "def");
  EXPECT_EQ(c->schema, "trade");
  EXPECT_EQ(c->table, "orders");
  EXPECT_EQ(c->org_table, "orders");
  EXPECT_EQ(c->name, "id");
  EXPECT_EQ(c->org_name, "id");
  EXPECT_EQ(c->charset, 63);
  EXPECT_EQ(c->column_length, 20u);
  EXPECT_EQ(c->type, kTypeLongLong);
  EXPECT_EQ(c->flags, kFlagNotNull | kFlagPriKey);
  EXPECT_EQ(c->decimals, 0);
  EXPECT_FALSE(c->default_values.has_value());
  EXPECT_EQ(c->Serialize(), bytes);
}

TEST(ColumnDefinitionTest, MariaDbExtendedMetadataAndFieldListDefault) {
  const std::string ext = U8(0) + LenStr("json");
  const std::string bytes = ColumnDefPayload("trade", "t", "doc", kTypeBlob, 45, 0xFFFFFFFF,
                                             kFlagBlob, 0, ext, std::string("NULL"));
  auto c = ColumnDefinition41::Parse(bytes, kMariaDbClientExtendedMetadata);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->extended_metadata, ext);
  EXPECT_EQ(c->type, kTypeBlob);
  EXPECT_EQ(c->column_length, 0xFFFFFFFFu);
  ASSERT_TRUE(c->default_values.has_value());
  EXPECT_EQ(*c->default_values, "NULL");
  EXPECT_EQ(c->Serialize(kMariaDbClientExtendedMetadata), bytes);
}

TEST(ColumnDefinitionTest, Truncated) {
  const std::string bytes = ColumnDefPayload("s", "t", "c", kTypeLong);
  for (size_t n = 0; n < bytes.size() - 2; ++n) {  // the 2 filler bytes are optional-ish
    EXPECT_FALSE(ColumnDefinition41::Parse(bytes.substr(0, n)).ok()) << n;
  }
}

}  // namespace
}  // namespace shardproxy::protocol
