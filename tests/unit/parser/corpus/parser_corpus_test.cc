// The SQL corpus (tests/parser_corpus/) against our parser:
//   - every valid statement parses; its model equals golden/<file>.json;
//   - re-run with fresh literals: the variant shares the digest text, and the
//     cache-hit model (Bind of the original's template, and CachedParser after
//     the original) equals a cold parse of the variant (compared as JSON);
//   - VALUES lists grown with rows that differ in NULL vs literal and in sign
//     (a mysqldump extended INSERT): the miss model equals a cold parse;
//   - at least 400 distinct digests; distinct digest texts have distinct hashes;
//     corpus statements that share a digest text bind into each other;
//   - every invalid statement is refused with 1064 naming a position.
//
// Regenerate golden files (then REVIEW them, see tests/parser_corpus/README.md):
//   SHARDPROXY_UPDATE_GOLDEN=1 build/<dir>/tests/unit/parser/corpus/parser_corpus_test
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "parser/cache/template_cache.h"
#include "parser/digest/digest.h"
#include "parser/parser.h"
#include "parser/statement.h"
#include "tests/unit/parser/corpus/corpus_reader.h"
#include "tests/unit/parser/corpus/fresh_literals.h"

#ifndef SHARDPROXY_CORPUS_DIR
#error "SHARDPROXY_CORPUS_DIR must point at tests/parser_corpus"
#endif

namespace shardproxy::parser::corpus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMinDistinctDigests = 400;
constexpr size_t kMinInvalid = 100;
constexpr size_t kMaxReportedFailures = 40;

fs::path CorpusDir() { return fs::path(SHARDPROXY_CORPUS_DIR); }

std::vector<CorpusEntry> Load(const std::string& kind) {
  std::vector<CorpusEntry> all;
  for (const auto& f : CorpusFiles(CorpusDir() / kind)) {
    std::string error;
    EXPECT_TRUE(ReadCorpusFile(f, &all, &error)) << error;
  }
  return all;
}

const std::vector<CorpusEntry>& Valid() {
  static const auto* v = new std::vector<CorpusEntry>(Load("valid"));
  return *v;
}
const std::vector<CorpusEntry>& Invalid() {
  static const auto* v = new std::vector<CorpusEntry>(Load("invalid"));
  return *v;
}

bool UpdateGolden() {
  const char* v = std::getenv("SHARDPROXY_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

SqlMode ModeOf(const CorpusEntry& e) { return SqlMode::FromString(e.sql_mode); }

// Digest + cold ANTLR parse of one statement.
struct Parsed {
  Status status;
  Digest digest;
  std::optional<Statement> stmt;
};

Parsed ColdParse(std::string_view sql, SqlMode mode) {
  Parsed p;
  Result<Digest> d = ComputeDigest(sql, mode);
  if (!d.ok()) {
    p.status = d.status();
    return p;
  }
  p.digest = std::move(d).value();
  ParseOptions opts;
  opts.mode = mode;
  Result<Statement> s = ParseStatement(sql, p.digest, opts);
  if (!s.ok()) {
    p.status = s.status();
    return p;
  }
  p.stmt = std::move(s).value();
  return p;
}

// Collects failures so one run reports many statements, not just the first.
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

// The model and its source ranges (not in ToJson): what Bind must reproduce.
json Full(const Statement& s) {
  return json{{"model", s.ToJson()}, {"ranges", s.SourceRangesToJson()}};
}

json ReadJsonFile(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return json();
  try {
    return json::parse(in);
  } catch (const std::exception&) {
    return json();
  }
}

TEST(ParserCorpus, CorpusSizes) {
  EXPECT_GE(Valid().size(), kMinDistinctDigests);
  EXPECT_GE(Invalid().size(), kMinInvalid);
}

// Every valid statement parses, and its model equals the reviewed golden JSON.
TEST(ParserCorpus, ValidStatementsMatchGolden) {
  Failures failures;
  size_t parsed = 0, matched = 0;
  std::map<std::string, ordered_json> regenerated;  // file -> golden object
  std::map<std::string, json> golden;
  for (const CorpusEntry& e : Valid()) {
    Parsed p = ColdParse(e.sql, ModeOf(e));
    if (!p.stmt) {
      failures.Add(e.Name() + ": parse failed: " + p.status.ToString() + "\n    SQL: " + e.sql);
      continue;
    }
    ++parsed;
    json model = p.stmt->ToJson();
    std::string gname = e.file.substr(0, e.file.size() - 4) + ".json";
    if (UpdateGolden()) {
      ordered_json g;
      g["sql"] = e.sql;
      if (!e.sql_mode.empty()) g["sql_mode"] = e.sql_mode;
      g["digest"] = p.digest.text;
      g["model"] = ordered_json::parse(model.dump());
      regenerated[gname][std::to_string(e.index)] = std::move(g);
      continue;
    }
    if (!golden.count(gname)) golden[gname] = ReadJsonFile(CorpusDir() / "golden" / gname);
    const json& g = golden[gname];
    std::string key = std::to_string(e.index);
    if (!g.is_object() || !g.contains(key)) {
      failures.Add(e.Name() + ": no golden entry in golden/" + gname +
                   " (run with SHARDPROXY_UPDATE_GOLDEN=1, then review)");
      continue;
    }
    if (g[key].value("sql", "") != e.sql) {
      failures.Add(e.Name() + ": golden/" + gname + " is stale: its sql differs from the corpus");
      continue;
    }
    if (g[key]["model"] != model) {
      failures.Add(e.Name() + ": model differs from golden/" + gname + "\n    SQL: " + e.sql +
                   "\n    got:    " + model.dump() + "\n    golden: " + g[key]["model"].dump());
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
    std::cout << "rewrote " << regenerated.size() << " golden files: review them by hand\n";
  }
  std::cout << "parsed " << parsed << "/" << Valid().size() << " valid statements, " << matched
            << " match golden\n";
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

// Fresh literals: same digest, and cache-hit model == cold-parse model.
TEST(ParserCorpus, FreshLiteralsBindLikeColdParse) {
  Failures failures;
  size_t checked = 0;
  uint64_t reduced = 0;    // misses answered by parsing the statement with lists cut
  uint64_t row_forms = 0;  // ... of those, by one row per VALUES value form
  for (const CorpusEntry& e : Valid()) {
    SqlMode mode = ModeOf(e);
    Parsed orig = ColdParse(e.sql, mode);
    if (!orig.stmt) continue;  // reported by ValidStatementsMatchGolden
    // Bind with the statement's own literals is the identity.
    ParseOptions opts;
    opts.mode = mode;
    const TemplateSource src{e.sql, orig.digest.slots};
    Statement self = Bind(*orig.stmt, src, e.sql, orig.digest, opts);
    if (Full(self) != Full(*orig.stmt)) {
      failures.Add(e.Name() + ": Bind(template, own literals) != template\n    got:  " +
                   Full(self).dump() + "\n    want: " + Full(*orig.stmt).dump());
    }
    // Grow collapsed lists on even indexes, shrink them on odd ones.
    for (bool grow : {e.index % 2 == 0, e.index % 2 != 0}) {
      Variant v = MakeVariant(e.sql, orig.digest, grow);
      if (!v.error.empty()) {
        failures.Add(e.Name() + ": cannot build a variant: " + v.error);
        break;
      }
      bool has_values = false;
      for (const Literal& l : orig.digest.literals) {
        has_values |= l.kind != LiteralKind::kPlaceholder;
      }
      for (const Slot& s : orig.digest.slots) has_values |= s.collapsed;
      if (has_values && v.sql == e.sql) {
        failures.Add(e.Name() + ": the variant is identical to the original");
        continue;
      }
      Parsed cold = ColdParse(v.sql, mode);
      if (!cold.stmt) {
        failures.Add(e.Name() + ": variant does not parse: " + cold.status.ToString() +
                     "\n    variant: " + v.sql);
        continue;
      }
      if (cold.digest.text != orig.digest.text) {
        failures.Add(e.Name() + ": variant changed the digest\n    orig:    " + orig.digest.text +
                     "\n    variant: " + cold.digest.text + "\n    SQL: " + v.sql);
        continue;
      }
      if (cold.digest.hash != orig.digest.hash) {
        failures.Add(e.Name() + ": same digest text, different hash");
      }
      json want = Full(*cold.stmt);
      const uint64_t reparses = BindRangeReparses();
      Statement bound = Bind(*orig.stmt, src, v.sql, cold.digest, opts);
      if (Full(bound) != want) {
        failures.Add(e.Name() + ": Bind(template, variant) != cold parse of variant\n    SQL: " +
                     v.sql + "\n    bound: " + Full(bound).dump() + "\n    cold:  " + want.dump());
        continue;
      }
      // The variant changes literals only: every range moves with them, no parse.
      if (BindRangeReparses() != reparses) {
        failures.Add(e.Name() + ": Bind re-parsed to map the source ranges\n    SQL: " + v.sql);
      }
      // The facade the proxy uses: the original fills the cache, the variant hits it.
      CachedParser cached(16);
      Result<Statement> first = cached.Parse(e.sql, mode);
      Result<Statement> hit = cached.Parse(v.sql, mode);
      if (!first.ok() || !hit.ok()) {
        failures.Add(e.Name() + ": CachedParser failed: " +
                     (first.ok() ? hit.status() : first.status()).ToString());
        continue;
      }
      if (Full(*first) != Full(*orig.stmt)) {
        failures.Add(e.Name() + ": CachedParser cold model != ParseStatement model");
      }
      reduced += cached.reduced_parses();
      // A miss on the variant: statements with collapsed lists are parsed with
      // each list cut to one item, then bound (CachedParser::ParseMiss).
      CachedParser miss(0);
      Result<Statement> vmiss = miss.Parse(v.sql, mode);
      reduced += miss.reduced_parses();
      row_forms += miss.row_form_parses();
      if (!vmiss.ok() || Full(*vmiss) != want) {
        failures.Add(
            e.Name() + ": CachedParser miss != cold parse of variant\n    SQL: " + v.sql +
            "\n    miss: " + (vmiss.ok() ? Full(*vmiss).dump() : vmiss.status().ToString()) +
            "\n    cold: " + want.dump());
        continue;
      }
      if (Full(*hit) != want) {
        failures.Add(e.Name() + ": CachedParser hit model != cold parse of variant\n    SQL: " +
                     v.sql + "\n    hit:  " + Full(*hit).dump() + "\n    cold: " + want.dump());
        continue;
      }
      ++checked;
    }
  }
  std::cout << "fresh-literal variants checked: " << checked
            << " (misses parsed reduced: " << reduced << ", of which " << row_forms
            << " with one VALUES row per value form)\n";
  EXPECT_GT(reduced, 50u);
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

// VALUES rows mixing NULLs and negative numbers with literals: a miss (the
// row-form reduction where the rows hold plain values, else a full parse) and
// a later hit both equal a cold parse of the statement.
TEST(ParserCorpus, NullMixedRowsBindLikeColdParse) {
  Failures failures;
  size_t checked = 0, skipped = 0;
  uint64_t row_forms = 0;
  for (const CorpusEntry& e : Valid()) {
    SqlMode mode = ModeOf(e);
    Result<Digest> d = ComputeDigest(e.sql, mode);
    if (!d.ok()) continue;  // reported elsewhere
    Variant v = MakeNullMixedVariant(e.sql, *d);
    if (!v.error.empty()) {
      failures.Add(e.Name() + ": cannot build a NULL-mixed variant: " + v.error);
      continue;
    }
    if (v.sql.empty()) continue;  // no VALUES list
    Parsed cold = ColdParse(v.sql, mode);
    if (!cold.stmt) {
      ++skipped;  // e.g. DATE NULL
      continue;
    }
    json want = Full(*cold.stmt);
    CachedParser miss(0);
    Result<Statement> got = miss.Parse(v.sql, mode);
    row_forms += miss.row_form_parses();
    if (!got.ok() || Full(*got) != want || !(*got == *cold.stmt)) {
      failures.Add(e.Name() + ": NULL-mixed miss != cold parse\n    SQL: " + v.sql +
                   "\n    miss: " + (got.ok() ? Full(*got).dump() : got.status().ToString()) +
                   "\n    cold: " + want.dump());
      continue;
    }
    CachedParser cached(16);
    Result<Statement> first = cached.Parse(v.sql, mode);
    Result<Statement> hit = cached.Parse(v.sql, mode);
    if (!first.ok() || !hit.ok() || Full(*hit) != want) {
      failures.Add(e.Name() + ": NULL-mixed cache hit != cold parse\n    SQL: " + v.sql);
      continue;
    }
    ++checked;
  }
  std::cout << "NULL-mixed VALUES variants checked: " << checked << " (" << row_forms
            << " by the row-form reduction; " << skipped << " variants do not parse)\n";
  EXPECT_GT(checked, 20u);
  EXPECT_GT(row_forms, 10u);
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

// >= 400 distinct digests; no hash collision among them; statements that share
// a digest text really differ only in literals (each binds into the other).
TEST(ParserCorpus, DistinctDigests) {
  std::map<std::string, std::vector<const CorpusEntry*>> by_text;
  std::unordered_map<uint64_t, std::string> by_hash;
  Failures failures;
  for (const CorpusEntry& e : Valid()) {
    Result<Digest> d = ComputeDigest(e.sql, ModeOf(e));
    if (!d.ok()) {
      failures.Add(e.Name() + ": digest failed: " + d.status().ToString());
      continue;
    }
    // Digest texts are compared per sql_mode bits, as the cache keys them.
    std::string key = std::to_string(ModeOf(e).Bits()) + "|" + d->text;
    auto [it, inserted] = by_hash.emplace(d->hash, key);
    if (!inserted && it->second != key) {
      failures.Add(e.Name() + ": hash collision between '" + it->second + "' and '" + key + "'");
    }
    by_text[key].push_back(&e);
  }
  for (const auto& [text, entries] : by_text) {
    for (size_t i = 1; i < entries.size(); ++i) {
      const CorpusEntry& a = *entries[0];
      const CorpusEntry& b = *entries[i];
      Parsed pa = ColdParse(a.sql, ModeOf(a));
      Parsed pb = ColdParse(b.sql, ModeOf(b));
      if (!pa.stmt || !pb.stmt) continue;
      ParseOptions opts;
      opts.mode = ModeOf(b);
      if (Full(Bind(*pa.stmt, {a.sql, pa.digest.slots}, b.sql, pb.digest, opts)) !=
          Full(*pb.stmt)) {
        failures.Add(b.Name() + " shares the digest of " + a.Name() +
                     " but binding the template of one does not give the other: " + text);
      }
    }
  }
  std::cout << "distinct digests: " << by_text.size() << " over " << Valid().size()
            << " valid statements\n";
  EXPECT_GE(by_text.size(), kMinDistinctDigests);
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

// Every invalid statement: ERR 1064 naming a position, from the cold path and
// from the CachedParser facade.
TEST(ParserCorpus, InvalidStatementsAreRefused) {
  Failures failures;
  size_t refused = 0;
  for (const CorpusEntry& e : Invalid()) {
    SqlMode mode = ModeOf(e);
    Parsed p = ColdParse(e.sql, mode);
    if (p.stmt) {
      failures.Add(e.Name() + ": accepted: " + e.sql + "\n    model: " + p.stmt->ToJson().dump());
      continue;
    }
    const Status& s = p.status;
    if (s.code() != 1064 || s.sqlstate() != "42000" ||
        s.message().find("near '") == std::string::npos ||
        s.message().find("' at line ") == std::string::npos) {
      failures.Add(e.Name() + ": wrong error: " + s.ToString());
      continue;
    }
    CachedParser cached(4);
    Result<Statement> c = cached.Parse(e.sql, mode);
    if (c.ok() || c.status().code() != 1064) {
      failures.Add(e.Name() + ": CachedParser did not refuse it with 1064");
      continue;
    }
    ++refused;
  }
  std::cout << "invalid statements refused with 1064: " << refused << "/" << Invalid().size()
            << "\n";
  EXPECT_EQ(failures.count(), 0u) << failures.Report();
}

}  // namespace
}  // namespace shardproxy::parser::corpus
