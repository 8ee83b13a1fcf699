// Recognises `KILL [HARD|SOFT] [CONNECTION|QUERY] <id>` in COM_QUERY text, so
// the session can handle it itself: <id> is OUR connection id (from our
// handshake), not a backend thread id. A small hand-written matcher: the SQL
// parser is not on this path. Comments (/* */, -- , #) and whitespace are
// skipped; one trailing ';' is allowed. Everything else starting with KILL
// (KILL USER u, KILL QUERY ID n, several statements) is reported as
// kUnsupported, never passed to a backend: the ids and users there are the
// backend's, shared by every client of the proxy.
#pragma once

#include <cstdint>
#include <string_view>

namespace shardproxy::session {

struct KillRequest {
  enum class Kind : uint8_t {
    kNotKill,      // not a KILL statement: relay as usual
    kKill,         // KILL [CONNECTION|QUERY] n: handle in the proxy
    kUnsupported,  // a KILL form the proxy refuses (ERR 1235)
  };
  Kind kind = Kind::kNotKill;
  bool query_only = false;  // KILL QUERY (true) vs KILL [CONNECTION] (false)
  uint64_t id = 0;          // target connection id as written (may exceed 32 bits: then unknown)
};

KillRequest MatchKill(std::string_view sql);

// True when a KILL statement may hide in a multi-statement text or a MariaDB
// executable comment ("SELECT 1; KILL 5", "/*!KILL 5*/"): a whole word KILL
// preceded (spaces aside) by ';', the start of the text, or "/*!"/"/*M!" and
// optional version digits. A false positive (the word inside a string after a
// ';') only makes the proxy refuse that text, never relay a KILL.
bool ContainsKillStatement(std::string_view sql);

}  // namespace shardproxy::session
