// Metadata <-> JSON, validation, and the routing snapshot's indexes.
// nlohmann::json throws on parse errors; every throwing call is inside
// FromJsonText's try block, nothing escapes this file.
#include "router/rules/rules.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "common/errors.h"

namespace shardproxy::router {

namespace {

using nlohmann::json;

constexpr uint64_t kFormat = 1;  // the "format" field of the file

Status Error(std::string_view origin, const std::string& field, const std::string& what) {
  std::string msg(origin);
  if (!field.empty()) msg += ": " + field;
  msg += ": " + what;
  return Status::Error(errors::kUnknownError.code, errors::kUnknownError.sqlstate, std::move(msg));
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// What a JSON value is, for "expected X, got Y".
std::string Describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::array:
      return "a list";
    case json::value_t::object:
      return "an object";
    default: {
      std::string s = j.dump();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return s;
    }
  }
}

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
std::string Field(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Reads one JSON object's fields, naming them in errors. Unknown keys are an
// error: a typo must not silently fall back to a default.
class ObjectReader {
 public:
  ObjectReader(const json& obj, std::string path, std::string_view origin)
      : obj_(obj), path_(std::move(path)), origin_(origin) {}

  Status Check(std::initializer_list<std::string_view> known) const {
    if (!obj_.is_object()) {
      return Error(origin_, path_, "expected an object, got " + Describe(obj_));
    }
    for (const auto& [key, value] : obj_.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return Error(origin_, Field(path_, key), "unknown key (known here: " + list + ")");
      }
    }
    return Status::Ok();
  }

  bool Has(std::string_view key) const { return obj_.contains(key); }
  std::string Path(std::string_view key) const { return Field(path_, key); }

  const json* Get(std::string_view key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }

  Status Missing(std::string_view key) const { return Error(origin_, Path(key), "missing"); }

  Status String(std::string_view key, std::string* out, bool required = true,
                bool null_is_empty = false) const {
    const json* v = Get(key);
    if (v == nullptr) return required ? Missing(key) : Status::Ok();
    if (null_is_empty && v->is_null()) {
      out->clear();
      return Status::Ok();
    }
    if (!v->is_string()) {
      return Error(origin_, Path(key), "expected a string, got " + Describe(*v));
    }
    *out = v->get<std::string>();
    return Status::Ok();
  }

  Status Bool(std::string_view key, bool* out) const {
    const json* v = Get(key);
    if (v == nullptr) return Missing(key);
    if (!v->is_boolean()) {
      return Error(origin_, Path(key), "expected true or false, got " + Describe(*v));
    }
    *out = v->get<bool>();
    return Status::Ok();
  }

  Status Unsigned(std::string_view key, uint64_t max, uint64_t* out) const {
    const json* v = Get(key);
    if (v == nullptr) return Missing(key);
    return UnsignedValue(*v, Path(key), max, out);
  }

  Status UnsignedValue(const json& v, const std::string& path, uint64_t max, uint64_t* out) const {
    // Parsed text gives unsigned numbers; a json built in code may hold signed ones.
    bool non_negative = v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
    if (!non_negative || v.get<uint64_t>() > max) {
      std::string range =
          max == UINT64_MAX ? "a non-negative integer" : "an integer 0.." + std::to_string(max);
      return Error(origin_, path, "expected " + range + ", got " + Describe(v));
    }
    *out = v.get<uint64_t>();
    return Status::Ok();
  }

  Status StringList(std::string_view key, std::vector<std::string>* out,
                    bool required = true) const {
    const json* v = Get(key);
    if (v == nullptr) return required ? Missing(key) : Status::Ok();
    if (!v->is_array()) {
      return Error(origin_, Path(key), "expected a list of strings, got " + Describe(*v));
    }
    out->clear();
    for (size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      if (!e.is_string()) {
        return Error(origin_, Index(Path(key), i), "expected a string, got " + Describe(e));
      }
      out->push_back(e.get<std::string>());
    }
    return Status::Ok();
  }

  const json& obj() const { return obj_; }
  std::string_view origin() const { return origin_; }

 private:
  const json& obj_;
  std::string path_;
  std::string_view origin_;
};

Result<TableKind> ParseKind(const std::string& s) {
  if (s == "sharded") return TableKind::kSharded;
  if (s == "broadcast") return TableKind::kBroadcast;
  if (s == "single") return TableKind::kSingle;
  return Status::Bug("unknown kind");  // the caller words the message
}

// "vparts": [{"first": 0, "last": 511, "group": "g0"}, ...] -> vpart_group.
Status ParseVpartRanges(const ObjectReader& r, const SchemaRule& schema,
                        std::vector<uint16_t>* out) {
  const json* v = r.Get("vparts");
  if (v == nullptr) return r.Missing("vparts");
  std::string path = r.Path("vparts");
  if (!v->is_array()) {
    return Error(r.origin(), path, "expected a list of {first, last, group}, got " + Describe(*v));
  }
  out->clear();
  out->reserve(schema.vpart_count);
  uint64_t next = 0;
  for (size_t i = 0; i < v->size(); ++i) {
    ObjectReader e((*v)[i], Index(path, i), r.origin());
    SP_RETURN_IF_ERROR(e.Check({"first", "last", "group"}));
    uint64_t first = 0, last = 0;
    std::string group;
    SP_RETURN_IF_ERROR(e.Unsigned("first", kMaxVpartCount, &first));
    SP_RETURN_IF_ERROR(e.Unsigned("last", kMaxVpartCount, &last));
    SP_RETURN_IF_ERROR(e.String("group", &group));
    if (first != next) {
      return Error(r.origin(), e.Path("first"),
                   "expected " + std::to_string(next) +
                       " (ranges are in order, without gaps or overlaps), got " +
                       std::to_string(first));
    }
    if (last < first || last >= schema.vpart_count) {
      return Error(r.origin(), e.Path("last"),
                   "expected " + std::to_string(first) + ".." +
                       std::to_string(schema.vpart_count - 1) + ", got " + std::to_string(last));
    }
    auto git = std::find(schema.groups.begin(), schema.groups.end(), group);
    if (git == schema.groups.end()) {
      return Error(
          r.origin(), e.Path("group"),
          Quote(group) + " is not one of the schema's groups (" + JoinNames(schema.groups) + ")");
    }
    out->insert(out->end(), last - first + 1, static_cast<uint16_t>(git - schema.groups.begin()));
    next = last + 1;
  }
  if (next != schema.vpart_count) {
    return Error(r.origin(), path,
                 "the ranges cover vparts 0.." + std::to_string(static_cast<int64_t>(next) - 1) +
                     ", expected 0.." + std::to_string(schema.vpart_count - 1));
  }
  return Status::Ok();
}

Status ParseSchema(const json& j, const std::string& path, std::string_view origin, SchemaRule* s) {
  ObjectReader r(j, path, origin);
  SP_RETURN_IF_ERROR(r.Check({"name", "sharded", "groups", "vpart_count", "vparts"}));
  SP_RETURN_IF_ERROR(r.String("name", &s->name));
  SP_RETURN_IF_ERROR(r.Bool("sharded", &s->sharded));
  SP_RETURN_IF_ERROR(r.StringList("groups", &s->groups));
  if (!s->sharded) {
    for (auto key : {"vpart_count", "vparts"}) {
      if (r.Has(key)) return Error(origin, r.Path(key), "only for sharded schemas");
    }
    return Status::Ok();
  }
  uint64_t count = 0;
  SP_RETURN_IF_ERROR(r.Unsigned("vpart_count", kMaxVpartCount, &count));
  if (count == 0) {
    return Error(origin, r.Path("vpart_count"),
                 "expected an integer 1.." + std::to_string(kMaxVpartCount) + ", got 0");
  }
  s->vpart_count = static_cast<uint32_t>(count);
  if (s->groups.empty() || s->groups.size() > 65536) {
    return Error(origin, r.Path("groups"),
                 "a sharded schema needs 1..65536 groups, got " + std::to_string(s->groups.size()));
  }
  return ParseVpartRanges(r, *s, &s->vpart_group);
}

Status ParseKey(const ObjectReader& parent, KeySpec* key) {
  const json* v = parent.Get("key");
  if (v == nullptr) return parent.Missing("key");
  ObjectReader r(*v, parent.Path("key"), parent.origin());
  SP_RETURN_IF_ERROR(r.Check({"data_type", "column_type", "numeric_scale", "collation_name"}));
  SP_RETURN_IF_ERROR(r.String("data_type", &key->data_type));
  SP_RETURN_IF_ERROR(r.String("column_type", &key->column_type));
  SP_RETURN_IF_ERROR(r.String("collation_name", &key->collation_name, /*required=*/false,
                              /*null_is_empty=*/true));
  if (const json* scale = r.Get("numeric_scale"); scale != nullptr && !scale->is_null()) {
    uint64_t n = 0;
    SP_RETURN_IF_ERROR(r.UnsignedValue(*scale, r.Path("numeric_scale"), 1000, &n));
    key->numeric_scale = static_cast<uint32_t>(n);
  }
  return Status::Ok();
}

Status ParseTable(const json& j, const std::string& path, std::string_view origin, TableRule* t) {
  ObjectReader r(j, path, origin);
  SP_RETURN_IF_ERROR(r.Check({"schema", "table", "kind", "shard_column", "key", "single_group",
                              "pending_groups", "create_sql"}));
  SP_RETURN_IF_ERROR(r.String("schema", &t->schema));
  SP_RETURN_IF_ERROR(r.String("table", &t->table));
  std::string kind;
  SP_RETURN_IF_ERROR(r.String("kind", &kind));
  auto k = ParseKind(kind);
  if (!k.ok()) {
    return Error(
        origin, r.Path("kind"),
        "expected \"sharded\", \"broadcast\" or \"single\", got " + Describe(*r.Get("kind")));
  }
  t->kind = *k;
  // Fields of the other kinds are an error, not ignored.
  auto only = [&](std::string_view key, bool allowed, std::string_view for_what) -> Status {
    if (!allowed && r.Has(key)) {
      return Error(origin, r.Path(key), "only for " + std::string(for_what) + " tables");
    }
    return Status::Ok();
  };
  bool sharded = t->kind == TableKind::kSharded;
  bool single = t->kind == TableKind::kSingle;
  SP_RETURN_IF_ERROR(only("shard_column", sharded, "sharded"));
  SP_RETURN_IF_ERROR(only("key", sharded, "sharded"));
  SP_RETURN_IF_ERROR(only("single_group", single, "single"));
  if (sharded) {
    SP_RETURN_IF_ERROR(r.String("shard_column", &t->shard_column));
    SP_RETURN_IF_ERROR(ParseKey(r, &t->key));
  }
  if (single) SP_RETURN_IF_ERROR(r.String("single_group", &t->single_group));
  SP_RETURN_IF_ERROR(r.StringList("pending_groups", &t->pending_groups, /*required=*/false));
  SP_RETURN_IF_ERROR(r.String("create_sql", &t->create_sql, /*required=*/false));
  return Status::Ok();
}

Status CheckName(std::string_view origin, const std::string& field, const std::string& name) {
  if (name.empty()) return Error(origin, field, "must not be empty");
  if (name.size() > kMaxIdentifierLength) {
    return Error(origin, field,
                 "longer than " + std::to_string(kMaxIdentifierLength) + " bytes: " + Quote(name));
  }
  return Status::Ok();
}

// The groups a table's rows/copies live on.
std::vector<std::string> TableGroups(const TableRule& t, const SchemaRule& s) {
  if (t.kind == TableKind::kSingle) return {t.single_group};
  return s.groups;
}

}  // namespace

std::vector<uint16_t> ContiguousVpartGroups(uint32_t vpart_count, size_t group_count) {
  std::vector<uint16_t> map(vpart_count, 0);
  if (group_count == 0) return map;
  for (size_t g = 0; g < group_count; ++g) {
    uint64_t begin = g * uint64_t{vpart_count} / group_count;
    uint64_t end = (g + 1) * uint64_t{vpart_count} / group_count;
    for (uint64_t v = begin; v < end; ++v) map[v] = static_cast<uint16_t>(g);
  }
  return map;
}

SchemaRule MakeShardedSchema(std::string name, std::vector<std::string> groups,
                             uint32_t vpart_count) {
  SchemaRule s;
  s.name = std::move(name);
  s.sharded = true;
  s.vpart_count = vpart_count;
  s.vpart_group = ContiguousVpartGroups(vpart_count, groups.size());
  s.groups = std::move(groups);
  return s;
}

SchemaRule MakeUnshardedSchema(std::string name, std::string group) {
  SchemaRule s;
  s.name = std::move(name);
  s.sharded = false;
  s.groups = {std::move(group)};
  s.vpart_group.clear();
  return s;
}

Result<KeyColumn> ToKeyColumn(const KeySpec& spec, std::string_view column_name) {
  int64_t scale = spec.numeric_scale ? static_cast<int64_t>(*spec.numeric_scale) : -1;
  return KeyColumn::FromColumnInfo(spec.data_type, spec.column_type, scale, spec.collation_name,
                                   column_name);
}

std::string_view TableKindName(TableKind kind) {
  switch (kind) {
    case TableKind::kSharded:
      return "sharded";
    case TableKind::kBroadcast:
      return "broadcast";
    case TableKind::kSingle:
      return "single";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// JSON

json Metadata::ToJson() const {
  json schemas_json = json::array();
  for (const SchemaRule& s : schemas) {
    json js = {{"name", s.name}, {"sharded", s.sharded}, {"groups", s.groups}};
    if (s.sharded) {
      js["vpart_count"] = s.vpart_count;
      json ranges = json::array();
      for (size_t first = 0; first < s.vpart_group.size();) {
        size_t last = first;
        while (last + 1 < s.vpart_group.size() && s.vpart_group[last + 1] == s.vpart_group[first]) {
          ++last;
        }
        uint16_t g = s.vpart_group[first];
        ranges.push_back({{"first", first},
                          {"last", last},
                          {"group", g < s.groups.size() ? s.groups[g] : std::string("?")}});
        first = last + 1;
      }
      js["vparts"] = std::move(ranges);
    }
    schemas_json.push_back(std::move(js));
  }
  json tables_json = json::array();
  for (const TableRule& t : tables) {
    json jt = {
        {"schema", t.schema}, {"table", t.table}, {"kind", std::string(TableKindName(t.kind))}};
    if (t.kind == TableKind::kSharded) {
      jt["shard_column"] = t.shard_column;
      jt["key"] = {
          {"data_type", t.key.data_type},
          {"column_type", t.key.column_type},
          {"numeric_scale", t.key.numeric_scale ? json(*t.key.numeric_scale) : json(nullptr)},
          {"collation_name",
           t.key.collation_name.empty() ? json(nullptr) : json(t.key.collation_name)}};
    }
    if (t.kind == TableKind::kSingle) jt["single_group"] = t.single_group;
    jt["pending_groups"] = t.pending_groups;
    jt["create_sql"] = t.create_sql;
    tables_json.push_back(std::move(jt));
  }
  // nlohmann::json (std::map) writes keys sorted; that is fine for a file a
  // human reads now and then, and stable for diffs.
  return json{{"format", kFormat},
              {"version", version},
              {"schemas", std::move(schemas_json)},
              {"tables", std::move(tables_json)}};
}

std::string Metadata::ToJsonText() const { return ToJson().dump(2) + "\n"; }

Result<Metadata> Metadata::FromJson(const json& j, std::string_view origin) {
  Metadata m;
  ObjectReader r(j, "", origin);
  SP_RETURN_IF_ERROR(r.Check({"format", "version", "schemas", "tables"}));
  uint64_t format = 0;
  SP_RETURN_IF_ERROR(r.Unsigned("format", UINT64_MAX, &format));
  if (format != kFormat) {
    return Error(origin, "format",
                 "this proxy reads format " + std::to_string(kFormat) + ", the file is format " +
                     std::to_string(format) + " (written by another version of shardproxy?)");
  }
  SP_RETURN_IF_ERROR(r.Unsigned("version", UINT64_MAX, &m.version));
  for (auto [key, is_schemas] : {std::pair{"schemas", true}, std::pair{"tables", false}}) {
    const json* list = r.Get(key);
    if (list == nullptr) return r.Missing(key);
    if (!list->is_array()) {
      return Error(origin, key, "expected a list of objects, got " + Describe(*list));
    }
    for (size_t i = 0; i < list->size(); ++i) {
      std::string path = Index(key, i);
      if (is_schemas) {
        SP_RETURN_IF_ERROR(ParseSchema((*list)[i], path, origin, &m.schemas.emplace_back()));
      } else {
        SP_RETURN_IF_ERROR(ParseTable((*list)[i], path, origin, &m.tables.emplace_back()));
      }
    }
  }
  SP_RETURN_IF_ERROR(ValidateMetadata(m, origin));
  return m;
}

Result<Metadata> Metadata::FromJsonText(std::string_view text, std::string_view origin) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    // e.g. "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    return Error(origin, "", std::string("not valid JSON: ") + e.what());
  }
  try {
    return FromJson(j, origin);
  } catch (const json::exception& e) {  // not expected: every access is type-checked
    return Status::Bug(std::string(origin) + ": " + e.what());
  }
}

// ---------------------------------------------------------------------------
// Validation

Status ValidateMetadata(const Metadata& m, std::string_view origin) {
  std::unordered_map<std::string_view, size_t> schema_index;
  for (size_t i = 0; i < m.schemas.size(); ++i) {
    const SchemaRule& s = m.schemas[i];
    std::string path = Index("schemas", i);
    SP_RETURN_IF_ERROR(CheckName(origin, Field(path, "name"), s.name));
    auto [it, inserted] = schema_index.emplace(s.name, i);
    if (!inserted) {
      return Error(
          origin, Field(path, "name"),
          Quote(s.name) + " is declared twice (also schemas[" + std::to_string(it->second) + "])");
    }
    std::set<std::string_view> seen;
    for (size_t g = 0; g < s.groups.size(); ++g) {
      std::string gpath = Index(Field(path, "groups"), g);
      if (s.groups[g].empty()) return Error(origin, gpath, "must not be empty");
      if (!seen.insert(s.groups[g]).second) {
        return Error(origin, gpath, "group " + Quote(s.groups[g]) + " is listed twice");
      }
    }
    if (!s.sharded) {
      if (s.groups.size() != 1) {
        return Error(origin, Field(path, "groups"),
                     "an unsharded schema lives on exactly one group, got " +
                         std::to_string(s.groups.size()));
      }
      if (!s.vpart_group.empty()) {
        return Error(origin, Field(path, "vpart_group"), "only for sharded schemas");
      }
      continue;
    }
    if (s.groups.empty() || s.groups.size() > 65536) {
      return Error(
          origin, Field(path, "groups"),
          "a sharded schema needs 1..65536 groups, got " + std::to_string(s.groups.size()));
    }
    if (s.vpart_count == 0 || s.vpart_count > kMaxVpartCount) {
      return Error(origin, Field(path, "vpart_count"),
                   "expected 1.." + std::to_string(kMaxVpartCount) + ", got " +
                       std::to_string(s.vpart_count));
    }
    if (s.vpart_group.size() != s.vpart_count) {
      return Error(origin, Field(path, "vpart_group"),
                   "has " + std::to_string(s.vpart_group.size()) +
                       " entries, expected vpart_count (" + std::to_string(s.vpart_count) + ")");
    }
    for (size_t v = 0; v < s.vpart_group.size(); ++v) {
      if (s.vpart_group[v] >= s.groups.size()) {
        return Error(origin, Index(Field(path, "vpart_group"), v),
                     "group index " + std::to_string(s.vpart_group[v]) + " but the schema has " +
                         std::to_string(s.groups.size()) + " groups");
      }
    }
  }

  std::unordered_map<std::string, size_t> table_index;  // "schema\0table"
  for (size_t i = 0; i < m.tables.size(); ++i) {
    const TableRule& t = m.tables[i];
    std::string path = Index("tables", i);
    SP_RETURN_IF_ERROR(CheckName(origin, Field(path, "schema"), t.schema));
    SP_RETURN_IF_ERROR(CheckName(origin, Field(path, "table"), t.table));
    auto sit = schema_index.find(t.schema);
    if (sit == schema_index.end()) {
      return Error(origin, Field(path, "schema"),
                   Quote(t.schema) + " is not in schemas (a table rule needs its schema's rule)");
    }
    const SchemaRule& s = m.schemas[sit->second];
    auto [tit, inserted] = table_index.emplace(t.schema + std::string(1, '\0') + t.table, i);
    if (!inserted) {
      return Error(origin, Field(path, "table"),
                   Quote(t.schema + "." + t.table) + " is declared twice (also tables[" +
                       std::to_string(tit->second) + "])");
    }
    std::string kind(TableKindName(t.kind));
    if (t.kind != TableKind::kSharded) {
      if (!t.shard_column.empty()) {
        return Error(origin, Field(path, "shard_column"), "only for sharded tables");
      }
      if (!(t.key == KeySpec{}))
        return Error(origin, Field(path, "key"), "only for sharded tables");
    }
    if (t.kind != TableKind::kSingle && !t.single_group.empty()) {
      return Error(origin, Field(path, "single_group"), "only for single tables");
    }
    switch (t.kind) {
      case TableKind::kSharded:
      case TableKind::kBroadcast:
        if (!s.sharded) {
          return Error(origin, Field(path, "kind"),
                       "a " + kind + " table needs a sharded schema; " + Quote(s.name) +
                           " is unsharded (on " + s.groups[0] + ")");
        }
        break;
      case TableKind::kSingle:
        if (t.single_group.empty()) {
          return Error(origin, Field(path, "single_group"),
                       "missing (a single table names its group)");
        }
        if (std::find(s.groups.begin(), s.groups.end(), t.single_group) == s.groups.end()) {
          return Error(origin, Field(path, "single_group"),
                       Quote(t.single_group) + " is not one of the groups of schema " +
                           Quote(s.name) + " (" + JoinNames(s.groups) + ")");
        }
        break;
    }
    if (t.kind == TableKind::kSharded) {
      SP_RETURN_IF_ERROR(CheckName(origin, Field(path, "shard_column"), t.shard_column));
      if (t.key.data_type.empty()) {
        return Error(origin, Field(path, "key.data_type"), "must not be empty");
      }
      if (t.key.column_type.empty()) {
        return Error(origin, Field(path, "key.column_type"), "must not be empty");
      }
      if (auto key = ToKeyColumn(t.key, t.shard_column); !key.ok()) {
        return Error(origin, Field(path, "key"), key.status().message());
      }
    }
    std::vector<std::string> lives_on = TableGroups(t, s);
    std::set<std::string_view> seen;
    for (size_t g = 0; g < t.pending_groups.size(); ++g) {
      const std::string& pg = t.pending_groups[g];
      std::string gpath = Index(Field(path, "pending_groups"), g);
      if (std::find(lives_on.begin(), lives_on.end(), pg) == lives_on.end()) {
        return Error(
            origin, gpath,
            Quote(pg) + " is not a group the table lives on (" + JoinNames(lives_on) + ")");
      }
      if (!seen.insert(pg).second) return Error(origin, gpath, Quote(pg) + " is listed twice");
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// RoutingSnapshot

size_t RoutingSnapshot::TableKeyHash::operator()(const TableKey& key) const {
  size_t h1 = std::hash<std::string_view>{}(key.schema);
  size_t h2 = std::hash<std::string_view>{}(key.table);
  return h1 ^ (h2 + 0x9e3779b97f4a7c15ULL + (h1 << 6) + (h1 >> 2));
}

RoutingSnapshot::RoutingSnapshot(Metadata metadata, std::vector<std::string> groups,
                                 std::vector<KeyColumn> keys, std::vector<Quarantine> quarantine)
    : metadata_(std::move(metadata)),
      groups_(std::move(groups)),
      default_schema_(MakeUnshardedSchema("", groups_.front())),
      keys_(std::move(keys)),
      quarantine_(std::move(quarantine)) {
  schemas_.reserve(metadata_.schemas.size());
  for (const SchemaRule& s : metadata_.schemas) schemas_.emplace(s.name, &s);
  tables_.reserve(metadata_.tables.size());
  for (const TableRule& t : metadata_.tables) tables_.emplace(TableKey{t.schema, t.table}, &t);
}

const std::string* RoutingSnapshot::QuarantineReason(std::string_view schema,
                                                     std::string_view table) const {
  for (const Quarantine& q : quarantine_)
    if (q.table == table && q.schema == schema) return &q.reason;
  return nullptr;
}

Result<std::shared_ptr<const RoutingSnapshot>> RoutingSnapshot::Build(
    Metadata metadata, std::vector<std::string> configured_groups,
    std::vector<Quarantine> quarantine) {
  constexpr std::string_view kOrigin = "metadata";
  if (configured_groups.empty()) return Error("config", "groups", "no group configured");
  std::set<std::string_view> configured(configured_groups.begin(), configured_groups.end());
  SP_RETURN_IF_ERROR(ValidateMetadata(metadata, kOrigin));
  auto check = [&](const std::string& field, const std::string& group) -> Status {
    if (configured.count(group) == 0) {
      return Error(kOrigin, field,
                   "group " + Quote(group) +
                       " is not in the config (groups: " + JoinNames(configured_groups) + ")");
    }
    return Status::Ok();
  };
  for (size_t i = 0; i < metadata.schemas.size(); ++i) {
    const SchemaRule& s = metadata.schemas[i];
    for (size_t g = 0; g < s.groups.size(); ++g) {
      SP_RETURN_IF_ERROR(check(Index(Field(Index("schemas", i), "groups"), g), s.groups[g]));
    }
  }
  // Tables name only their schema's groups (ValidateMetadata), checked above.
  std::vector<KeyColumn> keys(metadata.tables.size());
  for (size_t i = 0; i < metadata.tables.size(); ++i) {
    const TableRule& t = metadata.tables[i];
    if (t.kind != TableKind::kSharded) continue;
    auto key = ToKeyColumn(t.key, t.shard_column);
    if (!key.ok()) return Status::Bug("ValidateMetadata accepted " + key.status().message());
    keys[i] = std::move(*key);
  }
  return std::shared_ptr<const RoutingSnapshot>(new RoutingSnapshot(
      std::move(metadata), std::move(configured_groups), std::move(keys), std::move(quarantine)));
}

const SchemaRule* RoutingSnapshot::FindSchema(std::string_view schema) const {
  auto it = schemas_.find(schema);
  return it == schemas_.end() ? nullptr : it->second;
}

const TableRule* RoutingSnapshot::FindTable(std::string_view schema, std::string_view table) const {
  auto it = tables_.find(TableKey{schema, table});
  return it == tables_.end() ? nullptr : it->second;
}

const SchemaRule& RoutingSnapshot::SchemaOrDefault(std::string_view schema) const {
  const SchemaRule* s = FindSchema(schema);
  return s != nullptr ? *s : default_schema_;
}

const std::string& RoutingSnapshot::GroupOfVpart(const SchemaRule& rule, uint32_t vpart) const {
  static const std::string kNone;
  if (!rule.sharded) return rule.groups.empty() ? kNone : rule.groups.front();
  if (vpart >= rule.vpart_group.size()) return kNone;
  return rule.groups[rule.vpart_group[vpart]];
}

const KeyColumn& RoutingSnapshot::ShardKey(const TableRule& rule) const {
  static const KeyColumn kNone;
  // std::less: a total order even for pointers outside the vector.
  std::less<const TableRule*> before;
  const TableRule* first = metadata_.tables.data();
  const TableRule* end = first + metadata_.tables.size();
  if (before(&rule, first) || !before(&rule, end)) return kNone;
  return keys_[static_cast<size_t>(&rule - first)];
}

std::vector<uint32_t> RoutingSnapshot::VpartsOfGroup(const SchemaRule& rule,
                                                     std::string_view group) const {
  std::vector<uint32_t> out;
  if (!rule.sharded) return out;
  auto it = std::find(rule.groups.begin(), rule.groups.end(), group);
  if (it == rule.groups.end()) return out;
  auto index = static_cast<uint16_t>(it - rule.groups.begin());
  for (uint32_t v = 0; v < rule.vpart_group.size(); ++v) {
    if (rule.vpart_group[v] == index) out.push_back(v);
  }
  return out;
}

}  // namespace shardproxy::router
