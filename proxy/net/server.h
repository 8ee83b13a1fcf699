// The network front: io_context threads, the listening socket, the health
// monitor, graceful shutdown.
//
// Entry point: Server::Run (blocks). Threads: `threads` worker io_contexts,
// one per thread; each accepted client socket is bound to one of them (round
// robin) and its Session — and that session's backend connections — live
// there for good. The acceptor, the signal handler and the HealthMonitor run
// on the main thread's own io_context.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "common/status.h"
#include "proxy/config/config.h"

namespace shardproxy::backend {
class BackendRegistry;
class HealthMonitor;
}  // namespace shardproxy::backend

namespace shardproxy::session {
class SessionRegistry;
}
namespace shardproxy::router {
class RulesService;
}

namespace shardproxy::net {

class Server {
 public:
  explicit Server(const Config& cfg);  // cfg outlives the server
  ~Server();

  // Binds the listener (errors name the address), starts the workers and the
  // health monitor, then serves until SIGTERM/SIGINT: stop accepting, let
  // running statements finish for up to shutdown_grace, close everything.
  // Returns OK after a clean shutdown.
  Status Run();

 private:
  struct Worker;
  void BeginShutdown();
  void Accept();

  const Config& cfg_;
  boost::asio::io_context main_ioc_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<session::SessionRegistry> sessions_;
  std::unique_ptr<backend::HealthMonitor> health_;
  std::unique_ptr<router::RulesService> rules_;  // routing metadata; the workers use it until joined
  std::atomic<bool> draining_{false};
  size_t next_worker_ = 0;
};

}  // namespace shardproxy::net
