// Start-up: the config's declared schemas + what the metadata store holds ->
// the Metadata to route with (and to save back if it changed).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "router/rules/rules.h"

namespace shardproxy::router {

// Rules:
//  - A schema declared in the config and not stored is added; a sharded one
//    without a vpart_group gets the contiguous initial map
//    (ContiguousVpartGroups).
//  - A schema both declared and stored keeps the stored rule (its vpart map
//    may reflect moves) if the config agrees on sharded, on the set of groups
//    (order aside: the stored order, which vpart_group indexes, is kept) and,
//    if sharded, on vpart_count. Otherwise an error naming the schema: changing
//    them means moving rows, and moving vparts between groups is a later issue
//    (the vpart mover).
//  - A stored schema no longer declared in the config is kept as it was, with
//    its tables (dropping it would silently route its tables to the default
//    group and hide the rows on the other groups), and reported in *warnings.
//  - Stored tables are kept; those whose schema the config no longer declares
//    are reported in *warnings (one line per schema, naming its tables).
// The result keeps stored->version (0 when nothing was stored), keeps the
// stored schemas' order and appends new ones in the config's order, and is
// validated (ValidateMetadata). Compare it with *stored to know whether to Save.
Result<Metadata> MergeDeclaredSchemas(std::optional<Metadata> stored,
                                      const std::vector<SchemaRule>& declared_in_config,
                                      std::vector<std::string>* warnings = nullptr);

}  // namespace shardproxy::router
