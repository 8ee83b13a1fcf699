// Every live client session of the process, by OUR connection id (the id in
// our handshake, what KILL <n> names). Used on rare paths only: connect,
// disconnect, KILL, COM_CHANGE_USER, shutdown. A mutex guards it; the
// per-statement hot path never touches it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace shardproxy::session {

class Session;

class SessionRegistry {
 public:
  explicit SessionRegistry(uint32_t max_connections) : max_connections_(max_connections) {}

  // A fresh connection id (never 0). Ids are not reused until 2^32 connects.
  uint32_t NextConnectionId();

  // Counts a new client connection; false (and not counted) when that would
  // exceed max_connections (-> ERR 1040). Every true must be paired with Leave().
  bool TryEnter();
  void Leave();
  uint32_t active() const { return active_.load(std::memory_order_relaxed); }

  // Registered after authentication, with the user name (for KILL ownership).
  void Add(uint32_t id, std::weak_ptr<Session> session, const std::string& user);
  void SetUser(uint32_t id, const std::string& user);
  void Remove(uint32_t id);

  struct Entry {
    std::weak_ptr<Session> session;
    std::string user;
  };
  // A copy of the entry; session expired/empty when unknown.
  bool Find(uint32_t id, Entry* out) const;
  // Every registered session (for shutdown).
  std::vector<std::weak_ptr<Session>> All() const;

 private:
  const uint32_t max_connections_;
  std::atomic<uint32_t> next_id_{0};
  std::atomic<uint32_t> active_{0};
  mutable std::mutex mu_;
  std::unordered_map<uint32_t, Entry> sessions_;  // GUARDED_BY(mu_)
};

}  // namespace shardproxy::session
