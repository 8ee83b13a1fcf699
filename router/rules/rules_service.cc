#include "router/rules/rules_service.h"

#include "router/rules/merge.h"

namespace shardproxy::router {

Result<std::unique_ptr<RulesService>> RulesService::Open(std::unique_ptr<MetadataStore> store,
                                                         const std::vector<SchemaRule>& declared,
                                                         std::vector<std::string> groups,
                                                         std::vector<std::string>* warnings) {
  auto stored = store->Load();
  if (!stored.ok()) return stored.status();
  const bool had = stored->has_value();
  std::optional<Metadata> before = *stored;
  auto merged = MergeDeclaredSchemas(std::move(*stored), declared, warnings);
  if (!merged.ok()) return merged.status();
  std::unique_ptr<RulesService> svc(new RulesService(std::move(store), std::move(groups)));
  if (!had || !(*before == *merged)) {
    if (Status st = svc->store_->Save(*merged); !st.ok()) return st;
    merged->version += 1;
  }
  auto snap = RoutingSnapshot::Build(std::move(*merged), svc->groups_);
  if (!snap.ok()) return snap.status();
  svc->holder_.Set(std::move(*snap));
  return svc;
}

Status RulesService::Update(const std::function<Status(Metadata*)>& change) {
  std::lock_guard<std::mutex> lock(mu_);
  Metadata next = holder_.Get()->metadata();
  if (Status st = change(&next); !st.ok()) return st;
  if (Status st = ValidateMetadata(next); !st.ok()) return st;
  // Built before saving: a change the snapshot refuses is never stored.
  Metadata saved = next;
  saved.version += 1;
  auto snap = RoutingSnapshot::Build(saved, groups_, quarantine_);
  if (!snap.ok()) return snap.status();
  if (Status st = store_->Save(next); !st.ok()) return st;
  holder_.Set(std::move(*snap));
  return Status::Ok();
}

Status RulesService::SetQuarantine(std::vector<Quarantine> quarantine) {
  std::lock_guard<std::mutex> lock(mu_);
  auto snap = RoutingSnapshot::Build(holder_.Get()->metadata(), groups_, quarantine);
  if (!snap.ok()) return snap.status();
  quarantine_ = std::move(quarantine);
  holder_.Set(std::move(*snap));
  return Status::Ok();
}

}  // namespace shardproxy::router
