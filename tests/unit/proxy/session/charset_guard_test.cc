#include "proxy/session/charset_guard.h"

#include <gtest/gtest.h>

#include "parser/digest/digest.h"

namespace shardproxy::session {
namespace {

TEST(CharsetGuardTest, CollationIds) {
  EXPECT_EQ(RefusedCharsetOfCollation(28).value_or(""), "gbk");
  EXPECT_EQ(RefusedCharsetOfCollation(87).value_or(""), "gbk");
  EXPECT_EQ(RefusedCharsetOfCollation(1).value_or(""), "big5");
  EXPECT_EQ(RefusedCharsetOfCollation(84).value_or(""), "big5");
  EXPECT_EQ(RefusedCharsetOfCollation(13).value_or(""), "sjis");
  EXPECT_EQ(RefusedCharsetOfCollation(88).value_or(""), "sjis");
  EXPECT_EQ(RefusedCharsetOfCollation(95).value_or(""), "cp932");
  EXPECT_EQ(RefusedCharsetOfCollation(96).value_or(""), "cp932");
  EXPECT_EQ(RefusedCharsetOfCollation(1052).value_or(""), "gbk");    // gbk_chinese_nopad_ci
  EXPECT_EQ(RefusedCharsetOfCollation(1120).value_or(""), "cp932");  // cp932_nopad_bin
  for (uint16_t ok : {8, 33, 45, 46, 63, 83, 224, 255, 1069, 2048}) {
    EXPECT_FALSE(RefusedCharsetOfCollation(ok).has_value()) << int(ok);
  }
}

TEST(CharsetGuardTest, AgreesWithTheDigestLexer) {
  // Every collation we refuse is one the digest lexer cannot read.
  for (int id = 1; id < 256; ++id) {
    if (RefusedCharsetOfCollation(static_cast<uint16_t>(id)))
      EXPECT_FALSE(parser::IsCharsetSafeForLexing(static_cast<uint8_t>(id))) << id;
  }
  for (const char* n : {"gbk", "big5", "sjis", "cp932"}) {
    EXPECT_FALSE(parser::IsCharsetNameSafeForLexing(n)) << n;
  }
}

TEST(CharsetGuardTest, Names) {
  EXPECT_EQ(RefusedCharsetOfName("gbk").value_or(""), "gbk");
  EXPECT_EQ(RefusedCharsetOfName("'GBK'").value_or(""), "gbk");
  EXPECT_EQ(RefusedCharsetOfName("`big5_chinese_ci`").value_or(""), "big5");
  EXPECT_EQ(RefusedCharsetOfName("SJIS_BIN").value_or(""), "sjis");
  EXPECT_EQ(RefusedCharsetOfName("cp932").value_or(""), "cp932");
  for (const char* ok : {"utf8mb4", "utf8", "latin1", "utf8mb4_general_ci", "binary", "DEFAULT",
                         "gb2312", "gbk2", "ujis", "euckr", ""}) {
    EXPECT_FALSE(RefusedCharsetOfName(ok).has_value()) << ok;
  }
}

TEST(CharsetGuardTest, ErrorText) {
  Status st = RefusedCharsetError("gbk");
  EXPECT_EQ(st.code(), 1115);
  EXPECT_EQ(st.sqlstate(), "42000");
  EXPECT_EQ(st.message(),
            "shardproxy: character set 'gbk' is not supported: its multi-byte characters can "
            "contain the byte 0x5C (backslash), which the SQL lexer cannot read safely; connect "
            "with utf8mb4");
}

}  // namespace
}  // namespace shardproxy::session
