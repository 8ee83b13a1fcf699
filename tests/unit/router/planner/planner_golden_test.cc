// Planner golden tests (tests/router_corpus/README.md):
//   - every entry of tests/router_corpus/*.sql (pending.sql excepted) is parsed
//     with parser::ParseStatement (stmt = nullptr when the grammar refuses it),
//     planned with MakePlan over the fixed snapshot below, and Plan::ToJson()
//     is compared with golden/<file>.json;
//   - the vparts in the plans of a few statements agree with an independent
//     computation: XXH3_64 of hand-written canonical bytes (docs/SHARDING.md)
//     modulo 1024, and the contiguous map (vparts 0-511 on g0, 512-1023 on g1).
//
// Regenerate golden files (then READ every changed entry, see the README):
//   SHARDPROXY_UPDATE_GOLDEN=1 build/debug/tests/unit/router/planner/router_planner_test
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "parser/digest/digest.h"
#include "parser/parser.h"
#include "parser/statement.h"
#include "router/planner/plan.h"
#include "router/planner/planner.h"
#include "router/rules/rules.h"
#include "router/vpart/vpart.h"

#ifndef SHARDPROXY_ROUTER_CORPUS_DIR
#error "SHARDPROXY_ROUTER_CORPUS_DIR must point at tests/router_corpus"
#endif

namespace shardproxy::router {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMinEntries = 200;  // the corpus must not silently shrink
constexpr size_t kMaxReportedFailures = 40;
constexpr const char* kPendingFile = "pending.sql";  // known planner bugs: not run

fs::path CorpusDir() { return fs::path(SHARDPROXY_ROUTER_CORPUS_DIR); }

bool UpdateGolden() {
  const char* v = std::getenv("SHARDPROXY_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// ---------------------------------------------------------------------------
// The fixed routing snapshot every entry is planned against.
//   trade   sharded over g0, g1 (1024 vparts, contiguous: 0-511 g0, 512-1023 g1)
//   account sharded over g0, g1 (same map)
//   app     unsharded on g1 (not the default group, so that it shows)
//   g2      configured, used by no schema; undeclared schemas -> g0 (the default)
// Keys as information_schema.COLUMNS reports them.

TableRule Sharded(std::string schema, std::string table, std::string column, KeySpec key) {
  TableRule t;
  t.schema = std::move(schema);
  t.table = std::move(table);
  t.kind = TableKind::kSharded;
  t.shard_column = std::move(column);
  t.key = std::move(key);
  return t;
}

Metadata CorpusMetadata() {
  Metadata m;
  m.version = 1;
  m.schemas.push_back(MakeShardedSchema("trade", {"g0", "g1"}));
  m.schemas.push_back(MakeShardedSchema("account", {"g0", "g1"}));
  m.schemas.push_back(MakeUnshardedSchema("app", "g1"));
  const KeySpec bigint{"bigint", "bigint(20)", 0, ""};
  m.tables.push_back(Sharded("trade", "orders", "buyer_id", bigint));
  m.tables.push_back(Sharded("trade", "order_items", "buyer_id", bigint));
  TableRule merchants;
  merchants.schema = "trade";
  merchants.table = "merchants";
  merchants.kind = TableKind::kBroadcast;
  m.tables.push_back(merchants);
  TableRule notes;
  notes.schema = "trade";
  notes.table = "notes";
  notes.kind = TableKind::kSingle;
  notes.single_group = "g0";
  m.tables.push_back(notes);
  m.tables.push_back(
      Sharded("account", "accounts", "user_id", KeySpec{"bigint", "bigint(20) unsigned", 0, ""}));
  m.tables.push_back(
      Sharded("account", "ledger", "account_id",
              KeySpec{"varchar", "varchar(32)", std::nullopt, "utf8mb4_general_ci"}));
  m.tables.push_back(
      Sharded("account", "codes", "code", KeySpec{"decimal", "decimal(10,2)", 2, ""}));
  return m;
}

const RoutingSnapshot& Snapshot() {
  static const std::shared_ptr<const RoutingSnapshot> snap = [] {
    auto s = RoutingSnapshot::Build(CorpusMetadata(), {"g0", "g1", "g2"});
    if (!s.ok()) {
      std::cerr << "[BUG] the corpus snapshot does not build: " << s.status().ToString() << "\n";
      std::abort();
    }
    return *s;
  }();
  return *snap;
}

// ---------------------------------------------------------------------------
// Corpus files (format: tests/router_corpus/README.md).

struct Entry {
  std::string file;  // "select.sql"
  int index = 0;     // position in its file: the golden key
  int line = 0;      // 1-based line of the entry's "-- @"
  std::string note;  // text after "-- @"
  std::string schema = "trade";
  std::string last_group;
  bool unparsable = false;  // "-- unparsable": the grammar must refuse it
  std::string sql;

  std::string Name() const {
    return file + "#" + std::to_string(index) + " (line " + std::to_string(line) + ")";
  }
};

std::string RTrim(std::string s) {
  size_t e = s.find_last_not_of(" \t\r\n");
  return e == std::string::npos ? std::string() : s.substr(0, e + 1);
}
std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : RTrim(s.substr(b));
}

bool IsEntryStart(const std::string& line) { return line == "-- @" || line.rfind("-- @ ", 0) == 0; }

bool ReadCorpusFile(const fs::path& path, std::vector<Entry>* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path.string();
    return false;
  }
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(RTrim(l));
  const std::string file = path.filename().string();
  std::vector<Entry> entries;
  Entry* cur = nullptr;
  bool in_sql = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::string where = path.string() + ":" + std::to_string(i + 1) + ": ";
    if (IsEntryStart(line)) {
      entries.push_back(Entry{});
      cur = &entries.back();
      cur->file = file;
      cur->index = static_cast<int>(entries.size()) - 1;
      cur->line = static_cast<int>(i + 1);
      cur->note = line.size() > 5 ? Trim(line.substr(5)) : "";
      in_sql = false;
      continue;
    }
    if (cur == nullptr) {  // the file header: comments and blank lines only
      if (!line.empty() && line.rfind("--", 0) != 0) {
        *error = where + "SQL before the first \"-- @\"";
        return false;
      }
      continue;
    }
    if (!in_sql) {
      if (line.empty()) continue;
      if (line.rfind("--", 0) == 0) {
        const std::string a = Trim(line.substr(2));
        if (a.rfind("schema:", 0) == 0) {
          cur->schema = Trim(a.substr(7));
        } else if (a.rfind("last_group:", 0) == 0) {
          cur->last_group = Trim(a.substr(11));
        } else if (a == "unparsable") {
          cur->unparsable = true;
        }  // any other "--" line before the SQL is a comment
        continue;
      }
      in_sql = true;
    }
    if (!cur->sql.empty()) cur->sql += '\n';
    cur->sql += line;
  }
  for (Entry& e : entries) {
    e.sql = RTrim(e.sql);
    if (e.sql.empty()) {
      *error = path.string() + ":" + std::to_string(e.line) + ": entry without SQL";
      return false;
    }
  }
  out->insert(out->end(), entries.begin(), entries.end());
  return true;
}

std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(CorpusDir())) {
    if (e.path().extension() == ".sql" && e.path().filename() != kPendingFile)
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const std::vector<Entry>& Corpus() {
  static const auto* all = [] {
    auto* v = new std::vector<Entry>;
    for (const fs::path& f : CorpusFiles()) {
      std::string error;
      EXPECT_TRUE(ReadCorpusFile(f, v, &error)) << error;
    }
    return v;
  }();
  return *all;
}

// ---------------------------------------------------------------------------
// Planning one entry exactly as the session does.

// A user variable (@x, not @@x) in the digest text, where literals are '?' (so
// a string holding '@' does not count). The raw SQL when there is no digest.
bool HasUserVariable(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@') continue;
    if (i + 1 < text.size() && text[i + 1] == '@') {
      ++i;
      continue;
    }
    return true;
  }
  return false;
}

struct Planned {
  bool parsed = false;
  std::string parse_error;
  Plan plan;
};

Planned PlanSql(std::string_view sql, std::string_view schema, std::string_view last_group = "") {
  Planned out;
  Result<parser::Digest> digest = parser::ComputeDigest(sql, parser::SqlMode{});
  std::optional<parser::Statement> stmt;
  if (digest.ok()) {
    Result<parser::Statement> st = parser::ParseStatement(sql, *digest, parser::ParseOptions{});
    if (st.ok()) {
      stmt = std::move(*st);
    } else {
      out.parse_error = st.status().ToString();
    }
  } else {
    out.parse_error = digest.status().ToString();
  }
  out.parsed = stmt.has_value();
  PlanInput in;
  in.stmt = stmt ? &*stmt : nullptr;
  in.sql = sql;
  in.user_variables = HasUserVariable(digest.ok() ? std::string_view(digest->text) : sql);
  in.current_schema = schema;
  in.last_group = last_group;
  out.plan = MakePlan(in, Snapshot());
  return out;
}

ordered_json GoldenEntry(const Entry& e, const Planned& p) {
  ordered_json g;
  if (!e.note.empty()) g["note"] = e.note;
  g["sql"] = e.sql;
  g["schema"] = e.schema;
  if (!e.last_group.empty()) g["last_group"] = e.last_group;
  if (!p.parsed) g["parsed"] = false;
  g["plan"] = ordered_json::parse(p.plan.ToJson().dump());
  return g;
}

class Failures {
 public:
  void Add(const std::string& msg) {
    ++count_;
    if (count_ <= kMaxReportedFailures) text_ += msg + "\n";
  }
  size_t count() const { return count_; }
  std::string Report() const {
    return text_ + (count_ > kMaxReportedFailures
                        ? "... and " + std::to_string(count_ - kMaxReportedFailures) + " more\n"
                        : "");
  }

 private:
  size_t count_ = 0;
  std::string text_;
};

ordered_json ReadJsonFile(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return ordered_json();
  try {
    return ordered_json::parse(in);
  } catch (const std::exception&) {
    return ordered_json();
  }
}

TEST(RouterCorpus, Size) { EXPECT_GE(Corpus().size(), kMinEntries); }

// pending.sql (known planner bugs) is not planned, only kept readable so that
// its entries can be moved back when their bug is fixed.
TEST(RouterCorpus, PendingFileReadable) {
  const fs::path pending = CorpusDir() / kPendingFile;
  if (!fs::exists(pending)) GTEST_SKIP() << "no " << kPendingFile;
  std::vector<Entry> entries;
  std::string error;
  EXPECT_TRUE(ReadCorpusFile(pending, &entries, &error)) << error;
  std::cout << entries.size() << " pending entries (not run)\n";
}

// Every entry's plan equals its reviewed golden plan.
TEST(RouterCorpus, PlansMatchGolden) {
  Failures failures;
  size_t matched = 0;
  std::map<std::string, ordered_json> regenerated;  // golden file -> entries
  std::map<std::string, ordered_json> golden;
  std::map<std::string, size_t> entries_of;
  for (const Entry& e : Corpus()) {
    const std::string gname = e.file.substr(0, e.file.size() - 4) + ".json";
    ++entries_of[gname];
    Planned p = PlanSql(e.sql, e.schema, e.last_group);
    if (p.parsed == e.unparsable) {
      failures.Add(e.Name() +
                   (e.unparsable ? ": marked unparsable but the parser reads it"
                                 : ": the parser refuses it: " + p.parse_error +
                                       " (mark it \"-- unparsable\" if meant)") +
                   "\n    SQL: " + e.sql);
      continue;
    }
    ordered_json want = GoldenEntry(e, p);
    const std::string key = std::to_string(e.index);
    if (UpdateGolden()) {
      regenerated[gname][key] = std::move(want);
      continue;
    }
    if (!golden.count(gname)) golden[gname] = ReadJsonFile(CorpusDir() / "golden" / gname);
    const ordered_json& g = golden[gname];
    if (!g.is_object() || !g.contains(key)) {
      failures.Add(e.Name() + ": no golden entry in golden/" + gname +
                   " (run with SHARDPROXY_UPDATE_GOLDEN=1, then review)");
      continue;
    }
    if (g[key].value("sql", "") != e.sql || g[key].value("schema", "") != e.schema ||
        g[key].value("last_group", "") != e.last_group) {
      failures.Add(e.Name() + ": golden/" + gname +
                   " is stale: its sql/schema/last_group differ from the corpus");
      continue;
    }
    if (g[key] != want) {
      failures.Add(e.Name() + ": plan differs from golden/" + gname + "\n    SQL: " + e.sql +
                   "\n    got:    " + want["plan"].dump() +
                   "\n    golden: " + g[key]["plan"].dump());
      continue;
    }
    ++matched;
  }
  if (UpdateGolden()) {
    fs::create_directories(CorpusDir() / "golden");
    for (const auto& [name, obj] : regenerated) {
      std::ofstream out(CorpusDir() / "golden" / name, std::ios::trunc);
      out << obj.dump(2) << "\n";
    }
    std::cout << "rewrote " << regenerated.size() << " golden files: READ every changed entry\n";
  } else {
    // No golden entry without a corpus entry (a removed statement).
    for (const auto& [name, g] : golden) {
      if (g.is_object() && g.size() != entries_of[name])
        failures.Add("golden/" + name + " has " + std::to_string(g.size()) +
                     " entries, the corpus " + std::to_string(entries_of[name]));
    }
  }
  std::cout << Corpus().size() << " entries, " << matched << " match golden\n";
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

// Mechanical invariants of every plan (whatever the golden says): each vpart
// of a route target is on that target's group under the contiguous map, the
// vparts are sorted and unique, refusals are 1235 / 1364 saying
// "shardproxy: ", or a stored key value refused by router/vpart (1264, 1366,
// 1406, worded like MariaDB's own errors).
TEST(RouterCorpus, PlanInvariants) {
  Failures failures;
  for (const Entry& e : Corpus()) {
    Planned p = PlanSql(e.sql, e.schema, e.last_group);
    const Plan& plan = p.plan;
    if (plan.kind == Plan::Kind::kRefuse) {
      if (plan.refusal.ok()) failures.Add(e.Name() + ": a refusal without an error");
      const int code = plan.refusal.code();
      if (code == 1235 || code == 1364 || code == 1105) {
        if (plan.refusal.message().rfind("shardproxy: ", 0) != 0)
          failures.Add(e.Name() + ": refusal message does not start with \"shardproxy: \": " +
                       plan.refusal.message());
      } else if (code != 1264 && code != 1366 && code != 1406 && code != 1146) {
        // Only router/vpart's stored-value errors and the unknown table,
        // worded like MariaDB's.
        failures.Add(e.Name() + ": unexpected refusal errno " + std::to_string(code));
      }
      continue;
    }
    if (plan.targets.empty()) failures.Add(e.Name() + ": a route without targets");
    std::set<std::string> seen;
    for (const RouteTarget& t : plan.targets) {
      if (!seen.insert(t.group).second) failures.Add(e.Name() + ": group twice: " + t.group);
      if (t.group != "g0" && t.group != "g1")
        failures.Add(e.Name() + ": group " + t.group + " holds no schema of the corpus");
      if (t.all_vparts && !t.vparts.empty())
        failures.Add(e.Name() + ": all_vparts with a vpart list");
      if (!std::is_sorted(t.vparts.begin(), t.vparts.end()) ||
          std::adjacent_find(t.vparts.begin(), t.vparts.end()) != t.vparts.end())
        failures.Add(e.Name() + ": vparts not sorted/unique");
      for (uint32_t v : t.vparts) {
        const std::string want = v < 512 ? "g0" : "g1";
        if (v >= 1024 || want != t.group)
          failures.Add(e.Name() + ": vpart " + std::to_string(v) + " is not on " + t.group);
      }
    }
  }
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

// ---------------------------------------------------------------------------
// Independent vparts: canonical bytes written by hand from docs/SHARDING.md,
// hashed here with xxHash directly (not through router/vpart).

uint32_t IndependentVpart(std::string_view canonical_bytes) {
  return static_cast<uint32_t>(XXH3_64bits(canonical_bytes.data(), canonical_bytes.size()) % 1024);
}

// utf8mb4_general_ci weights of ASCII text, trailing spaces dropped.
std::string GeneralCiBytes(std::string_view ascii) {
  std::string s(ascii);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  std::string out;
  for (char c : s) {
    out += '\0';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

struct VpartCase {
  std::string schema;
  std::string sql;
  std::vector<std::string> canonical;  // every key value the statement reaches
};

TEST(PlannerVparts, AgreeWithIndependentHash) {
  // Anchors from docs/SHARDING.md.
  EXPECT_EQ(IndependentVpart("42"), 401u);
  EXPECT_EQ(IndependentVpart(GeneralCiBytes("Abc")), 363u);

  const std::vector<VpartCase> cases = {
      {"trade", "SELECT * FROM orders WHERE buyer_id = 42", {"42"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = '42'", {"42"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = 0x2A", {"42"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = 4.2e1", {"42"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = 42.00", {"42"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = -7", {"-7"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = 2", {"2"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id IN (1, 2, 3, 5)", {"1", "2", "3", "5"}},
      {"trade", "SELECT * FROM orders WHERE buyer_id = 1 OR buyer_id = 8", {"1", "8"}},
      {"trade", "UPDATE orders SET status = 'x' WHERE buyer_id = 100", {"100"}},
      {"trade", "DELETE FROM orders WHERE buyer_id IN (10, 11)", {"10", "11"}},
      {"trade",
       "SELECT * FROM orders o JOIN order_items i ON i.buyer_id = o.buyer_id WHERE o.buyer_id = 6",
       {"6"}},
      {"trade", "INSERT INTO orders (id, buyer_id) VALUES (1, 42)", {"42"}},
      {"trade",
       "INSERT INTO orders (id, buyer_id) VALUES (1, 1), (2, 2), (3, 3), (4, 5)",
       {"1", "2", "3", "5"}},
      {"trade", "INSERT INTO orders SET id = 1, buyer_id = '044'", {"44"}},
      {"app", "SELECT * FROM trade.orders WHERE buyer_id = 2", {"2"}},
      {"account",
       "SELECT * FROM accounts WHERE user_id = 18446744073709551615",
       {"18446744073709551615"}},
      {"account", "SELECT * FROM accounts WHERE user_id IN (-1, 5)", {"5"}},
      {"account", "SELECT * FROM ledger WHERE account_id = 'abc'", {GeneralCiBytes("abc")}},
      {"account", "SELECT * FROM ledger WHERE account_id = 'ABC'", {GeneralCiBytes("abc")}},
      {"account", "SELECT * FROM ledger WHERE account_id = 'abc  '", {GeneralCiBytes("abc")}},
      {"account",
       "SELECT * FROM ledger WHERE account_id IN ('x1', 'Y2')",
       {GeneralCiBytes("X1"), GeneralCiBytes("y2")}},
      {"account", "SELECT * FROM ledger WHERE account_id = '   '", {""}},
      {"account", "SELECT * FROM codes WHERE code = 1.5", {"1.5"}},
      {"account", "SELECT * FROM codes WHERE code = 1.50", {"1.5"}},
      {"account", "SELECT * FROM codes WHERE code = '3.00'", {"3"}},
      {"account", "INSERT INTO codes (code) VALUES (1.505)", {"1.51"}},
      {"account", "INSERT INTO codes (code) VALUES (-0.50)", {"-0.5"}},
  };
  for (const VpartCase& c : cases) {
    SCOPED_TRACE(c.schema + ": " + c.sql);
    Planned p = PlanSql(c.sql, c.schema);
    ASSERT_TRUE(p.parsed) << p.parse_error;
    ASSERT_EQ(p.plan.kind, Plan::Kind::kRoute) << p.plan.ToJson().dump();
    std::map<std::string, std::set<uint32_t>> want;  // group -> vparts
    for (const std::string& b : c.canonical) {
      const uint32_t v = IndependentVpart(b);
      EXPECT_EQ(VpartOf(b), v);
      want[v < 512 ? "g0" : "g1"].insert(v);
    }
    std::map<std::string, std::set<uint32_t>> got;
    for (const RouteTarget& t : p.plan.targets) {
      EXPECT_FALSE(t.all_vparts) << t.group;
      got[t.group].insert(t.vparts.begin(), t.vparts.end());
    }
    EXPECT_EQ(got, want) << p.plan.ToJson().dump();
  }
}

// The IN-list rewrite sends each group exactly its values, cut by position
// (the golden files hold more; this one is spelled out here too).
TEST(PlannerVparts, InListCutPerGroup) {
  Planned p = PlanSql("SELECT id FROM orders WHERE buyer_id IN (1, -7, '2', 0x2A, 5) AND x = 'a,b'",
                      "trade");
  ASSERT_EQ(p.plan.kind, Plan::Kind::kRoute) << p.plan.ToJson().dump();
  ASSERT_EQ(p.plan.targets.size(), 2u) << p.plan.ToJson().dump();
  // 1 -> 344, -7 -> ?, '2' -> 788, 0x2A -> 401, 5 -> 626.
  std::map<std::string, std::vector<std::string>> values;
  for (const auto& [text, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"1", "1"}, {"-7", "-7"}, {"'2'", "2"}, {"0x2A", "42"}, {"5", "5"}})
    values[IndependentVpart(bytes) < 512 ? "g0" : "g1"].push_back(text);
  for (const RouteTarget& t : p.plan.targets) {
    std::string list;
    for (const std::string& v : values[t.group]) list += (list.empty() ? "" : ", ") + v;
    EXPECT_EQ(t.sql, "SELECT id FROM orders WHERE buyer_id IN (" + list + ") AND x = 'a,b'")
        << t.group;
  }
}

}  // namespace
}  // namespace shardproxy::router
