// Status and Result<T>: how every fallible call in shardproxy reports failure.
//
// A Status carries what a MySQL client needs to see: errno, SQLSTATE and a
// message. It is turned into an ERR packet in exactly one place
// (proxy/protocol/err_packet.h: MakeErrPacket). No exception crosses the hot
// path; code that calls throwing libraries (ANTLR, yaml-cpp) catches at its
// module boundary and returns a Status.
//
// Broken invariants say "[BUG]" in their message (see Status::Bug).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace shardproxy {

// For errors about a statement the proxy sent (or meant to send) to a
// backend: whether it may have run there. Carried as a field so callers never
// parse message text.
enum class StatementRan : uint8_t {
  kUnknown,  // not about a backend statement
  kNo,       // it never reached a server: safe to retry
  kMaybe,    // it was (or may have been) sent: check before retrying
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  // errno (1xxx server codes or our documented codes), 5-character SQLSTATE.
  static Status Error(uint16_t code, std::string_view sqlstate, std::string message) {
    Status s;
    s.code_ = code;
    s.sqlstate_ = std::string(sqlstate);
    s.message_ = std::move(message);
    return s;
  }
  // An internal invariant was broken: ER_UNKNOWN_ERROR (1105, HY000), "[BUG] ...".
  static Status Bug(std::string_view what) {
    return Error(1105, "HY000", "[BUG] " + std::string(what));
  }

  // The client went away (an internal marker, never sent to anyone).
  static Status ClientGone() {
    Status s = Error(1158, "08S01", "client gone");
    s.client_gone_ = true;
    return s;
  }

  // The same error, saying whether its statement may have run.
  Status WithRan(StatementRan ran) && {
    ran_ = ran;
    return std::move(*this);
  }

  bool ok() const { return code_ == 0; }
  bool client_gone() const { return client_gone_; }
  StatementRan ran() const { return ran_; }
  uint16_t code() const { return code_; }
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& message() const { return message_; }

  std::string ToString() const {
    if (ok()) return "OK";
    return "ERROR " + std::to_string(code_) + " (" + sqlstate_ + "): " + message_;
  }

 private:
  uint16_t code_ = 0;
  StatementRan ran_ = StatementRan::kUnknown;
  bool client_gone_ = false;
  std::string sqlstate_;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(runtime/explicit)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(runtime/explicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; Status::Ok() when this holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace shardproxy

// Propagate a non-OK Status from an expression returning Status.
#define SP_RETURN_IF_ERROR(expr)          \
  do {                                    \
    ::shardproxy::Status _sp_st = (expr); \
    if (!_sp_st.ok()) return _sp_st;      \
  } while (0)
