// The one owner of the routing metadata in a running proxy: loads the store
// at start (merged with the config's declared schemas), publishes the
// snapshot sessions route with, and applies DDL's rule changes (save, then
// publish). Entry points: RulesService::Open, Get, Update.
//
// Threading: Get is lock-free for readers (SnapshotHolder); Update is
// serialised by a mutex and does the store's file I/O (with fsync) on the
// calling thread: DDL is rare, statements never call it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "router/rules/metadata_store.h"
#include "router/rules/rules.h"

namespace shardproxy::router {

class RulesService {
 public:
  // `groups`: the configured group names, the default group first. Warnings
  // of the merge (stored schemas the config no longer declares) go to
  // *warnings.
  static Result<std::unique_ptr<RulesService>> Open(std::unique_ptr<MetadataStore> store,
                                                    const std::vector<SchemaRule>& declared,
                                                    std::vector<std::string> groups,
                                                    std::vector<std::string>* warnings = nullptr);

  // The current snapshot; a statement takes it once and keeps it.
  std::shared_ptr<const RoutingSnapshot> Get() const { return holder_.Get(); }
  const SnapshotHolder& holder() const { return holder_; }

  // Applies `change` to a copy of the current metadata, validates, saves it
  // (the store's version check guards against a concurrent writer) and
  // publishes the new snapshot. An error from `change`, the validation or the
  // store leaves everything as it was.
  Status Update(const std::function<Status(Metadata*)>& change);

  // Publishes the current metadata with this quarantine (the start-up
  // catalog check's findings); later Updates keep it.
  Status SetQuarantine(std::vector<Quarantine> quarantine);

 private:
  RulesService(std::unique_ptr<MetadataStore> store, std::vector<std::string> groups)
      : store_(std::move(store)), groups_(std::move(groups)) {}

  std::mutex mu_;
  std::unique_ptr<MetadataStore> store_;  // GUARDED_BY(mu_)
  const std::vector<std::string> groups_;
  SnapshotHolder holder_;
  std::vector<Quarantine> quarantine_;  // GUARDED_BY(mu_)
};

}  // namespace shardproxy::router
