#include "proxy/session/collation.h"

#include <gtest/gtest.h>

namespace shardproxy::session {
namespace {

TEST(Collation, Mysql8DefaultMapsToUnicode520) {
  EXPECT_EQ(MapClientCollation(255), 246);  // utf8mb4_0900_ai_ci -> utf8mb4_unicode_520_ci
}

TEST(Collation, SharedIdsPassThrough) {
  EXPECT_EQ(MapClientCollation(8), 8);      // latin1_swedish_ci
  EXPECT_EQ(MapClientCollation(33), 33);    // utf8mb3_general_ci
  EXPECT_EQ(MapClientCollation(45), 45);    // utf8mb4_general_ci
  EXPECT_EQ(MapClientCollation(46), 46);    // utf8mb4_bin
  EXPECT_EQ(MapClientCollation(63), 63);    // binary
  EXPECT_EQ(MapClientCollation(224), 224);  // utf8mb4_unicode_ci
}

TEST(Collation, LanguageAndSensitiveVariants) {
  EXPECT_EQ(MapClientCollation(256), 244);  // de_pb -> german2
  EXPECT_EQ(MapClientCollation(263), 231);  // es -> spanish
  EXPECT_EQ(MapClientCollation(277), 247);  // vi -> vietnamese
  EXPECT_EQ(MapClientCollation(278), 46);   // utf8mb4_0900_as_cs -> utf8mb4_bin
  EXPECT_EQ(MapClientCollation(309), 46);   // utf8mb4_0900_bin -> utf8mb4_bin
  EXPECT_EQ(MapClientCollation(305), 246);  // utf8mb4_0900_as_ci
  EXPECT_EQ(MapClientCollation(1000), 45);  // unknown 2-byte id -> utf8mb4_general_ci
}

}  // namespace
}  // namespace shardproxy::session
