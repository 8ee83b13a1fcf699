// shardproxy-vpart: the canonical bytes and vpart of one shard-key value.
//
//   shardproxy-vpart [--store] [--count=N] [--charset=CS] [--typed=DATE] [--negative]
//                    COLUMN_TYPE COLLATION KIND VALUE
//   shardproxy-vpart --batch          (lines on stdin, see below)
//
// COLUMN_TYPE is information_schema.COLUMNS.COLUMN_TYPE ("int unsigned",
// "decimal(10,2)", "varchar(20)", "datetime(6)"); its first word is taken as
// DATA_TYPE. COLLATION is the column's collation, "-" for non-strings. KIND is
// string, integer, decimal, float, hex, bit or null; VALUE the literal's text
// as the parser gives it (unquoted strings; 0x2A / X'2A'; b'101').
//
// Output, one line, tab-separated:
//   one_vpart    <canonical bytes, hex>  <vpart>
//   never_equal  -  -  <reason>
//   all_groups   -  -  <reason>
//   error        <errno>  <sqlstate>  <message>      (a refused column or stored value)
//
// --batch reads tab-separated lines
//   compare|store  COLUMN_TYPE  COLLATION  KIND  VALUE_HEX  CHARSET|-  NEGATIVE(0|1)
//   weight         -            COLLATION  -     UTF8_HEX   -          0
// and prints one output line each ("weight <hex>" for WEIGHT_STRING lines), so
// tests can ask for thousands of values in one process.
// Exit status: 0, or 2 on usage errors.
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "router/vpart/vpart.h"

namespace {

using shardproxy::parser::LiteralKind;
using shardproxy::router::CanonicalKeyBytes;
using shardproxy::router::KeyColumn;
using shardproxy::router::KeyPurpose;
using shardproxy::router::KeyValue;
using shardproxy::router::KeyVerdict;
using shardproxy::router::KeyVerdictName;

std::string Hex(std::string_view s) {
  static const char* d = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

bool Unhex(std::string_view h, std::string* out) {
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (h.size() % 2) return false;
  out->clear();
  for (size_t i = 0; i < h.size(); i += 2) {
    int a = val(h[i]), b = val(h[i + 1]);
    if (a < 0 || b < 0) return false;
    out->push_back(static_cast<char>(a * 16 + b));
  }
  return true;
}

bool KindOf(std::string_view k, LiteralKind* kind, bool* is_null) {
  *is_null = false;
  if (k == "string")
    *kind = LiteralKind::kString;
  else if (k == "integer")
    *kind = LiteralKind::kInteger;
  else if (k == "decimal")
    *kind = LiteralKind::kDecimal;
  else if (k == "float")
    *kind = LiteralKind::kFloat;
  else if (k == "hex")
    *kind = LiteralKind::kHex;
  else if (k == "bit")
    *kind = LiteralKind::kBit;
  else if (k == "null")
    *is_null = true;
  else
    return false;
  return true;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

std::string ErrorLine(const shardproxy::Status& st) {
  return "error\t" + std::to_string(st.code()) + "\t" + st.sqlstate() + "\t" +
         OneLine(st.message());
}

struct Request {
  bool store = false;
  uint32_t count = shardproxy::router::kDefaultVpartCount;
  std::string column_type, collation, kind, value, charset, typed;
  bool negative = false;
};

std::string Answer(const Request& r) {
  std::string data_type = r.column_type.substr(0, r.column_type.find_first_of(" ("));
  std::string collation = r.collation == "-" ? "" : r.collation;
  auto col = KeyColumn::FromColumnInfo(data_type, r.column_type, -1, collation);
  if (!col.ok()) return ErrorLine(col.status());
  KeyValue v;
  if (!KindOf(r.kind, &v.kind, &v.is_null)) return "error\t0\t-\tunknown kind " + r.kind;
  v.text = r.value;
  v.negative = r.negative;
  if (r.charset != "-") v.charset = r.charset;
  v.typed = r.typed;
  auto k = CanonicalKeyBytes(*col, v, r.store ? KeyPurpose::kStore : KeyPurpose::kCompare);
  if (!k.ok()) return ErrorLine(k.status());
  if (k->verdict == KeyVerdict::kOneVpart) {
    return "one_vpart\t" + Hex(k->bytes) + "\t" +
           std::to_string(shardproxy::router::VpartOf(k->bytes, r.count));
  }
  return std::string(KeyVerdictName(k->verdict)) + "\t-\t-\t" + OneLine(k->reason);
}

int Batch() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) f.push_back(field);
    if (f.size() != 7) {
      std::cout << "error\t0\t-\texpected 7 tab-separated fields" << std::endl;
      continue;
    }
    std::string value;
    if (!Unhex(f[4], &value)) {
      std::cout << "error\t0\t-\tvalue is not hex" << std::endl;
      continue;
    }
    if (f[0] == "weight") {
      auto w = shardproxy::router::WeightString(f[2], value);
      std::cout << (w.ok() ? "weight\t" + Hex(*w) : ErrorLine(w.status())) << "\n";
      continue;
    }
    Request r;
    r.store = f[0] == "store";
    r.column_type = f[1];
    r.collation = f[2];
    r.kind = f[3];
    r.value = value;
    r.charset = f[5];
    r.negative = f[6] == "1";
    std::cout << Answer(r) << "\n";
  }
  std::cout.flush();
  return 0;
}

const char* kUsage =
    "usage: shardproxy-vpart [--store] [--count=N] [--charset=CS] [--typed=DATE|TIMESTAMP]\n"
    "                        [--negative] COLUMN_TYPE COLLATION|- KIND VALUE\n"
    "       shardproxy-vpart --batch\n";

}  // namespace

int main(int argc, char** argv) {
  Request r;
  std::vector<std::string> pos;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--batch") return Batch();
    if (a == "--store") {
      r.store = true;
    } else if (a == "--negative") {
      r.negative = true;
    } else if (a.rfind("--count=", 0) == 0) {
      r.count = static_cast<uint32_t>(std::stoul(a.substr(8)));
    } else if (a.rfind("--charset=", 0) == 0) {
      r.charset = a.substr(10);
    } else if (a.rfind("--typed=", 0) == 0) {
      r.typed = a.substr(8);
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      pos.push_back(a);
    }
  }
  if (pos.size() != 4 || r.count == 0) {
    std::cerr << kUsage;
    return 2;
  }
  r.column_type = pos[0];
  r.collation = pos[1];
  r.kind = pos[2];
  r.value = pos[3];
  std::cout << Answer(r) << "\n";
  return 0;
}
