// Reads the SQL corpus files of tests/parser_corpus/ (format: README.md there).
//
// Mirrors read_corpus_file() in tests/integration/test_parser_corpus.py: an
// entry ends with a line whose last non-blank character is ';' (the ';' is not
// part of the statement); lines starting with "--" before an entry's first SQL
// line are corpus comments, those starting with "-- @" annotate the next entry.
// Only the annotation that matters to our parser (@sql-mode) is interpreted
// here; the rest concern the MariaDB half.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace shardproxy::parser::corpus {

struct CorpusEntry {
  std::string file;      // "select.sql"
  int index = 0;         // position in its file: the golden key
  int line = 0;          // 1-based line where the statement starts
  std::string sql;       // statement text without the final ';'
  std::string sql_mode;  // value of "-- @sql-mode", "" when absent

  std::string Name() const {
    return file + "#" + std::to_string(index) + "(line " + std::to_string(line) + ")";
  }
};

inline std::string RTrim(const std::string& s) {
  size_t e = s.find_last_not_of(" \t\r\n");
  return e == std::string::npos ? std::string() : s.substr(0, e + 1);
}

inline std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : RTrim(s.substr(b));
}

// Returns false (and sets *error) on a malformed file.
inline bool ReadCorpusFile(const std::filesystem::path& path, std::vector<CorpusEntry>* out,
                           std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path.string();
    return false;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  const std::string file = path.filename().string();

  std::vector<std::string> acc;
  std::string pending_mode;
  bool pending_any = false;
  int start_line = 0, lineno = 0, index = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    std::string line = RTrim(raw);
    if (acc.empty()) {
      std::string stripped = Trim(line);
      if (stripped.empty()) continue;
      if (stripped.rfind("-- @", 0) == 0) {
        pending_any = true;
        std::string ann = stripped.substr(4);
        if (ann.rfind("sql-mode", 0) == 0) pending_mode = Trim(ann.substr(8));
        continue;
      }
      if (stripped.rfind("--", 0) == 0) continue;
      start_line = lineno;
    }
    acc.push_back(raw);
    if (!line.empty() && line.back() == ';') {
      std::string joined;
      for (size_t i = 0; i < acc.size(); ++i) {
        if (i) joined += '\n';
        joined += acc[i];
      }
      joined = RTrim(joined);
      joined.pop_back();  // the ';'
      joined = RTrim(joined);
      out->push_back(CorpusEntry{file, index++, start_line, joined, pending_mode});
      acc.clear();
      pending_mode.clear();
      pending_any = false;
    }
  }
  if (!acc.empty()) {
    *error = path.string() + ": unterminated entry at line " + std::to_string(start_line);
    return false;
  }
  if (pending_any) {
    *error = path.string() + ": annotation not followed by a statement";
    return false;
  }
  return true;
}

// All *.sql files of `dir`, sorted by name.
inline std::vector<std::filesystem::path> CorpusFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".sql") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace shardproxy::parser::corpus
