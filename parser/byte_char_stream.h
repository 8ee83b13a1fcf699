// ByteCharStream: the ANTLR CharStream the lexer reads.
//
// Every byte of the statement is one "character", so token start/stop indexes
// are byte offsets into the SQL (what the model and the rewriter need). LA()
// upper-cases ASCII letters so the grammar's keywords match in any case;
// getText() and Raw() return the original bytes. The caller keeps `sql` alive
// for the stream's lifetime. No copy of the input is made.
#pragma once

#include <antlr4-runtime.h>

#include <string>
#include <string_view>

namespace shardproxy::parser {

class ByteCharStream final : public antlr4::CharStream {
 public:
  explicit ByteCharStream(std::string_view sql) : sql_(sql) {}

  void consume() override {
    if (pos_ >= sql_.size()) throw antlr4::IllegalStateException("cannot consume EOF");
    ++pos_;
  }
  size_t LA(ssize_t i) override {
    if (i == 0) return 0;
    ssize_t p = static_cast<ssize_t>(pos_) + (i > 0 ? i - 1 : i);
    if (p < 0 || p >= static_cast<ssize_t>(sql_.size())) return antlr4::IntStream::EOF;
    unsigned char c = static_cast<unsigned char>(sql_[static_cast<size_t>(p)]);
    if (c >= 'a' && c <= 'z') c = static_cast<unsigned char>(c - 'a' + 'A');
    return c;
  }
  // The byte at absolute position p (not upper-cased); -1 past the end.
  int Raw(size_t p) const {
    return p < sql_.size() ? static_cast<unsigned char>(sql_[p]) : -1;
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return pos_; }
  void seek(size_t index) override { pos_ = index < sql_.size() ? index : sql_.size(); }
  size_t size() override { return sql_.size(); }
  std::string getSourceName() const override { return "sql"; }
  std::string getText(const antlr4::misc::Interval& interval) override {
    if (interval.a < 0 || interval.b < interval.a) return {};
    size_t a = static_cast<size_t>(interval.a);
    size_t b = static_cast<size_t>(interval.b);
    if (a >= sql_.size()) return {};
    if (b >= sql_.size()) b = sql_.size() - 1;
    return std::string(sql_.substr(a, b - a + 1));
  }
  std::string toString() const override { return std::string(sql_); }
  std::string_view sql() const { return sql_; }

 private:
  std::string_view sql_;
  size_t pos_ = 0;
};

}  // namespace shardproxy::parser
