// Liveness prober: one dedicated connection per group master (separate from
// the data connections), COM_PING every probe_interval; probe_misses
// consecutive misses (an error, or no answer within probe_timeout) => the
// group is DOWN; the first successful probe => UP again. A frozen
// (SIGSTOPped) master, whose TCP stays up, is detected this way; so is a dead
// one. A missed probe drops its connection; the next probe reconnects (the
// connect + handshake is bounded by probe_timeout too).
//
// Threads: the probes run on the executor given to the constructor. IsUp is a
// lock-free read from any thread; listeners are posted to their own executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "proxy/config/config.h"

namespace shardproxy::backend {

class HealthMonitor {
 public:
  // Copies what it needs from cfg (groups, credentials, cfg.backend timeouts).
  HealthMonitor(boost::asio::any_io_executor ex, const Config& cfg);
  ~HealthMonitor();  // Stop()s; in-flight probes wind down on their own
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  // Start probing every group master (idempotent). Stop: no more probes or
  // notifications; probe connections closed (asynchronously, on the executor).
  void Start();
  void Stop();

  // Lock-free read (one atomic per group). Groups start UP; unknown groups are
  // reported UP (nothing says otherwise).
  bool IsUp(const std::string& group) const;

  // Subscribe a per-thread listener: called ON `ex` (posted) when a group goes
  // down/up. Sessions use it to Abort their in-flight backend connections (see
  // BackendRegistry::Attach). Subscribe before Start or at any time; never removed.
  using Listener = std::function<void(const std::string& group, bool up)>;
  void Subscribe(boost::asio::any_io_executor ex, Listener fn);

  // --- additions ---
  // The error in-flight statements of a DOWN group get (kBackendUnavailable):
  // "shardproxy: group g0 master 127.0.0.1:23306 stopped answering (3 liveness
  //  probes missed in 3000 ms); the statement may or may not have run. ..."
  Status DownError(const std::string& group) const;
  std::map<std::string, Status> DownErrors() const;  // every group's DownError
  // Probes answered / missed so far for a group (diagnostics, tests).
  uint64_t probes_ok(const std::string& group) const;
  uint64_t probes_missed(const std::string& group) const;

  struct Shared;  // state shared with the probe coroutines (health.cc)

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace shardproxy::backend
