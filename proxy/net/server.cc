#include "proxy/net/server.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <optional>

#include "parser/cache/template_cache.h"
#include "proxy/backend/backend_registry.h"
#include "proxy/backend/health.h"
#include "proxy/net/catalog_check.h"
#include "proxy/session/parse_stage.h"
#include "proxy/session/session.h"
#include "proxy/session/session_registry.h"
#include "router/rules/metadata_store.h"
#include "router/rules/rules_service.h"

namespace shardproxy::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// The parser stage's per-thread counters (no metrics endpoint yet), added to
// process totals logged by Run at exit.
std::atomic<uint64_t> g_parse_hits{0}, g_parse_misses{0}, g_parse_failures{0}, g_parse_skipped{0};
std::atomic<uint64_t> g_not_cached{0}, g_reduced{0}, g_row_forms{0};

void LogParseCounters() {
  const session::ParseCounters& c = session::ThreadParseCounters();
  const parser::CachedParser& p = parser::ThreadCachedParser();
  const parser::TemplateCache::Stats& cs = p.cache().stats();
  spdlog::info(
      "parser stage (this thread): {} cache hits, {} misses (ANTLR), {} not parsable "
      "(passed through), {} not parsed (>= 16 MiB); template cache: {} entries, ~{} KiB, "
      "{} evictions, {} statements too large to cache; misses parsed reduced: {} ({} by "
      "VALUES row forms)",
      c.hits, c.misses, c.failures, c.skipped, p.cache().size(), p.cache().bytes() >> 10,
      cs.evictions, cs.not_cached_too_large, p.reduced_parses(), p.row_form_parses());
  g_parse_hits += c.hits;
  g_parse_misses += c.misses;
  g_parse_failures += c.failures;
  g_parse_skipped += c.skipped;
  g_not_cached += cs.not_cached_too_large;
  g_reduced += p.reduced_parses();
  g_row_forms += p.row_form_parses();
}

// The configuration's parser_cache section as the parser's limits.
parser::CacheLimits CacheLimitsOf(const ParserCacheConfig& c) {
  static_assert(
      ParserCacheConfig{}.max_entries == parser::CacheLimits{}.max_entries &&
          ParserCacheConfig{}.max_bytes == parser::CacheLimits{}.max_bytes &&
          ParserCacheConfig{}.max_statement_size == parser::CacheLimits{}.max_statement_bytes &&
          ParserCacheConfig{}.max_statement_literals ==
              parser::CacheLimits{}.max_statement_literals,
      "config defaults (proxy/config/config.h) and parser defaults "
      "(parser/cache/template_cache.h) must agree");
  parser::CacheLimits l;
  l.max_entries = static_cast<size_t>(c.max_entries);
  l.max_bytes = static_cast<size_t>(c.max_bytes);
  l.max_statement_bytes = static_cast<size_t>(c.max_statement_size);
  l.max_statement_literals = static_cast<size_t>(c.max_statement_literals);
  return l;
}

}  // namespace

// One io_context thread. Member order matters: the registry must outlive the
// io_context (connections unregister themselves when their sessions die with it).
struct Server::Worker {
  backend::BackendRegistry registry;
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  session::SessionContext ctx;
  std::thread thread;
};

Server::Server(const Config& cfg) : cfg_(cfg) {}

Server::~Server() {
  for (auto& w : workers_) {
    w->ioc.stop();
    if (w->thread.joinable()) w->thread.join();
  }
}

Status Server::Run() {
  auto fail = [](std::string msg) { return Status::Error(1105, "HY000", std::move(msg)); };
  sessions_ = std::make_unique<session::SessionRegistry>(cfg_.max_connections);

  // The listener first: a taken port is the most common start-up failure.
  boost::system::error_code ec;
  const std::string where = cfg_.listen.address + ":" + std::to_string(cfg_.listen.port);
  auto addr = asio::ip::make_address(cfg_.listen.address, ec);
  if (ec) return fail("listen.address: '" + cfg_.listen.address + "' is not an IP address");
  tcp::endpoint ep(addr, cfg_.listen.port);
  acceptor_ = std::make_unique<tcp::acceptor>(main_ioc_);
  acceptor_->open(ep.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(ep, ec);
  if (!ec) acceptor_->listen(1024, ec);
  if (ec) return fail("cannot listen on " + where + ": " + ec.message());

  // Routing metadata: the store in data_dir merged with the config's schemas.
  {
    std::vector<router::SchemaRule> declared;
    for (const SchemaConfig& sc : cfg_.schemas) {
      declared.push_back(sc.sharded ? router::MakeShardedSchema(sc.name, sc.groups, sc.vpart_count)
                                    : router::MakeUnshardedSchema(sc.name, sc.groups[0]));
    }
    std::vector<std::string> groups;
    for (const GroupConfig& g : cfg_.groups) groups.push_back(g.name);
    std::vector<std::string> warnings;
    auto rules =
        router::RulesService::Open(std::make_unique<router::FileMetadataStore>(cfg_.data_dir),
                                   declared, std::move(groups), &warnings);
    if (!rules.ok()) return fail("routing metadata: " + rules.status().message());
    for (const std::string& w : warnings) spdlog::warn("routing metadata: {}", w);
    rules_ = std::move(*rules);
    const auto snap = rules_->Get();
    for (const auto& sr : snap->metadata().schemas) {
      spdlog::info("schema {}: {} over {} ({} vparts)", sr.name,
                   sr.sharded ? "sharded" : "unsharded", fmt::join(sr.groups, ", "),
                   sr.sharded ? sr.vpart_count : 0);
    }
    for (const auto& t : snap->metadata().tables) {
      if (!t.pending_groups.empty())
        spdlog::warn("table {}.{}: its DDL is pending on {}: run it again to finish", t.schema,
                     t.table, fmt::join(t.pending_groups, ", "));
    }
  }

  health_ = std::make_unique<backend::HealthMonitor>(main_ioc_.get_executor(), cfg_);
  for (int i = 0; i < cfg_.threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->ctx.config = &cfg_;
    w->ctx.sessions = sessions_.get();
    w->ctx.backends = &w->registry;
    w->ctx.health = health_.get();
    w->ctx.draining = &draining_;
    w->ctx.rules = rules_.get();
    w->registry.Attach(*health_, w->ioc.get_executor());
    w->guard.emplace(w->ioc.get_executor());
    workers_.push_back(std::move(w));
  }
  const parser::CacheLimits cache_limits = CacheLimitsOf(cfg_.parser_cache);
  for (auto& w : workers_) {
    Worker* raw = w.get();
    raw->thread = std::thread([raw, cache_limits] {
      // This thread's template cache, before its first statement.
      parser::ThreadCachedParser().SetLimits(cache_limits);
      raw->ioc.run();
      LogParseCounters();  // this thread's parser-stage counters, at shutdown
    });
  }
  health_->Start();
  // What the groups really hold, against the rules (logs; quarantines).
  asio::co_spawn(main_ioc_, RunCatalogCheck(main_ioc_.get_executor(), cfg_, rules_.get()),
                 asio::detached);

  asio::signal_set signals(main_ioc_, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& sec, int signo) {
    if (sec) return;
    spdlog::info("signal {} received", signo == SIGINT ? "SIGINT" : "SIGTERM");
    BeginShutdown();
  });
  std::signal(SIGPIPE, SIG_IGN);

  Accept();
  spdlog::info("shardproxy listening on {} ({} threads, {} groups, default group {})", where,
               cfg_.threads, cfg_.groups.size(), cfg_.groups.at(0).name);
  spdlog::info(
      "parser template cache per thread: {} entries, {} KiB; statements over {} bytes or {} "
      "literals are parsed, not cached",
      cache_limits.max_entries, cache_limits.max_bytes >> 10, cache_limits.max_statement_bytes,
      cache_limits.max_statement_literals);
  main_ioc_.run();

  // Run the cancelled accept's handler now: its socket belongs to a worker's
  // io_context, which must still exist when that handler is destroyed.
  main_ioc_.restart();
  main_ioc_.poll();
  for (auto& w : workers_) {
    w->ioc.stop();
    if (w->thread.joinable()) w->thread.join();
  }
  spdlog::info(
      "parser stage (all threads): {} cache hits, {} misses (ANTLR), {} not parsable (passed "
      "through), {} not parsed (>= 16 MiB), {} too large to cache, {} misses parsed reduced "
      "({} by VALUES row forms)",
      g_parse_hits.load(), g_parse_misses.load(), g_parse_failures.load(), g_parse_skipped.load(),
      g_not_cached.load(), g_reduced.load(), g_row_forms.load());
  spdlog::info("shardproxy stopped");
  return Status::Ok();
}

void Server::Accept() {
  if (!acceptor_->is_open()) return;
  Worker& w = *workers_[next_worker_];
  next_worker_ = (next_worker_ + 1) % workers_.size();
  acceptor_->async_accept(w.ioc, [this, &w](const boost::system::error_code& ec,
                                            tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (ec) {
      // e.g. EMFILE: log, back off a little, keep serving.
      spdlog::warn("accept failed: {}", ec.message());
      auto timer = std::make_shared<asio::steady_timer>(main_ioc_, std::chrono::milliseconds(100));
      timer->async_wait([this, timer](const boost::system::error_code&) { Accept(); });
      return;
    }
    if (draining_.load()) return;
    auto s = std::make_shared<session::Session>(std::move(socket), w.ctx);
    session::Session::Start(std::move(s));
    Accept();
  });
}

void Server::BeginShutdown() {
  if (draining_.exchange(true)) return;
  spdlog::info(
      "shutting down: not accepting; waiting up to {} ms for {} session(s) to finish their "
      "statements",
      cfg_.shutdown_grace.count(), sessions_->active());
  boost::system::error_code ec;
  acceptor_->close(ec);
  for (auto& weak : sessions_->All()) {
    if (auto s = weak.lock()) s->RequestShutdown(false);
  }
  const auto deadline = std::chrono::steady_clock::now() + cfg_.shutdown_grace;
  auto timer = std::make_shared<asio::steady_timer>(main_ioc_);
  auto forced = std::make_shared<bool>(false);
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, timer, deadline, forced, poll] {
    const auto now = std::chrono::steady_clock::now();
    if (sessions_->active() == 0 || (*forced && now > deadline + std::chrono::seconds(1))) {
      if (sessions_->active() != 0)
        spdlog::warn("{} session(s) did not close in time", sessions_->active());
      health_->Stop();
      for (auto& w : workers_) w->guard.reset();
      main_ioc_.stop();
      *poll = nullptr;  // break the self-reference
      return;
    }
    if (!*forced && now > deadline) {
      *forced = true;
      spdlog::warn("shutdown grace of {} ms over: closing {} session(s) with running statements",
                   cfg_.shutdown_grace.count(), sessions_->active());
      for (auto& weak : sessions_->All()) {
        if (auto s = weak.lock()) s->RequestShutdown(true);
      }
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([poll](const boost::system::error_code&) {
      if (*poll) (*poll)();
    });
  };
  (*poll)();
}

}  // namespace shardproxy::net
