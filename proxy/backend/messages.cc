#include "proxy/backend/messages.h"

#include <cctype>
#include <cstdio>

#include "common/errors.h"

namespace shardproxy::backend {
namespace {

constexpr std::string_view kNotRun = "the statement was not run. Retry when the group is back.";
constexpr std::string_view kMaybeRun =
    "the statement may or may not have run. Check before retrying.";

std::string Prefix(std::string_view group, std::string_view role, std::string_view endpoint) {
  std::string s = "shardproxy: group ";
  s.append(group).append(" ").append(role).append(" ").append(endpoint);
  return s;
}

Status Make(std::string message, StatementRan ran) {
  return Status::Error(errors::kBackendUnavailable.code, errors::kBackendUnavailable.sqlstate,
                       std::move(message))
      .WithRan(ran);
}

StatementRan Field(Ran ran) { return ran == Ran::kNo ? StatementRan::kNo : StatementRan::kMaybe; }

std::string_view Tail(Ran ran) { return ran == Ran::kNo ? kNotRun : kMaybeRun; }

}  // namespace

Status UnreachableError(std::string_view group, std::string_view role, std::string_view endpoint,
                        std::string_view reason, Ran ran) {
  std::string m = Prefix(group, role, endpoint);
  m.append(" is unreachable (").append(reason).append("); ").append(Tail(ran));
  return Make(std::move(m), Field(ran));
}

Status ConnectTimeoutError(std::string_view group, std::string_view role, std::string_view endpoint,
                           std::chrono::milliseconds timeout) {
  std::string m = Prefix(group, role, endpoint);
  m.append(" did not answer the handshake within ")
      .append(std::to_string(timeout.count()))
      .append(" ms; ")
      .append(kNotRun);
  return Make(std::move(m), StatementRan::kNo);
}

Status ConnectionLostError(std::string_view group, std::string_view role, std::string_view endpoint,
                           std::string_view reason) {
  std::string m = Prefix(group, role, endpoint);
  m.append(" lost the connection (").append(reason).append("); ").append(kMaybeRun);
  return Make(std::move(m), StatementRan::kMaybe);
}

Status ProbesMissedError(std::string_view group, std::string_view role, std::string_view endpoint,
                         int misses, std::chrono::milliseconds window) {
  std::string m = Prefix(group, role, endpoint);
  m.append(" stopped answering (")
      .append(std::to_string(misses))
      .append(misses == 1 ? " liveness probe missed in " : " liveness probes missed in ")
      .append(std::to_string(window.count()))
      .append(" ms); ")
      .append(kMaybeRun);
  return Make(std::move(m), StatementRan::kMaybe);
}

Status CapsMismatchError(std::string_view group, std::string_view role, std::string_view endpoint,
                         uint64_t missing_caps) {
  char hex[24];
  std::snprintf(hex, sizeof(hex), "0x%llx", static_cast<unsigned long long>(missing_caps));
  std::string m = Prefix(group, role, endpoint);
  m.append(" does not support capability flags ")
      .append(hex)
      .append(" that this client uses; the statement was not run.");
  return Make(std::move(m), StatementRan::kNo);
}

std::string ReasonFromSystemMessage(std::string_view message, bool is_eof) {
  if (is_eof) return "connection closed by the server";
  std::string r(message);
  if (!r.empty()) r[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(r[0])));
  return r;
}

}  // namespace shardproxy::backend
