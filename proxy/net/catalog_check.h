// The start-up catalog check: reads every sharded schema's base tables and
// columns from each of its groups (information_schema, the data user), hands
// them to router::CheckCatalog, logs what it finds and publishes the
// quarantine. Runs beside the accept loop: it never delays the start, and a
// group it cannot read is logged and left out.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "proxy/config/config.h"
#include "router/rules/rules_service.h"

namespace shardproxy::net {

// `cfg` and `rules` outlive the coroutine.
boost::asio::awaitable<void> RunCatalogCheck(boost::asio::any_io_executor ex, const Config& cfg,
                                             router::RulesService* rules);

}  // namespace shardproxy::net
