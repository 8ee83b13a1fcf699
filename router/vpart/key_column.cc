// KeyColumn::FromColumnInfo: which backend column types can be shard keys.
#include <string>
#include <vector>

#include "common/errors.h"
#include "router/vpart/collation.h"
#include "router/vpart/vpart.h"

namespace shardproxy::router {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The numbers inside the first "(...)" of a COLUMN_TYPE: "decimal(10,2)" -> {10, 2}.
std::vector<uint32_t> TypeArgs(std::string_view column_type) {
  std::vector<uint32_t> out;
  size_t open = column_type.find('(');
  if (open == std::string_view::npos) return out;
  size_t close = column_type.find(')', open);
  if (close == std::string_view::npos) return out;
  uint64_t n = 0;
  bool any = false;
  for (size_t i = open + 1; i <= close; ++i) {
    char c = column_type[i];
    if (c >= '0' && c <= '9') {
      n = n * 10 + static_cast<uint64_t>(c - '0');
      if (n > 0xFFFFFFFFu) n = 0xFFFFFFFFu;
      any = true;
    } else if (c == ',' || c == ')') {
      if (any) out.push_back(static_cast<uint32_t>(n));
      n = 0;
      any = false;
    } else if (c != ' ') {
      return {};  // enum('a','b') and the like
    }
  }
  return out;
}

Status Refuse(std::string_view column_name, std::string_view column_type, std::string_view why) {
  std::string col = column_name.empty() ? std::string("shard key")
                                        : "shard key `" + std::string(column_name) + "`";
  return Status::Error(errors::kNotSupportedYet.code, errors::kNotSupportedYet.sqlstate,
                       "This version of shardproxy doesn't yet support '" + col + " of type " +
                           std::string(column_type) + "': " + std::string(why));
}

}  // namespace

const char* KeyTypeName(KeyType t) {
  switch (t) {
    case KeyType::kInteger:
      return "integer";
    case KeyType::kDecimal:
      return "decimal";
    case KeyType::kDate:
      return "date";
    case KeyType::kDateTime:
      return "datetime";
    case KeyType::kString:
      return "string";
    case KeyType::kBinary:
      return "binary";
  }
  return "?";
}

std::string_view SupportedKeyCollations() { return vpart::SupportedCollationNames(); }

Result<KeyColumn> KeyColumn::FromColumnInfo(std::string_view data_type,
                                            std::string_view column_type, int64_t numeric_scale,
                                            std::string_view collation_name,
                                            std::string_view column_name) {
  const std::string dt = Lower(data_type);
  const std::string ct = Lower(column_type.empty() ? data_type : column_type);
  const std::vector<uint32_t> args = TypeArgs(ct);
  KeyColumn col;
  col.name = std::string(column_name);
  col.is_unsigned =
      ct.find("unsigned") != std::string::npos || ct.find("zerofill") != std::string::npos;

  if (dt == "tinyint" || dt == "smallint" || dt == "mediumint" || dt == "int" || dt == "integer" ||
      dt == "bigint" || dt == "bool" || dt == "boolean") {
    col.type = KeyType::kInteger;
    col.int_bytes = dt == "bigint"                     ? 8
                    : dt == "mediumint"                ? 3
                    : dt == "smallint"                 ? 2
                    : (dt == "int" || dt == "integer") ? 4
                                                       : 1;
    return col;
  }
  if (dt == "decimal" || dt == "numeric" || dt == "dec" || dt == "fixed") {
    col.type = KeyType::kDecimal;
    col.precision = args.size() >= 1 ? args[0] : 10;
    col.scale = args.size() >= 2 ? args[1] : 0;
    if (numeric_scale >= 0 && static_cast<uint64_t>(numeric_scale) != col.scale) {
      return Status::Bug("DECIMAL shard key: NUMERIC_SCALE " + std::to_string(numeric_scale) +
                         " disagrees with COLUMN_TYPE " + std::string(column_type));
    }
    if (col.precision == 0 || col.precision > 65 || col.scale > 38 || col.scale > col.precision) {
      return Refuse(column_name, ct, "DECIMAL(M,D) needs 1 <= M <= 65 and D <= min(M, 38)");
    }
    return col;
  }
  if (dt == "date") {
    col.type = KeyType::kDate;
    col.is_unsigned = false;
    return col;
  }
  if (dt == "datetime") {
    col.type = KeyType::kDateTime;
    col.is_unsigned = false;
    col.precision = args.empty() ? 0 : args[0];
    if (col.precision > 6) return Refuse(column_name, ct, "DATETIME(p) needs p <= 6");
    return col;
  }
  if (dt == "char" || dt == "varchar") {
    col.type = KeyType::kString;
    col.is_unsigned = false;
    col.fixed_length = dt == "char";
    col.length = args.empty() ? 1 : args[0];
    const vpart::Collation* c = vpart::FindCollation(collation_name);
    if (c == nullptr) {
      return Refuse(column_name, ct + " COLLATE " + std::string(collation_name),
                    "the proxy hashes strings by their collation's weights and knows only " +
                        std::string(SupportedKeyCollations()) +
                        ": change the column to one of them (e.g. utf8mb4_general_ci) or use "
                        "VARBINARY");
    }
    col.collation = std::string(c->name);
    return col;
  }
  if (dt == "binary" || dt == "varbinary") {
    col.type = KeyType::kBinary;
    col.is_unsigned = false;
    col.fixed_length = dt == "binary";
    col.length = args.empty() ? 1 : args[0];
    return col;
  }

  // Refused types, each with what to use instead.
  if (dt == "float" || dt == "double" || dt == "real" || dt == "double precision") {
    return Refuse(column_name, ct,
                  "FLOAT and DOUBLE values are approximate, so equal-looking values need not "
                  "compare equal: use DECIMAL(M,D) or an integer type");
  }
  if (dt == "tinytext" || dt == "text" || dt == "mediumtext" || dt == "longtext" ||
      dt == "tinyblob" || dt == "blob" || dt == "mediumblob" || dt == "longblob" || dt == "long" ||
      dt == "long varchar") {
    return Refuse(column_name, ct,
                  "TEXT and BLOB columns (and MariaDB's JSON, a LONGTEXT) cannot be shard keys: "
                  "use VARCHAR(n) or VARBINARY(n)");
  }
  if (dt == "json") {
    return Refuse(column_name, ct,
                  "JSON cannot be a shard key: shard by a VARCHAR(n) or "
                  "integer column extracted from it");
  }
  if (dt == "timestamp") {
    return Refuse(column_name, ct,
                  "a TIMESTAMP is stored in UTC and compared in each session's time_zone, so "
                  "the same text means different rows in different sessions: use DATETIME(p)");
  }
  if (dt == "uuid" || dt == "inet6" || dt == "inet4") {
    return Refuse(column_name, ct, "use BINARY(16) (or CHAR(36) for UUID text) instead");
  }
  if (dt == "enum" || dt == "set") {
    return Refuse(column_name, ct,
                  "ENUM and SET compare as strings or as numbers depending on the context: use "
                  "VARCHAR(n) or an integer type");
  }
  return Refuse(column_name, ct,
                "shard keys are integers, DECIMAL, DATE, DATETIME, CHAR/VARCHAR or "
                "BINARY/VARBINARY");
}

std::string KeyColumn::ToString() const {
  std::string s;
  switch (type) {
    case KeyType::kInteger:
      s = int_bytes == 1   ? "tinyint"
          : int_bytes == 2 ? "smallint"
          : int_bytes == 3 ? "mediumint"
          : int_bytes == 4 ? "int"
                           : "bigint";
      if (is_unsigned) s += " unsigned";
      return s;
    case KeyType::kDecimal:
      s = "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
      if (is_unsigned) s += " unsigned";
      return s;
    case KeyType::kDate:
      return "date";
    case KeyType::kDateTime:
      return precision == 0 ? "datetime" : "datetime(" + std::to_string(precision) + ")";
    case KeyType::kString:
      return std::string(fixed_length ? "char(" : "varchar(") + std::to_string(length) + ") " +
             collation;
    case KeyType::kBinary:
      return std::string(fixed_length ? "binary(" : "varbinary(") + std::to_string(length) + ")";
  }
  return "?";
}

}  // namespace shardproxy::router
