// Where Metadata (rules, vpart map; topology later) is kept between runs.
//
// One interface, two intended implementations: FileMetadataStore (a file in the
// data directory, the default, below) and an etcd store for several proxies
// sharing one cluster (later: Save becomes a compare-and-swap on the version).
//
// Versioning (optimistic concurrency): Metadata::version is the version of the
// content it was loaded as (0: nothing stored yet). Save(m) succeeds only if
// the store still holds version m.version, and stores the content as version
// m.version + 1; after a successful Save the caller's copy is at
// m.version + 1 (set it before the next Save). Otherwise Save changes nothing
// and says who is newer: reload, re-apply the change, save again.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "common/status.h"
#include "router/rules/rules.h"

namespace shardproxy::router {

class MetadataStore {
 public:
  virtual ~MetadataStore();

  // nullopt: nothing stored yet (first start). A store that exists but cannot
  // be read or parsed is an error naming it, never an empty Metadata.
  virtual Result<std::optional<Metadata>> Load() = 0;
  // Atomic: after a crash at any point, Load returns either the old or the new
  // version, complete. Refuses invalid Metadata (ValidateMetadata) and a
  // version conflict (see above).
  virtual Status Save(const Metadata& metadata) = 0;
};

// <data_dir>/metadata.json. Save writes <data_dir>/metadata.json.tmp, fsyncs
// it, renames it over metadata.json and fsyncs the directory; the version
// check and the write hold an exclusive flock on <data_dir>/metadata.lock, so
// two processes (or two stores) on one directory cannot both win. A stale
// .tmp left by a crash is ignored by Load and overwritten by the next Save.
// data_dir (and its parents) are created by Save if missing.
// Thread-safe.
class FileMetadataStore final : public MetadataStore {
 public:
  explicit FileMetadataStore(std::string data_dir);

  Result<std::optional<Metadata>> Load() override;
  Status Save(const Metadata& metadata) override;

  const std::string& path() const { return path_; }            // .../metadata.json
  const std::string& temp_path() const { return temp_path_; }  // .../metadata.json.tmp

 private:
  const std::string data_dir_;
  const std::string path_;
  const std::string temp_path_;
  const std::string lock_path_;
  std::mutex mu_;  // one Save at a time in this process (the flock covers other processes)
};

}  // namespace shardproxy::router
