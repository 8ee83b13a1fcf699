#include "proxy/backend/health.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <utility>
#include <vector>

#include "proxy/backend/backend_connection.h"
#include "proxy/backend/messages.h"
#include "proxy/protocol/generic_response.h"

namespace shardproxy::backend {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;  // NOLINT(build/namespaces)

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Per group master. Fields marked (exec) are touched only on the monitor's executor.
struct GroupProbe {
  GroupConfig cfg;                            // immutable copy: name, master, credentials
  Status down_error;                          // immutable: what in-flight statements get
  std::atomic<bool> up{true};                 // read lock-free by IsUp
  std::atomic<uint64_t> ok{0};                // probes answered
  std::atomic<uint64_t> missed{0};            // probes missed
  int consecutive_misses = 0;                 // (exec)
  std::unique_ptr<BackendConnection> conn;    // (exec) the probe connection, if open
  std::unique_ptr<asio::steady_timer> timer;  // (exec) the interval timer
};

}  // namespace

struct HealthMonitor::Shared {
  asio::any_io_executor ex;
  BackendTimeouts t;
  std::vector<std::unique_ptr<GroupProbe>> groups;  // fixed after construction
  std::atomic<bool> started{false};
  std::atomic<bool> stopped{false};
  std::mutex mu;
  std::vector<std::pair<asio::any_io_executor, Listener>> listeners;  // GUARDED_BY(mu)

  const GroupProbe* Find(const std::string& name) const {
    for (const auto& g : groups) {
      if (g->cfg.name == name) return g.get();
    }
    return nullptr;
  }
};

namespace {

using Shared = HealthMonitor::Shared;

void Notify(Shared& sh, const GroupProbe& g, bool up) {
  std::lock_guard<std::mutex> lock(sh.mu);
  for (const auto& [ex, fn] : sh.listeners) {
    asio::post(ex, [fn = fn, name = g.cfg.name, up] { fn(name, up); });
  }
}

// One COM_PING on the probe connection, (re)connecting first when needed.
asio::awaitable<bool> Ping(Shared& sh, GroupProbe& g) {
  if (!g.conn || g.conn->broken()) {
    g.conn.reset();
    ConnectOptions o;
    o.group = &g.cfg;
    o.client_caps = 0;  // only the always-on caps
    o.connect_timeout = sh.t.probe_timeout;
    o.track_session_state = false;
    auto c = co_await BackendConnection::Connect(sh.ex, std::move(o));
    if (!c.ok()) {
      spdlog::debug("health: probe connect to group {} failed: {}", g.cfg.name,
                    c.status().message());
      co_return false;
    }
    g.conn = std::move(c).value();
  }
  const char ping = 0x0e;  // COM_PING
  if (!(co_await g.conn->WritePacket(std::string_view(&ping, 1), 0)).ok()) co_return false;
  auto p = co_await g.conn->ReadPacket();
  co_return p.ok() && protocol::IsOk(p->payload);
}

asio::awaitable<bool> ProbeOnce(Shared& sh, GroupProbe& g) {
  asio::steady_timer deadline(sh.ex, sh.t.probe_timeout);
  auto r = co_await (Ping(sh, g) || deadline.async_wait(kTuple));
  const bool ok = r.index() == 0 && std::get<0>(r);
  if (!ok) g.conn.reset();  // a late or failed probe's connection is not trusted again
  co_return ok;
}

asio::awaitable<void> ProbeLoop(std::shared_ptr<Shared> sh, GroupProbe* g) {
  while (!sh->stopped.load()) {
    const auto start = std::chrono::steady_clock::now();
    bool ok = false;
    try {
      ok = co_await ProbeOnce(*sh, *g);
    } catch (const std::exception& e) {
      spdlog::error("health: probe of group {} threw: {}", g->cfg.name, e.what());
      g->conn.reset();
    }
    if (sh->stopped.load()) break;
    if (ok) {
      g->ok.fetch_add(1);
      g->consecutive_misses = 0;
      if (!g->up.exchange(true)) {
        spdlog::warn("health: group {} master {} is answering again: UP", g->cfg.name,
                     g->cfg.master.ToString());
        Notify(*sh, *g, true);
      }
    } else {
      g->missed.fetch_add(1);
      ++g->consecutive_misses;
      if (g->consecutive_misses >= sh->t.probe_misses && g->up.exchange(false)) {
        spdlog::error("health: group {} DOWN: {}", g->cfg.name, g->down_error.message());
        Notify(*sh, *g, false);
      }
    }
    g->timer->expires_at(start + sh->t.probe_interval);
    co_await g->timer->async_wait(kTuple);
  }
  g->conn.reset();
}

}  // namespace

HealthMonitor::HealthMonitor(asio::any_io_executor ex, const Config& cfg)
    : shared_(std::make_shared<Shared>()) {
  shared_->ex = ex;
  shared_->t = cfg.backend;
  if (shared_->t.probe_misses < 1) shared_->t.probe_misses = 1;
  // The window the misses span: probes start every max(interval, timeout).
  const auto period = std::max(shared_->t.probe_interval, shared_->t.probe_timeout);
  const auto window =
      std::chrono::duration_cast<std::chrono::milliseconds>(period * shared_->t.probe_misses);
  for (const GroupConfig& gc : cfg.groups) {
    auto g = std::make_unique<GroupProbe>();
    g->cfg = gc;
    g->down_error =
        ProbesMissedError(gc.name, "master", gc.master.ToString(), shared_->t.probe_misses, window);
    shared_->groups.push_back(std::move(g));
  }
}

HealthMonitor::~HealthMonitor() { Stop(); }

void HealthMonitor::Start() {
  if (shared_->started.exchange(true)) return;
  for (auto& g : shared_->groups) {
    g->timer = std::make_unique<asio::steady_timer>(shared_->ex);
    asio::co_spawn(shared_->ex, ProbeLoop(shared_, g.get()),
                   [name = g->cfg.name](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       spdlog::error("health: prober of group {} ended: {}", name, ex.what());
                     }
                   });
  }
}

void HealthMonitor::Stop() {
  if (shared_->stopped.exchange(true)) return;
  if (!shared_->started.load()) return;
  asio::post(shared_->ex, [sh = shared_] {
    for (auto& g : sh->groups) {
      if (g->timer) g->timer->cancel();
      if (g->conn) g->conn->Abort(Status::Error(1105, "HY000", "health monitor stopped"));
    }
  });
}

bool HealthMonitor::IsUp(const std::string& group) const {
  const GroupProbe* g = shared_->Find(group);
  return g == nullptr || g->up.load(std::memory_order_relaxed);
}

void HealthMonitor::Subscribe(asio::any_io_executor ex, Listener fn) {
  std::lock_guard<std::mutex> lock(shared_->mu);
  shared_->listeners.emplace_back(std::move(ex), std::move(fn));
}

Status HealthMonitor::DownError(const std::string& group) const {
  const GroupProbe* g = shared_->Find(group);
  if (g == nullptr) return Status::Bug("DownError for unknown group " + group);
  return g->down_error;
}

std::map<std::string, Status> HealthMonitor::DownErrors() const {
  std::map<std::string, Status> out;
  for (const auto& g : shared_->groups) out.emplace(g->cfg.name, g->down_error);
  return out;
}

uint64_t HealthMonitor::probes_ok(const std::string& group) const {
  const GroupProbe* g = shared_->Find(group);
  return g ? g->ok.load() : 0;
}

uint64_t HealthMonitor::probes_missed(const std::string& group) const {
  const GroupProbe* g = shared_->Find(group);
  return g ? g->missed.load() : 0;
}

}  // namespace shardproxy::backend
