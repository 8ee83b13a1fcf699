#include "proxy/session/session_registry.h"

namespace shardproxy::session {

uint32_t SessionRegistry::NextConnectionId() {
  uint32_t id;
  do {
    id = next_id_.fetch_add(1, std::memory_order_relaxed) + 1;
  } while (id == 0);
  return id;
}

bool SessionRegistry::TryEnter() {
  uint32_t cur = active_.load(std::memory_order_relaxed);
  do {
    if (cur >= max_connections_) return false;
  } while (!active_.compare_exchange_weak(cur, cur + 1, std::memory_order_relaxed));
  return true;
}

void SessionRegistry::Leave() { active_.fetch_sub(1, std::memory_order_relaxed); }

void SessionRegistry::Add(uint32_t id, std::weak_ptr<Session> session, const std::string& user) {
  std::lock_guard lock(mu_);
  sessions_[id] = Entry{std::move(session), user};
}

void SessionRegistry::SetUser(uint32_t id, const std::string& user) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) it->second.user = user;
}

void SessionRegistry::Remove(uint32_t id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

bool SessionRegistry::Find(uint32_t id, Entry* out) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  *out = it->second;
  return true;
}

std::vector<std::weak_ptr<Session>> SessionRegistry::All() const {
  std::lock_guard lock(mu_);
  std::vector<std::weak_ptr<Session>> out;
  out.reserve(sessions_.size());
  for (const auto& [id, e] : sessions_) out.push_back(e.session);
  return out;
}

}  // namespace shardproxy::session
