// FileMetadataStore: write-temp, fsync, rename, fsync-dir, under a flock.
#include "router/rules/metadata_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/errors.h"

namespace shardproxy::router {

namespace {

Status StoreError(const std::string& what) {
  return Status::Error(errors::kUnknownError.code, errors::kUnknownError.sqlstate,
                       "metadata store: " + what);
}

Status SysError(const std::string& what, const std::string& path, int err) {
  return StoreError(what + " " + path + ": " + std::strerror(err));
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports close's error (a write error may surface only here).
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Reads a whole file. nullopt if it does not exist.
Result<std::optional<std::string>> ReadFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return SysError("cannot open", path, errno);
  }
  std::string data;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError("cannot read", path, errno);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  return std::optional<std::string>(std::move(data));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status FsyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return SysError("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return SysError("cannot fsync directory", dir, errno);
  return Status::Ok();
}

// Parses the text of the store's file; errors name the file.
Result<Metadata> ParseFile(const std::string& path, const std::string& text) {
  std::string origin = "metadata file " + path;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return StoreError(path +
                      " is empty (a crash should leave the old or the new version, never "
                      "this: restore it from a backup, or remove it to start without "
                      "sharding rules)");
  }
  return Metadata::FromJsonText(text, origin);
}

}  // namespace

MetadataStore::~MetadataStore() = default;

FileMetadataStore::FileMetadataStore(std::string data_dir)
    : data_dir_(data_dir.empty() ? std::string(".") : std::move(data_dir)),
      path_((std::filesystem::path(data_dir_) / "metadata.json").string()),
      temp_path_(path_ + ".tmp"),
      lock_path_((std::filesystem::path(data_dir_) / "metadata.lock").string()) {}

Result<std::optional<Metadata>> FileMetadataStore::Load() {
  auto text = ReadFile(path_);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<Metadata>();
  auto m = ParseFile(path_, **text);
  if (!m.ok()) return m.status();
  return std::optional<Metadata>(std::move(*m));
}

Status FileMetadataStore::Save(const Metadata& metadata) {
  std::lock_guard<std::mutex> lock(mu_);
  SP_RETURN_IF_ERROR(ValidateMetadata(metadata, "metadata (not saved)"));

  std::error_code ec;
  std::filesystem::create_directories(data_dir_, ec);
  if (ec) return StoreError("cannot create the data directory " + data_dir_ + ": " + ec.message());

  Fd lock_fd(::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock_fd.get() < 0) return SysError("cannot open", lock_path_, errno);
  while (::flock(lock_fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return SysError("cannot lock", lock_path_, errno);
  }
  // Released when lock_fd closes.

  // The optimistic check: the file must still be at the version this change
  // was based on.
  auto current_text = ReadFile(path_);
  if (!current_text.ok()) return current_text.status();
  uint64_t current = 0;
  if (current_text->has_value()) {
    auto current_md = ParseFile(path_, **current_text);
    if (!current_md.ok()) {
      return StoreError("not overwriting " + path_ +
                        ", which cannot be read: " + current_md.status().message());
    }
    current = current_md->version;
  }
  if (current != metadata.version) {
    std::string on_disk = current_text->has_value()
                              ? path_ + " is at version " + std::to_string(current)
                              : path_ + " does not exist";
    return StoreError("version conflict: " + on_disk + ", but this change was based on version " +
                      std::to_string(metadata.version) +
                      " (another proxy or admin command changed it): reload and retry");
  }

  Metadata next = metadata;
  next.version = metadata.version + 1;
  std::string text = next.ToJsonText();

  {
    // O_TRUNC: a stale temp file from a crash is simply overwritten.
    Fd tmp(::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (tmp.get() < 0) return SysError("cannot create", temp_path_, errno);
    Status st = WriteAll(tmp.get(), text, temp_path_);
    if (st.ok() && ::fsync(tmp.get()) != 0) st = SysError("cannot fsync", temp_path_, errno);
    if (st.ok() && tmp.Close() != 0) st = SysError("cannot close", temp_path_, errno);
    if (!st.ok()) {
      ::unlink(temp_path_.c_str());
      return st;
    }
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_path_.c_str());
    return SysError("cannot rename " + temp_path_ + " to", path_, err);
  }
  // The rename is durable only once the directory is.
  Status st = FsyncDir(data_dir_);
  if (!st.ok()) {
    return StoreError("version " + std::to_string(next.version) + " was written to " + path_ +
                      " but may not survive a crash (" + st.message() +
                      "): reload before retrying");
  }
  return Status::Ok();
}

}  // namespace shardproxy::router
