// Live tests of proxy/backend over real sockets:
//  - against the sandbox g0 master (127.0.0.1:23306, app/app); GTEST_SKIP when
//    it is not reachable;
//  - against listeners of the test itself: a closed port (refused), a silent
//    listener (TCP accepted by the kernel, never a byte: what a SIGSTOPped
//    server looks like), and a pausable TCP relay in front of the sandbox
//    (paused = frozen backend; killed = dead backend).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/errors.h"
#include "proxy/backend/backend_connection.h"
#include "proxy/backend/backend_registry.h"
#include "proxy/backend/control.h"
#include "proxy/backend/health.h"
#include "proxy/protocol/capabilities.h"
#include "proxy/protocol/command.h"
#include "proxy/protocol/generic_response.h"
#include "proxy/protocol/response_tracker.h"

namespace shardproxy::backend {
namespace {

namespace asio = boost::asio;
namespace p = protocol;
using asio::ip::tcp;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

constexpr uint16_t kSandboxPort = 23306;

// The caps of a typical modern client (PyMySQL/Connector-C-like).
constexpr uint64_t kClientCaps =
    p::kClientProtocol41 | p::kClientSecureConnection | p::kClientPluginAuth |
    p::kClientTransactions | p::kClientDeprecateEof | p::kClientMultiResults |
    p::kClientPsMultiResults | p::kClientSessionTrack | p::kClientLongFlag;

// An io_context on its own thread; Stop() (or the destructor) ends it.
class IoThread {
 public:
  IoThread() : guard_(asio::make_work_guard(ctx_)), thread_([this] { ctx_.run(); }) {}
  ~IoThread() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    guard_.reset();
    ctx_.stop();
    thread_.join();
  }
  asio::any_io_executor ex() { return ctx_.get_executor(); }
  // Run a coroutine on the io thread and wait for its result.
  template <typename F>
  auto Run(F&& f) {
    return asio::co_spawn(ctx_, std::forward<F>(f), asio::use_future).get();
  }

 private:
  asio::io_context ctx_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

bool SandboxUp() {
  asio::io_context ctx;
  tcp::socket s(ctx);
  boost::system::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), kSandboxPort), ec);
  return !ec;
}

#define REQUIRE_SANDBOX()                                                                   \
  do {                                                                                      \
    if (!SandboxUp()) GTEST_SKIP() << "sandbox g0 master 127.0.0.1:23306 is not reachable"; \
  } while (0)

GroupConfig Group(uint16_t port, std::string password = "app") {
  GroupConfig g;
  g.name = "g0";
  g.master = Endpoint{"127.0.0.1", port};
  g.user = "app";
  g.password = std::move(password);
  return g;
}

ConnectOptions Options(const GroupConfig& g, milliseconds timeout = milliseconds(3000)) {
  ConnectOptions o;
  o.group = &g;
  o.client_caps = kClientCaps;
  o.charset = 45;
  o.connect_timeout = timeout;
  return o;
}

uint16_t ClosedPort() {
  asio::io_context ctx;
  tcp::acceptor a(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();  // closed when `a` goes away
}

// Everything a test needs to know about one response.
struct Response {
  Status io;                         // non-OK: the connection failed mid-response
  bool error = false;                // ended with ERR
  Status err;                        // that ERR
  std::vector<std::string> packets;  // first-frame payloads, in order
  std::string last_ok;
};

asio::awaitable<Response> ReadResponse(BackendConnection& c, p::Command cmd) {
  Response r;
  p::ResponseTracker t;
  t.Begin(cmd, c.caps());
  for (;;) {
    auto f = co_await c.ReadFrame();
    if (!f.ok()) {
      r.io = f.status();
      co_return r;
    }
    if (!f->first) continue;
    r.packets.emplace_back(f->payload);
    auto step = t.OnPacket(f->payload, f->payload.size());
    if (!step.ok()) {
      r.io = step.status();
      co_return r;
    }
    if (*step == p::ResponseTracker::Step::kDone) break;
  }
  r.error = t.ended_with_error();
  if (r.error) {
    auto e = p::ErrPacket::Parse(t.error_payload(), c.caps());
    if (e.ok()) r.err = Status::Error(e->code, e->sqlstate, e->message);
  }
  r.last_ok = std::string(t.last_ok_payload());
  co_return r;
}

asio::awaitable<Response> Query(BackendConnection& c, std::string_view sql) {
  std::string q(1, static_cast<char>(0x03));
  q.append(sql);
  Status ws = co_await c.WritePacket(q, 0);
  if (!ws.ok()) {
    Response r;
    r.io = ws;
    co_return r;
  }
  co_return co_await ReadResponse(c, p::Command::kQuery);
}

// A TCP relay in front of an upstream server. Paused: bytes are read but held
// (the peer sees silence, TCP up: a SIGSTOPped server). Silent: accepted
// connections are not even connected upstream. KillAll: every relayed
// connection is closed (a dead server).
class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(asio::any_io_executor ex, uint16_t upstream_port)
      : ex_(ex),
        acceptor_(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        upstream_(asio::ip::make_address("127.0.0.1"), upstream_port) {}
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void Start() { asio::co_spawn(ex_, AcceptLoop(shared_from_this()), asio::detached); }
  std::atomic<bool> paused{false};
  std::atomic<bool> silent{false};
  void KillAll() {
    asio::post(ex_, [self = shared_from_this()] {
      for (auto& w : self->sockets_) {
        if (auto s = w.lock()) {
          boost::system::error_code ec;
          s->close(ec);
        }
      }
      self->sockets_.clear();
      self->held_.clear();
    });
  }
  void Close() {
    asio::post(ex_, [self = shared_from_this()] {
      boost::system::error_code ec;
      self->acceptor_.close(ec);
    });
    KillAll();
  }

 private:
  using Sock = std::shared_ptr<tcp::socket>;
  static asio::awaitable<void> AcceptLoop(std::shared_ptr<Relay> self) {
    for (;;) {
      auto [ec, s] = co_await self->acceptor_.async_accept(kTuple);
      if (ec) co_return;
      auto client = std::make_shared<tcp::socket>(std::move(s));
      self->sockets_.push_back(client);
      if (self->silent) {  // held open, never a byte
        self->held_.push_back(client);
        continue;
      }
      auto up = std::make_shared<tcp::socket>(self->ex_);
      self->sockets_.push_back(up);
      auto [cec] = co_await up->async_connect(self->upstream_, kTuple);
      if (cec) {
        client->close();
        continue;
      }
      asio::co_spawn(self->ex_, Pump(self, client, up), asio::detached);
      asio::co_spawn(self->ex_, Pump(self, up, client), asio::detached);
    }
  }
  static asio::awaitable<void> Pump(std::shared_ptr<Relay> self, Sock from, Sock to) {
    std::vector<char> buf(64 * 1024);
    asio::steady_timer t(self->ex_);
    for (;;) {
      auto [ec, n] = co_await from->async_read_some(asio::buffer(buf), kTuple);
      while (!ec && self->paused) {
        t.expires_after(milliseconds(10));
        co_await t.async_wait(kTuple);
        if (!from->is_open()) ec = asio::error::operation_aborted;
      }
      if (!ec) {
        auto [wec, wn] = co_await asio::async_write(*to, asio::buffer(buf.data(), n), kTuple);
        ec = wec;
      }
      if (ec) {
        boost::system::error_code ignored;
        from->close(ignored);
        to->close(ignored);
        co_return;
      }
    }
  }
  asio::any_io_executor ex_;
  tcp::acceptor acceptor_;
  tcp::endpoint upstream_;
  std::vector<std::weak_ptr<tcp::socket>> sockets_;
  std::vector<Sock> held_;  // silent-mode connections, kept open
};

template <typename Pred>
bool WaitFor(Pred pred, milliseconds limit) {
  const auto end = Clock::now() + limit;
  while (Clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return pred();
}

std::string Hex(std::string_view s) {
  std::string out;
  char b[4];
  for (unsigned char ch : s) {
    std::snprintf(b, sizeof(b), "%02x ", ch);
    out += b;
  }
  return out;
}

long long MsSince(Clock::time_point t0) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------

TEST(BackendLive, ConnectAndSelect1) {
  REQUIRE_SANDBOX();
  IoThread io;
  GroupConfig g = Group(kSandboxPort);
  auto r = io.Run([&]() -> asio::awaitable<std::pair<Status, Response>> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
    if (!c.ok()) co_return std::pair{c.status(), Response{}};
    EXPECT_GT((*c)->thread_id(), 0u);
    EXPECT_TRUE((*c)->caps() & p::kClientSessionTrack);
    EXPECT_TRUE((*c)->caps() & p::kClientDeprecateEof);
    EXPECT_FALSE((*c)->caps() & p::kClientSsl);
    EXPECT_EQ((*c)->group(), "g0");
    EXPECT_FALSE((*c)->broken());
    EXPECT_FALSE((*c)->setup_ok_payload().empty());
    co_return std::pair{Status::Ok(), co_await Query(**c, "SELECT 1")};
  });
  ASSERT_TRUE(r.first.ok()) << r.first.ToString();
  const Response& resp = r.second;
  ASSERT_TRUE(resp.io.ok()) << resp.io.ToString();
  EXPECT_FALSE(resp.error);
  // column count, one column def, one row, OK(0xFE) terminator (DEPRECATE_EOF).
  ASSERT_EQ(resp.packets.size(), 4u);
  EXPECT_EQ(resp.packets[0], std::string("\x01", 1));
  EXPECT_EQ(resp.packets[2], std::string("\x01"
                                         "1",
                                         2));
  EXPECT_EQ(static_cast<uint8_t>(resp.packets[3][0]), 0xFE);
}

TEST(BackendLive, LargeRowComesFrameByFrame) {
  REQUIRE_SANDBOX();
  IoThread io;
  GroupConfig g = Group(kSandboxPort);
  struct Seen {
    Status st;
    size_t frames = 0, continuation_frames = 0, bytes = 0;
    bool done = false;
  };
  auto seen = io.Run([&]() -> asio::awaitable<Seen> {
    Seen s;
    auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
    if (!c.ok()) {
      s.st = c.status();
      co_return s;
    }
    std::string q = std::string(1, '\x03') + "SELECT REPEAT('x', 20 * 1024 * 1024)";
    s.st = co_await (*c)->WritePacket(q, 0);
    if (!s.st.ok()) co_return s;
    p::ResponseTracker t;
    t.Begin(p::Command::kQuery, (*c)->caps());
    for (;;) {
      auto f = co_await (*c)->ReadFrame();
      if (!f.ok()) {
        s.st = f.status();
        co_return s;
      }
      ++s.frames;
      s.bytes += f->raw.size();
      if (!f->first) {
        ++s.continuation_frames;
        continue;
      }
      auto step = t.OnPacket(f->payload, f->payload.size());
      if (!step.ok()) {
        s.st = step.status();
        co_return s;
      }
      if (*step == p::ResponseTracker::Step::kDone) break;
    }
    s.done = !t.ended_with_error();
    co_return s;
  });
  ASSERT_TRUE(seen.st.ok()) << seen.st.ToString();
  EXPECT_TRUE(seen.done);
  EXPECT_EQ(seen.continuation_frames, 1u);  // 20 MiB row = one 0xFFFFFF frame + the rest
  EXPECT_GT(seen.bytes, 20u * 1024 * 1024);
}

TEST(BackendLive, SessionStateIsTracked) {
  REQUIRE_SANDBOX();
  IoThread io;
  GroupConfig g = Group(kSandboxPort);
  auto resp = io.Run([&]() -> asio::awaitable<Response> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
    if (!c.ok()) {
      Response r;
      r.io = c.status();
      co_return r;
    }
    co_return co_await Query(**c, "SET autocommit=0");
  });
  ASSERT_TRUE(resp.io.ok()) << resp.io.ToString();
  ASSERT_FALSE(resp.error) << resp.err.ToString();
  ASSERT_EQ(resp.packets.size(), 1u);
  auto ok = p::OkPacket::Parse(resp.packets[0], kClientCaps);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->status_flags & p::kServerSessionStateChanged);
  auto changes = p::ParseSessionState(ok->session_state_info);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString()
                            << "; raw: " << Hex(ok->session_state_info);
  bool saw_autocommit = false;
  for (const auto& ch : *changes) {
    if (ch.type == p::SessionStateChange::kSystemVariables && ch.name == "autocommit") {
      saw_autocommit = true;
      EXPECT_EQ(ch.value, "OFF");
    }
  }
  EXPECT_TRUE(saw_autocommit);
}

TEST(BackendLive, LastGtidIsTrackedAfterAWrite) {
  REQUIRE_SANDBOX();
  IoThread io;
  GroupConfig g = Group(kSandboxPort);
  auto resp = io.Run([&]() -> asio::awaitable<Response> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
    if (!c.ok()) {
      Response r;
      r.io = c.status();
      co_return r;
    }
    // A DDL on a scratch schema (app may use test\_%) is logged with a GTID.
    Response r1 = co_await Query(**c, "CREATE DATABASE IF NOT EXISTS test_backend_scratch");
    if (!r1.io.ok() || r1.error) co_return r1;
    co_return co_await Query(**c, "DROP DATABASE test_backend_scratch");
  });
  ASSERT_TRUE(resp.io.ok()) << resp.io.ToString();
  ASSERT_FALSE(resp.error) << resp.err.ToString();
  auto ok = p::OkPacket::Parse(resp.packets.at(0), kClientCaps);
  ASSERT_TRUE(ok.ok());
  auto changes = p::ParseSessionState(ok->session_state_info);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString()
                            << "; raw: " << Hex(ok->session_state_info);
  bool saw_gtid = false;
  for (const auto& ch : *changes) {
    if (ch.type == p::SessionStateChange::kSystemVariables && ch.name == "last_gtid") {
      saw_gtid = !ch.value.empty();
    }
  }
  EXPECT_TRUE(saw_gtid);
}

TEST(BackendLive, ServerErrorsPassThrough) {
  REQUIRE_SANDBOX();
  IoThread io;
  GroupConfig bad_pw = Group(kSandboxPort, "wrong-password");
  GroupConfig g = Group(kSandboxPort);
  auto st = io.Run([&]() -> asio::awaitable<Status> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(bad_pw));
    co_return c.status();
  });
  EXPECT_EQ(st.code(), 1045) << st.ToString();
  EXPECT_EQ(st.sqlstate(), "28000");
  EXPECT_NE(st.message().find("Access denied"), std::string::npos);

  auto st2 = io.Run([&]() -> asio::awaitable<Status> {
    ConnectOptions o = Options(g);
    o.database = "no_such_database_xyz";
    auto c = co_await BackendConnection::Connect(io.ex(), o);
    co_return c.status();
  });
  EXPECT_TRUE(st2.code() == 1049 || st2.code() == 1044) << st2.ToString();
}

TEST(BackendLive, ClosedPortIsUnavailableAtOnce) {
  IoThread io;
  GroupConfig g = Group(ClosedPort());
  const auto t0 = Clock::now();
  auto st = io.Run([&]() -> asio::awaitable<Status> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
    co_return c.status();
  });
  const auto ms = MsSince(t0);
  EXPECT_LT(ms, 100);
  EXPECT_EQ(st.code(), errors::kBackendUnavailable.code);
  EXPECT_EQ(st.sqlstate(), errors::kBackendUnavailable.sqlstate);
  EXPECT_EQ(st.message(), "shardproxy: group g0 master " + g.master.ToString() +
                              " is unreachable (connection refused); the statement was not run. "
                              "Retry when the group is back.");
}

TEST(BackendLive, SilentListenerTimesOut) {
  IoThread io;
  asio::io_context lctx;
  tcp::acceptor silent(lctx,
                       tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));  // never accepts
  GroupConfig g = Group(silent.local_endpoint().port());
  const auto t0 = Clock::now();
  auto st = io.Run([&]() -> asio::awaitable<Status> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(g, milliseconds(300)));
    co_return c.status();
  });
  const auto ms = MsSince(t0);
  EXPECT_GE(ms, 290);
  EXPECT_LT(ms, 1000);
  EXPECT_EQ(st.code(), errors::kBackendUnavailable.code);
  EXPECT_EQ(st.message(), "shardproxy: group g0 master " + g.master.ToString() +
                              " did not answer the handshake within 300 ms; the statement was "
                              "not run. Retry when the group is back.");
}

TEST(BackendLive, DeadBackendMidStatementIsConnectionLost) {
  REQUIRE_SANDBOX();
  IoThread io;
  auto relay = std::make_shared<Relay>(io.ex(), kSandboxPort);
  relay->Start();
  GroupConfig g = Group(relay->port());
  std::promise<void> started;
  auto fut = asio::co_spawn(
      io.ex(),
      [&]() -> asio::awaitable<Response> {
        auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
        if (!c.ok()) {
          Response r;
          r.io = c.status();
          started.set_value();
          co_return r;
        }
        std::string q = std::string(1, '\x03') + "SELECT SLEEP(5)";
        Status ws = co_await (*c)->WritePacket(q, 0);
        started.set_value();
        if (!ws.ok()) {
          Response r;
          r.io = ws;
          co_return r;
        }
        co_return co_await ReadResponse(**c, p::Command::kQuery);
      },
      asio::use_future);
  started.get_future().wait();
  std::this_thread::sleep_for(milliseconds(200));
  const auto t0 = Clock::now();
  relay->KillAll();
  Response r = fut.get();
  EXPECT_LT(MsSince(t0), 1000);
  EXPECT_EQ(r.io.code(), errors::kBackendUnavailable.code) << r.io.ToString();
  EXPECT_NE(r.io.message().find("shardproxy: group g0 master " + g.master.ToString() +
                                " lost the connection ("),
            std::string::npos)
      << r.io.message();
  EXPECT_NE(r.io.message().find("the statement may or may not have run"), std::string::npos);
  relay->Close();
  io.Stop();
}

TEST(BackendLive, LongQueryIsNotCut) {
  REQUIRE_SANDBOX();
  IoThread io;
  Config cfg;
  cfg.groups.push_back(Group(kSandboxPort));
  cfg.backend.probe_interval = milliseconds(200);
  cfg.backend.probe_timeout = milliseconds(200);
  HealthMonitor hm(io.ex(), cfg);
  BackendRegistry reg;
  reg.Attach(hm, io.ex());
  hm.Start();
  auto r = io.Run([&]() -> asio::awaitable<Response> {
    auto c =
        co_await BackendConnection::Connect(io.ex(), Options(cfg.groups[0], milliseconds(300)));
    if (!c.ok()) {
      Response r;
      r.io = c.status();
      co_return r;
    }
    reg.Register(c->get());
    co_return co_await Query(**c, "SELECT SLEEP(2)");
  });
  ASSERT_TRUE(r.io.ok()) << r.io.ToString();
  EXPECT_FALSE(r.error);
  ASSERT_EQ(r.packets.size(), 4u);
  EXPECT_EQ(r.packets[2], std::string("\x01"
                                      "0",
                                      2));  // SLEEP returned 0: not interrupted
  EXPECT_TRUE(hm.IsUp("g0"));
  EXPECT_GE(hm.probes_ok("g0"), 5u);
  EXPECT_EQ(hm.probes_missed("g0"), 0u);
  hm.Stop();
  io.Stop();
}

TEST(BackendLive, HealthMonitorDownOnSilenceUpOnAnswer) {
  REQUIRE_SANDBOX();
  IoThread io;
  auto relay = std::make_shared<Relay>(io.ex(), kSandboxPort);
  relay->silent = true;  // accepts, never answers: like a SIGSTOPped server
  relay->Start();
  Config cfg;
  cfg.groups.push_back(Group(relay->port()));
  cfg.backend.probe_interval = milliseconds(200);
  cfg.backend.probe_timeout = milliseconds(200);
  cfg.backend.probe_misses = 3;
  HealthMonitor hm(io.ex(), cfg);
  std::mutex mu;
  std::vector<bool> events;
  hm.Subscribe(io.ex(), [&](const std::string& group, bool up) {
    EXPECT_EQ(group, "g0");
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(up);
  });
  BackendRegistry reg;
  reg.Attach(hm, io.ex());
  const auto t0 = Clock::now();
  hm.Start();
  EXPECT_TRUE(hm.IsUp("g0"));  // optimistic until proven otherwise
  ASSERT_TRUE(WaitFor([&] { return !hm.IsUp("g0"); }, milliseconds(3000)));
  const auto down_ms = MsSince(t0);
  EXPECT_GE(down_ms, 3 * 200 - 50);  // not before 3 misses
  EXPECT_GE(hm.probes_missed("g0"), 3u);
  EXPECT_EQ(hm.probes_ok("g0"), 0u);

  // The master answers again: first successful probe => UP.
  relay->silent = false;
  ASSERT_TRUE(WaitFor([&] { return hm.IsUp("g0"); }, milliseconds(3000)));
  EXPECT_GE(hm.probes_ok("g0"), 1u);

  // An in-flight statement when the master freezes gets the probes-missed error.
  std::promise<void> started;
  auto fut = asio::co_spawn(
      io.ex(),
      [&]() -> asio::awaitable<Response> {
        auto c = co_await BackendConnection::Connect(io.ex(), Options(cfg.groups[0]));
        Response r;
        if (!c.ok()) {
          r.io = c.status();
          started.set_value();
          co_return r;
        }
        reg.Register(c->get());
        std::string q = std::string(1, '\x03') + "SELECT SLEEP(8)";
        Status ws = co_await (*c)->WritePacket(q, 0);
        started.set_value();
        if (!ws.ok()) {
          r.io = ws;
          co_return r;
        }
        r = co_await ReadResponse(**c, p::Command::kQuery);
        EXPECT_TRUE((*c)->broken());
        co_return r;
      },
      asio::use_future);
  started.get_future().wait();
  std::this_thread::sleep_for(milliseconds(100));
  const auto t1 = Clock::now();
  relay->paused = true;  // frozen: TCP up, no bytes
  Response r = fut.get();
  const auto abort_ms = MsSince(t1);
  EXPECT_LT(abort_ms, 2000);  // 3 probes x 200 ms + slack, far below SLEEP(8)
  EXPECT_FALSE(hm.IsUp("g0"));
  EXPECT_EQ(r.io.code(), errors::kBackendUnavailable.code) << r.io.ToString();
  EXPECT_EQ(r.io.message(), "shardproxy: group g0 master " + cfg.groups[0].master.ToString() +
                                " stopped answering (3 liveness probes missed in 600 ms); the "
                                "statement may or may not have run. Check before retrying.");
  EXPECT_EQ(reg.size(), 0u);  // the connection unregistered itself when destroyed

  // While DOWN, a new connection that asks the monitor fails at once (no
  // connect_timeout wait on a frozen master).
  const auto t2 = Clock::now();
  auto fast = io.Run([&]() -> asio::awaitable<Status> {
    ConnectOptions o = Options(cfg.groups[0]);
    o.health = &hm;
    auto c = co_await BackendConnection::Connect(io.ex(), o);
    co_return c.status();
  });
  EXPECT_LT(MsSince(t2), 100);
  EXPECT_EQ(fast.message(), hm.DownError("g0").message());

  relay->paused = false;
  ASSERT_TRUE(WaitFor([&] { return hm.IsUp("g0"); }, milliseconds(3000)));
  // Reconnect works when the backend is back.
  auto st = io.Run([&]() -> asio::awaitable<Status> {
    auto c = co_await BackendConnection::Connect(io.ex(), Options(cfg.groups[0]));
    if (!c.ok()) co_return c.status();
    Response r2 = co_await Query(**c, "SELECT 1");
    co_return r2.io;
  });
  EXPECT_TRUE(st.ok()) << st.ToString();

  hm.Stop();
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        return events.size() >= 4;
      },
      milliseconds(1000)));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(events, (std::vector<bool>{false, true, false, true}));
  }
  relay->Close();
  io.Stop();
}

TEST(BackendLive, KillQueryInterruptsTheDataConnection) {
  REQUIRE_SANDBOX();
  IoThread io;
  GroupConfig g = Group(kSandboxPort);
  std::promise<uint32_t> tid;
  auto fut = asio::co_spawn(
      io.ex(),
      [&]() -> asio::awaitable<Response> {
        auto c = co_await BackendConnection::Connect(io.ex(), Options(g));
        Response r;
        if (!c.ok()) {
          r.io = c.status();
          tid.set_value(0);
          co_return r;
        }
        std::string q = std::string(1, '\x03') + "SELECT SLEEP(10)";
        Status ws = co_await (*c)->WritePacket(q, 0);
        tid.set_value((*c)->thread_id());
        if (!ws.ok()) {
          r.io = ws;
          co_return r;
        }
        co_return co_await ReadResponse(**c, p::Command::kQuery);
      },
      asio::use_future);
  const uint32_t thread_id = tid.get_future().get();
  ASSERT_GT(thread_id, 0u);
  std::this_thread::sleep_for(milliseconds(300));
  const auto t0 = Clock::now();
  Status kill = io.Run([&]() -> asio::awaitable<Status> {
    co_return co_await KillOnBackend(io.ex(), g, thread_id, /*query_only=*/true,
                                     milliseconds(5000));
  });
  EXPECT_TRUE(kill.ok()) << kill.ToString();
  Response r = fut.get();
  // Far below the 10 s of the SLEEP (the 2-core CI box is shared: allow slack).
  EXPECT_LT(MsSince(t0), 5000);
  ASSERT_TRUE(r.io.ok()) << r.io.ToString();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.err.code(), errors::kQueryInterrupted.code) << r.err.ToString();
  EXPECT_EQ(r.err.sqlstate(), errors::kQueryInterrupted.sqlstate);

  // Unknown thread: the server's own ERR passes through.
  Status none = io.Run([&]() -> asio::awaitable<Status> {
    co_return co_await KillOnBackend(io.ex(), g, 0x7ffffff0u, true, milliseconds(2000));
  });
  EXPECT_EQ(none.code(), errors::kNoSuchThread.code) << none.ToString();
}

TEST(BackendLive, KillOnClosedPortIsUnavailable) {
  IoThread io;
  GroupConfig g = Group(ClosedPort());
  Status st = io.Run([&]() -> asio::awaitable<Status> {
    co_return co_await KillOnBackend(io.ex(), g, 5, true, milliseconds(500));
  });
  EXPECT_EQ(st.code(), errors::kBackendUnavailable.code);
  EXPECT_NE(st.message().find("group g0"), std::string::npos);
}

TEST(BackendLive, KillOnSilentListenerTimesOut) {
  IoThread io;
  asio::io_context lctx;
  tcp::acceptor silent(lctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  GroupConfig g = Group(silent.local_endpoint().port());
  const auto t0 = Clock::now();
  Status st = io.Run([&]() -> asio::awaitable<Status> {
    co_return co_await KillOnBackend(io.ex(), g, 5, true, milliseconds(300));
  });
  const auto ms = MsSince(t0);
  EXPECT_GE(ms, 290);
  EXPECT_LT(ms, 1000);
  EXPECT_EQ(st.code(), errors::kBackendUnavailable.code);
  EXPECT_NE(st.message().find("group g0 master " + g.master.ToString()), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace shardproxy::backend
