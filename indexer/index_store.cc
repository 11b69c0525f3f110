#include "indexer/index_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/file_reader.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

constexpr char kStubBackend[] = "auto ";

std::string GenerationsDir(const std::string& db_path) {
  return db_path + ".d";
}

}  // namespace

std::string GenerationPath(const std::string& db_path, int n) {
  return GenerationsDir(db_path) + "/" + std::to_string(n);
}

Result<std::optional<int>> CurrentGeneration(const std::string& db_path) {
  std::error_code ec;
  if (!fs::exists(db_path, ec)) return std::optional<int>();
  if (fs::is_directory(db_path, ec)) {
    return Status::Error(
        db_path +
        " is a directory, not a paperindex database (which is a stub "
        "file beside " +
        GenerationsDir(db_path) + "); remove it or choose another --db");
  }
  FileRead stub;
  if (Status read = ReadRegularFile(db_path, {4096, false}, &stub);
      !read.ok()) {
    return Status::Error(
        db_path + ": " + read.message() +
        ", not a paperindex database stub; remove it or choose "
        "another --db");
  }
  const std::string line = stub.text.substr(0, stub.text.find('\n'));
  const std::string expected_prefix =
      std::string(kStubBackend) +
      fs::path(GenerationsDir(db_path)).filename().string() + "/";
  if (line.rfind(expected_prefix, 0) != 0 ||
      stub.text.find('\n', line.size() + 1) != std::string::npos) {
    return Status::Error(db_path +
                         " is not a paperindex database stub; remove it or "
                         "choose another --db");
  }
  const std::string number = line.substr(expected_prefix.size());
  if (number.empty() || number.size() > 9 ||
      number.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Error(db_path + ": malformed stub line '" + line + "'");
  }
  return std::optional<int>(std::stoi(number));
}

Status SwitchToGeneration(const std::string& db_path, int n) {
  const std::string tmp = db_path + ".stub-tmp";
  const std::string line =
      std::string(kStubBackend) +
      fs::path(GenerationsDir(db_path)).filename().string() + "/" +
      std::to_string(n) + "\n";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Error("cannot write " + tmp + ": " + std::strerror(errno));
  }
  bool ok = write(fd, line.data(), line.size()) ==
                static_cast<ssize_t>(line.size()) &&
            fsync(fd) == 0;
  close(fd);
  if (!ok || rename(tmp.c_str(), db_path.c_str()) != 0) {
    return Status::Error("cannot switch " + db_path +
                         " to the new index: " + std::strerror(errno));
  }
  // Make the rename itself durable.
  std::string dir = fs::path(db_path).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status();
}

void RemoveOtherGenerations(const std::string& db_path, int keep) {
  std::error_code ec;
  for (const auto& entry :
       fs::directory_iterator(GenerationsDir(db_path), ec)) {
    if (entry.path().filename() != std::to_string(keep)) {
      fs::remove_all(entry.path(), ec);
    }
  }
}

Result<WriterLock> WriterLock::TryAcquire(const std::string& db_path) {
  const std::string path = db_path + ".lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Error("cannot open lock file " + path + ": " +
                         std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[64] = {};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, n) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
      pid.pop_back();
    close(fd);
    return Status::Error("another paperindex" +
                         (pid.empty() ? "" : " (pid " + pid + ")") +
                         " is writing " + db_path + "; wait for it to finish");
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only for messages; the lock itself is held.
  }
  return WriterLock(fd);
}

WriterLock::WriterLock(WriterLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

WriterLock& WriterLock::operator=(WriterLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace papersearch
