#include "proxy/backend/backend_registry.h"

#include <vector>

#include "proxy/backend/backend_connection.h"
#include "proxy/backend/health.h"

namespace shardproxy::backend {

BackendRegistry::~BackendRegistry() {
  for (BackendConnection* c : conns_) c->registry_ = nullptr;
}

void BackendRegistry::Register(BackendConnection* conn) {
  if (conn == nullptr) return;
  if (conn->registry_ != nullptr && conn->registry_ != this) conn->registry_->Unregister(conn);
  conn->registry_ = this;
  conns_.insert(conn);
}

void BackendRegistry::Unregister(BackendConnection* conn) {
  if (conn == nullptr) return;
  if (conns_.erase(conn) > 0) conn->registry_ = nullptr;
}

size_t BackendRegistry::AbortGroup(const std::string& group, const Status& why) {
  std::vector<BackendConnection*> hit;
  for (BackendConnection* c : conns_) {
    if (c->group() == group && !c->broken()) hit.push_back(c);
  }
  for (BackendConnection* c : hit) c->Abort(why);
  return hit.size();
}

void BackendRegistry::Attach(HealthMonitor& monitor, boost::asio::any_io_executor ex) {
  auto errors = monitor.DownErrors();  // immutable copies: no reference to the monitor kept
  monitor.Subscribe(std::move(ex),
                    [this, errors = std::move(errors)](const std::string& group, bool up) {
                      if (up) return;
                      auto it = errors.find(group);
                      if (it != errors.end()) AbortGroup(group, it->second);
                    });
}

}  // namespace shardproxy::backend
