// Reading a small text result from a backend connection, for the proxy's own
// queries (information_schema lookups at DDL and at start). Not for client
// statements: those are relayed, never buffered.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "proxy/backend/backend_connection.h"

namespace shardproxy::backend {

// One row: each column's text, nullopt for NULL.
using TextRow = std::vector<std::optional<std::string>>;

// Runs `sql` (COM_QUERY) on `conn` and returns up to `max_rows` rows (the
// rest are read and dropped). A backend ERR comes back as its Status.
boost::asio::awaitable<Result<std::vector<TextRow>>> QueryRows(BackendConnection* conn,
                                                               std::string_view sql,
                                                               size_t max_rows = SIZE_MAX);

// A string literal for SQL the proxy writes itself: quotes and backslashes
// doubled.
std::string QuoteString(std::string_view s);

}  // namespace shardproxy::backend
