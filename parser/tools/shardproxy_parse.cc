// shardproxy-parse [--sql-mode=MODES] [FILE]
//
// Reads SQL from FILE (or stdin), splits it into statements at top-level ';'
// (honouring quotes and comments) and prints one JSON object per line:
//   {"sql": ..., "digest_text": ..., "digest": "<16 hex>", "model": {...}}
// or, when a statement does not parse:
//   {"sql": ..., "error": {"code": 1064, "sqlstate": "42000", "message": ..., "position": N}}
// Exit status: 0 if every statement parsed, 1 otherwise, 2 on usage errors.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "parser/parser.h"

namespace {

using shardproxy::parser::ComputeDigest;
using shardproxy::parser::ParseOptions;

// Byte position named by an error message's "near '...'" text, or -1.
long ErrorPosition(std::string_view sql, const std::string& message) {
  size_t a = message.find("near '");
  size_t b = message.rfind("' at line ");
  if (a == std::string::npos || b == std::string::npos || b < a + 6) return -1;
  std::string near = message.substr(a + 6, b - a - 6);
  if (near.empty()) return static_cast<long>(sql.size());
  size_t p = sql.find(near);
  return p == std::string_view::npos ? -1 : static_cast<long>(p);
}

}  // namespace

int main(int argc, char** argv) {
  ParseOptions options;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--sql-mode=", 0) == 0) {
      options.mode = shardproxy::parser::SqlMode::FromString(a.substr(11));
    } else if (a == "-h" || a == "--help") {
      std::cout << "usage: shardproxy-parse [--sql-mode=MODES] [FILE]\n";
      return 0;
    } else if (file.empty()) {
      file = a;
    } else {
      std::cerr << "usage: shardproxy-parse [--sql-mode=MODES] [FILE]\n";
      return 2;
    }
  }
  std::string script;
  if (file.empty() || file == "-") {
    script.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "shardproxy-parse: cannot open " << file << "\n";
      return 2;
    }
    script.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  int rc = 0;
  for (std::string_view sql : shardproxy::parser::SplitStatements(script, options.mode)) {
    nlohmann::json out;
    out["sql"] = std::string(sql);
    shardproxy::Status err;
    auto digest = ComputeDigest(sql, options.mode);
    if (!digest.ok()) {
      err = digest.status();
    } else {
      out["digest_text"] = digest->text;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest->hash));
      out["digest"] = hex;
      auto st = shardproxy::parser::ParseStatement(sql, *digest, options);
      if (st.ok()) {
        nlohmann::json m = st->ToJson();
        out["kind"] = m["kind"];
        out["tables"] = m["tables"];
        if (m.contains("predicates")) out["predicates"] = m["predicates"];
        out["model"] = m;
      } else {
        err = st.status();
      }
    }
    if (!err.ok()) {
      rc = 1;
      out["error"] = {{"code", err.code()},
                      {"sqlstate", err.sqlstate()},
                      {"message", err.message()},
                      {"position", ErrorPosition(sql, err.message())}};
    }
    std::cout << out.dump() << "\n";
  }
  return rc;
}
