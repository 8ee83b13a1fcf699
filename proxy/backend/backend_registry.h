// Per-io_context-thread registry of the live data connections, by group, so a
// DOWN event of the HealthMonitor aborts every in-flight connection of that
// group with kBackendUnavailable ("... stopped answering (3 liveness probes
// missed in 3000 ms); the statement may or may not have run ...").
//
// One registry per io_context thread; used only on that thread: no locks.
// Ownership: the registry does not own connections. A registered
// BackendConnection unregisters itself in its destructor; the registry must
// outlive the connections registered in it (make it live as long as the thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <string>
#include <unordered_set>

#include "common/status.h"

namespace shardproxy::backend {

class BackendConnection;
class HealthMonitor;

class BackendRegistry {
 public:
  BackendRegistry() = default;
  ~BackendRegistry();
  BackendRegistry(const BackendRegistry&) = delete;
  BackendRegistry& operator=(const BackendRegistry&) = delete;

  // Sessions register their connection when opened (idempotent) ...
  void Register(BackendConnection* conn);
  // ... and unregister when closed (also done by ~BackendConnection).
  void Unregister(BackendConnection* conn);

  // Abort every registered connection of `group` with `why`. Returns how many.
  size_t AbortGroup(const std::string& group, const Status& why);

  // Subscribe to `monitor` on `ex` (this registry's thread): a DOWN event of a
  // group aborts its connections with monitor.DownError(group). The registry
  // must outlive the monitor's notifications (call before the thread runs;
  // destroy after the io_context stopped).
  void Attach(HealthMonitor& monitor, boost::asio::any_io_executor ex);

  size_t size() const { return conns_.size(); }

 private:
  std::unordered_set<BackendConnection*> conns_;
};

}  // namespace shardproxy::backend
