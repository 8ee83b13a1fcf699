#include "proxy/backend/messages.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace shardproxy::backend {
namespace {

using std::chrono::milliseconds;

void ExpectUnavailable(const Status& st) {
  EXPECT_EQ(st.code(), errors::kBackendUnavailable.code);
  EXPECT_EQ(st.sqlstate(), errors::kBackendUnavailable.sqlstate);
}

TEST(BackendMessages, UnreachableNotRun) {
  Status st = UnreachableError("g0", "master", "127.0.0.1:23306", "connection refused", Ran::kNo);
  ExpectUnavailable(st);
  EXPECT_EQ(st.message(),
            "shardproxy: group g0 master 127.0.0.1:23306 is unreachable (connection refused); "
            "the statement was not run. Retry when the group is back.");
}

TEST(BackendMessages, UnreachableMaybeRun) {
  Status st = UnreachableError("g1", "replica", "10.0.0.1:3306", "no route to host", Ran::kMaybe);
  ExpectUnavailable(st);
  EXPECT_EQ(st.message(),
            "shardproxy: group g1 replica 10.0.0.1:3306 is unreachable (no route to host); "
            "the statement may or may not have run. Check before retrying.");
}

TEST(BackendMessages, ConnectTimeout) {
  Status st = ConnectTimeoutError("g0", "master", "127.0.0.1:23306", milliseconds(3000));
  ExpectUnavailable(st);
  EXPECT_EQ(st.message(),
            "shardproxy: group g0 master 127.0.0.1:23306 did not answer the handshake within "
            "3000 ms; the statement was not run. Retry when the group is back.");
}

TEST(BackendMessages, ConnectionLost) {
  Status st = ConnectionLostError("g0", "master", "127.0.0.1:23306", "connection reset by peer");
  ExpectUnavailable(st);
  EXPECT_EQ(st.message(),
            "shardproxy: group g0 master 127.0.0.1:23306 lost the connection (connection reset "
            "by peer); the statement may or may not have run. Check before retrying.");
}

TEST(BackendMessages, ProbesMissed) {
  Status st = ProbesMissedError("g0", "master", "127.0.0.1:23306", 3, milliseconds(3000));
  ExpectUnavailable(st);
  EXPECT_EQ(st.message(),
            "shardproxy: group g0 master 127.0.0.1:23306 stopped answering (3 liveness probes "
            "missed in 3000 ms); the statement may or may not have run. Check before retrying.");
  EXPECT_NE(ProbesMissedError("g0", "master", "h:1", 1, milliseconds(1000))
                .message()
                .find("(1 liveness probe missed in 1000 ms)"),
            std::string::npos);
}

TEST(BackendMessages, CapsMismatch) {
  Status st = CapsMismatchError("g0", "master", "127.0.0.1:23306", 0x1000000);
  ExpectUnavailable(st);
  EXPECT_EQ(st.message(),
            "shardproxy: group g0 master 127.0.0.1:23306 does not support capability flags "
            "0x1000000 that this client uses; the statement was not run.");
}

TEST(BackendMessages, Reason) {
  EXPECT_EQ(ReasonFromSystemMessage("Connection refused", false), "connection refused");
  EXPECT_EQ(ReasonFromSystemMessage("End of file", true), "connection closed by the server");
  EXPECT_EQ(ReasonFromSystemMessage("", false), "");
}

}  // namespace
}  // namespace shardproxy::backend

namespace shardproxy::backend {
namespace {

// Whether the statement may have run is a field, not only message text.
TEST(BackendMessages, RanIsAField) {
  EXPECT_EQ(UnreachableError("g0", "master", "h:1", "refused", Ran::kNo).ran(), StatementRan::kNo);
  EXPECT_EQ(UnreachableError("g0", "master", "h:1", "refused", Ran::kMaybe).ran(),
            StatementRan::kMaybe);
  EXPECT_EQ(ConnectTimeoutError("g0", "master", "h:1", std::chrono::milliseconds(5)).ran(),
            StatementRan::kNo);
  EXPECT_EQ(ConnectionLostError("g0", "master", "h:1", "reset").ran(), StatementRan::kMaybe);
  EXPECT_EQ(ProbesMissedError("g0", "master", "h:1", 3, std::chrono::milliseconds(3000)).ran(),
            StatementRan::kMaybe);
  EXPECT_EQ(CapsMismatchError("g0", "master", "h:1", 1).ran(), StatementRan::kNo);
  EXPECT_EQ(Status::Error(1064, "42000", "x").ran(), StatementRan::kUnknown);
  EXPECT_TRUE(Status::ClientGone().client_gone());
  EXPECT_FALSE(Status::Error(1158, "08S01", "client gone").client_gone());
}

}  // namespace
}  // namespace shardproxy::backend
