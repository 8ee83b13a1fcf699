// FileMetadataStore: missing/corrupt files, atomic replace, version checks.
#include "router/rules/metadata_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/unit/router/rules/test_util.h"

namespace shardproxy::router {
namespace {

namespace fs = std::filesystem;
using testing::SampleMetadata;

class FileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "sp_rules_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = (fs::path(root_) / "var" / "proxy").string();  // does not exist yet
  }
  void TearDown() override { fs::remove_all(root_); }

  static void WriteText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  static std::string ReadText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Saves `m` (based on m.version) and returns the new version.
  static uint64_t MustSave(FileMetadataStore& store, const Metadata& m) {
    Status st = store.Save(m);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return m.version + 1;
  }

  std::string root_;
  std::string dir_;
};

TEST_F(FileStoreTest, MissingDirectoryLoadsNothing) {
  FileMetadataStore store(dir_);
  auto r = store.Load();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(fs::exists(dir_));  // Load creates nothing
}

TEST_F(FileStoreTest, SaveCreatesDirectoryAndLoadReturnsIt) {
  FileMetadataStore store(dir_);
  EXPECT_EQ(store.path(), dir_ + "/metadata.json");
  Metadata m = SampleMetadata();
  m.version = 0;
  ASSERT_TRUE(store.Save(m).ok());
  EXPECT_TRUE(fs::exists(store.path()));
  EXPECT_FALSE(fs::exists(store.temp_path()));

  auto r = FileMetadataStore(dir_).Load();  // a fresh store: nothing cached
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_value());
  Metadata expected = m;
  expected.version = 1;
  EXPECT_EQ(**r, expected);
  // The file is the documented JSON.
  std::string text = ReadText(store.path());
  EXPECT_NE(text.find("\"format\": 1"), std::string::npos) << text;
  EXPECT_NE(text.find("\"version\": 1"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(FileStoreTest, VersionIncrementsOnEachSave) {
  FileMetadataStore store(dir_);
  Metadata m = SampleMetadata();
  m.version = 0;
  for (uint64_t expect = 1; expect <= 3; ++expect) {
    m.version = MustSave(store, m);
    EXPECT_EQ(m.version, expect);
    auto r = store.Load();
    ASSERT_TRUE(r.ok() && r->has_value());
    EXPECT_EQ((*r)->version, expect);
  }
}

TEST_F(FileStoreTest, StaleSaveIsRefused) {
  FileMetadataStore a(dir_);
  FileMetadataStore b(dir_);  // another proxy / admin on the same directory
  Metadata m = SampleMetadata();
  m.version = 0;
  m.version = MustSave(a, m);  // 1

  Metadata seen_by_a = **a.Load();
  Metadata seen_by_b = **b.Load();
  seen_by_b.tables.pop_back();
  ASSERT_TRUE(b.Save(seen_by_b).ok());  // now 2

  seen_by_a.tables.clear();
  Status st = a.Save(seen_by_a);  // based on 1: refused
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("version conflict: " + a.path() +
                              " is at version 2, but this change was based on version 1"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("reload and retry"), std::string::npos);
  // Unchanged on disk.
  Metadata now = **a.Load();
  EXPECT_EQ(now.version, 2u);
  EXPECT_EQ(now.tables.size(), SampleMetadata().tables.size() - 1);
}

TEST_F(FileStoreTest, SaveBasedOnAVersionThatIsNotThereIsRefused) {
  FileMetadataStore store(dir_);
  Metadata m = SampleMetadata();  // version 7, but nothing stored
  Status st = store.Save(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not exist, but this change was based on version 7"),
            std::string::npos)
      << st.message();
  EXPECT_FALSE(fs::exists(store.path()));
}

TEST_F(FileStoreTest, InvalidMetadataIsNotSaved) {
  FileMetadataStore store(dir_);
  Metadata m = SampleMetadata();
  m.version = 0;
  m.schemas[0].vpart_group.pop_back();
  Status st = store.Save(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("metadata (not saved): schemas[0].vpart_group"), std::string::npos)
      << st.message();
  EXPECT_FALSE(fs::exists(store.path()));
}

TEST_F(FileStoreTest, CrashBeforeRenameLeavesTheOldVersion) {
  FileMetadataStore store(dir_);
  Metadata m = SampleMetadata();
  m.version = 0;
  m.version = MustSave(store, m);  // 1

  // A crash mid-write: a half-written temp file...
  WriteText(store.temp_path(), "{\"format\": 1, \"version\": 2, \"sche");
  auto r = store.Load();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(**r, m);
  // ...or a complete one never renamed: the rename is the commit point.
  Metadata newer = m;
  newer.version = 2;
  newer.tables.clear();
  WriteText(store.temp_path(), newer.ToJsonText());
  r = store.Load();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(**r, m);

  // The next Save overwrites the stale temp file and succeeds.
  m.tables.pop_back();
  m.version = MustSave(store, m);
  EXPECT_EQ(m.version, 2u);
  EXPECT_FALSE(fs::exists(store.temp_path()));
  EXPECT_EQ(**store.Load(), m);
}

TEST_F(FileStoreTest, CorruptFileIsAnErrorNamingTheFile) {
  FileMetadataStore store(dir_);
  fs::create_directories(dir_);
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {"{\"format\": 1, \"version\": 3, \"schem", "not valid JSON"},
      {"", "is empty"},
      {"\n  \n", "is empty"},
      {"{\"format\": 1, \"version\": 3, \"schemas\": [{\"name\": \"t\", \"sharded\": false, "
       "\"groups\": []}], \"tables\": []}",
       "schemas[0].groups: an unsharded schema lives on exactly one group, got 0"},
      {"[]", "expected an object"},
  };
  for (const Case& c : cases) {
    WriteText(store.path(), c.text);
    auto r = store.Load();
    ASSERT_FALSE(r.ok()) << "accepted: " << c.text;
    EXPECT_NE(r.status().message().find(store.path()), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos) << r.status().message();

    // Save refuses to overwrite what it cannot read.
    Metadata m = SampleMetadata();
    m.version = 3;
    Status st = store.Save(m);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("not overwriting " + store.path()), std::string::npos)
        << st.message();
    EXPECT_EQ(ReadText(store.path()), c.text);
  }
}

TEST_F(FileStoreTest, ConcurrentSaversLoseNoUpdate) {
  // Several writers (threads, each with its own store on the same directory)
  // each add tables by load-modify-save, retrying on conflict.
  {
    FileMetadataStore init(dir_);
    Metadata m;
    m.schemas.push_back(MakeShardedSchema("trade", {"g0", "g1"}));
    ASSERT_TRUE(init.Save(m).ok());
  }
  constexpr int kThreads = 4;
  constexpr int kEach = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      FileMetadataStore store(dir_);
      for (int i = 0; i < kEach; ++i) {
        for (;;) {
          auto loaded = store.Load();
          ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
          Metadata m = **loaded;
          TableRule r;
          r.schema = "trade";
          r.table = "t" + std::to_string(t) + "_" + std::to_string(i);
          r.kind = TableKind::kBroadcast;
          m.tables.push_back(r);
          Status st = store.Save(m);
          if (st.ok()) break;
          ASSERT_NE(st.message().find("version conflict"), std::string::npos) << st.message();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto r = FileMetadataStore(dir_).Load();
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->tables.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ((*r)->version, static_cast<uint64_t>(1 + kThreads * kEach));
}

}  // namespace
}  // namespace shardproxy::router
